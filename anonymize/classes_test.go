package anonymize

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRollUp compares the grouper's class counts with grouping the rows by
// their generalised values as text, for nodes reached from the bottom and
// from an intermediate node, on a table whose tuples fit in a 64-bit key
// and on one whose tuples do not (8 attributes of ~900 values each).
//
// With parallelMin lowered, the large roll-ups run split (direct arrays)
// or partitioned (hash tables) on two goroutines; with an order, the
// attributes are significant in it (significance.go) rather than their
// own.
func TestRollUp(t *testing.T) {
	defer func(old, target int) { parallelMin, partitionTarget = old, target }(parallelMin, partitionTarget)
	for _, c := range []struct {
		name   string
		nq, n  int
		values int
		split  bool
		order  []int
	}{{"exact keys", 3, 500, 40, false, nil}, {"hashed keys", 8, 600, 1000, false, nil},
		{"exact keys, split", 3, 500, 40, true, nil}, {"hashed keys, split", 8, 600, 1000, true, nil},
		{"exact keys, last attribute first", 3, 500, 40, false, []int{2, 0, 1}},
		{"exact keys, last attribute first, split", 3, 500, 40, true, []int{2, 0, 1}},
		{"hashed keys, shuffled order", 8, 600, 1000, false, []int{5, 2, 7, 0, 3, 6, 1, 4}}} {
		t.Run(c.name, func(t *testing.T) {
			parallelMin, partitionTarget = 1<<30, 4096
			if c.split {
				parallelMin, partitionTarget = 16, 32
			}
			r := rand.New(rand.NewPCG(11, 3))
			names := make([]string, c.nq)
			hiers := make([]Hierarchy, c.nq)
			for q := range hiers {
				names[q], hiers[q] = fmt.Sprint("q", q), intervalHierarchy{widths: []int{10, 100}}
			}
			tab := NewTable(names, hiers, nil)
			row := make([]string, c.nq)
			for range c.n {
				for q := range row {
					row[q] = strconv.Itoa(r.IntN(c.values))
				}
				tab.Append(row, nil)
			}
			if err := tab.prepare(); err != nil {
				t.Fatal(err)
			}
			g := newGrouper(tab, c.order)
			if _, exact := g.prepare(make([]int, c.nq)); exact != strings.HasPrefix(c.name, "exact keys") {
				t.Fatalf("exact keys = %v", exact)
			}
			// 300 rounds of three roll-ups: past the 255 direct
			// roll-ups after which the direct array's epoch wraps.
			for range 300 {
				mid, top := make([]int, c.nq), make([]int, c.nq)
				for q := range top {
					top[q] = r.IntN(4)
					mid[q] = r.IntN(top[q] + 1)
				}
				m := make([]int32, g.bottom.len())
				direct := g.rollUp(g.bottom, top, m, 1<<30)
				via := g.rollUp(g.rollUp(g.bottom, mid, nil, 1<<30), top, nil, 1<<30)
				want := textCounts(tab, top)
				for name, got := range map[string]*classTable{"from the bottom": direct, "via " + fmt.Sprint(mid): via} {
					if counts := sortedCounts(got.count); !slices.Equal(counts, want) {
						t.Fatalf("%v %s: counts %v, want %v", top, name, counts, want)
					}
				}
				if g.rollUp(g.bottom, top, nil, direct.len()-1) != nil || g.rollUp(g.bottom, top, nil, direct.len()) == nil {
					t.Fatalf("%v: the count does not give up just past its %d classes", top, direct.len())
				}
				// The mapping sends every row's tuple to its class.
				for i := range tab.rows {
					c := int(m[g.rowClass[i]])
					for q := range tab.qis {
						if tab.Value(q, top[q], i) != tab.qis[q].labels[top[q]][g.genCode(direct, c, q, top[q])] {
							t.Fatalf("row %d maps to class %d with other values", i, c)
						}
					}
				}
			}
		})
	}
}

func textCounts(tab *Table, levels []int) []int32 {
	counts := map[string]int32{}
	for i := range tab.rows {
		key := ""
		for q := range tab.qis {
			key += tab.Value(q, levels[q], i) + "\x00"
		}
		counts[key]++
	}
	var out []int32
	for _, c := range counts {
		out = append(out, c)
	}
	return sortedCounts(out)
}

func sortedCounts(c []int32) []int32 {
	out := slices.Clone(c)
	slices.Sort(out)
	return out
}

// TestRollUpLimit: a count gives up past its limit of classes.
func TestRollUpLimit(t *testing.T) {
	tab := randomTable(t, 1, 200, 2)
	g := newGrouper(tab, nil)
	all := g.rollUp(g.bottom, []int{0, 0}, nil, 1<<30)
	if g.rollUp(g.bottom, []int{0, 0}, nil, all.len()-1) != nil {
		t.Error("the count went past its limit")
	}
	if g.rollUp(g.bottom, []int{0, 0}, nil, all.len()) == nil {
		t.Error("the count gave up within its limit")
	}
}

// TestRollUpSplit: a direct roll-up split between two goroutines, or
// sliced (on the ordered bottom; levels that keep the first attributes
// make thousands of slices, past the 8-bit epoch's wrap), gives the
// classes of one unsliced pass exactly: the same codes, counts, order
// and mapping, and gives up at the same limit, leaving the direct arrays
// empty.
func TestRollUpSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	names := []string{"a", "b", "c"}
	hiers := []Hierarchy{intervalHierarchy{widths: []int{10, 100}}, intervalHierarchy{widths: []int{10, 100}}, intervalHierarchy{widths: []int{10, 100}}}
	tab := NewTable(names, hiers, nil)
	for range 5000 {
		tab.Append([]string{strconv.Itoa(r.IntN(300)), strconv.Itoa(r.IntN(300)), strconv.Itoa(r.IntN(50))}, nil)
	}
	if err := tab.prepare(); err != nil {
		t.Fatal(err)
	}
	g := newGrouper(tab, nil)
	defer func(old int) { parallelMin = old }(parallelMin)
	if !g.bottom.ordered {
		t.Fatal("the bottom is not in hierarchy order")
	}
	unordered := *g.bottom
	unordered.ordered = false
	for _, levels := range [][]int{{1, 1, 1}, {1, 2, 0}, {1, 0, 2}, {2, 2, 2}, {3, 1, 0}, {0, 1, 1}, {0, 0, 1}, {0, 2, 0}} {
		t.Run(fmt.Sprint(levels), func(t *testing.T) {
			parallelMin = 1 << 62
			m1 := make([]int32, g.bottom.len())
			one := g.rollUp(&unordered, levels, m1, 1<<30)
			for _, split := range []int{1 << 62, 16} {
				parallelMin = split
				m2 := make([]int32, g.bottom.len())
				sliced := g.rollUp(g.bottom, levels, m2, 1<<30)
				if one == nil || sliced == nil {
					t.Fatal("a roll-up gave up without a limit")
				}
				if !slices.Equal(one.tuples, sliced.tuples) || !slices.Equal(one.count, sliced.count) || !slices.Equal(m1, m2) {
					t.Fatalf("sliced roll-up (split from %d) differs: %d classes, one pass %d", split, sliced.len(), one.len())
				}
				if !sliced.ordered {
					t.Error("a direct roll-up's classes are not in hierarchy order")
				}
			}
			if g.rollUp(g.bottom, levels, nil, one.len()-1) != nil {
				t.Error("the split count went past its limit")
			}
			if g.rollUp(g.bottom, levels, nil, one.len()) == nil {
				t.Error("the split count gave up within its limit")
			}
			// A count that gave up leaves nothing behind for the next.
			if again := g.rollUp(g.bottom, levels, nil, 1<<30); !slices.Equal(again.count, one.count) {
				t.Error("a roll-up after one that gave up differs")
			}
		})
	}
}
