package dashboards

import (
	"strconv"
	"strings"
	"time"

	"doorstroom/config"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// lang is one language of the site: its texts and formats, built once and
// then only read by every page in that language.
type lang struct {
	code string
	tr   *config.Translations
	cat  *metrics.Catalogue
	nf   numberFormat
	// T holds the ui.* texts by short key, for templates.
	T         map[string]string
	threshold int
	quarters  map[period.Quarter]string
	// legend explains the marks, under every page.
	legend []string
	// footer says when the site was generated (set by Build).
	footer string
}

func newLang(code string, tr *config.Translations, cat *metrics.Catalogue, threshold int, quarters []period.Quarter) *lang {
	l := &lang{code: code, tr: tr, cat: cat, nf: formatFor(code), T: map[string]string{}, threshold: threshold,
		quarters: map[period.Quarter]string{}}
	for _, key := range tr.Keys("ui.") {
		l.T[strings.TrimPrefix(key, "ui.")] = tr.Text(code, key, nil)
	}
	for _, q := range quarters {
		l.quarters[q] = l.quarterLabel(q)
	}
	th := strconv.Itoa(threshold)
	l.legend = []string{
		l.textf("ui.legend_below", "threshold", th),
		l.textf("ui.legend_protecting", "mark", l.T["mark_protecting"], "threshold", th),
		l.textf("ui.legend_hidden", "mark", l.T["mark_hidden"]),
		l.textf("ui.legend_nodata", "mark", l.T["mark_nodata"]),
	}
	return l
}

// text returns the sentence for a translation key.
func (l *lang) text(key string) string { return l.tr.Text(l.code, key, nil) }

// textf returns the sentence for a key with its {placeholders} filled.
func (l *lang) textf(key string, args ...string) string {
	m := make(map[string]string, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i]] = args[i+1]
	}
	return l.tr.Text(l.code, key, m)
}

// valueLabel labels a breakdown value as the catalogue's breakdowns
// section says: its own labels, or the translation section it names
// (codes.outflow_type); else the value itself.
func (l *lang) valueLabel(key, value string) string {
	bk, ok := l.cat.Breakdowns[key]
	if !ok {
		return value
	}
	if s := bk.Values[value][l.code]; s != "" {
		return s
	}
	if bk.Source != "" {
		if k := bk.Source + "." + value; l.tr.Has(k) {
			return l.text(k)
		}
	}
	return value
}

// keyLabel labels a breakdown key by the catalogue's breakdowns section,
// else the key.
func (l *lang) keyLabel(key string) string {
	switch key {
	case "partner":
		return l.T["partner"]
	case "quarter":
		return l.T["quarter"]
	}
	if s := l.cat.Breakdowns[key].Title[l.code]; s != "" {
		return s
	}
	return key
}

// quarter labels a quarter the way the language writes it (2026 Q3,
// K3 2026, T3 2026).
func (l *lang) quarter(q period.Quarter) string {
	if s, ok := l.quarters[q]; ok {
		return s
	}
	return l.quarterLabel(q)
}

func (l *lang) quarterLabel(q period.Quarter) string {
	return l.textf("ui.quarter_label", "year", strconv.Itoa(q.Year), "n", strconv.Itoa(q.Q))
}

// date writes a day the way the language writes it (31 oktober 2026).
func (l *lang) date(t time.Time) string {
	return l.textf("ui.date_format", "day", strconv.Itoa(t.Day()),
		"month", l.text("ui.months."+strconv.Itoa(int(t.Month()))), "year", strconv.Itoa(t.Year()))
}

// format writes a figure of a metric with the given unit, or the mark of
// why it is not shown.
func (l *lang) format(unit string, f figure) string {
	switch f.st {
	case below:
		return "<" + strconv.Itoa(l.threshold)
	case protecting:
		return l.T["mark_protecting"]
	case hidden:
		return l.T["mark_hidden"]
	case nodata:
		return l.T["mark_nodata"]
	}
	switch unit {
	case metrics.UnitCount, metrics.UnitDays:
		return l.nf.number(f.v, 0)
	case metrics.UnitShare:
		return l.nf.percent(f.v)
	case metrics.UnitEuro:
		return l.textf("ui.euro", "value", l.nf.number(f.v, 0))
	}
	return l.nf.number(f.v, 1)
}

// cellOf is a table cell for a figure.
func (l *lang) cellOf(unit string, f figure) cell {
	return cell{Text: l.format(unit, f), State: f.st}
}

// unitLabel names a unit for the methodology page.
func (l *lang) unitLabel(unit string) string {
	if k := "ui.units." + unit; l.tr.Has(k) {
		return l.text(k)
	}
	return unit
}
