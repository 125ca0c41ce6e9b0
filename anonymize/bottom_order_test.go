package anonymize

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

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

// TestGroupRowsSortedMatchesHashed: the bottom found by sorting the rows
// is the one the hash table and the reordering find: the same tuples,
// counts and order, and every row in the same class.
func TestGroupRowsSortedMatchesHashed(t *testing.T) {
	for _, tc := range []struct {
		name string
		tab  func() *Table
	}{
		{"random", func() *Table { return randomTable(t, 5, 2000, 4) }},
		{"adult", func() *Table {
			tab := adultTable(t, adultAll, nil)
			if err := tab.prepare(); err != nil {
				t.Fatal(err)
			}
			return tab
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := tc.tab()
			sorted := newGrouper(tab)
			if sorted.layout.words != 1 {
				t.Fatalf("%d words a tuple: the sorted path is not taken", sorted.layout.words)
			}
			hashed := newGrouper(tab)
			hashed.groupRowsHashed()
			if !slices.Equal(sorted.bottom.tuples, hashed.bottom.tuples) || !slices.Equal(sorted.bottom.count, hashed.bottom.count) {
				t.Fatalf("bottoms differ: %d and %d classes", sorted.bottom.len(), hashed.bottom.len())
			}
			if !slices.Equal(sorted.rowClass, hashed.rowClass) {
				t.Fatal("rows are in other classes")
			}
		})
	}
}

// TestRadixSort sorts keys with their lowest bits unused, against a
// stable comparison sort.
func TestRadixSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, low := range []uint{0, 20, 31, 60} {
		rows := make([]rankedRow, 5000)
		for i := range rows {
			rows[i] = rankedRow{key: rng.Uint64N(64) << low << rng.UintN(3) &^ (1<<low - 1), row: int32(i)}
		}
		want := slices.Clone(rows)
		slices.SortStableFunc(want, func(a, b rankedRow) int { return cmp.Compare(a.key, b.key) })
		if got := radixSort(rows, make([]rankedRow, len(rows)), low); !slices.Equal(got, want) {
			t.Errorf("low %d: not sorted stably", low)
		}
	}
}
