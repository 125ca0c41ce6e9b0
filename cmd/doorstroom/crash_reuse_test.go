package main

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// crashPointsQuarterly are the points a quarterly run passes once it has
// reused the earlier quarter: every stage of the new quarter and every
// moment between writing an output and publishing it.
var crashPointsQuarterly = []string{
	"ingest.manifest-saved#2", "anonymize.done", "warehouse.register-loaded", "metrics.stored",
	"snapshots.staged", "snapshots.published", "dashboards.staged", "swap.exchanged", "warehouse.before-commit",
}

// TestCrashDuringQuarterlyRun publishes a small network's 2026Q2, then
// kills the run that reuses it and makes 2026Q3 at each crash point. The
// warehouse file, with its record of what made each quarter, stays as it
// was, so the next run still reuses 2026Q2 (its record and its outputs
// agree), makes 2026Q3, and ends with the releases and the site of a
// run that was never interrupted.
func TestCrashDuringQuarterlyRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	work, n, base := publishedQ2(t)
	oldWarehouse := warehouseFiles(t, filepath.Join(base, "out"))
	ref := filepath.Join(work, "ref")
	copyTree(t, base, ref)
	r := runBinary(t, nil, "run", "--config", n.config(t, ref, ""))
	if r.code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", r.code, r.stderr)
	}
	const reused = "reuse: 1 quarters unchanged since their release, reused; made: 2026Q3 (not made before)"
	if !strings.Contains(r.stdout, reused) {
		t.Fatalf("the uninterrupted run does not say %q:\n%s", reused, r.stdout)
	}
	want := releaseDigests(t, filepath.Join(ref, "out", "snapshots"))
	wantPages := treeSums(t, filepath.Join(ref, "out", "site"))

	for _, point := range crashPointsQuarterly {
		t.Run(point, func(t *testing.T) {
			dir, cfg := runKilled(t, n, base, filepath.Join(work, "crash"), point)
			out := filepath.Join(dir, "out")
			if d := diffSums(oldWarehouse, warehouseFiles(t, out)); d != "" {
				t.Errorf("the warehouse file changed: %s", d)
			}
			r := runBinary(t, nil, "run", "--config", cfg)
			if r.code != 0 {
				t.Fatalf("the run after the crash: exit %d: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, reused) {
				t.Errorf("the run after the crash does not say %q:\n%s", reused, r.stdout)
			}
			if got := releaseDigests(t, filepath.Join(out, "snapshots")); !maps.Equal(got, want) {
				t.Errorf("after the crash and a new run the releases are %v, want %v", got, want)
			}
			if site := treeSums(t, filepath.Join(out, "site")); !sameFiles(wantPages, site) {
				t.Errorf("after the crash and a new run the site differs: %s", diffSums(wantPages, site))
			}
		})
	}
}
