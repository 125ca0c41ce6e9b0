package anonymize

import (
	"fmt"
	"testing"
)

// TestCacheEvictsLeastRecentlyUsed: past its bound the cache drops the
// node that served least recently, never the bottom, and forgets it by
// node.
func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	defer func(old int) { maxCacheCells = old }(maxCacheCells)
	tab := randomTable(t, 2, 200, 2)
	e, err := newEngine(tab, Privacy{K: 2, Metric: MetricLoss})
	if err != nil {
		t.Fatal(err)
	}
	maxCacheCells = e.g.bottom.len() + 30
	table := func(n int) *classTable { return &classTable{count: make([]int32, n)} }
	a, b, c := table(10), table(10), table(15)
	e.remember(1, a)
	e.remember(2, b)
	e.touch(a) // a served after b was kept
	e.remember(3, c)
	if e.cached[2] != nil || e.cached[1] != a || e.cached[3] != c {
		t.Fatalf("cached %v: want b (least recently used) evicted", e.cached)
	}
	if e.cacheCells != e.g.bottom.len()+25 {
		t.Errorf("cache cells %d, want %d", e.cacheCells, e.g.bottom.len()+25)
	}
	e.remember(4, table(30)) // needs everything but the bottom gone
	if len(e.cache) != 2 || e.cache[0] != e.g.bottom {
		t.Errorf("cache holds %d tables, the first the bottom: %v", len(e.cache), e.cache[0] == e.g.bottom)
	}
	e.remember(5, table(31)) // cannot fit beside the bottom: not kept
	if e.cached[5] != nil || e.cache[0] != e.g.bottom {
		t.Error("a table larger than the room beside the bottom was kept, or the bottom evicted")
	}
}

// TestSearchWithSmallCache: a cache that evicts all the time changes which
// nodes roll up from which, not the result; nor do roll-ups split over two
// goroutines, which number classes in another order.
func TestSearchWithSmallCache(t *testing.T) {
	defer func(old, min, target int) { maxCacheCells, parallelMin, partitionTarget = old, min, target }(maxCacheCells, parallelMin, partitionTarget)
	distinct := []DiversityRule{{Attribute: "procedure", Measure: DiversityDistinct, L: 2}}
	for seed := uint64(1); seed <= 3; seed++ {
		tab := randomTable(t, seed, 300, 4)
		for _, rules := range [][]DiversityRule{nil, distinct} {
			p := Privacy{K: 3, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor, Diversity: rules}
			t.Run(fmt.Sprint(seed, len(rules)), func(t *testing.T) {
				maxCacheCells = 1 << 23
				want, err := Analyze(t.Context(), tab, p)
				if err != nil {
					t.Fatal(err)
				}
				maxCacheCells, parallelMin, partitionTarget = 400, 16, 16
				got, err := Analyze(t.Context(), tab, p)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got.Levels) != fmt.Sprint(want.Levels) || got.Report.Suppressed != want.Report.Suppressed {
					t.Errorf("small cache: %v with %d suppressed; large: %v with %d", got.Levels, got.Report.Suppressed, want.Levels, want.Report.Suppressed)
				}
				checkAgainstBruteForce(t, tab, p)
			})
		}
	}
}
