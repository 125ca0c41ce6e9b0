package dashboards

import (
	"sort"

	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// overviewPage builds a quarter's overview: the network's key figures,
// engagement and exits per partner, exits by type, and trends.
func overviewPage(in Input, idx metricIndex, lang string, q period.Quarter) (*page, error) {
	v := &view{in: in, idx: idx, lang: lang, q: q, nf: formatFor(lang)}
	p := newPage(in, lang, q, "index.html", v.text("ui.overview")+" "+q.String())
	for _, id := range []string{"participants_active", "dvz_talk_share", "fedasil_talk_share", "median_duration_closed"} {
		e, ok := in.Catalogue.Entry(id)
		if !ok {
			continue
		}
		c := v.cell(e.Unit, metricKey{id, q.String(), metrics.NetworkPartner, ""})
		p.KeyFigures = append(p.KeyFigures, keyFigure{Value: c.Text, Label: e.Title[lang]})
	}
	builders := []func() (block, error){v.engagementBlock, v.exitsByClassBlock, v.exitsByTypeBlock, v.trendBlock}
	for _, build := range builders {
		b, err := build()
		if err != nil {
			return nil, err
		}
		b.CSVHref = b.ID + ".csv"
		b.DownloadLabel = v.text("ui.download_csv")
		p.Blocks = append(p.Blocks, b)
	}
	return p, nil
}

// view holds what the blocks of one page need.
type view struct {
	in   Input
	idx  metricIndex
	lang string
	q    period.Quarter
	nf   numberFormat
}

func (v *view) text(key string) string { return v.in.Translations.Text(v.lang, key, nil) }

func (v *view) title(id string) string {
	e, _ := v.in.Catalogue.Entry(id)
	return e.Title[v.lang]
}

func (v *view) unit(id string) string {
	e, _ := v.in.Catalogue.Entry(id)
	return e.Unit
}

// cell formats one published value for a table.
func (v *view) cell(unit string, k metricKey) cell {
	val, suppressed := v.idx.value(unit, k)
	switch {
	case suppressed && unit == metrics.UnitCount:
		return cell{Text: "<" + itoa(v.in.Policy.Threshold), Suppressed: true}
	case val == nil:
		return cell{Text: "–", Suppressed: suppressed}
	case unit == metrics.UnitShare:
		return cell{Text: v.nf.percent(*val)}
	default:
		return cell{Text: v.nf.number(*val, 0)}
	}
}

// partnerRows are the table rows of a per-partner table: each partner, then
// the network.
func (v *view) partnerRows() (codes, names []string) {
	for _, p := range v.in.Partners {
		codes = append(codes, p.Code)
		names = append(names, p.Name)
	}
	return append(codes, metrics.NetworkPartner), append(names, v.text("ui.network"))
}

func (v *view) engagementBlock() (block, error) {
	ids := []string{"dvz_talk_share", "fedasil_talk_share"}
	codes, names := v.partnerRows()
	b := block{ID: "engagement", Title: v.title(ids[0]) + " · " + v.title(ids[1]), ChartID: "chart-engagement"}
	b.Table.Header = []string{v.text("ui.partner"), v.title(ids[0]), v.title(ids[1])}
	spec := chartSpec{id: b.ChartID, kind: "bar", categories: names, percent: true, description: b.Title}
	for _, id := range ids {
		s := series{name: v.title(id)}
		for _, code := range codes {
			val, _ := v.idx.value(metrics.UnitShare, metricKey{id, v.q.String(), code, ""})
			s.values = append(s.values, val)
		}
		spec.series = append(spec.series, s)
	}
	for i, code := range codes {
		row := []cell{{Text: names[i]}}
		for _, id := range ids {
			row = append(row, v.cell(metrics.UnitShare, metricKey{id, v.q.String(), code, ""}))
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	opt, err := option(spec)
	b.Option = opt
	return b, err
}

// breakdowns lists the breakdown values of a metric in a quarter, sorted.
func (v *view) breakdowns(id string) []string {
	seen := map[string]bool{}
	for k := range v.idx {
		if k.metric == id && k.quarter == v.q.String() {
			seen[k.breakdown] = true
		}
	}
	out := make([]string, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

func (v *view) exitsByClassBlock() (block, error) {
	id := "exits_by_class"
	codes, names := v.partnerRows()
	classes := v.breakdowns(id)
	b := block{ID: "exits-by-class", Title: v.title(id), ChartID: "chart-exits-by-class", Description: v.desc(id)}
	b.Table.Header = []string{v.text("ui.partner")}
	spec := chartSpec{id: b.ChartID, kind: "stacked", categories: names, description: b.Title}
	for _, c := range classes {
		label := v.text("classes.outflow_type." + after(c))
		b.Table.Header = append(b.Table.Header, label)
		s := series{name: label}
		for _, code := range codes {
			val, _ := v.idx.value(metrics.UnitCount, metricKey{id, v.q.String(), code, c})
			s.values = append(s.values, val)
		}
		spec.series = append(spec.series, s)
	}
	for i, code := range codes {
		row := []cell{{Text: names[i]}}
		for _, c := range classes {
			row = append(row, v.cell(metrics.UnitCount, metricKey{id, v.q.String(), code, c}))
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	opt, err := option(spec)
	b.Option = opt
	return b, err
}

func (v *view) exitsByTypeBlock() (block, error) {
	id := "exits_by_type"
	b := block{ID: "exits-by-type", Title: v.title(id) + " · " + v.text("ui.network"), ChartID: "chart-exits-by-type", Description: v.desc(id)}
	b.Table.Header = []string{v.text("ui.value"), v.text("ui.count")}
	spec := chartSpec{id: b.ChartID, kind: "bar", description: b.Title}
	s := series{name: v.title(id)}
	for _, t := range v.breakdowns(id) {
		label := v.text("codes.outflow_type." + after(t))
		k := metricKey{id, v.q.String(), metrics.NetworkPartner, t}
		val, _ := v.idx.value(metrics.UnitCount, k)
		spec.categories = append(spec.categories, label)
		s.values = append(s.values, val)
		b.Table.Rows = append(b.Table.Rows, []cell{{Text: label}, v.cell(metrics.UnitCount, k)})
	}
	spec.series = []series{s}
	opt, err := option(spec)
	b.Option = opt
	return b, err
}

func (v *view) trendBlock() (block, error) {
	ids := []string{"participants_active", "dvz_talk_share", "fedasil_talk_share"}
	b := block{ID: "trend", Title: v.title(ids[0]) + " · " + v.text("ui.network"), ChartID: "chart-trend"}
	b.Table.Header = []string{v.text("ui.quarter")}
	for _, id := range ids {
		b.Table.Header = append(b.Table.Header, v.title(id))
	}
	spec := chartSpec{id: b.ChartID, kind: "line", description: b.Title}
	s := series{name: v.title(ids[0])}
	for _, q := range v.in.Quarters {
		if v.q.Before(q) {
			break
		}
		spec.categories = append(spec.categories, q.String())
		val, _ := v.idx.value(metrics.UnitCount, metricKey{ids[0], q.String(), metrics.NetworkPartner, ""})
		s.values = append(s.values, val)
		row := []cell{{Text: q.String()}}
		for _, id := range ids {
			row = append(row, v.cell(v.unit(id), metricKey{id, q.String(), metrics.NetworkPartner, ""}))
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	spec.series = []series{s}
	opt, err := option(spec)
	b.Option = opt
	return b, err
}

func (v *view) desc(id string) string {
	e, _ := v.in.Catalogue.Entry(id)
	return e.Description[v.lang]
}

// after returns what follows "=" in a single key=value breakdown.
func after(breakdown string) string {
	for i := range breakdown {
		if breakdown[i] == '=' {
			return breakdown[i+1:]
		}
	}
	return breakdown
}
