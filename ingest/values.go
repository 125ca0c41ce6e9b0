package ingest

import (
	"strconv"
	"strings"
	"time"

	"doorstroom/config"
)

// value is one parsed cell. Dates are days since 1970-01-01 (Arrow's
// date32), years and counts plain integers, yes/no 1 or 0; text, codes and
// countries are in s, in canonical form.
type value struct {
	set bool
	s   string
	n   int64
}

// parser turns the text of one cell into a value of its column's type, or
// says which rule it breaks. The quarter bounds plausible years and dates.
type parser struct {
	codes     map[string]map[string]string // column -> folded label -> code
	countries map[string]string            // upper-case alpha-2/alpha-3 -> alpha-2
	endDays   int64                        // quarter end, days since epoch
	endYear   int
}

// problem is a rule broken by a cell, with the sentence's arguments.
type problem struct {
	rule string
	args map[string]string
}

func (p *parser) parse(col config.Column, raw string) (value, *problem) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return value{}, nil
	}
	switch col.Type {
	case config.TypeText:
		return value{set: true, s: raw}, nil
	case config.TypeYear:
		y, err := strconv.Atoi(raw)
		if err != nil || len(raw) != 4 {
			return value{}, &problem{"value_year", map[string]string{"value": raw}}
		}
		if y < 1900 || y > p.endYear {
			return value{}, &problem{"value_year_range", map[string]string{
				"value": raw, "min": "1900", "max": strconv.Itoa(p.endYear)}}
		}
		return value{set: true, n: int64(y)}, nil
	case config.TypeCount:
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 100000 {
			return value{}, &problem{"value_count", map[string]string{"value": raw}}
		}
		return value{set: true, n: int64(n)}, nil
	case config.TypeDate:
		t, ok := parseDate(raw)
		if !ok {
			return value{}, &problem{"value_date", map[string]string{"value": raw}}
		}
		days := t.Unix() / 86400
		if days > p.endDays {
			return value{}, &problem{"value_after_quarter_end", map[string]string{
				"value": raw, "end": epochDay(p.endDays)}}
		}
		if t.Year() < 1900 {
			return value{}, &problem{"value_year_range", map[string]string{
				"value": strconv.Itoa(t.Year()), "min": "1900", "max": strconv.Itoa(p.endYear)}}
		}
		return value{set: true, n: days}, nil
	case config.TypeYesNo:
		switch config.Fold(raw) {
		case "yes", "y", "ja", "j", "oui", "o", "1", "true", "waar", "vrai":
			return value{set: true, n: 1}, nil
		case "no", "n", "nee", "non", "0", "false", "onwaar", "faux":
			return value{set: true, n: 0}, nil
		}
		return value{}, &problem{"value_yesno", map[string]string{"value": raw}}
	case config.TypeCode:
		if code, ok := p.codes[col.Name][config.Fold(raw)]; ok {
			return value{set: true, s: code}, nil
		}
		return value{}, &problem{"value_code", map[string]string{
			"value": raw, "allowed": strings.Join(col.Codes, ", ")}}
	case config.TypeCountry:
		if a2, ok := p.countries[strings.ToUpper(raw)]; ok {
			return value{set: true, s: a2}, nil
		}
		return value{}, &problem{"value_country", map[string]string{"value": raw}}
	}
	return value{set: true, s: raw}, nil
}

// dateLayouts are the date forms partners' tools write: ISO, and the
// day-first forms of Belgian and Dutch locales. Month-first and two-digit
// years are never accepted: 03/04/26 is a guess, and guesses are errors.
var dateLayouts = []string{"2006-01-02", "02/01/2006", "02-01-2006", "02.01.2006", "2/1/2006", "2-1-2006", "2.1.2006"}

// parseDate reads a date in one of dateLayouts. time.Parse rejects
// impossible dates such as 2026-02-30.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// epochDay writes days since 1970-01-01 as an ISO date.
func epochDay(d int64) string {
	return time.Unix(d*86400, 0).UTC().Format(time.DateOnly)
}

// codeLookup builds, per code column, the map from folded label to code:
// every code is its own label, then the programme's and the partner's
// labels are added. Viper folds YAML map keys to lower case, so label keys
// are matched back to the format's codes by their folded form.
func codeLookup(f *config.Format, labels config.Labels) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, col := range f.Columns {
		if col.Type != config.TypeCode {
			continue
		}
		m := map[string]string{}
		byFold := map[string]string{}
		for _, code := range col.Codes {
			m[config.Fold(code)] = code
			byFold[config.Fold(code)] = code
		}
		for key, ls := range labels.Codes[col.Name] {
			code, ok := byFold[config.Fold(key)]
			if !ok {
				continue
			}
			for _, l := range ls {
				m[config.Fold(l)] = code
			}
		}
		out[col.Name] = m
	}
	return out
}

// addMonths returns the epoch day that lies n calendar months after the
// epoch day d, as time.AddDate counts them (31 January + 1 month is
// 3 March, never a day that does not exist).
func addMonths(d int64, n int) int64 {
	t := time.Unix(d*86400, 0).UTC().AddDate(0, n, 0)
	return t.Unix() / 86400
}
