package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"doorstroom/internal/probe"
)

func TestPrintTable(t *testing.T) {
	net := &network{size: 10000, traj: 10020, partners: 5, files: 40, rows: 43000, bytes: 6 << 20}
	rep := &Report{Elapsed: 10 * time.Second, CPU: 15 * time.Second, PeakRSS: 300 << 20, Steps: []probe.Result{
		{Name: probe.ReadValidate, Rows: 43000, Elapsed: 2 * time.Second, CPU: 4 * time.Second, PeakRSS: 100 << 20},
		{Name: probe.Search, Rows: 42000, Elapsed: 3 * time.Second, CPU: 3 * time.Second},
		{Name: "warehouse", Rows: 84000, Elapsed: time.Second, CPU: 1500 * time.Millisecond},
		{Name: "snapshots", Rows: 42000, Elapsed: time.Second, CPU: 1500 * time.Millisecond},
		{Name: "metrics", Rows: 3600, Elapsed: 2 * time.Second, CPU: 2 * time.Second},
	}}
	var b bytes.Buffer
	printHeader(&b, net)
	printTable(&b, "cold run (8 quarters)", net.rows, rep, &Limit{Files: 40, Rows: 43000, Elapsed: 3500 * time.Millisecond, CPU: 6 * time.Second})
	printTable(&b, "quarterly run", 5000, &Report{Elapsed: 2 * time.Second}, nil)
	out := b.String()
	for _, want := range []string{
		"10k trajectories (10020): 5 partners, 40 files, 43000 rows, 6 MiB",
		"cold run (8 quarters)\n",
		"read+validate  43000 rows     2.00  4.00    21500           100",
		// 10 s less the 9 s the steps account for, and 15 CPU seconds
		// less their 12.
		"other                  1.00  3.00",
		"whole job  43000 rows    10.00  15.00     4300           300",
		// Everything but metrics and dashboards: 2+3+1+1 s, 4+3+1.5+1.5.
		"ingest through snapshot  43000 rows     7.00  10.00",
		"duckdb read_csv + COPY parquet  43000 rows  3.50  6.00  12286",
		"ingest through snapshot / duckdb read+write = 2.00×",
		// The quarterly run's rows are its own, and it has no DuckDB row.
		"quarterly run\n",
		"whole job  5000 rows     2.00     2500",
	} {
		// Columns are aligned: any run of spaces matches any other.
		re := regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(want)), `\s+`))
		if !re.MatchString(out) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "duckdb read_csv") != 1 {
		t.Errorf("the DuckDB limit is not in the cold run's table alone:\n%s", out)
	}
}

func TestAsUTF8(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		copy bool
	}{
		{"utf8", []byte("a;b\né;1\n"), false},
		{"utf8 with BOM", []byte("\xEF\xBB\xBFa;b\n"), false},
		{"windows-1252", []byte("a;b\n\xe9;1\n"), true},
		{"utf-16", []byte{0xFF, 0xFE, 'a', 0, ';', 0, 0xE9, 0, '\n', 0}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(dir, tc.name+".csv")
			if err := os.WriteFile(in, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := asUTF8(in, filepath.Join(dir, tc.name+".utf8.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if (got != in) != tc.copy {
				t.Fatalf("copied %v, want %v", got != in, tc.copy)
			}
			if tc.copy {
				data, _ := os.ReadFile(got)
				if !strings.Contains(string(data), "é") {
					t.Fatalf("copy %q lacks é", data)
				}
			}
		})
	}
}
