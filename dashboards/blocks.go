package dashboards

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"doorstroom/metrics"
)

// metricBlocks adds a block for every metric (or group of metrics) the
// catalogue puts on a page, in catalogue order.
func (v *view) metricBlocks(p *page, kind string) error {
	done := map[string]bool{}
	for _, e := range v.in.Catalogue.Metrics {
		if e.Page != kind || done[e.ID] {
			continue
		}
		entries := []metrics.Entry{e}
		if g := e.Chart.Group; g != "" {
			for _, o := range v.in.Catalogue.Metrics {
				if o.ID != e.ID && o.Page == kind && o.Chart.Group == g {
					entries = append(entries, o)
				}
			}
		}
		for _, x := range entries {
			done[x.ID] = true
		}
		b, err := v.metricBlock(entries, e.Chart, "")
		if err != nil {
			return err
		}
		p.Blocks = append(p.Blocks, b)
	}
	if len(p.Blocks) == 0 {
		p.Intro = append(p.Intro, v.l.T["no_metrics"])
	}
	return nil
}

// column is one column of a block: a metric of an entity at a breakdown
// (the X value, when X is a breakdown key, is added per row).
type column struct {
	e      *metrics.Entry
	ent    entity
	pairs  map[string]string
	header string
	// chart says whether the column is also a series of the chart.
	chart bool
}

// metricBlock draws metrics with one chart declaration: the chart and the
// table beside it. idSuffix distinguishes a second drawing of the same
// metric on a page (the overview's trends).
func (v *view) metricBlock(entries []metrics.Entry, c metrics.Chart, idSuffix string) (block, error) {
	l := v.l
	e0 := &entries[0]
	unit := e0.Unit
	id := e0.ID
	if c.Group != "" && len(entries) > 1 {
		id = c.Group
	}
	id = safeID(id + idSuffix)
	b := block{ID: id, Unit: unit, Title: v.blockTitle(entries, c)}
	if len(entries) == 1 {
		b.Description = e0.Description[l.code]
	} else {
		var ds []string
		for _, e := range entries {
			ds = append(ds, e.Description[l.code])
		}
		b.Description = strings.Join(ds, " ")
	}
	filter := pairs(normBreakdown(c.Filter))
	scope := v.scopeEntities()
	isCount := unit == metrics.UnitCount
	// On a partner's pages a count of the partner and of the network (its
	// sum) do not share a scale: the chart shows the partner, the table
	// both.
	chartEnt := func(i int) bool { return !(isCount && v.partner != nil && i > 0) }

	var (
		rowLabels []string
		cols      []column
		rowEnt    func(i int, col column) entity
		rowQ      func(i int) *quarterData
		// xKey is the breakdown key X when the rows are its values xs.
		xKey string
		xs   []string
		spec = chartSpec{id: "chart-" + id, kind: c.Kind, unit: unit}
	)
	rowQ = func(int) *quarterData { return v.d }
	rowEnt = func(_ int, col column) entity { return col.ent }
	header0 := l.keyLabel(c.X)

	switch c.X {
	case "partner":
		ents := v.partnerRows()
		for _, ent := range ents {
			rowLabels = append(rowLabels, ent.name)
		}
		rowEnt = func(i int, _ column) entity { return ents[i] }
		if c.Series == "" {
			for k := range entries {
				e := &entries[k]
				cols = append(cols, column{e: e, pairs: filter, header: e.Title[l.code], chart: true})
			}
		} else {
			for _, val := range v.d.values(v.all, false, []string{e0.ID}, c, c.Series, []string{c.Series}) {
				p := clonePairs(filter)
				p[c.Series] = val
				cols = append(cols, column{e: e0, pairs: p, header: l.valueLabel(c.Series, val), chart: true})
			}
			if isCount && c.Kind == "stacked" && len(cols) > 0 {
				cols = append(cols, column{e: e0, header: l.T["total"], pairs: map[string]string{totalBreakdown: ""}})
				b.Table.TotalCol = true
			}
		}
		b.Table.TotalRow = isCount
		// Categories of the chart: every row but, for counts, the network
		// (the total dwarfs its parts; the table shows it).
		n := len(ents)
		if isCount && v.partner == nil {
			n--
		}
		spec.categories = rowLabels[:n]
	case "quarter":
		for i := 0; i <= v.qi; i++ {
			rowLabels = append(rowLabels, l.quarter(v.in.Quarters[i]))
		}
		rowQ = func(i int) *quarterData { return v.all[i] }
		if c.Series == "" {
			for k := range entries {
				e := &entries[k]
				for i, ent := range scope {
					cols = append(cols, column{e: e, ent: ent, pairs: filter, chart: chartEnt(i),
						header: joinHeader(e.Title[l.code], len(entries) > 1, ent.name, len(scope) > 1)})
				}
			}
		} else {
			vals := v.d.values(v.all, true, []string{e0.ID}, c, c.Series, []string{c.Series})
			for i, ent := range scope {
				for _, val := range vals {
					p := clonePairs(filter)
					p[c.Series] = val
					cols = append(cols, column{e: e0, ent: ent, pairs: p, chart: i == 0,
						header: joinHeader(l.valueLabel(c.Series, val), true, ent.name, len(scope) > 1)})
				}
			}
		}
		spec.categories = rowLabels
	default: // a breakdown key
		allowed := []string{c.X}
		if c.Series != "" {
			allowed = append(allowed, c.Series)
		}
		var ids []string
		for _, e := range entries {
			ids = append(ids, e.ID)
		}
		xs = slices.Clone(v.d.values(v.all, false, ids, c, c.X, allowed))
		if len(c.Order) == 0 && !allNumeric(xs) {
			// Rows read best in the language's alphabetical order.
			sort.SliceStable(xs, func(i, j int) bool { return l.valueLabel(c.X, xs[i]) < l.valueLabel(c.X, xs[j]) })
		}
		for _, x := range xs {
			rowLabels = append(rowLabels, l.valueLabel(c.X, x))
		}
		xKey = c.X
		if c.Series == "" {
			for k := range entries {
				e := &entries[k]
				for i, ent := range scope {
					cols = append(cols, column{e: e, ent: ent, pairs: filter, chart: chartEnt(i),
						header: joinHeader(e.Title[l.code], len(entries) > 1, ent.name, len(scope) > 1 || len(entries) == 1)})
				}
			}
		} else {
			for i, ent := range scope {
				for _, val := range v.d.values(v.all, false, ids, c, c.Series, allowed) {
					p := clonePairs(filter)
					p[c.Series] = val
					cols = append(cols, column{e: e0, ent: ent, pairs: p, chart: i == 0,
						header: joinHeader(l.valueLabel(c.Series, val), true, ent.name, len(scope) > 1)})
				}
			}
		}
		spec.categories = rowLabels
		if c.Kind == "step" && allNumeric(xs) {
			spec.xName = l.keyLabel(c.X)
			for _, x := range xs {
				f, _ := strconv.ParseFloat(x, 64)
				spec.xValues = append(spec.xValues, f)
			}
		}
	}

	b.Table.Header = append([]string{header0}, headers(cols)...)
	colBks := make([]string, len(cols))
	for j, col := range cols {
		colBks[j] = joinPairs(col.pairs)
		if _, ok := col.pairs[totalBreakdown]; ok {
			colBks[j] = totalBreakdown
		}
	}
	// With X a breakdown key, a row's breakdown is the column's with the
	// row's value of X: prefix + value + suffix.
	var prefix, suffix []string
	if xKey != "" {
		prefix, suffix = make([]string, len(cols)), make([]string, len(cols))
		for j, col := range cols {
			prefix[j], suffix[j] = splitPairs(col.pairs, xKey)
		}
	}
	values := make([][]figure, len(rowLabels))
	figures := make([]figure, len(rowLabels)*len(cols))
	cells := make([]cell, len(rowLabels)*(len(cols)+1))
	b.Table.Rows = make([][]cell, 0, len(rowLabels))
	for i := range rowLabels {
		row := cells[i*(len(cols)+1) : (i+1)*(len(cols)+1) : (i+1)*(len(cols)+1)]
		row[0] = cell{Text: rowLabels[i]}
		values[i] = figures[i*len(cols) : (i+1)*len(cols) : (i+1)*len(cols)]
		for j, col := range cols {
			bk := colBks[j]
			if xKey != "" && bk != totalBreakdown {
				bk = prefix[j] + xs[i] + suffix[j]
			}
			f := rowQ(i).figure(col.e.ID, rowEnt(i, col).code, bk)
			values[i][j] = f
			row[j+1] = l.cellOf(col.e.Unit, f)
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	if len(rowLabels) == 0 {
		b.Notes = append(b.Notes, l.T["no_data"])
	}
	if c.Kind == "table" {
		return b, nil
	}
	// The chart's series: per chart column, its values over the
	// categories (rows).
	for j, col := range cols {
		if !col.chart {
			continue
		}
		name := col.header
		if c.X == "partner" && c.Series == "" && len(entries) == 1 {
			name = e0.Title[l.code]
		}
		s := series{name: name, values: make([]*float64, len(spec.categories))}
		shownValues := make([]float64, len(spec.categories))
		for i := range spec.categories {
			if f := values[i][j]; f.st == shown {
				shownValues[i] = f.v
				s.values[i] = &shownValues[i]
			}
		}
		spec.series = append(spec.series, s)
	}
	drawable, gaps := false, false
	for _, s := range spec.series {
		for _, x := range s.values {
			drawable = drawable || x != nil
			gaps = gaps || x == nil
		}
	}
	switch {
	case !drawable && len(rowLabels) > 0:
		// Nothing to draw: every number is withheld or missing.
		b.Notes = append(b.Notes, l.T["chart_empty"])
		return b, nil
	case gaps:
		b.Notes = append(b.Notes, l.T["chart_gaps"])
	}
	spec.description = l.textf("ui.aria_chart", "title", b.Title)
	return b, b.setChart(spec)
}

// blockTitle is a group's translated title, or the metrics' titles.
func (v *view) blockTitle(entries []metrics.Entry, c metrics.Chart) string {
	if c.Group != "" {
		if k := "groups." + c.Group; v.l.tr.Has(k) {
			return v.l.text(k)
		}
	}
	var ts []string
	for _, e := range entries {
		ts = append(ts, e.Title[v.l.code])
	}
	return strings.Join(ts, " · ")
}

func headers(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

// joinHeader names a column by what varies: the metric or series value,
// the entity, or both.
func joinHeader(what string, showWhat bool, ent string, showEnt bool) string {
	switch {
	case showWhat && showEnt:
		return what + " · " + ent
	case showEnt:
		return ent
	}
	return what
}

func uniq(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
