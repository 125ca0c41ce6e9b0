package anonymize

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// arxTree is a small ARX-layout hierarchy for the random tables.
const arxTree = `a;ab;abcd;*
b;ab;abcd;*
c;cd;abcd;*
d;cd;abcd;*
e;ef;ef;*
f;ef;ef;*
`

// randomTable makes a table of n records with skewed values, so that some
// classes are small: up to four quasi-identifiers of different hierarchy
// kinds and two sensitive attributes, one with unknown values.
func randomTable(t *testing.T, seed uint64, n, nq int) *Table {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	tree, err := ReadARXHierarchy(strings.NewReader(arxTree), "tree")
	if err != nil {
		t.Fatal(err)
	}
	all := []struct {
		name string
		h    Hierarchy
		gen  func() string
	}{
		{"age", intervalHierarchy{widths: []int{2, 6, 12}}, func() string { return strconv.Itoa(int(r.ExpFloat64() * 6)) }},
		{"tree", tree, func() string { return string("aabbbccdef"[r.IntN(10)]) }},
		{"band", bandsHierarchy{levels: [][]int{{0, 2, 5}}}, func() string { return strconv.Itoa(r.IntN(8)) }},
		{"sex", mapHierarchy{}, func() string { return []string{"F", "M", "M", ""}[r.IntN(4)] }},
	}
	var names []string
	var hiers []Hierarchy
	for _, a := range all[:nq] {
		names, hiers = append(names, a.name), append(hiers, a.h)
	}
	tab := NewTable(names, hiers, []string{"outcome", "procedure"})
	for range n {
		qi := make([]string, nq)
		for q := range nq {
			qi[q] = all[q].gen()
		}
		outcome := []string{"x", "x", "x", "y", "z", ""}[r.IntN(6)]
		procedure := []string{"p", "p", "q", "s"}[r.IntN(4)]
		tab.Append(qi, []string{outcome, procedure})
	}
	if err := tab.prepare(); err != nil {
		t.Fatal(err)
	}
	return tab
}

// bruteForce evaluates every node of the whole, unrestricted lattice from
// the rows, without the grouper's roll-ups or the search's pruning, keeps
// the nodes within the model's level limits, and returns the best one's
// levels under the same order of solutions (nil when none is feasible).
func bruteForce(t *testing.T, tab *Table, p Privacy) ([]int, float64) {
	t.Helper()
	whole := p
	whole.MinLevels, whole.MaxLevels = nil, nil
	e, err := newEngine(tab, whole)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := p.levelLimits(tab)
	best, bestLoss := -1, 0.0
	for n := range e.lat.size {
		if !withinLimits(e.lat.levels(n, nil), lo, hi) {
			continue
		}
		ev := bruteEvaluate(e, n)
		if !ev.feasible {
			continue
		}
		v := e.value(p.Metric, ev)
		if best < 0 || better(v, e.lat.height(n), n, bestLoss, e.lat.height(best), best) {
			best, bestLoss = n, v
		}
	}
	if best < 0 {
		return nil, 0
	}
	return e.lat.levels(best, nil), bestLoss
}

func withinLimits(levels, lo, hi []int) bool {
	for q, l := range levels {
		if l < lo[q] || l > hi[q] {
			return false
		}
	}
	return true
}

// bruteEvaluate groups the rows of node n by their generalised values as
// text and applies the privacy model to the groups.
func bruteEvaluate(e *engine, n int) *evaluation {
	tab := e.t
	levels := e.lat.levels(n, nil)
	index := map[string]int{}
	var members [][]int
	for i := range tab.rows {
		var key strings.Builder
		for q := range tab.qis {
			key.WriteString(tab.Value(q, levels[q], i))
			key.WriteByte(0)
		}
		c, ok := index[key.String()]
		if !ok {
			c = len(members)
			index[key.String()] = c
			members = append(members, nil)
		}
		members[c] = append(members[c], i)
	}
	ev := &evaluation{node: n, levels: levels, classes: &classTable{levels: levels}}
	for _, rows := range members {
		codes := make([]int32, len(tab.qis))
		for q, c := range tab.qis {
			codes[q] = c.codes[rows[0]]
		}
		ev.classes.tuples = e.g.layout.pack(ev.classes.tuples, codes)
		ev.classes.count = append(ev.classes.count, int32(len(rows)))
		out := len(rows) < e.p.K
		for _, r := range e.p.Diversity {
			if !textDiversity(tab, r.Attribute, rows).passes(r) {
				out = true
			}
		}
		ev.outlier = append(ev.outlier, out)
	}
	var suppressed []int
	for c, out := range ev.outlier {
		if out {
			suppressed = append(suppressed, members[c]...)
		}
	}
	ev.suppressed = len(suppressed)
	ev.feasible = ev.suppressed <= e.p.maxSuppressed(tab.rows)
	if ev.feasible && !e.p.ARXSuppression && ev.suppressed > 0 {
		ev.feasible = ev.suppressed >= e.p.K
		for _, r := range e.p.Diversity {
			if !textDiversity(tab, r.Attribute, suppressed).passes(r) {
				ev.feasible = false
			}
		}
	}
	return ev
}

// textDiversity counts a sensitive attribute's known values among rows.
func textDiversity(tab *Table, attr string, rows []int) diversity {
	c := tab.sens[tab.sensitive(attr)]
	counts := map[string]int32{}
	for _, i := range rows {
		if code := c.codes[i]; code >= 0 {
			counts[c.dict[code]]++
		}
	}
	hist := make([]int32, 0, len(counts))
	for _, f := range counts {
		hist = append(hist, f)
	}
	return diversityOf(hist)
}

// TestSearchMatchesBruteForce checks on small random tables that the
// pruned search finds the node a search of the whole lattice finds, for
// every metric, several k, suppression limits, diversity rules and both
// conventions for suppressed records.
func TestSearchMatchesBruteForce(t *testing.T) {
	diversity := map[string][]DiversityRule{
		"none":     nil,
		"distinct": {{Attribute: "procedure", Measure: DiversityDistinct, L: 2}},
		"entropy":  {{Attribute: "outcome", Measure: DiversityEntropy, L: 1.8}, {Attribute: "procedure", Measure: DiversityDistinct, L: 2}},
	}
	cases := 0
	for seed := uint64(1); seed <= 3; seed++ {
		tab := randomTable(t, seed, 60+40*int(seed), 2+int(seed%3))
		for _, k := range []int{2, 3, 5} {
			for _, supp := range []float64{0, 0.05, 0.2} {
				for _, metric := range Metrics {
					for divName, rules := range diversity {
						for _, arx := range []bool{false, true} {
							p := Privacy{K: k, Suppression: supp, Metric: metric, GSFactor: DefaultGSFactor, Diversity: rules, ARXSuppression: arx}
							name := fmt.Sprintf("seed=%d/k=%d/s=%v/%s/%s/arx=%v", seed, k, supp, metric, divName, arx)
							t.Run(name, func(t *testing.T) {
								checkAgainstBruteForce(t, tab, p)
							})
							cases++
						}
					}
				}
			}
		}
	}
	if cases == 0 {
		t.Fatal("no cases")
	}
}

// TestSearchGSFactors covers the gs-factor's other weightings.
func TestSearchGSFactors(t *testing.T) {
	tab := randomTable(t, 9, 150, 4)
	for _, gs := range []float64{0, 0.25, 0.75, 1} {
		for _, metric := range Metrics {
			p := Privacy{K: 3, Suppression: 0.1, Metric: metric, GSFactor: gs}
			t.Run(fmt.Sprintf("gs=%v/%s", gs, metric), func(t *testing.T) { checkAgainstBruteForce(t, tab, p) })
		}
	}
}

func checkAgainstBruteForce(t *testing.T, tab *Table, p Privacy) {
	t.Helper()
	want, wantLoss := bruteForce(t, tab, p)
	res, err := Analyze(context.Background(), tab, p)
	if err != nil {
		t.Fatal(err)
	}
	if want == nil {
		if res.Feasible {
			t.Fatalf("search found %v; brute force finds no feasible node", res.Levels)
		}
		return
	}
	if !res.Feasible {
		t.Fatalf("search found nothing; brute force finds %v (loss %v)", want, wantLoss)
	}
	whole := p
	whole.MinLevels, whole.MaxLevels = nil, nil
	e, _ := newEngine(tab, whole)
	if fmt.Sprint(res.Levels) != fmt.Sprint(want) {
		got := e.value(p.Metric, bruteEvaluate(e, e.lat.index(res.Levels)))
		t.Fatalf("search chose %v (loss %v), brute force %v (loss %v)", res.Levels, got, want, wantLoss)
	}
	// The release suppresses exactly the brute force's records, within
	// the budget, and reports the same loss.
	ev := bruteEvaluate(e, e.lat.index(want))
	n := 0
	for _, s := range res.Suppressed {
		if s {
			n++
		}
	}
	if n != ev.suppressed || n != res.Report.Suppressed || n > p.maxSuppressed(tab.rows) {
		t.Errorf("suppressed %d rows (report %d), brute force %d, budget %d", n, res.Report.Suppressed, ev.suppressed, p.maxSuppressed(tab.rows))
	}
	if got := res.Report.Loss.Objective; !approx(got, wantLoss) {
		t.Errorf("reported objective %v, brute force %v", got, wantLoss)
	}
	// Without weights and a chosen aggregate function the objective is the
	// metric as reported.
	if !p.weighted() && p.Aggregate == "" {
		if got := reported(res.Report.Loss, p.Metric); got != res.Report.Loss.Objective {
			t.Errorf("reported %s %v, objective %v", p.Metric, got, res.Report.Loss.Objective)
		}
	}
}

// reported picks a metric out of a loss report.
func reported(r LossReport, metric string) float64 {
	return map[string]float64{MetricLoss: r.Loss, MetricPrecision: r.Precision, MetricDiscernibility: r.Discernibility,
		MetricAECS: r.AECS, MetricEntropy: r.Entropy, MetricEntropyMonotonic: r.EntropyMonotonic}[metric]
}

func approx(a, b float64) bool { return a == b || !worse(a, b) && !worse(b, a) }

// TestPathUp: the path a check settles raises the attribute least
// generalised relative to its levels, of equals the one whose node has
// the lower bound, and stops below the nodes whose bound is worse than
// the best loss found, which need no check; before a solution is found it
// runs to the top.
func TestPathUp(t *testing.T) {
	lat, err := newLattice([]int{3, 3}, []int{0, 0}, []int{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		weight [2]float64 // a node's bound: the weighted sum of its levels
		best   float64    // the best loss found; 0: none yet
		want   []int      // nodes, l0*3+l1
	}{
		{"no solution yet", [2]float64{1, 1}, 0, []int{0, 3, 4, 7, 8}},
		{"best loss 2", [2]float64{1, 1}, 2, []int{0, 3, 4}},
		{"the lower bound first", [2]float64{2, 1}, 0, []int{0, 1, 4, 5, 8}},
		{"the lower bound first, best loss 4", [2]float64{2, 1}, 4, []int{0, 1, 4, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &searcher{e: &engine{lat: lat}, status: make([]uint8, lat.size), bound: make([]float64, lat.size), bestLoss: math.Inf(1)}
			for n := range lat.size {
				s.bound[n] = c.weight[0]*float64(lat.level(n, 0)) + c.weight[1]*float64(lat.level(n, 1))
			}
			if c.best > 0 {
				s.best, s.bestLoss = &evaluation{}, c.best
			}
			if got := s.pathUp(0, nil); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("path %v, want %v", got, c.want)
			}
		})
	}
}
