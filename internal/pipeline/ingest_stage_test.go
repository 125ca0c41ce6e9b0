package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/marcboeker/go-duckdb"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// inboxNet is a small generated network in a temporary directory, with a
// configuration whose settle wait is short.
type inboxNet struct {
	t       *testing.T
	dir     string
	cfgPath string
	day     int // the fake clock's day in May 2026, advanced per run
}

func newInboxNet(t *testing.T, extra string) *inboxNet {
	t.Helper()
	dir := t.TempDir()
	last := period.Quarter{Year: 2026, Q: 1}
	if _, err := demogen.Generate(demogen.Options{Partners: 2, Quarters: 2, Last: last, Seed: 3, Trajectories: 80, Canonical: true}, dir); err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf(`paths: {inbox: %[1]s/inbox, outbox: %[1]s/outbox, quarantine: %[1]s/quarantine, out: %[1]s/out, state: %[1]s/state}
key: {demo: test-key-for-the-inbox-stage-tests-only-000}
privacy: {suppression: 1}
ingest: {settle: 100ms, received: received.csv}
partners:
  - {code: antwerpen, name: Antwerpen, region: flanders, language: nl, programme: atn}
  - {code: gent, name: Gent, region: flanders, language: en, programme: atn}
%s`, dir, extra)
	n := &inboxNet{t: t, dir: dir, cfgPath: filepath.Join(dir, "network.yaml"), day: 1}
	if err := os.WriteFile(n.cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return n
}

// run runs the pipeline on a day of May 2026 and returns its log. It
// checks that the run left the inbox as it found it.
func (n *inboxNet) run() string {
	n.t.Helper()
	cfg, err := config.Load(n.cfgPath)
	if err != nil {
		n.t.Fatal(err)
	}
	before := hashDir(n.t, filepath.Join(n.dir, "inbox"))
	var log bytes.Buffer
	now := time.Date(2026, 5, n.day, 12, 0, 0, 0, time.UTC)
	n.day++
	if _, err := Run(context.Background(), cfg, Options{Log: &log, Now: func() time.Time { return now }}); err != nil {
		n.t.Fatalf("run: %v\n%s", err, log.String())
	}
	if after := hashDir(n.t, filepath.Join(n.dir, "inbox")); fmt.Sprint(after) != fmt.Sprint(before) {
		n.t.Fatal("the run changed the inbox")
	}
	return log.String()
}

func (n *inboxNet) path(name string) string { return filepath.Join(n.dir, "inbox", name) }

func (n *inboxNet) read(name string) []byte {
	data, err := os.ReadFile(n.path(name))
	if err != nil {
		n.t.Fatal(err)
	}
	return data
}

// drop writes a partner's file as a partner does: in place, with a new
// modification time far enough back that the settle check need not wait.
func (n *inboxNet) drop(name string, data []byte) {
	if err := os.WriteFile(n.path(name), data, 0o644); err != nil {
		n.t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(n.path(name), old, old)
}

func (n *inboxNet) db() *sql.DB {
	db, err := sql.Open("duckdb", filepath.Join(n.dir, "out", "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() { db.Close() })
	return db
}

func (n *inboxNet) registerRows(partner, quarter string) int {
	db := n.db()
	defer db.Close()
	var c int
	if err := db.QueryRow("SELECT count(*) FROM register WHERE partner = ? AND quarter = ?", partner, quarter).Scan(&c); err != nil {
		n.t.Fatal(err)
	}
	return c
}

func (n *inboxNet) manifest() *ingest.Manifest {
	m, err := ingest.LoadManifest(filepath.Join(n.dir, "state"))
	if err != nil {
		n.t.Fatal(err)
	}
	return m
}

// statuses lists a partner's quarter's manifest statuses, * for in force.
func (n *inboxNet) statuses(partner, quarter string) string {
	var out []string
	for _, e := range n.manifest().For(partner, quarter) {
		s := string(e.Status)
		if e.InForce {
			s += "*"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func (n *inboxNet) answer(partner, quarter string) string {
	data, err := os.ReadFile(filepath.Join(n.dir, "outbox", partner, quarter+".answer.csv"))
	if err != nil {
		n.t.Fatal(err)
	}
	return string(data)
}

func dataLines(data []byte) int { return bytes.Count(data, []byte("\n")) - 1 }

// TestInboxHistory follows one partner's quarter through the inbox's
// cases: accepted, a newer broken file (the older stays in force), a
// corrected file (supersedes), the same bytes again (duplicate), a file
// with a direct identifier (quarantined, nothing loaded), a re-run (nothing
// new), and a file still being written (left for the next run).
func TestInboxHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline several times")
	}
	n := newInboxNet(t, "")
	os.WriteFile(filepath.Join(n.dir, "received.csv"), []byte("partner,quarter,received\nantwerpen,2026Q1,2026-04-10\ngent,2026Q1,2026-05-20\n"), 0o600)
	const name, q = "antwerpen/2026Q1.csv", "2026Q1"
	original := n.read(name)
	rows := dataLines(original)

	log := n.run()
	if got := n.registerRows("antwerpen", q); got != rows {
		t.Fatalf("first run: %d register rows, want %d\n%s", got, rows, log)
	}
	if s := n.statuses("antwerpen", q); s != "accepted*" {
		t.Fatalf("first run: statuses %q", s)
	}
	// The quarter's reporting-completeness metric is computed from this
	// run's completeness, not from an earlier run's.
	var share float64
	if err := n.db().QueryRow(`SELECT value FROM metrics WHERE metric = 'reports_received_share' AND quarter = '2026Q1' AND partner = 'network'`).Scan(&share); err != nil || share != 1 {
		t.Errorf("first run: reports_received_share %v, %v; want 1", share, err)
	}
	if !strings.Contains(log, "completeness") || !strings.Contains(log, "4 new") {
		t.Errorf("run output lacks the completeness summary or the new count:\n%s", log)
	}
	for _, f := range []string{"state/manifest.json", "state/archive/antwerpen"} {
		fi, err := os.Stat(filepath.Join(n.dir, f))
		if err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, %v; want no access for others", f, fi.Mode(), err)
		}
	}

	t.Run("newer broken file leaves the older in force", func(t *testing.T) {
		broken := bytes.Replace(original, []byte("2026-01-"), []byte("2026-02-3"), 1)
		n.drop(name, broken)
		log := n.run()
		if s := n.statuses("antwerpen", q); s != "accepted* rejected" {
			t.Errorf("statuses %q", s)
		}
		if got := n.registerRows("antwerpen", q); got != rows {
			t.Errorf("%d register rows, want the older file's %d", got, rows)
		}
		if a := n.answer("antwerpen", q); !strings.Contains(a, "blijft het bestand ontvangen op 2026-04-10 in gebruik") {
			t.Errorf("the answer does not say which file stays in force:\n%s", a)
		}
		if !strings.Contains(log, name+" rejected") {
			t.Errorf("log: %s", log)
		}
	})

	corrected := original[:bytes.LastIndexByte(original[:len(original)-1], '\n')+1] // without its last row
	t.Run("corrected file supersedes", func(t *testing.T) {
		n.drop(name, corrected)
		n.run()
		if s := n.statuses("antwerpen", q); s != "superseded superseded accepted*" {
			t.Errorf("statuses %q", s)
		}
		if got := n.registerRows("antwerpen", q); got != rows-1 {
			t.Errorf("%d register rows, want %d", got, rows-1)
		}
	})

	t.Run("same bytes again are a duplicate", func(t *testing.T) {
		n.drop(name, original)
		log := n.run()
		if s := n.statuses("antwerpen", q); s != "accepted superseded superseded duplicate*" {
			t.Errorf("statuses %q", s)
		}
		if got := n.registerRows("antwerpen", q); got != rows {
			t.Errorf("%d register rows, want the original's %d", got, rows)
		}
		if !strings.Contains(log, "same file as the one received on") || !strings.Contains(n.answer("antwerpen", q), "niet opnieuw verwerkt") {
			t.Errorf("duplicate not said:\n%s", log)
		}
	})

	t.Run("identifier quarantines the file", func(t *testing.T) {
		const nrn = "85.07.30-033.28"
		leaky := bytes.Replace(corrected, []byte("\n"), []byte(",Extra\n"), 1)
		leaky = bytes.Replace(leaky, []byte("\nANT-"), []byte("\n"+"ANT-"), 1)
		lines := bytes.Split(leaky, []byte("\n"))
		for i := 1; i < len(lines)-1; i++ {
			lines[i] = append(lines[i], ',')
			if i == 3 {
				lines[i] = append(lines[i], nrn...)
			}
		}
		n.drop(name, bytes.Join(lines, []byte("\n")))
		log := n.run()
		if s := n.statuses("antwerpen", q); !strings.HasSuffix(s, "duplicate* quarantined") {
			t.Errorf("statuses %q", s)
		}
		if got := n.registerRows("antwerpen", q); got != rows {
			t.Errorf("%d register rows, want the file in force's %d", got, rows)
		}
		kept, _ := filepath.Glob(filepath.Join(n.dir, "quarantine", "antwerpen", q+"-*.csv"))
		if len(kept) != 2 {
			t.Errorf("quarantine holds %v, want the rejected and the quarantined file", kept)
		}
		for where, text := range map[string]string{"log": log, "answer": n.answer("antwerpen", q)} {
			if strings.Contains(text, nrn) || strings.Contains(text, "85073003328") {
				t.Errorf("the %s repeats the national number", where)
			}
		}
		if !strings.Contains(n.answer("antwerpen", q), "rijksregisternummers") {
			t.Errorf("answer does not name the identifier:\n%s", n.answer("antwerpen", q))
		}
	})

	t.Run("a re-run processes nothing again", func(t *testing.T) {
		before := len(n.manifest().Files)
		log := n.run()
		if after := len(n.manifest().Files); after != before || !strings.Contains(log, "(0 new)") {
			t.Errorf("manifest grew from %d to %d:\n%s", before, after, log)
		}
	})

	t.Run("completeness", func(t *testing.T) {
		db := n.db()
		var expected, received, accepted, onTime bool
		var files, superseded int
		var deadline time.Time
		err := db.QueryRow(`SELECT expected, received, accepted, on_time, files, superseded, deadline FROM completeness
			WHERE quarter = '2026Q1' AND partner = 'antwerpen'`).Scan(&expected, &received, &accepted, &onTime, &files, &superseded, &deadline)
		if err != nil {
			t.Fatal(err)
		}
		if !expected || !received || !accepted || !onTime || files != 5 || superseded != 2 || deadline.Format("2006-01-02") != "2026-04-30" {
			t.Errorf("antwerpen 2026Q1: expected %v received %v accepted %v on time %v files %d superseded %d deadline %v",
				expected, received, accepted, onTime, files, superseded, deadline)
		}
		if err := db.QueryRow(`SELECT on_time FROM completeness WHERE quarter = '2026Q1' AND partner = 'gent'`).Scan(&onTime); err != nil || onTime {
			t.Errorf("gent, received 2026-05-20, should be late: %v %v", onTime, err)
		}
		var policy string
		var dropped int
		if err := db.QueryRow(`SELECT policy, dropped_rows FROM submissions WHERE quarter = '2026Q1' AND partner = 'antwerpen' AND in_force`).Scan(&policy, &dropped); err != nil || policy != "reject_file" || dropped != 0 {
			t.Errorf("submissions: %s %d %v", policy, dropped, err)
		}
	})

	t.Run("a file still being written is left for the next run", func(t *testing.T) {
		stop := make(chan struct{})
		done := make(chan struct{})
		f, err := os.OpenFile(n.path("gent/2026Q1.csv"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
					f.Write([]byte(" "))
				}
			}
		}()
		before := len(n.manifest().For("gent", q))
		cfg, _ := config.Load(n.cfgPath)
		var log bytes.Buffer
		_, err = Run(context.Background(), cfg, Options{Log: &log})
		close(stop)
		<-done
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Caught at the second look or while reading, depending on when the
		// writer's first append lands: either way it waits.
		if !strings.Contains(log.String(), "inbox: gent/2026Q1.csv") || !strings.Contains(log.String(), "left for the next run") ||
			len(n.manifest().For("gent", q)) != before {
			t.Errorf("a growing file was not left alone:\n%s", log.String())
		}
	})
}

// TestDropRowsPolicyIsRecorded: under drop_rows a file with bad rows is
// accepted in part, and the manifest and the submissions table say which
// policy applied and how many rows were left out.
func TestDropRowsPolicyIsRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline")
	}
	n := newInboxNet(t, "")
	cfg := strings.Replace(string(mustRead(t, n.cfgPath)), "language: en, programme: atn}", "language: en, programme: atn, policy: drop_rows}", 1)
	os.WriteFile(n.cfgPath, []byte(cfg), 0o600)
	os.WriteFile(filepath.Join(n.dir, "received.csv"), []byte("partner,quarter,received\n"), 0o600)
	const name = "gent/2026Q1.csv"
	data := n.read(name)
	n.drop(name, bytes.Replace(data, []byte("2026-01-"), []byte("2026-02-3"), 2))
	n.run()
	e := n.manifest().InForce("gent", "2026Q1")
	if e == nil || e.Policy != config.PolicyDropRows || e.Dropped < 1 || e.Accepted != dataLines(data)-e.Dropped {
		t.Fatalf("in force: %+v", e)
	}
	if got := n.registerRows("gent", "2026Q1"); got != e.Accepted {
		t.Errorf("%d register rows, want %d", got, e.Accepted)
	}
	var dropped int
	if err := n.db().QueryRow(`SELECT dropped_rows FROM submissions WHERE partner = 'gent' AND quarter = '2026Q1' AND policy = 'drop_rows'`).Scan(&dropped); err != nil || dropped != e.Dropped {
		t.Errorf("submissions dropped_rows %d, %v; want %d", dropped, err, e.Dropped)
	}
	var manifest map[string]any
	json.Unmarshal(mustRead(t, filepath.Join(n.dir, "state", ingest.ManifestFile)), &manifest)
	if manifest["version"] != float64(1) {
		t.Errorf("manifest %v", manifest["version"])
	}
}

func mustRead(t *testing.T, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func hashDir(t *testing.T, dir string) map[string][32]byte {
	out := map[string][32]byte{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = sha256.Sum256(data)
		return nil
	})
	return out
}
