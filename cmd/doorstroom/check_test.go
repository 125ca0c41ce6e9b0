package main

import (
	"bytes"
	"context"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-check", false, "rewrite the golden files of doorstroom check")

// TestCheckGolden runs doorstroom check on demo and corpus files and
// compares its output with testdata/check/<name>.golden, and its exit
// status with the table.
func TestCheckGolden(t *testing.T) {
	const corpus = "../../testdata/ingest"
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"demo-accepted-dutch", []string{"--config", "demo.yaml", demoDir + "/inbox/gent/2026Q3.csv"}, 0},
		{"demo-flawed-french", []string{"--config", "demo.yaml", demoDir + "/inbox/charleroi/2025Q3.csv"}, 1},
		{"demo-flawed-lang-override", []string{"--config", "demo.yaml", "--lang", "en", demoDir + "/inbox/charleroi/2025Q3.csv"}, 1},
		{"corpus-many-errors-dutch", []string{"--quarter", "2026Q1", "--lang", "nl", corpus + "/bad/many-errors-at-once.csv"}, 1},
		{"corpus-identifiers-never-repeated", []string{"--quarter", "2026Q1", corpus + "/bad/identifier-national-number-in-extra-column.csv", corpus + "/bad/identifier-header-name.csv"}, 1},
		{"corpus-good-and-bad", []string{"--quarter", "2026Q1", "--lang", "fr", corpus + "/good/liege-french-headers-and-labels.csv", corpus + "/bad/dates-month-first.csv"}, 1},
		{"corpus-all-good", []string{"--quarter", "2026Q1", corpus + "/good/charleroi-utf16-tab.csv", corpus + "/good/gent-excel-semicolon-cp1252-dutch.csv"}, 0},
		{"no-quarter", []string{corpus + "/bad/empty.csv"}, 2},
		{"bad-language", []string{"--lang", "de", "--quarter", "2026Q1", corpus + "/bad/empty.csv"}, 2},
		{"no-file", []string{"--quarter", "2026Q1"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := dispatch(context.Background(), append([]string{"check"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			got := stdout.String() + stderr.String()
			golden := filepath.Join("testdata", "check", tt.name+".golden")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

// TestCheckWritesNothing runs check from an empty working directory on a
// copy of a file and makes sure no file appeared anywhere it could write.
func TestCheckWritesNothing(t *testing.T) {
	src, err := os.ReadFile(demoDir + "/inbox/charleroi/2025Q3.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox", "charleroi")
	os.MkdirAll(inbox, 0o755)
	file := filepath.Join(inbox, "2025Q3.csv")
	os.WriteFile(file, src, 0o644)
	work := filepath.Join(dir, "work")
	os.MkdirAll(work, 0o755)
	t.Chdir(work)
	before := hashTree(t, dir)
	var stdout, stderr bytes.Buffer
	if code := dispatch(context.Background(), []string{"check", "--config", "demo.yaml", file}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "charleroi/2025Q3.csv: Refusé") {
		t.Errorf("answer: %s", stdout.String())
	}
	after := hashTree(t, dir)
	if !maps.Equal(before, after) {
		t.Errorf("check wrote files: before %d, after %d", len(before), len(after))
	}
	entries, _ := os.ReadDir(work)
	if len(entries) != 0 {
		t.Errorf("check created %v in the working directory", entries)
	}
}
