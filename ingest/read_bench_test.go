package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
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

// BenchmarkDecode is the decoding part of BenchmarkRead on the same file:
// Windows-1252 to UTF-8 and splitting the CSV records, without mapping,
// parsing or validating a cell. Read minus Decode is the validation.
func BenchmarkDecode(b *testing.B) {
	dir := b.TempDir()
	last := period.Quarter{Year: 2026, Q: 1}
	if _, err := demogen.Generate(demogen.Options{Partners: 2, Quarters: 1, Last: last, Seed: 1, Trajectories: 100000}, dir); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "inbox", "gent", "2026Q1.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	rows := 0
	for b.Loop() {
		text, _, err := decode(data)
		if err != nil {
			b.Fatal(err)
		}
		cr := csv.NewReader(bytes.NewReader(lineEnds(text)))
		cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sniffDelimiter(text), -1, true
		for {
			if _, err := cr.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
