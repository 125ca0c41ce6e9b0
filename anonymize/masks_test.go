package anonymize

import (
	"fmt"
	"math/bits"
	"testing"
)

// TestMasksMatchHistograms: the diversity of every class, and of any
// union of classes, from value masks (of bytes or 64-bit words) rolled
// up along a chain of nodes is the distinct count of the histograms
// summed from the bottom, and the classes marked as failing a distinct
// rule are those whose histograms fail it.
func TestMasksMatchHistograms(t *testing.T) {
	tab := randomTable(t, 6, 400, 4)
	for _, attr := range []string{"outcome", "procedure"} {
		a := tab.sensitive(attr)
		g := newGrouper(tab)
		bottom := &classTable{levels: g.bottom.levels, tuples: g.bottom.tuples, count: g.bottom.count,
			masks: make([]*valueSets, len(tab.sens))}
		narrow := bottomMasks(tab.sens[a], g.rowClass, g.bottom.len())
		if narrow.narrow == nil {
			t.Fatalf("%s: %d values in 64-bit sets", attr, len(tab.sens[a].dict))
		}
		wide := &valueSets{wide: make([]uint64, g.bottom.len())}
		for c := range wide.wide {
			wide.wide[c] = narrow.at(c)
		}
		hist := newSensHist(tab.sens[a], g.rowClass, g.bottom.len())
		e := &engine{g: g}
		for _, test := range []struct {
			levels []int
			sets   *valueSets
		}{{[]int{0, 1, 0, 1}, narrow}, {[]int{1, 1, 1, 1}, wide}, {[]int{2, 2, 1, 1}, narrow}, {[]int{2, 2, 1, 1}, wide}, {[]int{3, 2, 1, 1}, narrow}} {
			levels := test.levels
			bottom.masks[a] = test.sets
			t.Run(fmt.Sprint(attr, levels, test.sets.wide != nil), func(t *testing.T) {
				// Masks from the bottom through an intermediate node.
				mid := make([]int, len(levels))
				for q := range levels {
					mid[q] = levels[q] / 2
				}
				to := make([]int32, bottom.len())
				m := g.rollUp(bottom, mid, to, 1<<30)
				e.addMasks(m, bottom, to)
				to = make([]int32, m.len())
				cls := g.rollUp(m, levels, to, 1<<30)
				e.addMasks(cls, m, to)
				// Histograms straight from the bottom, in the same
				// classes.
				mapping := make([]int32, bottom.len())
				again := g.rollUp(bottom, levels, mapping, 1<<30)
				if again.len() != cls.len() {
					t.Fatalf("%d classes via %v, %d from the bottom", cls.len(), mid, again.len())
				}
				byTuple := map[string]int{}
				for c := range cls.len() {
					byTuple[tupleKey(g, cls, c, levels)] = c
				}
				h := hist.histograms(mapping, again.len(), nil)
				want := h.perClass()
				rules := []DiversityRule{{Measure: DiversityDistinct, L: 2}, {Measure: DiversityDistinct, L: 2.5}}
				outliers := make([][]bool, len(rules))
				for i, r := range rules {
					outliers[i] = make([]bool, cls.len())
					maskOutliers(cls.masks[a], r, outliers[i])
				}
				member := make([]bool, cls.len())
				other := make([]bool, again.len())
				for c := range again.len() {
					mc := byTuple[tupleKey(g, again, c, levels)]
					if got := bits.OnesCount64(cls.masks[a].at(mc)); got != want[c].distinct {
						t.Fatalf("class %d: %d distinct values from masks, %d from histograms", c, got, want[c].distinct)
					}
					for i, r := range rules {
						if outliers[i][mc] == want[c].passes(r) {
							t.Fatalf("class %d, %v: outlier %v from masks, passes %v from histograms", c, r, outliers[i][mc], want[c].passes(r))
						}
					}
					if c%3 == 0 {
						member[mc], other[c] = true, true
					}
				}
				if u, w := maskUnion(cls.masks[a])(member), h.union(other); u.distinct != w.distinct {
					t.Errorf("union: %d distinct values from masks, %d from histograms", u.distinct, w.distinct)
				}
			})
		}
	}
}

// tupleKey is the generalised tuple of class c as text.
func tupleKey(g *grouper, cls *classTable, c int, levels []int) string {
	key := ""
	for q := range levels {
		key += fmt.Sprint(g.genCode(cls, c, q, levels[q]), ",")
	}
	return key
}
