package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// demoNet is a copy of the committed demo network (testdata/demo) in dir,
// with a configuration whose folders are under dir.
type demoNet struct {
	t   *testing.T
	dir string
}

// newDemoNet copies the demo's received.csv and the inbox files keep
// accepts into dir.
func newDemoNet(t *testing.T, dir string, keep func(name string) bool) *demoNet {
	t.Helper()
	n := &demoNet{t: t, dir: dir}
	n.copyInbox(keep)
	writeFile(t, filepath.Join(dir, "received.csv"), string(mustRead(t, "../../testdata/demo/received.csv")))
	return n
}

// copyInbox copies the demo's inbox files that keep accepts, with a
// modification time far enough back that the settle check need not wait.
func (n *demoNet) copyInbox(keep func(name string) bool) {
	n.t.Helper()
	from := "../../testdata/demo/inbox"
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if !keep(rel) {
			return nil
		}
		to := filepath.Join(n.dir, "inbox", rel)
		writeFile(n.t, to, string(mustRead(n.t, path)))
		old := time.Now().Add(-time.Minute)
		return os.Chtimes(to, old, old)
	})
	if err != nil {
		n.t.Fatal(err)
	}
}

// config is the demo's configuration with the network's folders.
func (n *demoNet) config() *config.Config {
	n.t.Helper()
	cfg, err := config.Load("../../config/demo.yaml")
	if err != nil {
		n.t.Fatal(err)
	}
	d := n.dir
	cfg.Paths = config.Paths{Inbox: filepath.Join(d, "inbox"), Outbox: filepath.Join(d, "outbox"),
		Quarantine: filepath.Join(d, "quarantine"), Out: filepath.Join(d, "out"), State: filepath.Join(d, "state")}
	cfg.Ingest.Settle = time.Millisecond
	return cfg
}

// runAt runs the pipeline with the fixed clock every run of these tests
// shares, so that equal outputs are equal byte for byte.
func runAt(t *testing.T, cfg *config.Config, full bool) (*Summary, string) {
	t.Helper()
	var log bytes.Buffer
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	sum, err := Run(context.Background(), cfg, Options{Log: &log, Full: full, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	return sum, log.String()
}

// relSums maps every file under dir, by its path relative to dir, to its
// SHA-256.
func relSums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for path, sum := range hashDir(t, dir) {
		rel, _ := filepath.Rel(dir, path)
		out[rel] = sum
	}
	return out
}

// diffTrees names the files that are in one tree only or differ (at most
// five).
func diffTrees(want, got map[string][32]byte) string {
	all := maps.Clone(want)
	maps.Copy(all, got)
	var d []string
	for name := range all {
		if want[name] != got[name] {
			d = append(d, name)
		}
	}
	slices.Sort(d)
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("… %d more", len(d)-5))
	}
	return strings.Join(d, ", ")
}

// TestQuarterlyRunEqualsFullRun runs the demo's first seven quarters,
// then adds the eighth quarter's files and runs again, which reuses the
// seven; a full run of all eight quarters in a fresh folder must publish
// the same snapshots and the same site, byte for byte.
func TestQuarterlyRunEqualsFullRun(t *testing.T) {
	if testing.Short() {
		t.Skip("three pipeline runs")
	}
	const last = "2026Q3.csv"
	inc := newDemoNet(t, filepath.Join(t.TempDir(), "quarterly"), func(name string) bool { return filepath.Base(name) != last })
	if sum, _ := runAt(t, inc.config(), false); len(sum.Reused) != 0 || len(sum.Quarters) != 7 {
		t.Fatalf("first run: %d quarters, %d reused; want 7 made", len(sum.Quarters), len(sum.Reused))
	}
	inc.copyInbox(func(name string) bool { return filepath.Base(name) == last })
	sum, log := runAt(t, inc.config(), false)
	if len(sum.Reused) != 7 || len(sum.Quarters) != 8 {
		t.Errorf("quarterly run: %d quarters, %d reused; want 8 and 7\n%s", len(sum.Quarters), len(sum.Reused), log)
	}
	for _, want := range []string{"reuse: 7 quarters unchanged since their release, reused; made: 2026Q3 (not made before)",
		"anonymize  1 releases · 1199 records", "7 quarters unchanged, reused", "1 releases in"} {
		if !strings.Contains(log, want) {
			t.Errorf("the quarterly run's log lacks %q:\n%s", want, log)
		}
	}

	full := newDemoNet(t, filepath.Join(t.TempDir(), "full"), func(string) bool { return true })
	runAt(t, full.config(), false)
	for _, tree := range []string{"snapshots", "site"} {
		want := relSums(t, filepath.Join(full.dir, "out", tree))
		if len(want) == 0 {
			t.Fatalf("the full run wrote no %s", tree)
		}
		if d := diffTrees(want, relSums(t, filepath.Join(inc.dir, "out", tree))); d != "" {
			t.Errorf("%s of the quarterly run differ from the full run's: %s", tree, d)
		}
	}
}

// copyDir copies a folder's files to another, keeping their modes and
// modification times.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), info.Mode().Perm())
		}
		if err := os.WriteFile(filepath.Join(to, rel), mustRead(t, path), info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(filepath.Join(to, rel), info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// quarterNames are the names of quarters.
func quarterNames(qs []period.Quarter) string {
	var out []string
	for _, q := range qs {
		out = append(out, q.String())
	}
	return strings.Join(out, " ")
}
