package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// BenchmarkRead reads one large generated export in a partner dialect
// (Windows-1252, semicolons, day-first dates, Dutch headers and labels)
// and reports rows per second.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	last := period.Quarter{Year: 2026, Q: 1}
	// The second demo partner (gent) writes the Excel dialect.
	if _, err := demogen.Generate(demogen.Options{Partners: 2, Quarters: 1, Last: last, Seed: 1, Trajectories: 100000}, dir); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "inbox", "gent", "2026Q1.csv"))
	if err != nil {
		b.Fatal(err)
	}
	opts := testOptions(b)
	opts.Partner, opts.Quarter = "gent", last
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	rows := 0
	for range b.N {
		s, err := ReadBytes(context.Background(), data, "gent/2026Q1.csv", opts)
		if err != nil {
			b.Fatal(err)
		}
		if s.Status != Accepted {
			b.Fatalf("%s: %v", s.Status, s.Issues[:min(3, len(s.Issues))])
		}
		rows += s.Rows
		s.Release()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
