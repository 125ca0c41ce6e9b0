package main

import (
	"database/sql"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestIdempotentRuns runs the same quarters three times: the second run
// reuses both quarters, the third (--full) makes them again and finds
// them unchanged. Each leaves every snapshot byte for byte, the site
// byte for byte (a page that showed a build time would be compared
// without it), and the warehouse with the same rows in every table.
func TestIdempotentRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline runs")
	}
	work := t.TempDir()
	n := newSmallNetwork(t, filepath.Join(work, "net"))
	state := filepath.Join(work, "state")
	cfg := n.config(t, state, "")
	out := filepath.Join(state, "out")
	if r := runBinary(t, nil, "run", "--config", cfg); r.code != 0 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	first := map[string]map[string][32]byte{
		"snapshots": treeSums(t, filepath.Join(out, "snapshots")),
		"site":      treeSums(t, filepath.Join(out, "site")),
	}
	tables := warehouseRows(t, filepath.Join(out, "warehouse.duckdb"))
	if len(tables) < 8 {
		t.Errorf("the warehouse has %d tables", len(tables))
	}
	for _, again := range []struct {
		name string
		args []string
		says string
	}{
		{"second run", nil, "2 quarters unchanged since their release, reused"},
		{"full run", []string{"--full"}, "0 new, 2 unchanged, 0 corrected"},
	} {
		r := runBinary(t, nil, append([]string{"run", "--config", cfg}, again.args...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", again.name, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, again.says) {
			t.Errorf("the %s does not say %q:\n%s", again.name, again.says, r.stdout)
		}
		for name, sums := range first {
			if d := diffSums(sums, treeSums(t, filepath.Join(out, name))); d != "" {
				t.Errorf("the %s changed %s: %s", again.name, name, d)
			}
		}
		rows := warehouseRows(t, filepath.Join(out, "warehouse.duckdb"))
		for name, want := range tables {
			if rows[name] != want {
				t.Errorf("the %s changed the rows of table %s", again.name, name)
			}
		}
	}
}

// warehouseRows dumps every table of a warehouse file (the quarters'
// tables too, as quarters.<table>), rows sorted, as one string per table.
func warehouseRows(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := queryStrings(t, db, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1")
	out := map[string]string{}
	for _, name := range names {
		schema, table, _ := strings.Cut(name, ".")
		dump := queryStrings(t, db, fmt.Sprintf(`SELECT string_agg(r, chr(10) ORDER BY r) FROM (SELECT CAST(t AS VARCHAR) AS r FROM %q.%q t)`, schema, table))
		out[name] = strings.Join(dump, "")
	}
	return out
}

// TestHostileInbox publishes a small network's releases, then fills its
// inbox with what a careless or hostile partner could put there: a
// symbolic link instead of a file, a folder that links out of the inbox,
// folder and file names that are no partner or quarter, a file over the
// size limit, a binary file and a file mixing encodings. The next run
// answers each clearly, keeps every partner's last accepted file in force,
// publishes exactly the same releases, and leaves the inbox as it was.
func TestHostileInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline runs")
	}
	work := t.TempDir()
	n := newSmallNetwork(t, filepath.Join(work, "net"))
	state := filepath.Join(work, "state")
	cfg := n.config(t, state, "")
	limit := []string{"DOORSTROOM_INGEST_MAX_FILE_MB=1"}
	if r := runBinary(t, limit, "run", "--config", cfg); r.code != 0 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	snapshots := filepath.Join(state, "out", "snapshots")
	before := releaseDigests(t, snapshots)

	inbox := filepath.Join(n.dir, "inbox")
	outside := filepath.Join(work, "outside")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(outside, 0o700))
	must(os.WriteFile(filepath.Join(outside, "2026Q3.csv"), []byte("secret,85.07.30-033.28\n"), 0o600))
	gent := filepath.Join(inbox, "gent", "2026Q3.csv")
	must(os.Rename(gent, filepath.Join(outside, "gent.csv")))
	must(os.Symlink(filepath.Join(outside, "gent.csv"), gent))
	must(os.Symlink(outside, filepath.Join(inbox, "evil")))
	must(os.MkdirAll(filepath.Join(inbox, "gent%2f..%2f..%2fetc"), 0o700))
	must(os.WriteFile(filepath.Join(inbox, "gent%2f..%2f..%2fetc", "2026Q3.csv"), []byte("x"), 0o600))
	must(os.WriteFile(filepath.Join(inbox, "antwerpen", "2026Q3.csv.exe"), []byte("MZ\x00\x01"), 0o600))
	must(os.WriteFile(filepath.Join(inbox, "antwerpen", "2026Q3.csv"), []byte(strings.Repeat("x", 2<<20)+"\n"), 0o644))
	must(os.WriteFile(filepath.Join(inbox, "brussel", "2026Q3.csv"), []byte("\x7fELF\x02\x01\x01\x00\x00\x00binary"), 0o644))
	must(os.WriteFile(filepath.Join(inbox, "liege", "2026Q3.csv"), append([]byte("case_id;sexe\nLIE-1;é\n"), 0xE9, '\n'), 0o644))
	inboxBefore := treeSums(t, inbox)

	r := runBinary(t, limit, "run", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("run on the hostile inbox: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"inbox: gent/2026Q3.csv left alone: symbolic link",
		"inbox: evil left alone: not a partner folder",
		"inbox: gent%2f..%2f..%2fetc left alone: folder name is not a valid partner code",
		"inbox: antwerpen/2026Q3.csv.exe left alone: name is not <YYYY>Q<n>.csv",
		"inbox: antwerpen/2026Q3.csv rejected with 1 errors",
		"inbox: brussel/2026Q3.csv rejected with 1 errors",
		"inbox: liege/2026Q3.csv rejected with 1 errors",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the run does not say %q:\n%s", want, r.stdout)
		}
	}
	for partner, rule := range map[string]string{"antwerpen": "file_too_large", "brussel": "file_binary", "liege": "file_mixed_encoding"} {
		answer, err := os.ReadFile(filepath.Join(state, "outbox", partner, "2026Q3.answer.csv"))
		if err != nil || !strings.Contains(string(answer), rule) {
			t.Errorf("%s's answer does not name %s: %v\n%s", partner, rule, err, answer)
		}
	}
	if got := releaseDigests(t, snapshots); !maps.Equal(got, before) {
		t.Errorf("the hostile inbox changed the releases: %v, before %v", got, before)
	}
	if d := diffSums(inboxBefore, treeSums(t, inbox)); d != "" {
		t.Errorf("the run changed the inbox: %s", d)
	}
	if strings.Contains(r.stdout+r.stderr, "033.28") {
		t.Error("the run read the file a symbolic link points to")
	}
}

// TestReadOnlyAndFullOutputs runs a correction into an out folder that is
// read-only, then one that is nearly full (a small tmpfs, as root, or a
// chmod otherwise for the read-only case): each run fails with one clear
// line, the published warehouse and site stay byte for byte as they
// were, and every release is whole: the previous one, or a new one with
// the previous kept in superseded/. Once there is room again the next run
// completes.
func TestReadOnlyAndFullOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline runs")
	}
	work := t.TempDir()
	n := newSmallNetwork(t, filepath.Join(work, "net"))
	base := filepath.Join(work, "base")
	if r := runBinary(t, nil, "run", "--config", n.config(t, base, ""), "--quarter", "2026Q2"); r.code != 0 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(n.replacement)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(n.dir, "inbox", "gent", "2026Q2.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	published := func(out string) map[string][32]byte {
		sums := map[string][32]byte{}
		for k, v := range treeSums(t, filepath.Join(out, "site")) {
			sums["site/"+k] = v
		}
		for k, v := range warehouseFiles(t, out) {
			sums[k] = v
		}
		return sums
	}
	oneLine := regexp.MustCompile(`^doorstroom run: [^\n]+\n$`)

	t.Run("read-only", func(t *testing.T) {
		dir := filepath.Join(work, "ro")
		copyTree(t, base, dir)
		out := filepath.Join(dir, "out")
		before, releases := published(out), treeSums(t, filepath.Join(out, "snapshots"))
		undo := makeReadOnly(t, out)
		r := runBinary(t, nil, "run", "--config", n.config(t, dir, ""))
		t.Logf("read-only: %s", strings.TrimSpace(r.stderr))
		if r.code != 1 || !oneLine.MatchString(r.stderr) || !strings.Contains(r.stderr, "read-only") && !strings.Contains(r.stderr, "permission denied") {
			t.Errorf("run into a read-only out: exit %d, stderr %q; want exit 1 and one line naming the cause", r.code, r.stderr)
		}
		if d := diffSums(before, published(out)); d != "" {
			t.Errorf("outputs changed: %s", d)
		}
		checkReleasesKept(t, out, releases)
		undo()
		if r := runBinary(t, nil, "run", "--config", n.config(t, dir, "")); r.code != 0 {
			t.Errorf("the run once out is writable again: exit %d: %s", r.code, r.stderr)
		}
	})

	// Free space left on the out folder's file system (the small network's
	// warehouse is 8 MB, its site 4.4 MB): none at all, enough for the
	// warehouse's working copy but not its checkpoint, enough for that
	// but not the site. The heavy variant tries 0 to 40 MB.
	free := []int64{0, 12 << 20, 19 << 20}
	if os.Getenv("DOORSTROOM_HEAVY") != "" {
		free = nil
		for mb := int64(0); mb <= 40; mb += 2 {
			free = append(free, mb<<20)
		}
	}
	for _, room := range free {
		t.Run(fmt.Sprintf("disk full with %d MB free", room>>20), func(t *testing.T) {
			dir := filepath.Join(work, fmt.Sprintf("full-%d", room>>20))
			out := mountSmall(t, dir, base, room)
			before, releases := published(out), treeSums(t, filepath.Join(out, "snapshots"))
			r := runBinary(t, nil, "run", "--config", n.config(t, dir, ""))
			if r.code == 0 {
				t.Logf("the run fitted in %d MB", room>>20)
				return
			}
			t.Logf("%d MB free: %s", room>>20, strings.TrimSpace(r.stderr))
			if r.code != 1 || !oneLine.MatchString(r.stderr) || !strings.Contains(strings.ToLower(r.stderr), "no space left on device") {
				t.Errorf("run onto a full disk: exit %d, stderr %q; want exit 1 and one line naming the cause", r.code, r.stderr)
			}
			if d := diffSums(before, published(out)); d != "" {
				t.Errorf("outputs changed: %s", d)
			}
			checkReleasesKept(t, out, releases)
			os.Remove(filepath.Join(out, "filler"))
			if r := runBinary(t, nil, "run", "--config", n.config(t, dir, "")); r.code != 0 {
				t.Errorf("the run once there is room again: exit %d: %s", r.code, r.stderr)
			}
		})
	}
}

// makeReadOnly makes the folder unwritable: a read-only tmpfs mount of a
// copy when running as root (who ignores modes), else chmod. It returns
// the undo.
func makeReadOnly(t *testing.T, dir string) func() {
	t.Helper()
	if os.Geteuid() != 0 {
		exec.Command("chmod", "-R", "a-w", dir).Run()
		return func() { exec.Command("chmod", "-R", "u+w", dir).Run() }
	}
	mountTmpfs(t, dir, 64<<20, true)
	remount := func(mode string) {
		if out, err := exec.Command("mount", "-o", "remount,"+mode, dir).CombinedOutput(); err != nil {
			t.Fatalf("remount %s: %v %s", mode, err, out)
		}
	}
	remount("ro")
	return func() { remount("rw") }
}

// mountSmall copies base's folders to dir, with out on a tmpfs that has
// room bytes free after the copy. It skips the test where tmpfs cannot
// be mounted (not root).
func mountSmall(t *testing.T, dir, base string, room int64) string {
	t.Helper()
	copyTree(t, base, dir)
	out := filepath.Join(dir, "out")
	mountTmpfs(t, out, 64<<20, true)
	f, err := os.Create(filepath.Join(out, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	// Fill all but room: write until the disk is full, then cut back.
	chunk := make([]byte, 1<<20)
	var n int64
	for {
		w, err := f.Write(chunk)
		n += int64(w)
		if err != nil {
			break
		}
	}
	if err := f.Truncate(max(0, n-room)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

// mountTmpfs mounts a tmpfs of size bytes over dir, keeping dir's files
// when keep is set, and unmounts it when the test ends.
func mountTmpfs(t *testing.T, dir string, size int64, keep bool) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a tmpfs needs root")
	}
	saved := dir + ".saved"
	if keep {
		if err := os.Rename(dir, saved); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0750", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	if keep {
		if out, err := exec.Command("cp", "-a", saved+"/.", dir).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
	}
}
