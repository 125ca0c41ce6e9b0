package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// TestReadAheadMatchesSequential takes a quarter of eight partners' files
// through three runs of the inbox, once reading each file in its turn and
// once reading ahead on two workers, and finds the same log, manifest,
// answers, archived and quarantined copies and submissions, in file order.
// The runs mix accepted, rejected, quarantined, unchanged, superseding,
// duplicate and changed-while-read files.
func TestReadAheadMatchesSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a generated inbox six times")
	}
	src := t.TempDir()
	last := period.Quarter{Year: 2026, Q: 1}
	gen := demogen.Options{Partners: 8, Quarters: 1, Last: last, Seed: 5, Trajectories: 60, Canonical: true}
	if _, err := demogen.Generate(gen, src); err != nil {
		t.Fatal(err)
	}
	outputs := map[int]map[string]string{}
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			withReadWorkers(t, workers)
			outputs[workers] = ingestRounds(t, src, gen, last)
		})
	}
	seq, ahead := outputs[1], outputs[2]
	if len(seq) == 0 || len(seq) != len(ahead) {
		t.Fatalf("%d outputs in sequence, %d with read-ahead", len(seq), len(ahead))
	}
	for name, want := range seq {
		if got := ahead[name]; got != want {
			t.Errorf("%s differs with read-ahead:\n%s\nwant\n%s", name, got, want)
		}
	}
	manifest := seq["state/"+ingest.ManifestFile]
	for _, s := range []ingest.Status{ingest.Accepted, ingest.Rejected, ingest.Quarantined, ingest.Duplicate, ingest.Superseded} {
		if !strings.Contains(manifest, `"`+string(s)+`"`) {
			t.Errorf("no file was %s: the mix is not what the test is about", s)
		}
	}
	if !strings.Contains(seq["log 2"], "changed while it was read") || !strings.Contains(seq["log 3"], "not processed again") {
		t.Errorf("the second run's log lacks a changed file, or the third's a duplicate:\n%s\n%s", seq["log 2"], seq["log 3"])
	}
}

// ingestRounds copies the generated inbox into a new folder and takes its
// last quarter in three times, changing partner files in between as
// rounds says; it returns every run's log and submissions and, at the
// end, every file of the outbox, quarantine and state, with the folder's
// name taken out.
func ingestRounds(t *testing.T, src string, gen demogen.Options, q period.Quarter) map[string]string {
	dir := t.TempDir()
	partners := demogen.Partners(gen.Partners)
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "paths: {inbox: %[1]s/inbox, outbox: %[1]s/outbox, quarantine: %[1]s/quarantine, out: %[1]s/out, state: %[1]s/state}\n", dir)
	yaml.WriteString("key: {demo: test-key-for-the-inbox-stage-tests-only-000}\ningest: {settle: 100ms}\npartners:\n")
	originals := map[string][]byte{}
	for _, p := range partners {
		fmt.Fprintf(&yaml, "  - {code: %s, name: %q, region: %s, language: %s, programme: atn}\n", p.Code, p.Name, p.Region, p.Language)
		name := p.Code + "/" + q.String() + ".csv"
		originals[name] = mustRead(t, filepath.Join(src, "inbox", name))
	}
	cfgPath := filepath.Join(dir, "network.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	name := func(i int) string { return partners[i].Code + "/" + q.String() + ".csv" }
	drop := func(i int, data []byte) {
		path := filepath.Join(dir, "inbox", name(i))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Minute)
		os.Chtimes(path, old, old)
	}
	original := func(i int) []byte { return originals[name(i)] }
	broken := func(i int) []byte { return append(bytes.Clone(original(i)), "not,a,row\n"...) }
	corrected := func(i int) []byte { // without its last row
		o := original(i)
		return o[:bytes.LastIndexByte(o[:len(o)-1], '\n')+1]
	}
	// Each round's files by partner (unchanged when left out), and the
	// partner whose file changes while it is read.
	rounds := []struct {
		files   map[int][]byte
		changed int
	}{
		{map[int][]byte{0: original(0), 1: original(1), 2: original(2), 3: original(3), 4: original(4), 5: original(5), 6: original(6), 7: broken(7)}, -1},
		{map[int][]byte{1: broken(1), 2: corrected(2), 3: leaky(corrected(3)), 4: corrected(4), 5: corrected(5), 7: original(7)}, 4},
		{map[int][]byte{1: original(1), 3: original(3), 5: original(5)}, -1},
	}
	out := map[string]string{}
	for r, round := range rounds {
		for i, data := range round.files {
			drop(i, data)
		}
		readSettled = func(f ingest.SettledFile) ([]byte, error) {
			if round.changed >= 0 && f.Name == name(round.changed) {
				return nil, ingest.ErrChanged
			}
			return ingest.ReadSettled(f)
		}
		t.Cleanup(func() { readSettled = ingest.ReadSettled })
		log, subs := ingestOnce(t, cfgPath, q, time.Date(2026, 5, 1+r, 12, 0, 0, 0, time.UTC))
		out[fmt.Sprintf("log %d", r+1)] = log
		out[fmt.Sprintf("submissions %d", r+1)] = subs
	}
	for _, sub := range []string{"outbox", "quarantine", "state"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			out[rel] = strings.ReplaceAll(string(mustRead(t, path)), dir, "$DIR")
			return nil
		})
	}
	for k, v := range out {
		out[k] = strings.ReplaceAll(v, dir, "$DIR")
	}
	return out
}

// ingestOnce takes the quarter's inbox files in as a run does, saves the
// manifest and reads the files in force; it returns the log and the
// submissions, the new ones by partner and those in force in order.
func ingestOnce(t *testing.T, cfgPath string, q period.Quarter, now time.Time) (string, string) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	e, err := newEnv(cfg, Options{Log: &log, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := ingest.ScanInbox(cfg.Paths.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.openInbox(files, []period.Quarter{q}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fresh := map[string]*ingest.Submission{}
	defer releaseSubmissions(fresh)
	if err := e.takeFiles(ctx, e.inbox.files[q], fresh); err != nil {
		t.Fatal(err)
	}
	if err := e.inbox.manifest.Save(cfg.Paths.State); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	codes := make([]string, 0, len(fresh))
	for code := range fresh {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		fmt.Fprintf(&b, "new %s\n", describeSubmission(fresh[code]))
	}
	var subs []*ingest.Submission
	err = e.readInForceAll(ctx, q, fresh, &subs)
	for _, s := range subs {
		fmt.Fprintf(&b, "in force %s\n", describeSubmission(s))
		s.Release()
	}
	if err != nil {
		t.Fatal(err)
	}
	return log.String(), b.String()
}

// describeSubmission is a submission's identity, outcome, issues and a
// digest of its records' values.
func describeSubmission(s *ingest.Submission) string {
	h := sha256.New()
	for _, rec := range s.Records {
		for c := range int(rec.NumCols()) {
			fmt.Fprintln(h, rec.ColumnName(c), rec.Column(c).String())
		}
	}
	return fmt.Sprintf("%s %s %s rows %d accepted %d dropped %d issues %d records %d %x",
		s.Name, s.SHA256[:12], s.Status, s.Rows, s.Accepted, s.Dropped, len(s.Issues), len(s.Records), h.Sum(nil)[:8])
}

// leaky adds a column holding a national register number in one row: a
// file the inbox quarantines.
func leaky(data []byte) []byte {
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for i := range lines {
		switch i {
		case 0:
			lines[i] = append(bytes.Clone(lines[i]), ",Extra"...)
		case 3:
			lines[i] = append(bytes.Clone(lines[i]), ",85.07.30-033.28"...)
		default:
			lines[i] = append(bytes.Clone(lines[i]), ',')
		}
	}
	return append(bytes.Join(lines, []byte("\n")), '\n')
}
