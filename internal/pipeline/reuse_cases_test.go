package pipeline

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"doorstroom/config"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// smallReuseConfig writes and loads the configuration of a two-partner
// network whose folders are all under dir.
func smallReuseConfig(t *testing.T, dir string) *config.Config {
	t.Helper()
	writeFile(t, filepath.Join(dir, "network.yaml"), fmt.Sprintf(`paths: {inbox: %[1]s/inbox, outbox: %[1]s/outbox, quarantine: %[1]s/quarantine, out: %[1]s/out, state: %[1]s/state}
key: {demo: test-key-for-the-reuse-tests-only-00000000}
privacy: {suppression: 1}
ingest: {settle: 1ms, received: received.csv}
partners:
  - {code: antwerpen, name: Antwerpen, region: flanders, language: nl, programme: atn}
  - {code: gent, name: Gent, region: flanders, language: en, programme: atn}
`, dir))
	cfg, err := config.Load(filepath.Join(dir, "network.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestReuseOnlyWhatIsUnchanged runs a small network of three quarters
// once, and then, each time on a copy of that state, changes one thing
// that makes a quarter's outputs and runs again: only the quarters it
// does not touch are reused, the run says why the others were made, and
// the run after that reuses every quarter again (unless the code cannot
// be fingerprinted).
func TestReuseOnlyWhatIsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline runs")
	}
	work := t.TempDir()
	base := filepath.Join(work, "base")
	last := period.Quarter{Year: 2026, Q: 1}
	o := demogen.Options{Partners: 2, Quarters: 3, Last: last, Seed: 3, Trajectories: 80, Canonical: true}
	if _, err := demogen.Generate(o, base); err != nil {
		t.Fatal(err)
	}
	o.Seed = 4
	if _, err := demogen.Generate(o, filepath.Join(work, "seed4")); err != nil {
		t.Fatal(err)
	}
	corrected := mustRead(t, filepath.Join(work, "seed4", "inbox", "gent", "2025Q4.csv"))
	runAt(t, smallReuseConfig(t, base), false)
	snapshots := relSums(t, filepath.Join(base, "out", "snapshots"))
	const all, notQ4 = "2025Q3 2025Q4 2026Q1", "2025Q3 2026Q1"

	otherCode := func(fp string) func(*testing.T, string, *config.Config) {
		return func(t *testing.T, _ string, _ *config.Config) {
			saved := codeFingerprint
			codeFingerprint = func() string { return fp }
			t.Cleanup(func() { codeFingerprint = saved })
		}
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string, cfg *config.Config)
		full   bool
		reused string // the quarters reused
		why    string // in the run's reuse line
		again  string // the quarters the next run reuses
	}{
		{name: "nothing changed", reused: all, why: "made: none", again: all},
		{name: "--full", full: true, why: "2025Q3–2026Q1 (--full)", again: all},
		{name: "privacy k", change: func(_ *testing.T, _ string, c *config.Config) { c.Privacy.K = 3 },
			why: "(the configuration changed)", again: all},
		{name: "threshold", change: func(_ *testing.T, _ string, c *config.Config) { c.Privacy.Threshold = 20 },
			why: "(the configuration changed)", again: all},
		{name: "key", change: func(_ *testing.T, _ string, c *config.Config) {
			c.Key = config.KeySpec{Demo: "another-test-key-for-the-reuse-tests-only-0"}
		}, why: "(the key changed)", again: all},
		{name: "code", change: otherCode("another build"), why: "(the code changed)", again: all},
		{name: "code unknown", change: otherCode(""), why: "(the executable could not be fingerprinted)"},
		{name: "snapshot removed", change: func(t *testing.T, dir string, _ *config.Config) {
			if err := os.RemoveAll(SnapshotDir(filepath.Join(dir, "out"), period.Quarter{Year: 2025, Q: 4})); err != nil {
				t.Fatal(err)
			}
		}, reused: notQ4, why: "2025Q4 (its snapshot is missing or another release)", again: all},
		{name: "warehouse rows removed", change: func(t *testing.T, dir string, _ *config.Config) {
			db, err := sql.Open("duckdb", filepath.Join(dir, "out", "warehouse.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("DELETE FROM metric_stock_flow WHERE quarter = '2025Q4'"); err != nil {
				t.Fatal(err)
			}
		}, reused: notQ4, why: "2025Q4 (its warehouse rows are incomplete)", again: all},
		{name: "corrected file", change: func(t *testing.T, dir string, _ *config.Config) {
			dropFile(t, filepath.Join(dir, "inbox", "gent", "2025Q4.csv"), corrected)
		}, reused: notQ4, why: "2025Q4 (new or changed files in force)", again: all},
		{name: "refused file", change: func(t *testing.T, dir string, _ *config.Config) {
			dropFile(t, filepath.Join(dir, "inbox", "gent", "2025Q4.csv"), []byte("not an export\n"))
		}, reused: notQ4, why: "2025Q4 (new deliveries)", again: all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(work, strings.ReplaceAll(tc.name, " ", "-"))
			copyDir(t, base, dir)
			cfg := smallReuseConfig(t, dir)
			if tc.change != nil {
				tc.change(t, dir, cfg)
			}
			sum, log := runAt(t, cfg, tc.full)
			if got := quarterNames(sum.Reused); got != tc.reused {
				t.Errorf("reused %q, want %q\n%s", got, tc.reused, log)
			}
			if !strings.Contains(log, tc.why) {
				t.Errorf("the log does not say %q:\n%s", tc.why, log)
			}
			if tc.name == "snapshot removed" || tc.name == "--full" {
				if d := diffTrees(snapshots, relSums(t, filepath.Join(dir, "out", "snapshots"))); d != "" {
					t.Errorf("the snapshots differ from the first run's: %s", d)
				}
			}
			if sum, log := runAt(t, cfg, false); quarterNames(sum.Reused) != tc.again {
				t.Errorf("the next run reused %q, want %q\n%s", quarterNames(sum.Reused), tc.again, log)
			}
		})
	}
}

// dropFile writes a partner's file in place, as a partner does, with a
// modification time far enough back that the settle check need not wait.
func dropFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}
