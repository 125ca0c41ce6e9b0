package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorstroom/internal/period"
)

// drop adds to m what a run records when a partner's file arrives on day
// with content sha and reading decides outcome.
func drop(m *Manifest, day int, sha string, outcome Status) *Entry {
	e := &Entry{Name: "p/2026Q1.csv", Partner: "p", Quarter: "2026Q1", SHA256: sha, Outcome: outcome,
		ReceivedAt: time.Date(2026, 4, day, 9, 0, 0, 0, time.UTC)}
	if o := m.Original("p", "2026Q1", sha); o != nil {
		e.DuplicateOf, e.Outcome = o.ID, o.Outcome
	}
	m.Add(e)
	return e
}

func TestManifestStatuses(t *testing.T) {
	type step struct {
		day     int
		sha     string
		outcome Status
	}
	tests := []struct {
		name    string
		steps   []step
		want    string // statuses in order, * marks the entry in force
		arrived int    // day the content in force arrived, 0 for none
	}{
		{"one accepted", []step{{1, "a", Accepted}}, "accepted*", 1},
		{"newer accepted supersedes", []step{{1, "a", Accepted}, {5, "b", Accepted}}, "superseded accepted*", 5},
		{"newer rejected leaves the older in force", []step{{1, "a", Accepted}, {5, "b", Rejected}}, "accepted* rejected", 1},
		{"quarantined leaves the older in force", []step{{1, "a", Accepted}, {5, "b", Quarantined}}, "accepted* quarantined", 1},
		{"same bytes again", []step{{1, "a", Accepted}, {40, "a", Accepted}}, "accepted duplicate*", 1},
		{"back to an older file", []step{{1, "a", Accepted}, {3, "b", Accepted}, {9, "a", Accepted}}, "accepted superseded duplicate*", 9},
		{"rejected then accepted", []step{{1, "a", Rejected}, {3, "b", Accepted}}, "superseded accepted*", 3},
		{"never accepted", []step{{1, "a", Rejected}, {3, "b", Rejected}}, "rejected rejected", 0},
		{"refused twice after the one in force", []step{{1, "a", Accepted}, {3, "b", Rejected}, {4, "b", Rejected}}, "accepted* rejected duplicate", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Manifest{Version: manifestVersion}
			for _, s := range tt.steps {
				drop(m, s.day, s.sha, s.outcome)
			}
			var got []string
			for _, e := range m.Files {
				s := string(e.Status)
				if e.InForce {
					s += "*"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("statuses %q, want %q", g, tt.want)
			}
			at, ok := m.Arrived("p", "2026Q1")
			if tt.arrived == 0 && ok || tt.arrived != 0 && (!ok || at.Day() != tt.arrived) {
				t.Errorf("arrived %v %v, want day %d", at, ok, tt.arrived)
			}
		})
	}
}

func TestManifestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	m, err := LoadManifest(dir)
	if err != nil || len(m.Files) != 0 {
		t.Fatalf("empty state: %v %v", m, err)
	}
	drop(m, 1, "a", Accepted)
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, ManifestFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("manifest mode %v, %v", fi.Mode(), err)
	}
	back, err := LoadManifest(dir)
	if err != nil || len(back.Files) != 1 || !back.Files[0].InForce || back.Files[0].ReceivedAt.Day() != 1 {
		t.Fatalf("reloaded %+v, %v", back.Files, err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{not json"), 0o600)
	if _, err := LoadManifest(dir); err == nil || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("a corrupt manifest gave %v", err)
	}
}

func TestCompletenessOf(t *testing.T) {
	q := period.Quarter{Year: 2026, Q: 1}
	m := &Manifest{Version: manifestVersion}
	drop(m, 20, "a", Accepted)         // p: on time (deadline 2026-04-30)
	drop(m, 25, "b", Accepted)         // supersedes a, still on time
	late := drop(m, 25, "c", Accepted) // re-labelled below as partner l, received after the deadline
	late.Partner, late.Name = "l", "l/2026Q1.csv"
	late.ReceivedAt = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	m.resolve("p", "2026Q1")
	m.resolve("l", "2026Q1")
	r := &Entry{Name: "r/2026Q1.csv", Partner: "r", Quarter: "2026Q1", SHA256: "d", Outcome: Rejected, ReceivedAt: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)}
	m.Add(r)
	expected := func(p string, _ period.Quarter) bool { return p != "x" }
	rows := CompletenessOf(m, q, []string{"l", "missing", "p", "r", "x"}, expected, 30)
	type want struct {
		partner                    string
		received, accepted, onTime bool
		files, superseded          int
	}
	wants := []want{{"l", true, true, false, 1, 0}, {"missing", false, false, false, 0, 0}, {"p", true, true, true, 2, 1}, {"r", true, false, false, 1, 0}}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	for i, w := range wants {
		c := rows[i]
		onTime := c.OnTime != nil && *c.OnTime
		if c.Partner != w.partner || c.Received != w.received || c.Accepted != w.accepted || onTime != w.onTime ||
			c.Files != w.files || c.Superseded != w.superseded || !c.Expected || c.Deadline.Format("2006-01-02") != "2026-04-30" {
			t.Errorf("row %d = %+v, want %+v", i, c, w)
		}
		if (c.OnTime == nil) != (c.ReceivedAt == nil) || c.Accepted != (c.OnTime != nil) {
			t.Errorf("row %d: on_time and received_at must be set exactly when a file is in force", i)
		}
	}
	rec := CompletenessRecord(nil, rows)
	defer rec.Release()
	if rec.NumRows() != 4 || rec.Column(5).IsValid(1) {
		t.Errorf("record %v", rec)
	}
}

func TestReadReceived(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "received.csv")
	os.WriteFile(path, []byte("partner,quarter,received\ngent,2026Q1,2026-04-12\nliege,2026Q1,2026-05-02T10:00:00+02:00\n"), 0o600)
	r, err := ReadReceived(path)
	if err != nil {
		t.Fatal(err)
	}
	q := period.Quarter{Year: 2026, Q: 1}
	if r[ReceivedKey("gent", q)].Format(time.RFC3339) != "2026-04-12T00:00:00Z" || r[ReceivedKey("liege", q)].Format(time.RFC3339) != "2026-05-02T08:00:00Z" {
		t.Errorf("read %v", r)
	}
	for name, body := range map[string]string{
		"bad header":  "who,when,what\n",
		"bad date":    "partner,quarter,received\ngent,2026Q1,12/04/2026\n",
		"bad quarter": "partner,quarter,received\ngent,2026-1,2026-04-12\n",
		"twice":       "partner,quarter,received\ngent,2026Q1,2026-04-12\ngent,2026Q1,2026-04-13\n",
	} {
		os.WriteFile(path, []byte(body), 0o600)
		if _, err := ReadReceived(path); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSettleLeavesAFileBeingWritten(t *testing.T) {
	dir := t.TempDir()
	still := filepath.Join(dir, "still.csv")
	growing := filepath.Join(dir, "growing.csv")
	os.WriteFile(still, []byte("a"), 0o600)
	os.WriteFile(growing, []byte("a"), 0o600)
	files := []InboxFile{{Name: "p/still.csv", Path: still}, {Name: "p/growing.csv", Path: growing}}
	slept := time.Duration(0)
	clock := Clock{Sleep: func(d time.Duration) {
		slept = d
		f, _ := os.OpenFile(growing, os.O_APPEND|os.O_WRONLY, 0)
		f.Write([]byte("more"))
		f.Close()
	}}
	stable, moving, err := Settle(files, time.Hour, clock)
	if err != nil {
		t.Fatal(err)
	}
	if slept != time.Hour || len(stable) != 1 || stable[0].Name != "p/still.csv" || len(moving) != 1 || moving[0].Name != "p/growing.csv" {
		t.Errorf("slept %v, stable %v, moving %v", slept, stable, moving)
	}
	data, err := ReadSettled(stable[0])
	if err != nil || string(data) != "a" {
		t.Errorf("ReadSettled: %q %v", data, err)
	}
	os.WriteFile(still, []byte("changed"), 0o600)
	if _, err := ReadSettled(stable[0]); err != ErrChanged {
		t.Errorf("a file changed after the looks gave %v", err)
	}
	// A quiet inbox (nothing modified within the wait) costs no waiting.
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(still, old, old)
	os.Chtimes(growing, old, old)
	slept = 0
	if _, _, err := Settle(files, time.Hour, Clock{Sleep: func(d time.Duration) { slept = d }}); err != nil || slept != 0 {
		t.Errorf("waited %v on a quiet inbox (%v)", slept, err)
	}
}

func TestArchiveKeepsTheAcceptedBytes(t *testing.T) {
	dir := t.TempDir()
	data := []byte("case_id\nA\n")
	s := &Submission{Partner: "p", Quarter: period.Quarter{Year: 2026, Q: 1}, SHA256: sha256Hex(data)}
	rel, err := Archive(dir, s, data)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dir, rel))
	di, _ := os.Stat(filepath.Dir(filepath.Join(dir, rel)))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("archive modes %v %v", fi.Mode(), di.Mode())
	}
	e := &Entry{Name: "p/2026Q1.csv", SHA256: s.SHA256, Archive: rel}
	if back, err := ReadArchived(dir, e); err != nil || string(back) != string(data) {
		t.Errorf("ReadArchived: %q %v", back, err)
	}
	os.WriteFile(filepath.Join(dir, rel), []byte("tampered"), 0o600)
	if _, err := ReadArchived(dir, e); err == nil {
		t.Error("a changed archive copy was read")
	}
}

// TestManifestSavesOnlyChanges: a manifest that holds what its file holds
// is not written again (a quarter of unchanged files leaves the state
// folder alone); a change, or another folder, is written.
func TestManifestSavesOnlyChanges(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Version: manifestVersion}
	m.Add(&Entry{Name: "p/2026Q1.csv", Partner: "p", Quarter: "2026Q1", SHA256: "a", Outcome: Accepted})
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ManifestFile)
	stat := func() os.FileInfo {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	loaded, err := LoadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Every write is a new file renamed into place: another file.
	before := stat()
	if err := loaded.Save(dir); err != nil || !os.SameFile(stat(), before) {
		t.Fatalf("an unchanged manifest was written again (%v)", err)
	}
	loaded.Files[0].Stamp = &Stamp{Size: 1, Inode: 2, Changed: 3}
	if err := loaded.Save(dir); err != nil || os.SameFile(stat(), before) {
		t.Fatalf("a changed manifest was not written (%v)", err)
	}
	if again, err := LoadManifest(dir); err != nil || again.Files[0].Stamp == nil || *again.Files[0].Stamp != *loaded.Files[0].Stamp {
		t.Fatalf("the stamp did not survive the round trip: %+v, %v", again.Files[0].Stamp, err)
	}
	other := t.TempDir()
	if err := loaded.Save(other); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(other, ManifestFile)); err != nil {
		t.Errorf("saved to another folder: %v", err)
	}
}
