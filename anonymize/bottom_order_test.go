package anonymize

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortBottom: after the reordering every row still points at the
// bottom class holding its values, the counts add up to the rows, and the
// classes run in the hierarchies' depth-first order, so that at every
// level of every attribute equal generalised values are consecutive
// within the attributes before it in the grouper's order of
// significance, sorted or hashed.
func TestSortBottom(t *testing.T) {
	for _, order := range [][]int{nil, {2, 0, 3, 1}, {3, 2, 1, 0}} {
		for _, hashed := range []bool{false, true} {
			t.Run(fmt.Sprintf("order=%v/hashed=%v", order, hashed), func(t *testing.T) {
				tab := randomTable(t, 3, 500, 4)
				g := newGrouper(tab, order)
				if hashed {
					g.groupRowsHashed()
				}
				checkSortedBottom(t, tab, g)
			})
		}
	}
}

func checkSortedBottom(t *testing.T, tab *Table, g *grouper) {
	t.Helper()
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
		for _, q := range g.order {
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
			sorted := newGrouper(tab, nil)
			if sorted.layout.words != 1 {
				t.Fatalf("%d words a tuple: the sorted path is not taken", sorted.layout.words)
			}
			hashed := newGrouper(tab, nil)
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

// TestSignificanceOrder: attributes always generalised come last, then
// fewer allowed levels first, then larger dictionaries first.
func TestSignificanceOrder(t *testing.T) {
	cases := []struct {
		name     string
		values   []int // dictionary sizes
		min, max []int
		want     []int
	}{
		{"all levels", []int{50, 90, 4, 120}, []int{0, 0, 0, 0}, []int{2, 4, 1, 2}, []int{2, 3, 0, 1}},
		{"larger dictionary first", []int{50, 90, 4, 120}, []int{0, 0, 0, 0}, []int{1, 1, 1, 1}, []int{3, 1, 0, 2}},
		{"always generalised last", []int{50, 90, 4, 120}, []int{0, 1, 0, 0}, []int{1, 1, 1, 1}, []int{3, 0, 2, 1}},
		{"ties in attribute order", []int{5, 5, 5}, []int{0, 0, 0}, []int{2, 2, 2}, []int{0, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab := &Table{}
			heights := make([]int, len(c.values))
			for q, n := range c.values {
				tab.qis = append(tab.qis, &qiColumn{dict: make([]string, n)})
				heights[q] = 5
			}
			lat, err := newLattice(heights, c.min, c.max)
			if err != nil {
				t.Fatal(err)
			}
			if got := significanceOrder(tab, lat); !slices.Equal(got, c.want) {
				t.Errorf("order %v, want %v", got, c.want)
			}
		})
	}
}
