package warehouse

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// keyOrder is the order of the test tables' rows.
var keyOrder = []string{"partner", "pseudonym"}

// inKeyOrder sorts rows on keyOrder.
func inKeyOrder(rows []testRow) []testRow {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b testRow) int {
		if c := strings.Compare(a.partner, b.partner); c != 0 {
			return c
		}
		return strings.Compare(a.pseudonym, b.pseudonym)
	})
	return rows
}

// TestDigestLoaded digests batches as they are loaded and holds the
// digest equal to the reference digest of the loaded table, row by row
// through database/sql; batches that cannot stand in for a read-back
// give none.
func TestDigestLoaded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rows := inKeyOrder(sampleRows(3000))
	recs := []arrow.Record{record(t, "2026Q3", rows[:1000]), record(t, "2026Q3", rows[1000:])}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if err := f.w.ReplaceQuarter(ctx, "cases", "2026Q3", testSchema, recs); err != nil {
		t.Fatal(err)
	}
	query := "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3'"
	cols, err := f.w.Columns(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	want, n, err := f.w.rowsDigest(ctx, cols, query)
	if err != nil {
		t.Fatal(err)
	}
	l := DigestLoaded(testSchema, recs, keyOrder)
	if l == nil || l.RowsSHA256 != want || l.Rows != n || !l.describes(cols, keyOrder) {
		t.Fatalf("loaded %+v; the table's digest %s of %d rows, columns %v", l, want, n, cols)
	}

	tie := inKeyOrder(append(sampleRows(10), sampleRows(1)...))
	unsorted := sampleRows(10)
	dated := arrow.NewSchema([]arrow.Field{{Name: "partner", Type: arrow.BinaryTypes.String},
		{Name: "pseudonym", Type: arrow.BinaryTypes.String}, {Name: "at", Type: arrow.FixedWidthTypes.Timestamp_us}}, nil)
	for _, tc := range []struct {
		name   string
		schema *arrow.Schema
		recs   []arrow.Record
		order  []string
	}{
		{"two rows with the same key", testSchema, []arrow.Record{record(t, "2026Q3", tie)}, keyOrder},
		{"not in order", testSchema, []arrow.Record{record(t, "2026Q3", unsorted)}, keyOrder},
		{"out of order across batches", testSchema, []arrow.Record{record(t, "2026Q3", rows[1000:]), record(t, "2026Q3", rows[:1000])}, keyOrder},
		{"no order", testSchema, []arrow.Record{record(t, "2026Q3", rows)}, nil},
		{"an order column that is not there", testSchema, []arrow.Record{record(t, "2026Q3", rows)}, []string{"partner", "case"}},
		{"an order column that is not text", testSchema, []arrow.Record{record(t, "2026Q3", rows)}, []string{"partner", "dvz_talks"}},
		{"the partition column in the order", testSchema, []arrow.Record{record(t, "2026Q3", rows)}, []string{"quarter", "pseudonym"}},
		{"a type the digest does not encode", dated, []arrow.Record{array.NewRecord(dated, []arrow.Array{
			stringArray("gent"), stringArray("p1"), timestampArray(1)}, 1)}, keyOrder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				for _, r := range tc.recs {
					r.Release()
				}
			}()
			if l := DigestLoaded(tc.schema, tc.recs, tc.order); l != nil {
				t.Fatalf("a digest %+v of batches that cannot stand in for the file", l)
			}
		})
	}
}

func stringArray(v string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Append(v)
	return b.NewArray()
}

func timestampArray(v arrow.Timestamp) arrow.Array {
	b := array.NewTimestampBuilder(memory.DefaultAllocator, arrow.FixedWidthTypes.Timestamp_us.(*arrow.TimestampType))
	defer b.Release()
	b.Append(v)
	return b.NewArray()
}

// TestPublishLoaded publishes an InOrder table with the digest of the
// batches it was loaded from. When the file's key columns match, the
// digest is taken as the file's without reading its other columns (a
// digest altered on purpose shows it was); when they do not, or the
// digest does not describe the table, the whole file is read back and
// the rows digest is the file's own.
func TestPublishLoaded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rows := inKeyOrder(sampleRows(2000))
	rec := record(t, "2026Q3", rows)
	defer rec.Release()
	if err := f.w.ReplaceQuarter(ctx, "cases", "2026Q3", testSchema, []arrow.Record{rec}); err != nil {
		t.Fatal(err)
	}
	loaded := DigestLoaded(testSchema, []arrow.Record{rec}, keyOrder)
	if loaded == nil {
		t.Fatal("no digest of rows loaded in their order")
	}
	other := inKeyOrder(sampleRows(1999))
	otherRec := record(t, "2026Q3", other)
	defer otherRec.Release()
	for i, tc := range []struct {
		name   string
		loaded func() *LoadedRows
		// taken: the loaded digest is the release's; else the file's.
		taken bool
	}{
		{"keys confirmed", func() *LoadedRows { return loaded }, true},
		{"keys confirmed, only the keys read", func() *LoadedRows {
			l := *loaded
			l.RowsSHA256 = strings.Repeat("0", 64)
			return &l
		}, true},
		{"other keys", func() *LoadedRows { return DigestLoaded(testSchema, []arrow.Record{otherRec}, keyOrder) }, false},
		{"other columns", func() *LoadedRows {
			l := *loaded
			l.Columns = slices.Clone(l.Columns)
			l.Columns[2].Type = "BIGINT"
			return &l
		}, false},
		{"another order", func() *LoadedRows {
			l := *loaded
			l.Order = []string{"pseudonym", "partner"}
			return &l
		}, false},
		{"none", func() *LoadedRows { return nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.loaded()
			s := f.snapshot(string(rune('A'+i))+"026Q3", created)
			s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3'"
			s.Tables[0].Order, s.Tables[0].InOrder, s.Tables[0].Loaded = keyOrder, true, l
			res := f.publish(s)
			got := res.Manifest.Files[0]
			d, err := f.w.readDigest(ctx, got.Columns, readBack(res.Dir+"/cases.parquet"), keyOrder)
			if err != nil || !d.inOrder {
				t.Fatalf("the file's rows: %v, in order %v", err, d.inOrder)
			}
			want := d.sum
			if tc.taken {
				want = l.RowsSHA256
			}
			if got.RowsSHA256 != want || got.Rows != d.rows || len(res.Resorted) > 0 {
				t.Fatalf("rows digest %s of %d rows (resorted %v), want %s of %d", got.RowsSHA256, got.Rows, res.Resorted, want, d.rows)
			}
			if whole := slices.Equal(res.ReadBack, []string{"cases"}); whole == tc.taken {
				t.Fatalf("read back whole: %v", res.ReadBack)
			}
		})
	}
}
