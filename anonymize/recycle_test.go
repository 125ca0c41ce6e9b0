package anonymize

import "testing"

// TestSpares: an evicted table's arrays are handed out again only for a
// table they hold without wasting more than half, the smallest that
// fits first, each once; the pool keeps the largest maxSpares.
func TestSpares(t *testing.T) {
	var s spares
	for _, n := range []int{4000, 100, 10000, 3000} {
		s.put(&classTable{tuples: make([]uint64, n), count: make([]int32, n), masks: &valueSets{narrow: make([]uint32, n)}})
	}
	for _, tc := range []struct {
		name string
		n    int
		cap  int // 0: none
	}{
		{"too large for all", 20000, 0},
		{"smallest that fits", 2500, 3000},
		{"taken once", 2500, 4000},
		{"only one that would be mostly waste", 1500, 0},
		{"a small one", 50, 100},
		{"the large one", 9000, 10000},
		{"none left", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := takeSpare(&s.tuples, tc.n)
			if cap(got) != tc.cap || len(got) != 0 {
				t.Fatalf("len %d cap %d, want an empty array of cap %d", len(got), cap(got), tc.cap)
			}
		})
	}
	var full spares
	for n := range 2 * maxSpares {
		full.put(&classTable{tuples: make([]uint64, n+1)})
	}
	if len(full.tuples) != maxSpares || len(full.count) != 0 || len(full.narrow) != 0 {
		t.Fatalf("%d, %d and %d arrays kept", len(full.tuples), len(full.count), len(full.narrow))
	}
	for _, a := range full.tuples {
		if cap(a) <= maxSpares {
			t.Errorf("kept an array of %d beside larger ones", cap(a))
		}
	}
}

// TestRollMasksIntoSpare: masks rolled up into a kept array, left dirty
// by its last table, are those rolled up into a new one, in that array.
func TestRollMasksIntoSpare(t *testing.T) {
	for _, wide := range []bool{false, true} {
		src := &valueSets{}
		to := make([]int32, 1000)
		for s := range to {
			to[s] = int32(s % 37)
			if wide {
				src.wide = append(src.wide, 1<<uint(s%64))
			} else {
				src.narrow = append(src.narrow, 1<<uint(s%32))
			}
		}
		var none, kept spares
		dirty := make([]uint64, 60)
		dirtyNarrow := make([]uint32, 60)
		for i := range dirty {
			dirty[i], dirtyNarrow[i] = ^uint64(0), ^uint32(0)
		}
		kept.put(&classTable{masks: &valueSets{wide: dirty, narrow: dirtyNarrow}})
		want := rollMasks(src, to, 37, &none)
		got := rollMasks(src, to, 37, &kept)
		for c := range 37 {
			if got.at(c) != want.at(c) {
				t.Fatalf("wide %v, class %d: mask %x, want %x", wide, c, got.at(c), want.at(c))
			}
		}
		if reused := sameArray(got.wide, dirty) || sameArray(got.narrow, dirtyNarrow); !reused {
			t.Errorf("wide %v: the kept array was not used", wide)
		}
	}
}
