package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"doorstroom/warehouse"
)

var updateSQL = flag.Bool("update-sql", false, "rewrite the golden files of doorstroom sql")

// runDemoQuarters runs the quarterly job on the committed demo inbox into work and
// returns the out folder.
func runDemoQuarters(t *testing.T, work string, extraConfig string) (out, stdout string) {
	t.Helper()
	inbox, _ := filepath.Abs(filepath.Join(demoDir, "inbox"))
	demoCfg, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := fmt.Sprintf("\npaths:\n  inbox: %s\n  outbox: %s\n  quarantine: %s\n  out: %s\n  state: %s\n",
		inbox, filepath.Join(work, "outbox"), filepath.Join(work, "quarantine"), filepath.Join(work, "out"), filepath.Join(work, "state"))
	cfg := filepath.Join(work, "network.yaml")
	if err := os.WriteFile(cfg, append(append(stripPaths(demoCfg), paths...), extraConfig...), 0o600); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	if code := dispatch(context.Background(), []string{"run", "--config", cfg}, &o, &e); code != 0 {
		t.Fatalf("run exited %d: %s", code, e.String())
	}
	return filepath.Join(work, "out"), o.String()
}

// sqlRun runs doorstroom sql with args and returns its exit code, stdout
// and stderr.
func sqlRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var o, e bytes.Buffer
	code := dispatch(context.Background(), append([]string{"sql"}, args...), &o, &e)
	return code, o.String(), e.String()
}

// TestSQLOnTheDemoRelease runs the demo quarter once and then checks what
// doorstroom sql promises on it: the README's queries give their golden
// answers, an answer agrees with the warehouse, errors carry DuckDB's
// message and position, and no statement can change a snapshot.
func TestSQLOnTheDemoRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo quarter")
	}
	work := t.TempDir()
	out, _ := runDemoQuarters(t, work, "")
	snaps := filepath.Join(out, "snapshots")

	t.Run("golden answers", func(t *testing.T) {
		files, _ := filepath.Glob("testdata/sql/*.sql")
		if len(files) == 0 {
			t.Fatal("no queries in testdata/sql")
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".sql")
			t.Run(name, func(t *testing.T) {
				format := filepath.Ext(name)[1:]
				code, stdout, stderr := sqlRun(t, "--snapshots", snaps, "--format", format, "-f", f)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				golden := strings.TrimSuffix(f, ".sql") + ".golden"
				if *updateSQL {
					os.WriteFile(golden, []byte(stdout), 0o644)
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/doorstroom -run SQL -update-sql to create it)", err)
				}
				if stdout != string(want) {
					t.Errorf("doorstroom sql -f %s:\n%s\nwant (%s):\n%s", f, stdout, golden, want)
				}
			})
		}
	})

	t.Run("-c agrees with the warehouse", func(t *testing.T) {
		code, stdout, stderr := sqlRun(t, "--snapshots", snaps, "--format", "csv", "-c",
			"SELECT quarter, count(*) AS n, count(DISTINCT pseudonym) AS pseudonyms FROM trajectories GROUP BY quarter ORDER BY quarter")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		got, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("duckdb", filepath.Join(out, "warehouse.duckdb")+"?access_mode=read_only")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query("SELECT quarter, count(*)::VARCHAR, count(*)::VARCHAR FROM trajectories GROUP BY quarter ORDER BY quarter")
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"quarter", "n", "pseudonyms"}}
		for rows.Next() {
			var q, n, p string
			rows.Scan(&q, &n, &p)
			want = append(want, []string{q, n, p})
		}
		rows.Close()
		if len(want) != 9 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("sql -c answered\n%v\nthe warehouse holds\n%v", got, want)
		}
	})

	t.Run("errors show the message and position", func(t *testing.T) {
		tests := []struct{ script, want string }{
			{"SELECT nope FROM trajectories", "Binder Error: Referenced column \"nope\" not found in FROM clause!"},
			{"SELECT 1;\nSELECT * FORM metrics", "Parser Error: syntax error at or near \"metrics\"\nat line 2, column 15:\n  SELECT * FORM metrics\n                ^"},
			{"SELECT * FROM nothing_here", "Catalog Error: Table with name nothing_here does not exist!"},
			{"SELECT nope FROM trajectories", "at line 1, column 8:\n  SELECT nope FROM trajectories\n         ^"},
		}
		for _, tc := range tests {
			code, _, stderr := sqlRun(t, "--snapshots", snaps, "-c", tc.script)
			if code != 1 || !strings.HasPrefix(stderr, "doorstroom sql: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("%q: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", tc.script, code, stderr, tc.want)
			}
		}
	})

	t.Run("nothing typed can change a snapshot", func(t *testing.T) {
		before := hashTree(t, out)
		target := filepath.Join(snaps, "quarter=2026Q3", "trajectories.parquet")
		attacks := []string{
			fmt.Sprintf("COPY (SELECT 1 AS x) TO '%s' (FORMAT parquet)", target),
			fmt.Sprintf("COPY trajectories TO '%s'", filepath.Join(work, "copy.csv")),
			fmt.Sprintf("EXPORT DATABASE '%s'", filepath.Join(work, "export")),
			fmt.Sprintf("ATTACH '%s' AS wh", filepath.Join(out, "warehouse.duckdb")),
			fmt.Sprintf("ATTACH '%s' AS fresh", filepath.Join(snaps, "quarter=2026Q3", "new.duckdb")),
			fmt.Sprintf("SELECT * FROM read_text('%s')", filepath.Join(snaps, "quarter=2026Q3", "manifest.json")),
			fmt.Sprintf("SELECT * FROM read_parquet('%s')", target),
			"INSTALL httpfs",
			"LOAD httpfs",
			"SET enable_external_access = true",
			"RESET enable_external_access",
			"SET lock_configuration = false",
			"DELETE FROM snapshots.trajectories",
			"UPDATE snapshots.risk SET k = 1",
			"INSERT INTO snapshots.metrics SELECT * FROM snapshots.metrics",
			"DROP TABLE snapshots.trajectories",
			"CREATE TABLE snapshots.extra AS SELECT 1 AS x",
			"DELETE FROM trajectories",
			fmt.Sprintf("DETACH snapshots; ATTACH '%s' AS snapshots", filepath.Join(work, "x.duckdb")),
			fmt.Sprintf("CREATE TABLE mine AS SELECT * FROM trajectories; COPY mine TO '%s'", filepath.Join(work, "mine.parquet")),
		}
		for _, a := range attacks {
			code, _, stderr := sqlRun(t, "--snapshots", snaps, "-c", a)
			if code != 1 {
				t.Errorf("%q: exit %d, want 1 (stderr %q)", a, code, stderr)
			}
		}
		if after := hashTree(t, out); !maps.Equal(before, after) {
			t.Error("a statement changed a file under out/")
		}
		for _, p := range []string{"copy.csv", "export", "x.duckdb", "mine.parquet"} {
			p = filepath.Join(work, p)
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s was written", p)
			}
		}
	})

	t.Run("the data dictionary describes every published column", func(t *testing.T) {
		readme, err := os.ReadFile(filepath.Join(snaps, "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		ms, err := warehouse.PublishedReleases(snaps)
		if err != nil || len(ms) != 8 {
			t.Fatalf("%d releases, %v", len(ms), err)
		}
		for _, m := range ms {
			if !strings.Contains(string(readme), "| "+m.Quarter+" | `"+m.Release+"` |") {
				t.Errorf("README does not list release %s", m.Release)
			}
			for _, f := range m.Files {
				for _, c := range f.Columns {
					if !strings.Contains(string(readme), "| `"+c.Name+"` | "+c.Type+" | ") {
						t.Errorf("README does not describe %s column %s", f.Table, c.Name)
					}
				}
			}
		}
		if strings.Contains(string(readme), "not described") {
			t.Error("README has a column without description")
		}
	})

	t.Run("a release changed after publication is refused", func(t *testing.T) {
		copied := filepath.Join(t.TempDir(), "snapshots")
		for p := range hashTree(t, snaps) {
			rel, _ := filepath.Rel(snaps, p)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Dir(filepath.Join(copied, rel)), 0o750)
			if strings.HasSuffix(rel, filepath.Join("quarter=2025Q2", "risk.json")) {
				data = bytes.Replace(data, []byte(`"k": 5`), []byte(`"k": 9`), 1)
			}
			if err := os.WriteFile(filepath.Join(copied, rel), data, 0o640); err != nil {
				t.Fatal(err)
			}
		}
		code, _, stderr := sqlRun(t, "--snapshots", copied, "-c", "SELECT 1")
		if code != 1 || !strings.Contains(stderr, "quarter=2025Q2/risk.json differs from its manifest") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})

	t.Run("piped statements", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString("SELECT count(*) AS releases FROM releases;\nSELECT count(*) AS quarters FROM (SELECT DISTINCT quarter FROM metrics);\n")
		w.Close()
		var o, e bytes.Buffer
		err = runSQL(context.Background(), sqlOptions{Snapshots: snaps, Format: "csv", stdin: r}, &o, &e)
		if err != nil || o.String() != "releases\n8\nquarters\n8\n" {
			t.Errorf("piped: %v, output %q", err, o.String())
		}
	})

	t.Run("a re-run leaves every release as it is", func(t *testing.T) {
		before := hashTree(t, snaps)
		_, stdout := runDemoQuarters(t, work, "")
		if !strings.Contains(stdout, "8 quarters unchanged since their release, reused") {
			t.Errorf("re-run said:\n%s", stdout)
		}
		if after := hashTree(t, snaps); !maps.Equal(before, after) {
			t.Error("re-running the same inputs changed the snapshots")
		}
	})

	t.Run("changed parameters publish corrections and keep the old releases", func(t *testing.T) {
		before := hashTree(t, snaps)
		_, stdout := runDemoQuarters(t, work, "\nprivacy:\n  threshold: 10\n")
		if !strings.Contains(stdout, "0 new, 0 unchanged, 8 corrected") {
			t.Errorf("run with threshold 10 said:\n%s", stdout)
		}
		kept := hashTree(t, filepath.Join(out, "superseded"))
		var names []string
		for p, sum := range before {
			if filepath.Base(p) == "README.md" {
				continue
			}
			rel, _ := filepath.Rel(snaps, p)
			q, f := filepath.Split(rel)
			moved := filepath.Join(out, "superseded", q, "version=1", f)
			if kept[moved] != sum {
				t.Errorf("%s was not kept unchanged as %s", rel, moved)
			}
			names = append(names, rel)
		}
		sort.Strings(names)
		code, stdout, stderr := sqlRun(t, "--snapshots", snaps, "--format", "csv", "-c",
			"SELECT min(version) AS lo, max(version) AS hi, min(threshold) AS threshold, count(supersedes_version) AS corrections FROM releases")
		if code != 0 || stdout != "lo,hi,threshold,corrections\n2,2,10,8\n" {
			t.Errorf("releases after the correction: exit %d %q %s", code, stdout, stderr)
		}
		if len(names) != 32 {
			t.Errorf("%d files in 8 releases, want 32", len(names))
		}
	})
}
