package bench

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLinkInbox links a network's inbox without its last quarter, then
// adds it: every file ends up in the second inbox as the same file (a
// hard link, not a copy), and the held-back file only once it is added.
func TestLinkInbox(t *testing.T) {
	net, dir := t.TempDir(), t.TempDir()
	files := []string{"gent/2026Q2.csv", "gent/2026Q3.csv", "liege/2026Q3.csv"}
	for _, f := range files {
		path := filepath.Join(net, "inbox", f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	last := func(p string) bool { return filepath.Base(p) == "2026Q3.csv" }
	if err := linkInbox(net, dir, func(p string) bool { return !last(p) }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "inbox", "gent", "2026Q3.csv")); !os.IsNotExist(err) {
		t.Errorf("the last quarter's file is there before it is added: %v", err)
	}
	if err := linkInbox(net, dir, last); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		a, err := os.Stat(filepath.Join(net, "inbox", f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(filepath.Join(dir, "inbox", f))
		if err != nil {
			t.Fatalf("%s is not in the second inbox: %v", f, err)
		}
		if !os.SameFile(a, b) {
			t.Errorf("%s is a copy, not a link", f)
		}
	}
}

// TestMeasureLimitOfSomeFiles: DuckDB's read and write is measured on the
// files the filter keeps (the quarterly run's new quarter), not the inbox.
func TestMeasureLimitOfSomeFiles(t *testing.T) {
	dir := t.TempDir()
	rows := map[string]string{"gent/2026Q2.csv": "a,b\n1,2\n", "gent/2026Q3.csv": "a,b\n1,2\n3,4\n", "liege/2026Q3.csv": "a;b\n5;6\n7;8\n9;0\n"}
	for f, data := range rows {
		path := filepath.Join(dir, "inbox", f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	net := &network{dir: dir, work: t.TempDir()}
	tr := &trash{dir: filepath.Join(t.TempDir(), "trash")}
	for _, c := range []struct {
		name        string
		keep        func(string) bool
		files, rows int
	}{
		{"every file", nil, 3, 6},
		{"the last quarter", func(p string) bool { return filepath.Base(p) == "2026Q3.csv" }, 2, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			lim, err := measureLimit(t.Context(), net, c.keep, tr)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(net.work, "duckdb-limit")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("DuckDB's files were left in the run folder: %v", err)
			}
			if lim.Files != c.files || lim.Rows != c.rows {
				t.Errorf("%d files, %d rows; want %d, %d", lim.Files, lim.Rows, c.files, c.rows)
			}
		})
	}
}
