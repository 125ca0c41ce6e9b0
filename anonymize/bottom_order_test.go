package anonymize

import "testing"

// TestSortBottom: after the reordering every row still points at the
// bottom class holding its values, the counts add up to the rows, and the
// classes run in the hierarchies' depth-first order, so that at every
// level of every attribute equal generalised values are consecutive
// within the attributes before it.
func TestSortBottom(t *testing.T) {
	tab := randomTable(t, 3, 500, 4)
	g := newGrouper(tab)
	b := g.bottom
	total := int32(0)
	for _, c := range b.count {
		total += c
	}
	if int(total) != tab.rows {
		t.Fatalf("counts add up to %d, %d rows", total, tab.rows)
	}
	for i, c := range g.rowClass {
		for q, col := range tab.qis {
			if g.layout.code(b.tuples, int(c), q) != col.codes[i] {
				t.Fatalf("row %d points at class %d with other values", i, c)
			}
		}
	}
	ranks := make([][]uint64, g.nq)
	for q, col := range tab.qis {
		ranks[q] = hierarchyRank(col)
		// Values sharing a generalisation at any level are consecutive in
		// rank order.
		order := make([]int32, len(col.dict))
		for code, r := range ranks[q] {
			order[r] = int32(code)
		}
		for l := range col.gen {
			seen := map[int32]bool{}
			for i, code := range order {
				v := col.gen[l][code]
				if seen[v] && col.gen[l][order[i-1]] != v {
					t.Fatalf("%s level %d: value %d is split in rank order", col.name, l, v)
				}
				seen[v] = true
			}
		}
	}
	for c := 1; c < b.len(); c++ {
		cmp := 0
		for q := range g.nq {
			if x, y := ranks[q][g.layout.code(b.tuples, c-1, q)], ranks[q][g.layout.code(b.tuples, c, q)]; x != y {
				if x > y {
					cmp = 1
				} else {
					cmp = -1
				}
				break
			}
		}
		if cmp >= 0 {
			t.Fatalf("classes %d and %d are not in increasing rank order", c-1, c)
		}
	}
}
