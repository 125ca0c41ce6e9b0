package anonymize

import (
	"fmt"
	"math"
	"testing"
)

// TestEarlyStopFinished: a finished slice stops the roll-up only when the
// finished slices together pass the budget and the node, at the rate its
// classes came, would be too large to keep as a source.
func TestEarlyStopFinished(t *testing.T) {
	cases := []struct {
		name            string
		slices          [][]int32 // counts of each finished slice's classes
		classes, done   int       // after the last slice
		want, wantHalts bool
	}{
		{"within the budget", [][]int32{{1, 1, 5}, {2, 9}}, 500, 100, false, false},
		{"past the budget, large", [][]int32{{1, 1, 5}, {2, 9}, {1, 2, 2, 1}}, 500, 100, true, true},
		{"past the budget, small enough to keep", [][]int32{{1, 1, 5}, {2, 9}, {1, 2, 2, 1}}, 10, 100, false, false},
		{"classes of k records are not suppressed", [][]int32{{3, 3, 3, 3}}, 500, 100, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// k 3, a budget of 8 records, kept up to 200 of 1,000 source
			// classes' classes.
			s := &earlyStop{k: 3, budget: 8, keep: 200, total: 1000}
			got := false
			for _, counts := range c.slices {
				got = s.finished(counts, c.classes, c.done)
			}
			if got != c.want || s.halted.Load() != c.wantHalts {
				t.Errorf("stop %v, halted %v; want %v, %v", got, s.halted.Load(), c.want, c.wantHalts)
			}
		})
	}
}

// TestEarlyStopVerdicts: a check's roll-up that stops early does so only
// for a node that fails the check, in one pass and split in two halves
// (whose second half may begin inside the first's last slice), and it
// does stop on these tables.
func TestEarlyStopVerdicts(t *testing.T) {
	defer func(old int) { parallelMin = old }(parallelMin)
	for _, split := range []bool{false, true} {
		for seed := uint64(1); seed <= 4; seed++ {
			t.Run(fmt.Sprintf("split=%v/seed=%d", split, seed), func(t *testing.T) {
				parallelMin = 1 << 30
				if split {
					parallelMin = 16
				}
				tab := randomTable(t, seed, 2000, 4)
				e, err := newEngine(tab, Privacy{K: 3, Suppression: 0.02, Metric: MetricLoss})
				if err != nil {
					t.Fatal(err)
				}
				g, stopped := e.g, 0
				for n := range e.lat.size {
					levels := e.lat.levels(n, nil)
					full := g.rollUp(g.bottom, levels, nil, math.MaxInt)
					supp := 0
					for _, c := range full.count {
						if int(c) < e.kMono {
							supp += int(c)
						}
					}
					g.stop = &earlyStop{k: int32(e.kMono), budget: int64(e.budget), keep: g.bottom.len() / sourceShare}
					cls := g.rollUp(g.bottom, levels, nil, math.MaxInt)
					g.stop = nil
					if cls == nil {
						stopped++
						if supp <= e.budget {
							t.Fatalf("%v: stopped early, but only %d records (budget %d) are in classes under %d", levels, supp, e.budget, e.kMono)
						}
					} else if cls.len() != full.len() {
						t.Fatalf("%v: %d classes, %d without the stop", levels, cls.len(), full.len())
					}
				}
				if stopped == 0 {
					t.Error("no roll-up stopped early")
				}
			})
		}
	}
}
