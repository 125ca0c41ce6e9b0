package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	_ "github.com/marcboeker/go-duckdb"

	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// demoDir is the committed demo network the end-to-end test runs on.
const demoDir = "../../testdata/demo"

// TestEndToEndDemoQuarter runs the whole quarterly job on the committed
// demo inbox through the command line, into a temporary directory, and
// checks what issue 2 promises: the warehouse holds exactly the accepted
// rows, no raw case number reaches any byte under out/, pages load no
// remote script, the inbox is untouched, and the metrics equal those this
// test computes itself from the partners' files.
func TestEndToEndDemoQuarter(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run")
	}
	work := t.TempDir()
	inbox, _ := filepath.Abs(filepath.Join(demoDir, "inbox"))
	before := hashTree(t, inbox)

	cfg := filepath.Join(work, "network.yaml")
	demoCfg, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := fmt.Sprintf("\npaths:\n  inbox: %s\n  outbox: %s\n  quarantine: %s\n  out: %s\n  state: %s\n",
		inbox, filepath.Join(work, "outbox"), filepath.Join(work, "quarantine"), filepath.Join(work, "out"), filepath.Join(work, "state"))
	if err := os.WriteFile(cfg, append(stripPaths(demoCfg), paths...), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch(context.Background(), []string{"run", "--config", cfg}, &stdout, &stderr); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr.String())
	}
	t.Log(stdout.String())
	out := filepath.Join(work, "out")

	// The expected values come from the canonical rendering of the same
	// network (same seed), parsed here with encoding/csv alone.
	canonical := canonicalDemo(t, work)
	last, _ := period.Parse("2026Q3")
	rows := readCanonical(t, canonical, last)

	t.Run("inbox untouched", func(t *testing.T) {
		if after := hashTree(t, inbox); !maps.Equal(before, after) {
			t.Error("the run changed the inbox")
		}
	})

	db, err := sql.Open("duckdb", filepath.Join(out, "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("warehouse rows equal accepted rows", func(t *testing.T) {
		for _, table := range []string{"register", "trajectories"} {
			var n int
			if err := db.QueryRow("SELECT count(*) FROM "+table+" WHERE quarter = ?", last.String()).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(rows) {
				t.Errorf("%s has %d rows for %s; the inbox has %d accepted rows", table, n, last, len(rows))
			}
		}
	})

	t.Run("doorstroom audit finds nothing", func(t *testing.T) {
		var so, se bytes.Buffer
		if code := dispatch(context.Background(), []string{"audit", "--config", cfg, out, filepath.Join(work, "outbox")}, &so, &se); code != 0 {
			t.Errorf("audit of the demo release exited %d:\n%s%s", code, so.String(), se.String())
		}
		t.Log(so.String())
	})

	t.Run("no raw case id under out", func(t *testing.T) {
		ids := allCaseIDs(t, canonical)
		pattern := regexp.MustCompile(`[A-Z]{3}-\d{4}-\d{5}`)
		filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range pattern.FindAll(data, -1) {
				if ids[string(m)] {
					t.Errorf("%s contains the raw case id %s", path, m)
				}
			}
			return nil
		})
		// DuckDB and Parquet compress strings, so also look at every
		// string value the warehouse and the snapshots hold.
		for _, src := range []string{"register", "trajectories", "metrics", "metrics_published",
			fmt.Sprintf("read_parquet('%s/snapshots/*/*.parquet', union_by_name=true)", out)} {
			for _, v := range stringValues(t, db, src) {
				for _, m := range pattern.FindAllString(v, -1) {
					if ids[m] {
						t.Errorf("%s holds the raw case id %s", src, m)
					}
				}
			}
		}
	})

	t.Run("no remote script or style", func(t *testing.T) {
		remote := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`)
		pages := 0
		filepath.WalkDir(filepath.Join(out, "site"), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
				return err
			}
			pages++
			data, _ := os.ReadFile(path)
			if m := remote.Find(data); m != nil {
				t.Errorf("%s references a remote resource: %s", path, m)
			}
			return nil
		})
		if pages == 0 {
			t.Error("no pages written")
		}
		if _, err := os.Stat(filepath.Join(out, "site", "assets", "echarts.min.js")); err != nil {
			t.Errorf("ECharts is not served from the site: %v", err)
		}
	})

	t.Run("metrics equal the test's own computation", func(t *testing.T) {
		want, covered := expectedMetrics(rows, last)
		got := warehouseMetrics(t, db, last)
		for k := range got {
			if !covered[strings.SplitN(k, "|", 2)[0]] {
				delete(got, k) // a metric this test does not compute itself
			}
		}
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g, ok := got[k]
			if !ok {
				t.Errorf("%s: missing from the warehouse", k)
				continue
			}
			if math.Abs(g-want[k]) > 1e-9 {
				t.Errorf("%s = %v, want %v", k, g, want[k])
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: in the warehouse but not expected", k)
			}
		}
	})
}

// stripPaths removes the paths block of the demo configuration, which the
// test replaces.
func stripPaths(cfg []byte) []byte {
	var out []string
	skip := false
	for _, line := range strings.Split(string(cfg), "\n") {
		if strings.HasPrefix(line, "paths:") {
			skip = true
			continue
		}
		if skip && strings.HasPrefix(line, "  ") {
			continue
		}
		skip = false
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

// canonicalDemo regenerates the committed demo network in the canonical
// dialect, from the options recorded in its demo.json.
func canonicalDemo(t *testing.T, work string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(demoDir, "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var desc struct {
		Options demogen.Options `json:"options"`
		Last    string          `json:"last"`
	}
	if err := json.Unmarshal(data, &desc); err != nil {
		t.Fatal(err)
	}
	o := desc.Options
	o.Last, _ = period.Parse(desc.Last)
	o.Canonical = true
	dir := filepath.Join(work, "canonical")
	if _, err := demogen.Generate(o, dir); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "inbox")
}

// csvRow is one canonical export row by header name.
type csvRow map[string]string

func readCanonical(t *testing.T, inbox string, q period.Quarter) []csvRow {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(inbox, "*", q.String()+".csv"))
	var rows []csvRow
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		partner := filepath.Base(filepath.Dir(f))
		for _, rec := range recs[1:] {
			r := csvRow{"partner": partner}
			for i, h := range recs[0] {
				r[h] = rec[i]
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func allCaseIDs(t *testing.T, inbox string) map[string]bool {
	ids := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(inbox, "*", "*.csv"))
	for _, f := range files {
		fh, _ := os.Open(f)
		recs, _ := csv.NewReader(fh).ReadAll()
		fh.Close()
		for _, rec := range recs[1:] {
			ids[rec[0]] = true
		}
	}
	if len(ids) == 0 {
		t.Fatal("no case ids found")
	}
	return ids
}

func warehouseMetrics(t *testing.T, db *sql.DB, q period.Quarter) map[string]float64 {
	rs, err := db.Query("SELECT metric, partner, breakdown, value, numerator, denominator FROM metrics WHERE quarter = ?", q.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	got := map[string]float64{}
	for rs.Next() {
		var m, p, b string
		var v, n, d sql.NullFloat64
		if err := rs.Scan(&m, &p, &b, &v, &n, &d); err != nil {
			t.Fatal(err)
		}
		for field, x := range map[string]sql.NullFloat64{"value": v, "numerator": n, "denominator": d} {
			if x.Valid {
				got[m+"|"+p+"|"+b+"|"+field] = x.Float64
			}
		}
	}
	return got
}

// stringValues returns every non-null string value of a table or table
// expression.
func stringValues(t *testing.T, db *sql.DB, src string) []string {
	rs, err := db.Query("SELECT * FROM " + src)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func hashTree(t *testing.T, dir string) map[string][32]byte {
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
