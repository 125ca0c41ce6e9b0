package warehouse

import (
	"context"
	"fmt"
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
