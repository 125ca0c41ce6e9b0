package dashboards

import (
	"fmt"
	"slices"

	"doorstroom/disclosure"
	"doorstroom/metrics"
)

// state is what a page may show of a number.
type state uint8

const (
	shown      state = iota
	below            // a count below the threshold: "<5"
	protecting       // a count withheld to protect a small one
	hidden           // a share, median or amount built on a withheld count
	nodata           // nothing to show: no row, or a value not reached
)

// figure is a number as a page may show it: its value only when shown.
type figure struct {
	v  float64
	st state
}

// totalBreakdown is the breakdown under which a table's derived total
// column lives in the plan (never a real breakdown: it has no "=").
const totalBreakdown = "total"

// plan is disclosure control's decision for one quarter: the state of
// every metric row and derived total, taken once for every table of the
// quarter together, because the same numbers appear on many pages.
type plan struct {
	state  map[rowKey]state
	totals map[rowKey]float64
	// stats count, per metric, the numbers of the quarter by state.
	stats map[string]*suppressionStats
}

// suppressionStats counts a metric's numbers by what disclosure control
// decided, for the privacy page.
type suppressionStats struct {
	Shown, Below, Protecting, Hidden int
}

// cellKey names one count of the disclosure table.
type cellKey struct {
	rowKey
	field string // value, num, rest, den
}

// planner builds the disclosure table of a quarter.
type planner struct {
	d        *quarterData
	in       *Input
	t        disclosure.Table
	cells    map[cellKey]int
	partners []string
	groups   int
}

// buildPlan puts every count of the quarter, and every relation a reader
// could use between them, into one disclosure table, protects it, and
// records the state of every row.
//
// The relations are: the network as the sum of its partners, for every
// count, share numerator, share rest and share denominator; a share's
// numerator plus its rest as its denominator; the total column of a
// stacked count table as the sum of its row; and the sums the catalogue
// declares between metrics (Parts).
func buildPlan(d *quarterData, in *Input) (*plan, error) {
	pl := &planner{d: d, in: in, cells: map[cellKey]int{}}
	for code := range d.present {
		pl.partners = append(pl.partners, code)
	}
	slices.Sort(pl.partners)
	for _, e := range in.Catalogue.Metrics {
		switch e.Unit {
		case metrics.UnitCount:
			pl.counts(e, "value")
		case metrics.UnitEuro:
			pl.counts(e, "num")
		case metrics.UnitShare:
			pl.shares(e)
		}
	}
	for _, e := range in.Catalogue.Metrics {
		if e.Unit == metrics.UnitCount && e.Chart.X == "partner" && e.Chart.Series != "" {
			pl.totals(e)
		}
		if e.Parts != nil && e.Unit == metrics.UnitCount {
			pl.parts(e)
		}
	}
	status, err := in.Policy.Protect(&pl.t)
	if err != nil {
		return nil, fmt.Errorf("dashboards: %s: %w", d.q, err)
	}
	return pl.result(status), nil
}

func (pl *planner) entities() []string {
	return append(slices.Clip(pl.partners), metrics.NetworkPartner)
}

func (pl *planner) add(k cellKey, c disclosure.Cell) int {
	i := pl.t.Add(c)
	pl.cells[k] = i
	return i
}

// relateNetwork adds network = Σ partners for one field of one breakdown,
// when the network's cell exists and the relation holds.
func (pl *planner) relateNetwork(metric, breakdown, field string) {
	net, ok := pl.cells[cellKey{rowKey{metric, metrics.NetworkPartner, breakdown}, field}]
	if !ok {
		return
	}
	var parts []int
	for _, p := range pl.partners {
		if i, ok := pl.cells[cellKey{rowKey{metric, p, breakdown}, field}]; ok {
			parts = append(parts, i)
		}
	}
	// A relation that does not hold is not one a reader can use.
	_ = pl.t.Relate(disclosure.Sum(net, parts...))
}

// counts adds a cell per entity and breakdown of a count metric (field
// value) or an amount (field num: the persons it is paid for). A partner
// present in the quarter without a row has a structural zero.
func (pl *planner) counts(e metrics.Entry, field string) {
	p := pl.in.Policy
	for _, b := range pl.d.breakdowns[e.ID] {
		for _, ent := range pl.entities() {
			k := rowKey{e.ID, ent, b}
			v, primary := 0.0, true
			if r := pl.d.rows[k]; r != nil {
				v = r.Value.Float64
				if field == "num" {
					v = r.Numerator.Float64
				}
				primary = r.Suppressed || !p.CountOK(v)
			}
			w := v
			if ent == metrics.NetworkPartner {
				w = 4 * v
			}
			pl.add(cellKey{k, field}, disclosure.Cell{Value: v, Primary: primary, Marked: field == "value", Weight: w})
		}
		pl.relateNetwork(e.ID, b, field)
	}
}

// shares adds, per entity and breakdown, the share's numerator and rest
// (withheld together: hiding the share hides both) and its denominator.
func (pl *planner) shares(e metrics.Entry) {
	p := pl.in.Policy
	for _, b := range pl.d.breakdowns[e.ID] {
		for _, ent := range pl.entities() {
			k := rowKey{e.ID, ent, b}
			r := pl.d.rows[k]
			if r == nil || !r.Numerator.Valid || !r.Denominator.Valid {
				continue
			}
			num, den := r.Numerator.Float64, r.Denominator.Float64
			primary := r.Suppressed || !p.ShareOK(num, den)
			pl.groups++
			w := 1.0
			if ent == metrics.NetworkPartner {
				w = 4
			}
			n := pl.add(cellKey{k, "num"}, disclosure.Cell{Value: num, Primary: primary, Group: pl.groups, Weight: w * max(num, 1)})
			rest := pl.add(cellKey{k, "rest"}, disclosure.Cell{Value: den - num, Primary: primary, Group: pl.groups, Weight: w * max(den-num, 1)})
			d := pl.add(cellKey{k, "den"}, disclosure.Cell{Value: den, Primary: !p.CountOK(den), Marked: true, Weight: w * den})
			_ = pl.t.Relate(disclosure.Relation{{Cell: d, Coef: 1}, {Cell: n, Coef: -1}, {Cell: rest, Coef: -1}})
		}
		for _, f := range []string{"num", "rest", "den"} {
			pl.relateNetwork(e.ID, b, f)
		}
	}
}

// totals adds the total column of a stacked count table: per entity, the
// sum over the series values.
func (pl *planner) totals(e metrics.Entry) {
	vals := keyValues(pl.d.breakdowns[e.ID], e.Chart, e.Chart.Series, []string{e.Chart.Series})
	if len(vals) == 0 {
		return
	}
	filter := pairs(normBreakdown(e.Chart.Filter))
	for _, ent := range pl.entities() {
		var parts []int
		sum := 0.0
		for _, v := range vals {
			p := clonePairs(filter)
			p[e.Chart.Series] = v
			if i, ok := pl.cells[cellKey{rowKey{e.ID, ent, joinPairs(p)}, "value"}]; ok {
				parts = append(parts, i)
				sum += pl.t.Cells[i].Value
			}
		}
		w := 2 * sum
		if ent == metrics.NetworkPartner {
			w = 8 * sum
		}
		tot := pl.add(cellKey{rowKey{e.ID, ent, totalBreakdown}, "value"},
			disclosure.Cell{Value: sum, Primary: !pl.in.Policy.CountOK(sum), Marked: true, Weight: w})
		_ = pl.t.Relate(disclosure.Sum(tot, parts...))
	}
	pl.relateNetwork(e.ID, totalBreakdown, "value")
}

func clonePairs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// parts adds the relations a catalogue entry declares between its counts
// and another metric's (see metrics.Parts).
func (pl *planner) parts(e metrics.Entry) {
	ps := e.Parts
	partBks := pl.d.breakdowns[ps.Metric]
	for _, ent := range pl.entities() {
		if ps.Key == "" {
			total, ok := pl.cells[cellKey{rowKey{e.ID, ent, normBreakdown(ps.Breakdown)}, "value"}]
			if !ok {
				continue
			}
			var parts []int
			for _, b := range partBks {
				if i, ok := pl.cells[cellKey{rowKey{ps.Metric, ent, b}, "value"}]; ok {
					parts = append(parts, i)
				}
			}
			_ = pl.t.Relate(disclosure.Sum(total, parts...))
			continue
		}
		classes := pl.in.Classes[ps.Classes]
		for _, b := range pl.d.breakdowns[e.ID] {
			own := pairs(b)
			class, ok := own[ps.Key]
			if !ok {
				continue
			}
			total, ok := pl.cells[cellKey{rowKey{e.ID, ent, b}, "value"}]
			if !ok {
				continue
			}
			delete(own, ps.Key)
			var parts []int
			for _, pb := range partBks {
				pp := pairs(pb)
				code, ok := pp[ps.PartKey]
				if !ok || !slices.Contains(classes[class], code) {
					continue
				}
				delete(pp, ps.PartKey)
				if joinPairs(pp) != joinPairs(own) {
					continue
				}
				if i, ok := pl.cells[cellKey{rowKey{ps.Metric, ent, pb}, "value"}]; ok {
					parts = append(parts, i)
				}
			}
			_ = pl.t.Relate(disclosure.Sum(total, parts...))
		}
	}
}

// result turns the protected table into the state of every row.
func (pl *planner) result(status []disclosure.Status) *plan {
	out := &plan{state: map[rowKey]state{}, totals: map[rowKey]float64{}, stats: map[string]*suppressionStats{}}
	count := func(metric string, s state) {
		st := out.stats[metric]
		if st == nil {
			st = &suppressionStats{}
			out.stats[metric] = st
		}
		switch s {
		case shown:
			st.Shown++
		case below:
			st.Below++
		case protecting:
			st.Protecting++
		case hidden:
			st.Hidden++
		}
	}
	// Counts: every cell, including structural zeros and totals.
	for k, i := range pl.cells {
		var s state
		unit := unitOf(pl.in, k.metric)
		switch {
		case unit == metrics.UnitCount && k.field == "value":
			switch status[i] {
			case disclosure.Published:
				s = shown
			case disclosure.BelowThreshold:
				s = below
			default:
				s = protecting
			}
		case (unit == metrics.UnitShare || unit == metrics.UnitEuro) && k.field == "num":
			// A share or an amount shows no "<5", only that it is withheld.
			s = shown
			if status[i].Withheld() {
				s = hidden
			}
		default:
			continue
		}
		out.state[k.rowKey] = s
		if k.breakdown == totalBreakdown {
			out.totals[k.rowKey] = pl.t.Cells[i].Value
		}
		count(k.metric, s)
	}
	// Rows without cells: shares without counts, durations, others.
	for k, r := range pl.d.rows {
		if _, done := out.state[k]; done {
			continue
		}
		s := shown
		switch {
		case r.Suppressed || !statisticOK(pl.in, r):
			s = hidden
		case !r.Value.Valid:
			s = nodata
		}
		out.state[k] = s
		if s != nodata {
			count(k.metric, s)
		}
	}
	return out
}

func unitOf(in *Input, metric string) string {
	e, _ := in.Catalogue.Entry(metric)
	return e.Unit
}

// statisticOK applies the primary rule again to rows that have no cell:
// a page never trusts a row's flag alone.
func statisticOK(in *Input, r *metrics.Row) bool {
	switch unitOf(in, r.Metric) {
	case metrics.UnitDays:
		return !r.Denominator.Valid || in.Policy.StatisticOK(r.Denominator.Float64)
	case metrics.UnitShare:
		return !r.Numerator.Valid || !r.Denominator.Valid || in.Policy.ShareOK(r.Numerator.Float64, r.Denominator.Float64)
	case metrics.UnitCount:
		return in.Policy.CountOK(r.Value.Float64)
	}
	return true
}

// figure returns what a page may show of a metric's value for a partner
// (or the network) and a normalised breakdown in this quarter.
func (d *quarterData) figure(metric, partner, breakdown string) figure {
	if partner != metrics.NetworkPartner && !d.present[partner] {
		return figure{st: nodata}
	}
	k := rowKey{metric, partner, breakdown}
	s, ok := d.plan.state[k]
	if !ok {
		return figure{st: nodata}
	}
	if s != shown {
		return figure{st: s}
	}
	if breakdown == totalBreakdown {
		return figure{v: d.plan.totals[k], st: shown}
	}
	r := d.rows[k]
	if r == nil {
		return figure{st: below} // a structural zero
	}
	return figure{v: r.Value.Float64, st: shown}
}
