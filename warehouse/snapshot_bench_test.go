package warehouse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// BenchmarkPublish publishes a 100,000-row quarter: content digest, Parquet
// export with metadata, hashing, manifest and rename. Each iteration is a
// new quarter, so every one is a real publication.
func BenchmarkPublish(b *testing.B) {
	f := newFixture(b)
	f.load("2026Q3", sampleRows(100_000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := f.snapshot(fmt.Sprintf("9%03dQ1", i), created)
		s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3' ORDER BY pseudonym"
		if _, err := f.w.Publish(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishInOrder is BenchmarkPublish of a quarter loaded in its
// order: written as the warehouse gives it, its order checked on reading
// back, instead of sorted by DuckDB.
func BenchmarkPublishInOrder(b *testing.B) {
	f := newFixture(b)
	rows := sampleRows(100_000)
	slices.SortFunc(rows, func(a, b testRow) int { return strings.Compare(a.pseudonym, b.pseudonym) })
	f.load("2026Q3", rows)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := f.snapshot(fmt.Sprintf("9%03dQ1", i), created)
		s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3'"
		s.Tables[0].Order, s.Tables[0].InOrder = []string{"pseudonym"}, true
		res, err := f.w.Publish(context.Background(), s)
		if err != nil || len(res.Resorted) > 0 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkUnchanged is a re-run of the same 100,000-row quarter: only the
// content digest and the verification of the published files.
func BenchmarkUnchanged(b *testing.B) {
	f := newFixture(b)
	f.load("2026Q3", sampleRows(100_000))
	s := f.snapshot("2026Q3", created)
	if _, err := f.w.Publish(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := f.w.Publish(context.Background(), s)
		if err != nil || res.Outcome != Unchanged {
			b.Fatal(res, err)
		}
	}
}
