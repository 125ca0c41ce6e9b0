package dashboards

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

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
	// figures hold every row's and derived total's figure: its state,
	// and its value when shown. Pages look up tens of millions of them.
	figures map[rowKey]figure
	// stats count, per metric, the numbers of the quarter by state.
	stats map[string]*suppressionStats
	// warning, when set, says that the release's own suppression left a
	// number recoverable, so the pages withhold more than the snapshot.
	warning string
}

// suppressionStats counts a metric's numbers by what disclosure control
// decided, for the privacy page.
type suppressionStats struct {
	Shown, Below, Protecting, Hidden int
}

// cellKey names one number of the disclosure table: a field (value,
// numerator, denominator, rest) of a row.
type cellKey struct {
	rowKey
	field string
}

// planner builds the disclosure table of a quarter.
type planner struct {
	d     *quarterData
	in    *Input
	t     disclosure.Table
	cells map[cellKey]int
	rowOf map[rowKey]int // the group (1 + row index) of each row
	// published are the cells the snapshot publishes.
	published map[int]bool
}

// buildPlan decides what the quarter's pages show.
//
// The rows arrive with metrics.Publish's decision (primary and secondary
// suppression over the catalogue's identities), which the snapshot
// publishes too. The pages add numbers of their own, the total column of
// a stacked count table, and check the whole with disclosure.Protect:
// every row's numbers are cells, withheld together; the relations are the
// catalogue's equations (metrics.Equations: the identities, the partners'
// sum to the network) and the totals' sums. To protect, the pages' own
// numbers are withheld first; a number the snapshot publishes costs a
// thousand times more, so it is withheld only when the release's own
// suppression left a withheld number that can be worked out (a
// combination of equations), and the plan then carries a warning.
func buildPlan(d *quarterData, in *Input) (*plan, error) {
	pl := newPlanner(d, in)
	status, err := in.Policy.Protect(&pl.t)
	if err != nil {
		return nil, fmt.Errorf("dashboards: %s: %s", d.q, pl.explain(err))
	}
	out := pl.result(status)
	out.warning = pl.releaseLeak()
	return out, nil
}

// releaseLeak audits the snapshot's own decision, as a reader of the
// snapshot alone sees it (withheld rows are blanks, with no mark saying
// whether they are small), and names a withheld number that can be
// worked out, if any. The pages withhold more where their marks ("<5",
// "×") would tell more; a leak here is one of the release itself.
func (pl *planner) releaseLeak() string {
	t := disclosure.Table{Cells: slices.Clone(pl.t.Cells), Relations: pl.t.Relations}
	st := make([]disclosure.Status, len(t.Cells))
	for i := range t.Cells {
		t.Cells[i].Marked = false
		if t.Cells[i].Primary {
			st[i] = disclosure.BelowThreshold
		}
	}
	for k, i := range pl.cells {
		if k.breakdown == totalBreakdown {
			// The pages' own totals are not in the snapshot: unknowns.
			t.Cells[i].Incidental = true
			st[i] = disclosure.Protecting
		}
	}
	rec, err := pl.in.Policy.Recoverable(&t, st)
	if err != nil || len(rec) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: the snapshot's metrics let a withheld number be worked out (%s, among %d); the pages withhold more", pl.d.q, pl.describe(rec[0]), len(rec))
}

// describe names a cell of the disclosure table.
func (pl *planner) describe(cell int) string {
	for k, i := range pl.cells {
		if i == cell {
			return strings.TrimSpace(fmt.Sprintf("%s %s %s of %s", k.metric, k.breakdown, k.field, k.partner))
		}
	}
	return fmt.Sprint("cell ", cell)
}

// explain names the number an error of disclosure.Protect is about.
func (pl *planner) explain(err error) string {
	var u *disclosure.UnprotectableError
	if errors.As(err, &u) {
		return pl.describe(u.Cell) + " cannot be protected"
	}
	return err.Error()
}

func newPlanner(d *quarterData, in *Input) *planner {
	pl := &planner{d: d, in: in, cells: map[cellKey]int{}, rowOf: map[rowKey]int{}, published: map[int]bool{}}
	pl.rows()
	pl.equations()
	for _, e := range in.Catalogue.Metrics {
		if e.Unit == metrics.UnitCount && e.Chart.Kind == "stacked" && e.Chart.X == "partner" && e.Chart.Series != "" {
			pl.totals(e)
		}
	}
	return pl
}

func (pl *planner) entities() []string {
	var out []string
	for code := range pl.d.present {
		out = append(out, code)
	}
	slices.Sort(out)
	return append(out, metrics.NetworkPartner)
}

// withheld reports whether a row is not published: metrics.Publish
// suppressed it, or (checked again here) its own rule forbids it.
func (pl *planner) withheld(r *metrics.Row) bool {
	return r.Suppressed || pl.in.Catalogue.Sensitive(*r, pl.in.Policy) != nil
}

// rows adds a cell for every number of every row.
func (pl *planner) rows() {
	p := pl.in.Policy
	for i := range pl.d.list {
		r := &pl.d.list[i]
		e, _ := pl.in.Catalogue.Entry(r.Metric)
		k := rowKey{r.Metric, r.Partner, pl.d.norm[i]}
		pl.rowOf[k] = i + 1
		withheld := pl.withheld(r)
		sensitive := pl.in.Catalogue.Sensitive(*r, p)
		w := 1.0
		if r.Partner == metrics.NetworkPartner {
			w = 4 // the network's figures are the ones most read
		}
		add := func(field string, v float64, marked, real bool) int {
			// A zero is not protected: the rows a query does not return
			// (no exits of a class, no consent) already tell it, in the
			// snapshot as on the pages, as metrics.Publish also holds.
			// A number the snapshot publishes is worth withholding only
			// when nothing else protects: it costs a thousand times more.
			cost := w * math.Max(math.Abs(v), 1)
			if !withheld {
				cost *= 1000
			}
			c := disclosure.Cell{Value: v, Primary: withheld, Group: i + 1, Marked: marked, Real: real,
				Incidental: v == 0 || !slices.Contains(sensitive, field), Weight: cost}
			idx := pl.t.Add(c)
			pl.cells[cellKey{k, field}] = idx
			if !withheld {
				pl.published[idx] = true
			}
			return idx
		}
		count := e.Unit == metrics.UnitCount
		if r.Value.Valid {
			v := add("value", r.Value.Float64, count, !count)
			if count {
				pl.cells[cellKey{k, "numerator"}] = v // a count is its numerator
			}
		}
		if !count {
			for _, f := range []struct {
				name string
				v    float64
				ok   bool
			}{{"numerator", r.Numerator.Float64, r.Numerator.Valid}, {"denominator", r.Denominator.Float64, r.Denominator.Valid}} {
				if f.ok {
					add(f.name, f.v, false, f.v != math.Trunc(f.v))
				}
			}
		}
		if e.Rule() == metrics.RuleShare && r.Numerator.Valid && r.Denominator.Valid {
			// The rest of a share (denominator minus numerator) is no
			// more than 0: what a reader knows besides the relations.
			rest := add("rest", r.Denominator.Float64-r.Numerator.Float64, false, false)
			_ = pl.t.Relate(disclosure.Relation{{Cell: pl.cells[cellKey{k, "denominator"}], Coef: 1},
				{Cell: pl.cells[cellKey{k, "numerator"}], Coef: -1}, {Cell: rest, Coef: -1}})
		}
	}
}

// equations adds the catalogue's equations over the quarter's rows.
func (pl *planner) equations() {
	one := -1
	for _, eq := range pl.in.Catalogue.Equations(pl.d.list) {
		var rel disclosure.Relation
		ok := true
		for i, ri := range eq.Rows {
			r := pl.d.list[ri]
			c, found := pl.cells[cellKey{rowKey{r.Metric, r.Partner, pl.d.norm[ri]}, eq.Fields[i]}]
			if !found {
				ok = false // a number with no value (an estimate beyond follow-up)
				break
			}
			rel = append(rel, disclosure.Term{Cell: c, Coef: eq.Signs[i]})
		}
		if !ok || len(rel) < 2 && eq.Constant == 0 || rel[0].Cell == rel[len(rel)-1].Cell && len(rel) == 2 {
			continue
		}
		if eq.Constant != 0 {
			if one < 0 {
				one = pl.t.Add(disclosure.Cell{Value: 1, Real: true, Fixed: true})
			}
			rel = append(rel, disclosure.Term{Cell: one, Coef: eq.Constant})
		}
		// An equation that does not hold on these values (the run checks
		// them; a site built from other rows may not) is of no use to a
		// reader either.
		_ = pl.t.Relate(rel)
	}
}

// totals adds the total column of a stacked count table: per entity, the
// sum over the series values, and the network's total as the sum of the
// partners'. The pages alone publish it, so it is never fixed.
func (pl *planner) totals(e metrics.Entry) {
	vals := keyValues(pl.d.breakdowns[e.ID], e.Chart, e.Chart.Series, []string{e.Chart.Series})
	if len(vals) == 0 {
		return
	}
	filter := pairs(normBreakdown(e.Chart.Filter))
	var partTotals []int
	var net int
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
		// Counts of partners (reporting) are not about persons.
		small := !pl.in.Policy.CountOK(sum) && e.Rule() != metrics.RuleNone
		tot := pl.t.Add(disclosure.Cell{Value: sum, Primary: small, Marked: true, Incidental: !small || sum == 0, Weight: w})
		pl.cells[cellKey{rowKey{e.ID, ent, totalBreakdown}, "value"}] = tot
		_ = pl.t.Relate(disclosure.Sum(tot, parts...))
		if ent == metrics.NetworkPartner {
			net = tot
		} else {
			partTotals = append(partTotals, tot)
		}
	}
	_ = pl.t.Relate(disclosure.Sum(net, partTotals...))
}

// result turns the protected table into the state of every row.
func (pl *planner) result(status []disclosure.Status) *plan {
	out := &plan{figures: make(map[rowKey]figure, len(pl.d.list)), stats: map[string]*suppressionStats{}}
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
	th := float64(pl.in.Policy.Threshold)
	// A row is withheld when any of its cells is (they form one group).
	withheld := map[int]bool{}
	for k, i := range pl.cells {
		if k.breakdown != totalBreakdown && status[i].Withheld() {
			withheld[pl.rowOf[k.rowKey]] = true
		}
	}
	for i := range pl.d.list {
		r := &pl.d.list[i]
		k := rowKey{r.Metric, r.Partner, pl.d.norm[i]}
		e, _ := pl.in.Catalogue.Entry(r.Metric)
		s := shown
		switch {
		case withheld[i+1] || pl.withheld(r):
			s = hidden
			if e.Unit == metrics.UnitCount {
				s = protecting
				if r.Value.Float64 < th {
					s = below
				}
			}
		case !r.Value.Valid:
			s = nodata
		}
		f := figure{st: s}
		if s == shown {
			f.v = r.Value.Float64
		}
		out.figures[k] = f
		if s != nodata {
			count(r.Metric, s)
		}
	}
	for k, i := range pl.cells {
		if k.breakdown != totalBreakdown {
			continue
		}
		v := pl.t.Cells[i].Value
		s := shown
		if status[i].Withheld() {
			s = protecting
			if v < th {
				s = below
			}
		}
		f := figure{st: s}
		if s == shown {
			f.v = v
		}
		out.figures[k.rowKey] = f
		count(k.metric, s)
	}
	return out
}

func unitOf(in *Input, metric string) string {
	e, _ := in.Catalogue.Entry(metric)
	return e.Unit
}

// figure returns what a page may show of a metric's value for a partner
// (or the network) and a normalised breakdown in this quarter.
func (d *quarterData) figure(metric, partner, breakdown string) figure {
	if partner != metrics.NetworkPartner && !d.present[partner] {
		return figure{st: nodata}
	}
	f, ok := d.plan.figures[rowKey{metric, partner, breakdown}]
	if !ok {
		// No row: a count the SQL found none of (a structural zero,
		// below any threshold) when the breakdown exists, else nothing.
		if d.structuralZero(metric, breakdown) {
			return figure{st: below}
		}
		return figure{st: nodata}
	}
	return f
}

// structuralZero reports whether a missing row is a count of zero: the
// metric is a count and has rows with this breakdown for others.
func (d *quarterData) structuralZero(metric, breakdown string) bool {
	return d.countMetric[metric] && slices.Contains(d.breakdowns[metric], breakdown)
}
