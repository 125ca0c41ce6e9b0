package anonymize

import (
	"math"
	"strings"
	"testing"
)

// smallTable is the worked example of docs/anonymisation.md: six records,
// quasi-identifiers a (ARX hierarchy x1,x2 -> x; y1 -> y) and sex.
func smallTable(t *testing.T) *Table {
	t.Helper()
	h, err := ReadARXHierarchy(strings.NewReader("x1;x;*\nx2;x;*\ny1;y;*\n"), "a")
	if err != nil {
		t.Fatal(err)
	}
	tab := NewTable([]string{"a", "sex"}, []Hierarchy{h, mapHierarchy{}}, nil)
	for _, r := range [][]string{{"x1", "F"}, {"x1", "F"}, {"x2", "F"}, {"x2", "M"}, {"y1", "M"}, {"y1", "M"}} {
		tab.Append(r, nil)
	}
	if err := tab.prepare(); err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestMetricsWorkedExample checks every metric against values computed by
// hand from ARX's definitions. At a = level 1, sex = level 0 the classes
// are (x,F) 3 records, (x,M) 1 and (y,M) 2; with k = 3 the last two are
// suppressed (3 records).
func TestMetricsWorkedExample(t *testing.T) {
	tab := smallTable(t)
	e, err := newEngine(tab, Privacy{K: 3, Suppression: 0.5, Metric: MetricLoss, GSFactor: DefaultGSFactor})
	if err != nil {
		t.Fatal(err)
	}
	ev := e.evaluate(e.lat.index([]int{1, 0}), false)
	if ev.suppressed != 3 || !ev.feasible {
		t.Fatalf("suppressed %d feasible %v, want 3 true", ev.suppressed, ev.feasible)
	}
	got := e.losses(ev)
	// Loss: a's domain has 3 values, x covers 2/3 and y 1/3; the kept
	// records cost 3*2/3, the suppressed 3; normalised (5-2)/(6-2). sex:
	// (3*1/2+3-3)/(6-3). Geometric mean of 1+v, minus 1.
	lossA, lossSex := 0.75, 0.5
	cases := []struct {
		name      string
		got, want float64
	}{
		{"loss a", got.LossPerAttribute[0], lossA},
		{"loss sex", got.LossPerAttribute[1], lossSex},
		{"loss", got.Loss, math.Sqrt((1+lossA)*(1+lossSex)) - 1},
		// Precision: a is at 1 of 2 levels: (3*0.5 + 3*1)/6; sex (0+3)/6.
		{"precision", got.Precision, (4.5/6 + 3.0/6) / 2},
		// Discernibility: 3^2 for the kept class, 6 per suppressed record.
		{"discernibility", got.Discernibility, 9 + 6*3},
		// AECS: one kept class and the suppressed class.
		{"aecs", got.AECS, 3},
		// Entropy: a given x/y: x1 and x2 are 2 of the 4 x's each (1 bit
		// for each of those 4 records), y1 is all of y; the suppressed
		// records add their x (1 of 3) and y (2 of 3) given *. sex loses
		// nothing: the suppressed are all M.
		{"entropy", got.Entropy, 4 + math.Log2(3) + 2*math.Log2(1.5)},
		{"entropy monotonic", got.EntropyMonotonic, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if math.Abs(c.got-c.want) > 1e-9 {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		})
	}

	t.Run("lower bounds", func(t *testing.T) {
		for _, m := range Metrics {
			if b, v := e.classBound(m, ev), e.value(m, ev); b > v+1e-12 {
				t.Errorf("%s: bound %v above the value %v", m, b, v)
			}
		}
		// Loss without suppression: a (6*... = 10/3 - 2)/4, sex 0.
		if b := e.apriori(MetricLoss, ev.levels); math.Abs(b-(math.Sqrt(4.0/3)-1)) > 1e-9 {
			t.Errorf("loss bound %v", b)
		}
	})
}

// TestGSFactor checks ARX's split of the gs-factor into a generalisation
// and a suppression factor.
func TestGSFactor(t *testing.T) {
	for _, c := range []struct{ gs, g, s float64 }{{0, 1, 0}, {0.25, 1, 0.5}, {0.5, 1, 1}, {0.75, 0.5, 1}, {1, 0, 1}} {
		if g, s := factors(c.gs); g != c.g || s != c.s {
			t.Errorf("factors(%v) = %v, %v; want %v, %v", c.gs, g, s, c.g, c.s)
		}
	}
}

// TestNotATree refuses a hierarchy whose levels do not nest: the search's
// roll-ups and pruning would be wrong on it.
func TestNotATree(t *testing.T) {
	tab := NewTable([]string{"n"}, []Hierarchy{intervalHierarchy{widths: []int{2, 5}}}, nil)
	for _, v := range []string{"4", "5", "1"} {
		tab.Append([]string{v}, nil)
	}
	if err := tab.prepare(); err == nil || !strings.Contains(err.Error(), "not a tree") {
		t.Fatalf("err = %v, want a not-a-tree error", err)
	}
}
