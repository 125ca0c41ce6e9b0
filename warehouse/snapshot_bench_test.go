package warehouse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
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

// BenchmarkPublishLoaded is BenchmarkPublishInOrder with the digest of
// the batches the quarter was loaded from, as the pipeline publishes: only
// the order's columns are read back from the file. The digest itself is
// made while the batches load, outside the timer.
func BenchmarkPublishLoaded(b *testing.B) {
	f := newFixture(b)
	rows := sampleRows(100_000)
	slices.SortFunc(rows, func(a, b testRow) int { return strings.Compare(a.pseudonym, b.pseudonym) })
	rec := record(b, "2026Q3", rows)
	defer rec.Release()
	if err := f.w.ReplaceQuarter(context.Background(), "cases", "2026Q3", testSchema, []arrow.Record{rec}); err != nil {
		b.Fatal(err)
	}
	loaded := DigestLoaded(testSchema, []arrow.Record{rec}, []string{"pseudonym"})
	if loaded == nil {
		b.Fatal("no digest of the loaded batches")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := f.snapshot(fmt.Sprintf("9%03dQ1", i), created)
		s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3'"
		s.Tables[0].Order, s.Tables[0].InOrder, s.Tables[0].Loaded = []string{"pseudonym"}, true, loaded
		res, err := f.w.Publish(context.Background(), s)
		if err != nil || len(res.Resorted) > 0 || len(res.ReadBack) > 0 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkDigestLoaded digests the batches of a 100,000-row quarter as
// loading does, while DuckDB inserts them.
func BenchmarkDigestLoaded(b *testing.B) {
	rows := sampleRows(100_000)
	slices.SortFunc(rows, func(a, b testRow) int { return strings.Compare(a.pseudonym, b.pseudonym) })
	rec := record(b, "2026Q3", rows)
	defer rec.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if DigestLoaded(testSchema, []arrow.Record{rec}, []string{"pseudonym"}) == nil {
			b.Fatal("no digest")
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

// BenchmarkDigestMicrodata digests 500,000 rows shaped like the
// microdata (the quarter, a pseudonym, 14 text columns of few values with
// NULLs, two counts), the encoding DigestLoaded spends its time on.
func BenchmarkDigestMicrodata(b *testing.B) {
	schema, recs := microdataLike(b, 500_000)
	var cols []Column
	for _, f := range schema.Fields() {
		cols = append(cols, Column{Name: f.Name, Type: duckType(f.Type)})
	}
	for b.Loop() {
		d := newRowDigester(cols)
		for _, r := range recs {
			d.add(r, nil)
		}
		d.sum()
	}
}
