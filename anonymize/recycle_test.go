package anonymize

import "testing"

// TestSpares: an evicted table's arrays are handed out again only for a
// table they hold without wasting more than half, the smallest that
// fits first, each once; the pool keeps the largest maxSpares.
func TestSpares(t *testing.T) {
	var s spares
	for _, n := range []int{4000, 100, 10000, 3000} {
		s.put(make([]uint64, n), make([]int32, n))
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
		full.put(make([]uint64, n+1), nil)
	}
	if len(full.tuples) != maxSpares || len(full.count) != 0 {
		t.Fatalf("%d and %d arrays kept", len(full.tuples), len(full.count))
	}
	for _, a := range full.tuples {
		if cap(a) <= maxSpares {
			t.Errorf("kept an array of %d beside larger ones", cap(a))
		}
	}
}
