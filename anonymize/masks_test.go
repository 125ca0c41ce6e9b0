package anonymize

import (
	"fmt"
	"math/bits"
	"testing"
)

// TestMasksMatchHistograms: the diversity of every class, and of any
// union of classes, from value masks (of 32 or 64 bits, the field
// anywhere in them) rolled up along a chain of nodes is the distinct
// count of the histograms summed from the bottom, and the classes marked
// as failing a distinct rule are those whose histograms fail it.
func TestMasksMatchHistograms(t *testing.T) {
	tab := randomTable(t, 6, 400, 4)
	for _, attr := range []string{"outcome", "procedure"} {
		a := tab.sensitive(attr)
		g := newGrouper(tab, nil)
		bottom := &classTable{levels: g.bottom.levels, tuples: g.bottom.tuples, count: g.bottom.count}
		width := len(tab.sens[a].dict)
		hist := newSensHist(tab.sens[a], g.rowClass, g.bottom.len())
		e := &engine{g: g}
		for _, test := range []struct {
			levels []int
			at     uint // where the attribute's field starts
			bits   int  // of the mask: 32 bits when they fit, else 64
		}{{[]int{0, 1, 0, 1}, 0, width}, {[]int{1, 1, 1, 1}, 13, 32}, {[]int{2, 2, 1, 1}, 0, 16}, {[]int{2, 2, 1, 1}, 40, 64}, {[]int{3, 2, 1, 1}, 0, width}} {
			levels, at := test.levels, test.at
			cols := make([]*sensColumn, len(tab.sens))
			cols[a] = tab.sens[a]
			offsets := make([]uint, len(tab.sens))
			offsets[a] = at
			bottom.masks = bottomMasks(cols, offsets, test.bits, g.rowClass, g.bottom.len())
			t.Run(fmt.Sprint(attr, levels, test.bits), func(t *testing.T) {
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
					maskOutliers(cls.masks, at, width, r, outliers[i])
				}
				member := make([]bool, cls.len())
				other := make([]bool, again.len())
				for c := range again.len() {
					mc := byTuple[tupleKey(g, again, c, levels)]
					if got := bits.OnesCount64(cls.masks.at(mc) >> at); got != want[c].distinct {
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
				if u, w := maskUnion(cls.masks, at, width)(member), h.union(other); u.distinct != w.distinct {
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
