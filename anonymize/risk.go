package anonymize

import (
	"fmt"
	"math"
)

// RiskReport says, for one release, how identifiable its records were
// before anonymisation and remain after it, and what the anonymisation
// cost. It is written as JSON next to the snapshot, summarised in the
// run's output, and printed by doorstroom risk.
type RiskReport struct {
	Release string `json:"release,omitempty"`
	Quarter string `json:"quarter,omitempty"`
	// The privacy model.
	K                int             `json:"k"`
	SuppressionLimit float64         `json:"suppression_limit"`
	Metric           string          `json:"metric"`
	GSFactor         float64         `json:"gs_factor"`
	Diversity        []DiversityRule `json:"l_diversity,omitempty"`
	ARXSuppression   bool            `json:"arx_suppression,omitempty"`
	// Aggregate is the aggregate function of the minimised metric, when one
	// is chosen (otherwise ARX's default for the metric).
	Aggregate string `json:"aggregate,omitempty"`
	// Weights are the quasi-identifiers' weights as the metrics use them
	// (divided by the largest), in the order of QuasiIdentifiers; only when
	// weights are given.
	Weights []float64 `json:"weights,omitempty"`
	// MinLevels and MaxLevels are the levels the search could choose
	// from, per quasi-identifier; only when they are restricted.
	MinLevels []int `json:"min_levels,omitempty"`
	MaxLevels []int `json:"max_levels,omitempty"`

	QuasiIdentifiers []string `json:"quasi_identifiers"`
	Sensitive        []string `json:"sensitive_attributes,omitempty"`
	// Levels is the chosen generalisation level per quasi-identifier
	// (0 = original, Heights-1 = *), in the order of QuasiIdentifiers.
	Levels  []int `json:"levels"`
	Heights []int `json:"heights"`
	// Feasible is false when no generalisation satisfies the model; every
	// record is then suppressed.
	Feasible   bool `json:"feasible"`
	Suppressed int  `json:"records_suppressed"`
	// Notes say in words what a reader of the numbers should know: that
	// nothing satisfied the model and everything is suppressed, or that
	// the weights could not change the outcome.
	Notes  []string     `json:"notes,omitempty"`
	Before RiskMeasures `json:"before"`
	After  RiskMeasures `json:"after"`
	Loss   LossReport   `json:"loss"`
	Search SearchStats  `json:"search"`
}

// SearchStats says how much of the lattice the search had to look at.
type SearchStats struct {
	// Nodes is the size of the generalisation lattice.
	Nodes int `json:"nodes"`
	// Checked is the number of nodes whose equivalence classes were
	// counted.
	Checked int `json:"nodes_checked"`
}

// RiskMeasures describe the equivalence classes of a table: records that
// share every quasi-identifier value. Under the prosecutor model an
// attacker who knows a person is in the table re-identifies them with
// probability 1/(size of their class). After anonymisation the suppressed
// records count as one class: their quasi-identifiers are all *.
type RiskMeasures struct {
	Records      int     `json:"records"`
	Classes      int     `json:"classes"`
	MinClassSize int     `json:"min_class_size"`
	AvgClassSize float64 `json:"avg_class_size"`
	// UniqueRecords are records alone in their class.
	UniqueRecords int `json:"unique_records"`
	// ProsecutorMax is the highest re-identification probability of any
	// record, ProsecutorAvg the mean over records.
	ProsecutorMax float64 `json:"prosecutor_risk_max"`
	ProsecutorAvg float64 `json:"prosecutor_risk_avg"`
	// AboveThreshold is the share of records whose risk exceeds 1/k.
	AboveThreshold float64 `json:"records_above_threshold"`
	// Diversity is the smallest l over the classes, per sensitive
	// attribute.
	Diversity []DiversityMeasure `json:"l_diversity,omitempty"`
}

// DiversityMeasure is the least diverse class's diversity of one sensitive
// attribute: its number of distinct known values and 2^entropy. Classes
// whose members all have the attribute unknown are left out; both are 0
// when no class has a known value.
type DiversityMeasure struct {
	Attribute string  `json:"attribute"`
	DistinctL int     `json:"distinct_l"`
	EntropyL  float64 `json:"entropy_l"`
}

// measure computes the risk measures of a table's classes.
func measure(sizes []int, k int) RiskMeasures {
	var m RiskMeasures
	above := 0
	for _, n := range sizes {
		if n == 0 {
			continue
		}
		m.Records += n
		m.Classes++
		if m.MinClassSize == 0 || n < m.MinClassSize {
			m.MinClassSize = n
		}
		if n == 1 {
			m.UniqueRecords++
		}
		if n < k {
			above += n
		}
	}
	if m.Records > 0 {
		m.AvgClassSize = float64(m.Records) / float64(m.Classes)
		m.ProsecutorMax = 1 / float64(m.MinClassSize)
		m.ProsecutorAvg = float64(m.Classes) / float64(m.Records)
		m.AboveThreshold = float64(above) / float64(m.Records)
	}
	return m
}

// report builds the risk report of the search's outcome; ev is nil when no
// node satisfies the model.
func (e *engine) report(ev *evaluation) *RiskReport {
	t := e.t
	r := &RiskReport{K: e.p.K, SuppressionLimit: e.p.Suppression, Metric: e.p.Metric, GSFactor: e.p.GSFactor,
		Diversity: e.p.Diversity, ARXSuppression: e.p.ARXSuppression,
		QuasiIdentifiers: t.QuasiIdentifiers(), Heights: e.lat.heights,
		Search: SearchStats{Nodes: e.lat.size, Checked: e.nChecked}}
	for _, c := range t.sens {
		r.Sensitive = append(r.Sensitive, c.name)
	}
	r.Aggregate = e.p.Aggregate
	if e.p.weighted() {
		r.Weights = e.w
		switch {
		case !weightedMetric(e.p.Metric):
			r.Notes = append(r.Notes, fmt.Sprintf("the weights play no part in the choice: %s does not weigh attributes", e.p.Metric))
		case !uniform(e.w) && e.p.aggregateOf(e.p.Metric) == AggregateGeometricMean:
			r.Notes = append(r.Notes, fmt.Sprintf("the weights play no part in the choice: under the geometric mean they only scale %s by a constant; choose the aggregate function %s or %s",
				e.p.Metric, AggregateArithmeticMean, AggregateSum))
		}
	}
	if e.p.restricted() {
		r.MinLevels, r.MaxLevels = e.lat.min, e.lat.max
	}

	// Before: the classes of the original values.
	bottom := e.g.bottom
	r.Before = measure(intSizes(bottom.count, nil), e.p.K)
	r.Before.Diversity = e.diversityMeasures(nil, bottom.len(), nil)

	if ev == nil {
		// Nothing satisfies the model: every record is suppressed.
		r.Levels = make([]int, len(t.qis))
		for q := range r.Levels {
			r.Levels[q] = e.lat.heights[q] - 1
		}
		r.Suppressed = t.rows
		r.After = measure([]int{t.rows}, e.p.K)
		within := "no generalisation"
		if e.p.restricted() {
			within = "no generalisation within the allowed levels"
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s satisfies the privacy model with at most %d records suppressed: all %d records are suppressed",
			within, e.budget, t.rows))
		// Every record suppressed: the classes of the all-* levels, which
		// a restricted lattice does not contain.
		top := e.g.rollUp(e.g.bottom, r.Levels, nil, math.MaxInt)
		all := make([]bool, top.len())
		for i := range all {
			all[i] = true
		}
		r.Loss = e.losses(&evaluation{levels: r.Levels, classes: top, outlier: all, suppressed: t.rows})
		r.Search.Checked = e.nChecked
		return r
	}
	r.Feasible = true
	r.Levels = ev.levels
	r.Suppressed = ev.suppressed
	sizes := intSizes(ev.classes.count, ev.outlier)
	if ev.suppressed > 0 {
		sizes = append(sizes, ev.suppressed)
	}
	r.After = measure(sizes, e.p.K)
	r.After.Diversity = e.diversityMeasures(ev.mapping, ev.classes.len(), ev.outlier)
	r.Loss = e.losses(ev)
	r.Search.Checked = e.nChecked
	return r
}

// intSizes lists class sizes, leaving out the classes marked in skip.
func intSizes(counts []int32, skip []bool) []int {
	out := make([]int, 0, len(counts))
	for c, n := range counts {
		if skip == nil || !skip[c] {
			out = append(out, int(n))
		}
	}
	return out
}

// diversityMeasures computes, per sensitive attribute, the least diverse
// published class; the classes marked suppressed count as one class. A nil
// mapping measures the bottom's own classes.
//
// The bottom's diversities are read from its histograms as they are kept
// (compressed rows), and a node's are summed in the dense tables the
// search's last evaluation left: a table of classes × values made for
// each attribute (up to 64 MB) was 6-8 % of a cold run's page faults.
func (e *engine) diversityMeasures(mapping []int32, n int, suppressed []bool) []DiversityMeasure {
	var out []DiversityMeasure
	var scratch []int32
	for _, s := range e.scratch {
		if cap(s) > cap(scratch) {
			scratch = s
		}
	}
	for a, c := range e.t.sens {
		per, union := e.hist[a].perClass, e.hist[a].union
		if mapping != nil {
			ch := e.hist[a].histograms(mapping, n, scratch)
			scratch = ch.dense
			per, union = ch.perClass, ch.union
		}
		m := DiversityMeasure{Attribute: c.name}
		first := true
		least := func(d diversity) {
			if d.distinct == 0 {
				return
			}
			l := d.l(DiversityEntropy)
			if first || d.distinct < m.DistinctL {
				m.DistinctL = d.distinct
			}
			if first || l < m.EntropyL {
				m.EntropyL = l
			}
			first = false
		}
		anySuppressed := false
		for i, d := range per() {
			if suppressed != nil && suppressed[i] {
				anySuppressed = true
				continue
			}
			least(d)
		}
		if anySuppressed {
			least(union(suppressed))
		}
		m.EntropyL = math.Round(m.EntropyL*1e6) / 1e6
		out = append(out, m)
	}
	return out
}
