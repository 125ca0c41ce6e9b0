package main

import (
	"bufio"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doorstroom/internal/crashpoint"
	"doorstroom/warehouse"
)

// crashPointsFast are the points the crash test kills a run at by
// default: one in every stage, and every moment between writing an output
// and publishing it. DOORSTROOM_HEAVY=1 (make test-heavy) kills it at
// every hit of every point instead.
var crashPointsFast = []string{
	"ingest.file-kept", "ingest.manifest-saved#2", "anonymize.done", "warehouse.register-loaded#2",
	"metrics.stored", "snapshots.staged", "snapshots.old-moved-aside", "snapshots.published#2",
	"dashboards.staged", "swap.exchanged", "warehouse.before-commit",
}

// afterSitePublished are the points reached after the new site was
// swapped in: from there the site is the new one, whole.
var afterSitePublished = map[string]bool{"swap.exchanged": true, "warehouse.before-commit": true}

// TestCrashSafety publishes a release of a small network (2026Q2), then
// brings a correction of that quarter (gent's file replaced) and a new
// quarter (2026Q3), and kills that run with SIGKILL at each crash point.
// After every crash the warehouse file is byte for byte the previous one,
// so is the site (unless the crash came after the new one was swapped in
// whole), every published release is complete, and the files of the
// previous release are all there unchanged, at their place or in
// superseded/. The next run then completes and publishes exactly the
// releases of a run that was never interrupted.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	work, n, base := publishedQ2(t)
	old := struct{ site, warehouse, snapshots map[string][32]byte }{
		treeSums(t, filepath.Join(base, "out", "site")),
		warehouseFiles(t, filepath.Join(base, "out")),
		treeSums(t, filepath.Join(base, "out", "snapshots")),
	}
	data, err := os.ReadFile(n.replacement)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(n.dir, "inbox", "gent", "2026Q2.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}

	// The uninterrupted run, traced: its releases are what every crashed
	// run must end with, and its trace lists the points.
	ref := filepath.Join(work, "ref")
	copyTree(t, base, ref)
	trace := filepath.Join(work, "trace")
	if r := runBinary(t, []string{crashpoint.EnvTrace + "=" + trace}, "run", "--config", n.config(t, ref, "")); r.code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", r.code, r.stderr)
	}
	want := releaseDigests(t, filepath.Join(ref, "out", "snapshots"))
	if len(want) != 2 {
		t.Fatalf("the uninterrupted run published %v, want 2026Q2 and 2026Q3", want)
	}
	wantPages := treeSums(t, filepath.Join(ref, "out", "site"))
	points := crashPointsFast
	traced := readTrace(t, trace)
	if os.Getenv("DOORSTROOM_HEAVY") != "" {
		points = traced
	}
	for _, p := range crashPointsFast {
		name, _, _ := strings.Cut(p, "#")
		if !containsPrefix(traced, name+"#") {
			t.Errorf("crash point %s is never reached; the run passes %v", p, traced)
		}
	}

	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			dir, cfg := runKilled(t, n, base, filepath.Join(work, "crash"), point)
			out := filepath.Join(dir, "out")
			if d := diffSums(old.warehouse, warehouseFiles(t, out)); d != "" {
				t.Errorf("the warehouse file changed: %s", d)
			}
			site := treeSums(t, filepath.Join(out, "site"))
			name, _, _ := strings.Cut(point, "#")
			if afterSitePublished[name] {
				if !sameFiles(wantPages, site) {
					t.Errorf("the new site is not whole: %s", diffSums(wantPages, site))
				}
			} else if d := diffSums(old.site, site); d != "" {
				t.Errorf("the published site changed: %s", d)
			}
			checkReleasesKept(t, out, old.snapshots)

			r := runBinary(t, nil, "run", "--config", cfg)
			if r.code != 0 {
				t.Fatalf("the run after the crash: exit %d: %s", r.code, r.stderr)
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

// publishedQ2 makes a small network in a temporary folder and publishes
// its 2026Q2 into the folder base there: the state the crash tests start
// from.
func publishedQ2(t *testing.T) (work string, n *smallNetwork, base string) {
	t.Helper()
	work = t.TempDir()
	n = newSmallNetwork(t, filepath.Join(work, "net"))
	base = filepath.Join(work, "base")
	if r := runBinary(t, nil, "run", "--config", n.config(t, base, ""), "--quarter", "2026Q2"); r.code != 0 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	return work, n, base
}

// runKilled copies the state under base to a folder of its own (prefix
// and the crash point) and runs the job there, killed at point; it
// returns the folder and its configuration.
func runKilled(t *testing.T, n *smallNetwork, base, prefix, point string) (dir, cfg string) {
	t.Helper()
	dir = prefix + "-" + regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(point, "-")
	copyTree(t, base, dir)
	cfg = n.config(t, dir, "")
	r := runBinary(t, []string{crashpoint.EnvCrashAt + "=" + point}, "run", "--config", cfg)
	if !r.killed {
		t.Fatalf("the run was not killed at %s (exit %d): %s", point, r.code, r.stderr)
	}
	return dir, cfg
}

// checkReleasesKept checks that every published release under out is
// complete, and that every file of the releases published before is there
// unchanged, at its place or in out/superseded.
func checkReleasesKept(t *testing.T, out string, before map[string][32]byte) {
	t.Helper()
	snapshots := filepath.Join(out, "snapshots")
	dirs, _ := filepath.Glob(filepath.Join(snapshots, "quarter=*"))
	for _, d := range dirs {
		if err := warehouse.VerifyRelease(d); err != nil {
			t.Errorf("a published release is not complete: %v", err)
		}
	}
	now := treeSums(t, snapshots)
	kept := treeSums(t, filepath.Join(out, "superseded"))
	for rel, sum := range before {
		if now[rel] == sum || !strings.HasPrefix(rel, "quarter=") {
			continue // the data dictionary beside the releases is rewritten atomically
		}
		q, file, _ := strings.Cut(rel, string(filepath.Separator))
		found := false
		for k, s := range kept {
			if strings.HasPrefix(k, q+string(filepath.Separator)) && strings.HasSuffix(k, string(filepath.Separator)+file) && s == sum {
				found = true
			}
		}
		if !found {
			t.Errorf("%s of the previous release is neither in place nor kept in superseded/", rel)
		}
	}
}

// warehouseFiles are the sums of the warehouse file and of DuckDB's log
// beside it, if any.
func warehouseFiles(t *testing.T, out string) map[string][32]byte {
	t.Helper()
	sums := map[string][32]byte{}
	for _, name := range []string{"warehouse.duckdb", "warehouse.duckdb.wal"} {
		for _, s := range treeSums(t, filepath.Join(out, name)) {
			sums[name] = s
		}
	}
	return sums
}

// releaseDigests maps each published quarter to its content digest.
func releaseDigests(t *testing.T, snapshots string) map[string]string {
	t.Helper()
	out := map[string]string{}
	dirs, _ := filepath.Glob(filepath.Join(snapshots, "quarter=*"))
	for _, d := range dirs {
		m, err := warehouse.ReadManifest(d)
		if err != nil {
			t.Fatal(err)
		}
		out[m.Quarter] = m.ContentSHA256
	}
	return out
}

// sameFiles says whether two sites have the same pages: the same files,
// and the same bytes except in pages, which carry the build time.
func sameFiles(want, got map[string][32]byte) bool {
	if len(want) != len(got) {
		return false
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok || g != v && !strings.HasSuffix(k, ".html") {
			return false
		}
	}
	return true
}

func readTrace(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
