package warehouse

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// microdataLike are batches shaped like a release's microdata: the
// quarter, a unique pseudonym, 14 text columns of 2 to 50 values each
// and two counts, in batches of RowGroupRows rows.
func microdataLike(b testing.TB, rows int) (*arrow.Schema, []arrow.Record) {
	b.Helper()
	fields := []arrow.Field{{Name: "quarter", Type: arrow.BinaryTypes.String}, {Name: "pseudonym", Type: arrow.BinaryTypes.String}}
	for c := range 14 {
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("code%02d", c), Type: arrow.BinaryTypes.String, Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: "talks", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "visits", Type: arrow.PrimitiveTypes.Int32, Nullable: true})
	schema := arrow.NewSchema(fields, nil)
	var recs []arrow.Record
	for start := 0; start < rows; start += RowGroupRows {
		n := min(RowGroupRows, rows-start)
		bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for i := start; i < start+n; i++ {
			bld.Field(0).(*array.StringBuilder).Append("2026Q3")
			bld.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("%032x", uint64(i)*0x9e3779b97f4a7c15))
			for c := range 14 {
				values := 2 + c*4
				if (i+c)%11 == 0 {
					bld.Field(2 + c).AppendNull()
					continue
				}
				bld.Field(2 + c).(*array.StringBuilder).Append(fmt.Sprintf("value-%d", (i*(c+7))%values))
			}
			bld.Field(16).(*array.Int32Builder).Append(int32(i % 6))
			bld.Field(17).(*array.Int32Builder).Append(int32(i % 4))
		}
		recs = append(recs, bld.NewRecord())
		bld.Release()
	}
	b.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return schema, recs
}

// BenchmarkLoad loads a 500,000-row quarter shaped like the microdata,
// into one table of every quarter as VARCHAR (ReplaceQuarter) and into a
// table of its own with ENUM columns (LoadQuarter, which also finds the
// columns' values); text-columns is that search alone.
func BenchmarkLoad(b *testing.B) {
	schema, recs := microdataLike(b, 500_000)
	ctx := context.Background()
	b.Run("whole-table-varchar", func(b *testing.B) {
		f := newFixture(b)
		for b.Loop() {
			if err := f.w.ReplaceQuarter(ctx, "cases", "2026Q3", schema, recs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("quarter-table-enum", func(b *testing.B) {
		f := newFixture(b)
		for b.Loop() {
			if err := f.w.LoadQuarter(ctx, "cases", "2026Q3", schema, recs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("text-columns", func(b *testing.B) {
		for b.Loop() {
			textColumns(schema, recs)
		}
	})
}
