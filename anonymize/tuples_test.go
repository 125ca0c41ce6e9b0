package anonymize

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTupleLayout packs random codes under layouts of one and several
// words and reads every one back.
func TestTupleLayout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []int // dictionary sizes
		words int
	}{
		{"release", []int{50, 68, 4, 24, 4, 64, 3, 2, 4}, 1},
		{"single values", []int{1, 1, 1}, 1},
		{"exactly 64 bits", []int{1 << 32, 1 << 32}, 1},
		{"wide fields", []int{1 << 31, 1 << 31, 1 << 31}, 2},
		{"no straddling", []int{1 << 40, 1 << 30, 5}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			widths := make([]int, len(tc.sizes))
			for q, n := range tc.sizes {
				widths[q] = codeWidth(n)
			}
			l := newTupleLayout(widths, nil)
			if l.words != tc.words {
				t.Fatalf("%d words, want %d", l.words, tc.words)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var packed []uint64
			var want [][]int32
			for range 100 {
				codes := make([]int32, len(tc.sizes))
				for q, n := range tc.sizes {
					codes[q] = int32(rng.Int64N(int64(min(n, 1<<31-1))))
				}
				packed = l.pack(packed, codes)
				want = append(want, codes)
			}
			for c, codes := range want {
				for q, v := range codes {
					if got := l.code(packed, c, q); got != v {
						t.Fatalf("class %d attribute %d: %d, want %d", c, q, got, v)
					}
				}
			}
		})
	}
}

// TestBlockKeysChunked sums the keys of a Adult's bottom at
// a sample of nodes of its lattice with the fields looked up one by
// one and merged into chunks, and compares both with the mixed-radix key
// of the generalised tuple.
func TestBlockKeysChunked(t *testing.T) {
	tab := adultTable(t, adultAll, nil)
	if err := tab.prepare(); err != nil {
		t.Fatal(err)
	}
	g := newGrouper(tab, nil)
	rng := rand.New(rand.NewPCG(3, 4))
	levels := make([]int, g.nq)
	chunked := 0
	for i := range 40 {
		for q, c := range tab.qis {
			levels[q] = rng.IntN(c.hier.Height())
		}
		if _, exact := g.prepare(levels); !exact {
			continue
		}
		t.Run(fmt.Sprint(i, levels), func(t *testing.T) {
			n := g.bottom.len()
			want := make([]uint64, n)
			for c := range n {
				for q := range g.nq {
					g.tuple[q] = g.gens[q][g.layout.code(g.bottom.tuples, c, q)]
				}
				want[c] = g.key(g.tuple, true)
			}
			for _, size := range []int{1, 1 << 30} { // too few classes for chunks, enough
				g.setActive(size)
				active := 0
				for q := range g.nq {
					if g.radix[q] > 1 {
						active++
					}
				}
				if len(g.fields) < active {
					chunked++
				}
				keys := make([]uint64, n)
				for b := 0; b < n; b += keyBlock {
					blockKeys(keys[b:min(b+keyBlock, n)], g.bottom.tuples[b*g.layout.words:], g.layout.words, g.fields)
				}
				for c := range n {
					if keys[c] != want[c] {
						t.Fatalf("source of %d: class %d has key %d, want %d", size, c, keys[c], want[c])
					}
				}
			}
		})
	}
	if chunked == 0 {
		t.Fatal("no node merged fields into chunks")
	}
}
