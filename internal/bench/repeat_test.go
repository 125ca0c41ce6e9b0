package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"doorstroom/internal/probe"
)

// run is a measured run whose ingest through snapshot took its seconds
// (all of it reading) and DuckDB's read and write lim seconds (none: 0).
func run(its, lim float64) measured {
	m := measured{rep: &Report{Steps: []probe.Result{{Name: probe.ReadValidate, Elapsed: time.Duration(its * float64(time.Second))}}}}
	if lim > 0 {
		m.lim = &Limit{Elapsed: time.Duration(lim * float64(time.Second))}
	}
	return m
}

// TestMedianRun: the run shown is the one with the median ratio, not the
// median seconds of either side, and without DuckDB the median seconds.
func TestMedianRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []measured
		want int
	}{
		{"one run", []measured{run(7, 4)}, 0},
		// Ratios 1.88, 1.76, 2.26: the first is the median. By seconds
		// alone the second (7.65) would be.
		{"three runs", []measured{run(7.52, 4.01), run(7.65, 4.36), run(9.01, 3.99)}, 0},
		{"three runs, median last", []measured{run(9, 4), run(6, 4), run(7, 4)}, 2},
		{"two runs: the lower", []measured{run(9, 4), run(8, 4)}, 1},
		{"no DuckDB: by seconds", []measured{run(9, 0), run(7, 0), run(8, 0)}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := medianRun(tc.runs); got.rep != tc.runs[tc.want].rep {
				t.Errorf("median is the run of ratio %.2f, want %.2f", got.ratio(), tc.runs[tc.want].ratio())
			}
		})
	}
}

func TestPrintRepeats(t *testing.T) {
	var b bytes.Buffer
	printRepeats(&b, []measured{run(7.52, 4.01), run(7.65, 4.36), run(9.01, 3.99)})
	want := "3 runs, each followed by DuckDB's: ingest through snapshot 7.52 / 7.65 / 9.01 s against 4.01 / 4.36 / 3.99 s = 1.88× / 1.75× / 2.26×; the table is the median run\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// TestCopyTree: a run's state is copied whole (folders, files, their
// modes), as files of their own: writing to the copy leaves the original
// as it was.
func TestCopyTree(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{"out/warehouse.duckdb": "db", "out/site/index.html": "<html>", "state/archive/gent/2026Q2.csv": "a;b", "report.json": "{}"}
	for f, data := range files {
		path := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	for f, data := range files {
		got, err := os.ReadFile(filepath.Join(dst, f))
		if err != nil || string(got) != data {
			t.Fatalf("%s: %q, %v; want %q", f, got, err, data)
		}
		a, _ := os.Stat(filepath.Join(src, f))
		b, _ := os.Stat(filepath.Join(dst, f))
		if os.SameFile(a, b) || a.Mode() != b.Mode() {
			t.Errorf("%s: the same file %v, modes %v and %v", f, os.SameFile(a, b), a.Mode(), b.Mode())
		}
	}
	if err := os.WriteFile(filepath.Join(dst, "out/site/index.html"), []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(src, "out/site/index.html")); string(got) != "<html>" {
		t.Errorf("writing the copy changed the original: %q", got)
	}
	if err := os.Symlink("report.json", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	if err := copyTree(src, filepath.Join(t.TempDir(), "again")); err == nil {
		t.Error("a symbolic link was copied without a word")
	}
}
