package warehouse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// TestDigestOfWrittenFile: the rows digest of a snapshot query equals
// that of its Parquet file read back (Publish digests the file): the file
// keeps the query's order across row groups and read-back keeps the
// file's, and the staging folder's hive-like name adds no column.
func TestDigestOfWrittenFile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// 300,000 rows: three of DuckDB's row groups, read in parallel.
	if err := f.w.exec(ctx, "CREATE TABLE big AS SELECT i, md5(i::VARCHAR) h, (i % 7)::INTEGER s FROM range(300000) t(i)"); err != nil {
		t.Fatal(err)
	}
	query := "SELECT * FROM big ORDER BY h"
	want, wantN, err := f.w.RowsDigest(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "quarter=2026Q3.123")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "big.parquet")
	if err := f.w.ExportParquet(ctx, query, path, nil); err != nil {
		t.Fatal(err)
	}
	cols, err := f.w.Columns(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	got, gotN, err := f.w.digestAs(ctx, cols, readBack(path))
	if err != nil {
		t.Fatal(err)
	}
	if got != want || gotN != wantN {
		t.Fatalf("file digest %s (%d rows), query digest %s (%d rows)", got, gotN, want, wantN)
	}
}

// TestDigestOfASlice digests a slice of a batch (an offset into its
// buffers and validity bitmap, NULLs in its text and integer columns) as
// the same rows made as a batch of their own: the encoder reads each
// value, and each NULL, at the slice's offset.
func TestDigestOfASlice(t *testing.T) {
	rows := sampleRows(50)
	whole := record(t, "2026Q3", rows)
	defer whole.Release()
	var cols []Column
	for _, f := range testSchema.Fields() {
		cols = append(cols, Column{Name: f.Name, Type: duckType(f.Type)})
	}
	for _, cut := range [][2]int{{0, 50}, {7, 40}, {13, 14}, {9, 50}} {
		t.Run(fmt.Sprintf("rows %d-%d", cut[0], cut[1]), func(t *testing.T) {
			slice := whole.NewSlice(int64(cut[0]), int64(cut[1]))
			defer slice.Release()
			own := record(t, "2026Q3", rows[cut[0]:cut[1]])
			defer own.Release()
			a, b := newRowDigester(cols), newRowDigester(cols)
			a.add(slice, nil)
			b.add(own, nil)
			if got, want := a.sum(), b.sum(); got != want {
				t.Errorf("the slice digests as %s, its rows as %s", got[:12], want[:12])
			}
		})
	}
}
