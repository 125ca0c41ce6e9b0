package anonymize

import (
	"context"
	"math"
	"strconv"
	"testing"
)

func TestDiversityOf(t *testing.T) {
	cases := []struct {
		name     string
		counts   []int32
		distinct int
		entropy  float64
	}{
		{"empty", nil, 0, 0},
		{"one value", []int32{0, 4, 0}, 1, 0},
		{"two equal", []int32{3, 3}, 2, 1},
		{"four equal", []int32{1, 1, 1, 1}, 4, 2},
		{"skewed", []int32{3, 1}, 2, -(0.75*math.Log2(0.75) + 0.25*math.Log2(0.25))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := diversityOf(c.counts)
			if d.distinct != c.distinct || math.Abs(d.entropy-c.entropy) > 1e-12 {
				t.Errorf("got %d, %v; want %d, %v", d.distinct, d.entropy, c.distinct, c.entropy)
			}
		})
	}
}

func TestDiversityPasses(t *testing.T) {
	distinct2 := DiversityRule{Measure: DiversityDistinct, L: 2}
	entropy2 := DiversityRule{Measure: DiversityEntropy, L: 2}
	cases := []struct {
		name   string
		counts []int32
		rule   DiversityRule
		want   bool
	}{
		{"all unknown passes", nil, distinct2, true},
		{"one value fails distinct", []int32{5}, distinct2, false},
		{"two values pass distinct", []int32{4, 1}, distinct2, true},
		{"skewed two values fail entropy", []int32{4, 1}, entropy2, false},
		{"even two values pass entropy", []int32{2, 2}, entropy2, true},
		{"three skewed values pass entropy 2", []int32{3, 2, 2}, entropy2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := diversityOf(c.counts).passes(c.rule); got != c.want {
				t.Errorf("passes = %v, want %v", got, c.want)
			}
		})
	}
}

// TestDiversityInSearch checks that every class a search publishes, and
// the class of suppressed records, is l-diverse, and that the table's
// report says so.
func TestDiversityInSearch(t *testing.T) {
	for _, measure := range []string{DiversityDistinct, DiversityEntropy} {
		t.Run(measure, func(t *testing.T) {
			tab := randomTable(t, 4, 300, 3)
			rule := DiversityRule{Attribute: "procedure", Measure: measure, L: 2}
			if measure == DiversityEntropy {
				rule.L = 1.5
			}
			p := Privacy{K: 3, Suppression: 0.1, Metric: MetricLoss, GSFactor: DefaultGSFactor, Diversity: []DiversityRule{rule}}
			res, err := Analyze(context.Background(), tab, p)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Feasible {
				t.Fatal("no solution")
			}
			groups := map[string][]int{}
			for i := range tab.rows {
				key := "*"
				if !res.Suppressed[i] {
					key = ""
					for q := range tab.qis {
						key += tab.Value(q, res.Levels[q], i) + "\x00"
					}
				}
				groups[key] = append(groups[key], i)
			}
			minL := math.Inf(1)
			for key, rows := range groups {
				d := textDiversity(tab, "procedure", rows)
				if !d.passes(rule) || len(rows) < p.K {
					t.Errorf("class %q (%d records) is not %s-%v-diverse: %+v", key, len(rows), measure, rule.L, d)
				}
				minL = math.Min(minL, float64(d.distinct))
			}
			var reported *DiversityMeasure
			for i, m := range res.Report.After.Diversity {
				if m.Attribute == "procedure" {
					reported = &res.Report.After.Diversity[i]
				}
			}
			if reported == nil || float64(reported.DistinctL) != minL {
				t.Errorf("report says %+v, the classes' least distinct l is %v", reported, minL)
			}
		})
	}
}

// TestDiversityBefore holds the report's diversity of the original
// classes (read from the bottom's histograms as they are kept) to the
// diversity of the records grouped by their original values: eight
// classes of 50 records, in which outcome takes three values and
// procedure two, skewed by class (one record of class 0 has neither).
func TestDiversityBefore(t *testing.T) {
	tab := NewTable([]string{"band"}, []Hierarchy{bandsHierarchy{levels: [][]int{{0, 2, 5}}}}, []string{"outcome", "procedure"})
	for i := range 400 {
		class, j := i%8, i/8
		outcome := []string{"x", "y", "z"}[j%3]
		procedure := []string{"p", "q"}[min(j%(class+2), 1)]
		if i == 0 {
			outcome, procedure = "", ""
		}
		tab.Append([]string{strconv.Itoa(class)}, []string{outcome, procedure})
	}
	if err := tab.prepare(); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(context.Background(), tab, Privacy{K: 2, Suppression: 0.1, Metric: MetricLoss, GSFactor: DefaultGSFactor})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Before.Diversity) != 2 {
		t.Fatalf("%d attributes measured, want 2", len(res.Report.Before.Diversity))
	}
	for _, m := range res.Report.Before.Diversity {
		t.Run(m.Attribute, func(t *testing.T) {
			distinct, entropyL := math.MaxInt, math.Inf(1)
			for class := range 8 {
				var rows []int
				for i := class; i < 400; i += 8 {
					rows = append(rows, i)
				}
				d := textDiversity(tab, m.Attribute, rows)
				distinct, entropyL = min(distinct, d.distinct), math.Min(entropyL, d.l(DiversityEntropy))
			}
			if m.DistinctL != distinct || math.Abs(m.EntropyL-entropyL) > 1e-6 {
				t.Errorf("report says distinct %d entropy %v, the original classes' least are %d and %v",
					m.DistinctL, m.EntropyL, distinct, entropyL)
			}
		})
	}
}

// TestDiversityUnreachable: when even the whole table is not diverse,
// there is no solution and every record is suppressed.
func TestDiversityUnreachable(t *testing.T) {
	tab := randomTable(t, 5, 50, 2)
	p := Privacy{K: 2, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor,
		Diversity: []DiversityRule{{Attribute: "procedure", Measure: DiversityDistinct, L: 5}}}
	res, err := Analyze(context.Background(), tab, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Feasible || res.Report.Feasible || res.Report.Suppressed != tab.rows {
		t.Fatalf("feasible %v, suppressed %d of %d", res.Feasible, res.Report.Suppressed, tab.rows)
	}
	for i, s := range res.Suppressed {
		if !s {
			t.Fatalf("row %d is not suppressed", i)
		}
	}
}

// TestSensHist: the histogram of every bottom class lists each known value
// of its rows once, in increasing order, with its count.
func TestSensHist(t *testing.T) {
	tab := randomTable(t, 8, 400, 3)
	g := newGrouper(tab, nil)
	for a, c := range tab.sens {
		want := map[[2]int32]int32{}
		for i, v := range c.codes {
			if v >= 0 {
				want[[2]int32{g.rowClass[i], v}]++
			}
		}
		h := newSensHist(c, g.rowClass, g.bottom.len())
		entries := 0
		for b := range g.bottom.len() {
			for j := h.start[b]; j < h.start[b+1]; j++ {
				if j > h.start[b] && h.vals[j] <= h.vals[j-1] {
					t.Fatalf("%s class %d: values out of order", c.name, b)
				}
				if got := h.cnts[j]; got != want[[2]int32{int32(b), h.vals[j]}] {
					t.Fatalf("%s class %d value %d: count %d, want %d", c.name, b, h.vals[j], got, want[[2]int32{int32(b), h.vals[j]}])
				}
				entries++
			}
		}
		if entries != len(want) {
			t.Errorf("attribute %d: %d entries, want %d", a, entries, len(want))
		}
	}
}
