package anonymize

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomUtility draws weights, an aggregate function and level limits for
// a table: weights of 0 to 3 (0 only where the aggregate allows it), and
// for some attributes a minimum or maximum level, or both.
func randomUtility(r *rand.Rand, tab *Table, agg string) Privacy {
	p := Privacy{Aggregate: agg, Weights: map[string]float64{}, MinLevels: map[string]int{}, MaxLevels: map[string]int{}}
	for _, c := range tab.qis {
		w := []float64{0, 0.5, 1, 2, 3}[r.IntN(5)]
		if w == 0 && agg == AggregateGeometricMean {
			w = 0.25
		}
		p.Weights[c.name] = w
		top := c.hier.Height() - 1
		switch r.IntN(4) {
		case 1:
			p.MaxLevels[c.name] = r.IntN(top + 1)
		case 2:
			p.MinLevels[c.name] = r.IntN(top + 1)
		case 3:
			lo := r.IntN(top + 1)
			p.MinLevels[c.name], p.MaxLevels[c.name] = lo, lo+r.IntN(top-lo+1)
		}
	}
	return p
}

// TestWeightedSearchMatchesBruteForce checks the pruned search against an
// evaluation of the whole lattice with random weights, every aggregate
// function and random level limits, for every metric: the restricted
// lattice, its pruning and the weighted lower bounds find the node the
// brute force finds among the allowed ones, or agree that none is
// feasible.
func TestWeightedSearchMatchesBruteForce(t *testing.T) {
	diversity := map[string][]DiversityRule{
		"none":     nil,
		"distinct": {{Attribute: "procedure", Measure: DiversityDistinct, L: 2}},
	}
	cases, infeasible := 0, 0
	for seed := uint64(1); seed <= 6; seed++ {
		tab := randomTable(t, 100+seed, 50+25*int(seed), 2+int(seed%3))
		r := rand.New(rand.NewPCG(seed, 11))
		for _, agg := range Aggregates {
			for _, metric := range Metrics {
				for _, k := range []int{2, 5} {
					for _, supp := range []float64{0, 0.1} {
						for divName, rules := range diversity {
							p := randomUtility(r, tab, agg)
							p.K, p.Suppression, p.Metric, p.GSFactor, p.Diversity = k, supp, metric, DefaultGSFactor, rules
							name := fmt.Sprintf("seed=%d/%s/%s/k=%d/s=%v/%s/w=%v/min=%v/max=%v", seed, agg, metric, k, supp, divName,
								p.Weights, p.MinLevels, p.MaxLevels)
							t.Run(name, func(t *testing.T) {
								if want, _ := bruteForce(t, tab, p); want == nil {
									infeasible++
								}
								checkAgainstBruteForce(t, tab, p)
							})
							cases++
						}
					}
				}
			}
		}
	}
	// Both outcomes must be exercised for the comparison to mean much.
	if cases == 0 || infeasible == 0 || infeasible == cases {
		t.Fatalf("%d cases, %d without a feasible node", cases, infeasible)
	}
}

// TestGeometricMeanIgnoresWeights: under ARX's weighted geometric mean
// the weights multiply the loss of every node by the same constant, so
// the optimum is the unweighted one; the report says the weights played
// no part.
func TestGeometricMeanIgnoresWeights(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		tab := randomTable(t, 200+seed, 120, 4)
		base := Privacy{K: 3, Suppression: 0.1, Metric: MetricLoss, GSFactor: DefaultGSFactor}
		plain, err := Analyze(context.Background(), tab, base)
		if err != nil {
			t.Fatal(err)
		}
		weighted := base
		weighted.Weights = map[string]float64{"age": 5, "tree": 0.5, "band": 1, "sex": 2}
		got, err := Analyze(context.Background(), tab, weighted)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Levels) != fmt.Sprint(plain.Levels) {
			t.Errorf("seed %d: weighted geometric mean chose %v, unweighted %v", seed, got.Levels, plain.Levels)
		}
		if !slices.ContainsFunc(got.Report.Notes, func(n string) bool { return strings.Contains(n, "geometric mean") }) {
			t.Errorf("seed %d: notes %q do not say the weights played no part", seed, got.Report.Notes)
		}
		// The arithmetic mean does weigh: a heavy attribute is kept at a
		// level no higher than without its weight.
		arith := weighted
		arith.Aggregate = AggregateArithmeticMean
		heavy := arith
		heavy.Weights = map[string]float64{"age": 100, "tree": 1, "band": 1, "sex": 1}
		a, _ := Analyze(context.Background(), tab, arith)
		h, _ := Analyze(context.Background(), tab, heavy)
		if h.Levels[0] > a.Levels[0] {
			t.Errorf("seed %d: age at level %d with weight 100, %d with weight 5", seed, h.Levels[0], a.Levels[0])
		}
	}
}

// TestWeightedMetricsWorkedExample weighs the worked example of
// docs/anonymisation.md: a weighs 1, sex 2, so the normalised weights are
// 0.5 and 1.
func TestWeightedMetricsWorkedExample(t *testing.T) {
	tab := smallTable(t)
	lossA, lossSex := 0.75, 0.5
	entropyA := 4 + math.Log2(3) + 2*math.Log2(1.5)
	cases := []struct {
		metric, agg string
		want        float64
	}{
		{MetricLoss, "", math.Sqrt((1+lossA)*0.5*(1+lossSex)*1) - 1},
		{MetricLoss, AggregateArithmeticMean, (lossA*0.5 + lossSex*1) / 2},
		{MetricLoss, AggregateSum, lossA*0.5 + lossSex},
		{MetricLoss, AggregateMaximum, math.Max(lossA*0.5, lossSex)},
		{MetricPrecision, "", (4.5/6*0.5 + 3.0/6) / 2},
		{MetricEntropy, "", entropyA * 0.5},
		{MetricEntropyMonotonic, "", 4 * 0.5},
		{MetricDiscernibility, "", 27},
		{MetricAECS, "", 3},
	}
	for _, c := range cases {
		t.Run(c.metric+"/"+c.agg, func(t *testing.T) {
			p := Privacy{K: 3, Suppression: 0.5, Metric: c.metric, Aggregate: c.agg, GSFactor: DefaultGSFactor,
				Weights: map[string]float64{"a": 1, "sex": 2}}
			e, err := newEngine(tab, p)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(e.w) != "[0.5 1]" {
				t.Fatalf("normalised weights %v, want [0.5 1]", e.w)
			}
			ev := e.evaluate(e.lat.index([]int{1, 0}), false)
			if got := e.value(c.metric, ev); math.Abs(got-c.want) > 1e-9 {
				t.Errorf("%s = %v, want %v", c.metric, got, c.want)
			}
			if b := e.classBound(c.metric, ev); b > e.value(c.metric, ev)+1e-12 {
				t.Errorf("bound %v above the value", b)
			}
			// The report gives the weighted value as the objective and
			// every metric as ARX computes it without weights.
			r := e.losses(ev)
			if math.Abs(r.Objective-c.want) > 1e-9 {
				t.Errorf("objective %v, want %v", r.Objective, c.want)
			}
			if math.Abs(r.Loss-(math.Sqrt((1+lossA)*(1+lossSex))-1)) > 1e-9 || math.Abs(r.Entropy-entropyA) > 1e-9 {
				t.Errorf("reported loss %v and entropy %v are weighted", r.Loss, r.Entropy)
			}
		})
	}
}

// TestLevelLimits checks the restricted lattice: its nodes are exactly the
// allowed level vectors, numbered in lexicographic order, and successors
// and predecessors stay inside it.
func TestLevelLimits(t *testing.T) {
	lat, err := newLattice([]int{3, 4, 2}, []int{1, 0, 0}, []int{2, 2, 0})
	if err != nil {
		t.Fatal(err)
	}
	if lat.size != 2*3*1 {
		t.Fatalf("size %d, want 6", lat.size)
	}
	var seen []string
	for n := range lat.size {
		levels := lat.levels(n, nil)
		if !lat.contains(levels) || lat.index(levels) != n {
			t.Fatalf("node %d: levels %v", n, levels)
		}
		seen = append(seen, fmt.Sprint(levels))
		for _, m := range lat.successors(n, nil) {
			if !lat.below(levels, lat.levels(m, nil)) || lat.height(m) != lat.height(n)+1 {
				t.Errorf("successor %v of %v", lat.levels(m, nil), levels)
			}
		}
		for _, m := range lat.predecessors(n, nil) {
			if !lat.below(lat.levels(m, nil), levels) || lat.height(m) != lat.height(n)-1 {
				t.Errorf("predecessor %v of %v", lat.levels(m, nil), levels)
			}
		}
	}
	want := "[[1 0 0] [1 1 0] [1 2 0] [2 0 0] [2 1 0] [2 2 0]]"
	if got := "[" + strings.Join(seen, " ") + "]"; got != want {
		t.Errorf("nodes %s, want %s", got, want)
	}
	if lat.successors(lat.top(), nil) != nil && len(lat.successors(lat.top(), nil)) != 0 {
		t.Errorf("the top has successors")
	}
	if len(lat.predecessors(0, nil)) != 0 {
		t.Errorf("the bottom has predecessors")
	}
}

// TestRestrictedInfeasible: when no node within the limits satisfies the
// model, every record is suppressed, even though coarser levels outside
// the limits would have been feasible, and the report says so.
func TestRestrictedInfeasible(t *testing.T) {
	tab := randomTable(t, 5, 80, 3)
	free := Privacy{K: 5, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor}
	res, err := Analyze(context.Background(), tab, free)
	if err != nil || !res.Feasible {
		t.Fatalf("unrestricted: feasible %v, err %v", res != nil && res.Feasible, err)
	}
	capped := free
	capped.MaxLevels = map[string]int{"age": 0, "tree": 0, "band": 0}
	res, err = Analyze(context.Background(), tab, capped)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if res.Feasible || r.Feasible || r.Suppressed != tab.rows {
		t.Fatalf("feasible %v, suppressed %d of %d", r.Feasible, r.Suppressed, tab.rows)
	}
	for i, s := range res.Suppressed {
		if !s {
			t.Fatalf("row %d is not suppressed", i)
		}
	}
	if fmt.Sprint(r.Levels) != fmt.Sprint([]int{4, 3, 2}) || fmt.Sprint(r.MaxLevels) != "[0 0 0]" {
		t.Errorf("levels %v (max %v): the published values are all *", r.Levels, r.MaxLevels)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "within the allowed levels") || !strings.Contains(r.Notes[0], "all 80 records are suppressed") {
		t.Errorf("notes %q", r.Notes)
	}
	if math.Abs(r.Loss.Loss-1) > 1e-9 || r.After.Classes != 1 {
		t.Errorf("loss %v, classes after %d: everything suppressed costs everything", r.Loss.Loss, r.After.Classes)
	}
}

// TestMinimumLevelsExcludeTheBottom: with minimum levels the original
// tuples are not a node; the search still counts from them and never
// returns a level below the minimum.
func TestMinimumLevelsExcludeTheBottom(t *testing.T) {
	tab := randomTable(t, 6, 100, 4)
	p := Privacy{K: 2, Suppression: 0.2, Metric: MetricLoss, GSFactor: DefaultGSFactor,
		MinLevels: map[string]int{"age": 2, "sex": 1}}
	res, err := Analyze(context.Background(), tab, p)
	if err != nil || !res.Feasible {
		t.Fatalf("feasible %v, err %v", res != nil && res.Feasible, err)
	}
	if res.Levels[0] < 2 || res.Levels[3] < 1 {
		t.Errorf("levels %v below the minimum", res.Levels)
	}
	if fmt.Sprint(res.Report.MinLevels) != "[2 0 0 1]" || fmt.Sprint(res.Report.MaxLevels) != "[4 3 2 1]" {
		t.Errorf("reported limits %v..%v", res.Report.MinLevels, res.Report.MaxLevels)
	}
}

// TestUtilitySettingsChecked: weights and levels must name
// quasi-identifiers and make sense; the error says which and why.
func TestUtilitySettingsChecked(t *testing.T) {
	tab := randomTable(t, 7, 30, 2) // age (5 levels), tree (4)
	base := Privacy{K: 2, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor}
	cases := []struct {
		name string
		edit func(p *Privacy)
		want string
	}{
		{"unknown attribute", func(p *Privacy) { p.Weights = map[string]float64{"postcode": 2} }, "weight of postcode: it is not a quasi-identifier"},
		{"negative weight", func(p *Privacy) { p.Weights = map[string]float64{"age": -1} }, "weight of age is -1"},
		{"NaN weight", func(p *Privacy) { p.Weights = map[string]float64{"age": math.NaN()} }, "weight of age is NaN"},
		{"zero weight, geometric mean", func(p *Privacy) { p.Weights = map[string]float64{"age": 0} }, "equally good"},
		{"level above the top", func(p *Privacy) { p.MaxLevels = map[string]int{"tree": 4} }, "maximum level of tree is 4: its hierarchy has levels 0 (the value) to 3"},
		{"negative level", func(p *Privacy) { p.MinLevels = map[string]int{"age": -1} }, "minimum level of age is -1"},
		{"minimum above maximum", func(p *Privacy) {
			p.MinLevels, p.MaxLevels = map[string]int{"age": 3}, map[string]int{"age": 2}
		}, "the minimum 3 is above the maximum 2"},
		{"unknown aggregate", func(p *Privacy) { p.Aggregate = "median" }, `aggregate function "median" is unknown`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			c.edit(&p)
			_, err := Analyze(context.Background(), tab, p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	// A zero weight is fine where it means "does not matter".
	p := base
	p.Weights, p.Aggregate = map[string]float64{"age": 0}, AggregateArithmeticMean
	if _, err := Analyze(context.Background(), tab, p); err != nil {
		t.Errorf("zero weight under the arithmetic mean: %v", err)
	}
}

// TestForFormat takes the atn format's weights, levels and aggregate
// function into the privacy model, by published name.
func TestForFormat(t *testing.T) {
	_, f := atnRelease(t, []map[string]any{atnRow(1, "gent")}, Privacy{K: 5, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor})
	p := Privacy{K: 5, Metric: MetricLoss, Weights: map[string]float64{"age": 9}}.ForFormat(f)
	if got := fmt.Sprint(p.Weights); got != "map[intake_month:4 outflow_month:4 partner:8]" {
		t.Errorf("weights %s", got)
	}
	if got := fmt.Sprint(p.MaxLevels); got != "map[intake_month:1 outflow_month:1]" || p.MinLevels != nil {
		t.Errorf("levels %v..%s", p.MinLevels, got)
	}
	if p.Aggregate != AggregateArithmeticMean || len(p.Diversity) != 2 || p.K != 5 {
		t.Errorf("aggregate %q, diversity %v, k %d", p.Aggregate, p.Diversity, p.K)
	}
}
