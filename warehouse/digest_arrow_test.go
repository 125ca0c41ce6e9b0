package warehouse

import (
	"context"
	"errors"
	"testing"
)

// TestArrowDigestMatchesRows holds the Arrow digest equal to the
// row-by-row reference for every type it encodes, NULLs included, so that
// published releases keep their content digests.
func TestArrowDigestMatchesRows(t *testing.T) {
	f := newFixture(t)
	f.load("2026Q3", sampleRows(2500))
	ctx := context.Background()
	for _, tc := range []struct{ name, query string }{
		{"snapshot table", "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3' ORDER BY pseudonym"},
		{"every integer and float width", `SELECT dvz_talks::TINYINT a, dvz_talks::SMALLINT b, dvz_talks::BIGINT c, dvz_talks::UTINYINT d,
			dvz_talks::USMALLINT e, dvz_talks::UINTEGER f, dvz_talks::UBIGINT g, share::FLOAT h, -share i, NULL::VARCHAR j
			FROM cases ORDER BY pseudonym`},
		{"empty", "SELECT * FROM cases WHERE false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, err := f.w.Columns(ctx, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			want, wantN, err := f.w.rowsDigest(ctx, cols, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, gotN, err := f.w.arrowDigest(ctx, cols, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got != want || gotN != wantN {
				t.Fatalf("arrow digest %s (%d rows), rows digest %s (%d rows)", got, gotN, want, wantN)
			}
		})
	}
	t.Run("other types fall back", func(t *testing.T) {
		q := "SELECT 12345678901234567890::HUGEINT h, INTERVAL 3 DAY i"
		cols, err := f.w.Columns(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.w.arrowDigest(ctx, cols, q); !errors.Is(err, errDigestType) {
			t.Fatalf("error %v, want errDigestType", err)
		}
		if _, n, err := f.w.RowsDigest(ctx, q); err != nil || n != 1 {
			t.Fatalf("RowsDigest: %d rows, %v", n, err)
		}
	})
}
