package warehouse

import (
	"fmt"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestRebatch regroups batches of various sizes into row groups and
// checks the sizes, that every value stays in its place, and that no
// Arrow memory is kept.
func TestRebatch(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	for _, tc := range []struct {
		name  string
		sizes []int
		want  []int
	}{
		{"none", nil, nil},
		{"partner files", []int{20000, 20000, 20000, 20000, 20000, 20000, 20000}, []int{RowGroupRows, 140000 - RowGroupRows}},
		{"aligned already", []int{RowGroupRows, RowGroupRows, 5}, []int{RowGroupRows, RowGroupRows, 5}},
		{"one large batch", []int{300000}, []int{RowGroupRows, RowGroupRows, 300000 - 2*RowGroupRows}},
		{"empty batches among them", []int{0, 100000, 0, 30000}, []int{RowGroupRows, 130000 - RowGroupRows}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			var in []arrow.Record
			next := 0
			for _, n := range tc.sizes {
				b := array.NewRecordBuilder(mem, schema)
				for range n {
					b.Field(0).(*array.Int64Builder).Append(int64(next))
					if next%7 == 0 {
						b.Field(1).AppendNull()
					} else {
						b.Field(1).(*array.StringBuilder).Append(fmt.Sprint("v", next))
					}
					next++
				}
				in = append(in, b.NewRecord())
				b.Release()
			}
			out := rebatch(mem, schema, in)
			for _, r := range in {
				r.Release()
			}
			var sizes []int
			row := 0
			for _, r := range out {
				sizes = append(sizes, int(r.NumRows()))
				ns, ss := r.Column(0).(*array.Int64), r.Column(1).(*array.String)
				for i := range int(r.NumRows()) {
					if ns.Value(i) != int64(row) || ss.IsNull(i) != (row%7 == 0) || !ss.IsNull(i) && ss.Value(i) != fmt.Sprint("v", row) {
						t.Fatalf("row %d: %d %q", row, ns.Value(i), ss.Value(i))
					}
					row++
				}
				r.Release()
			}
			if !slices.Equal(sizes, tc.want) || row != next {
				t.Fatalf("batches of %v (%d rows), want %v (%d)", sizes, row, tc.want, next)
			}
		})
	}
}
