package warehouse

import (
	"fmt"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// textBatches makes batches of one text column; nil is a NULL.
func textBatches(batches ...[]*string) []arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	var out []arrow.Record
	for _, vals := range batches {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for _, v := range vals {
			if v == nil {
				b.Field(0).AppendNull()
			} else {
				b.Field(0).(*array.StringBuilder).Append(*v)
			}
		}
		out = append(out, b.NewRecord())
		b.Release()
	}
	return out
}

func texts(vals ...string) []*string {
	out := make([]*string, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out
}

// TestDistinctText finds a text column's distinct values in byte order,
// across batches, without NULLs, and gives up past MaxEnumValues, saying
// whether the values were all different until then.
func TestDistinctText(t *testing.T) {
	many := make([]string, MaxEnumValues+1)
	for i := range many {
		many[i] = fmt.Sprintf("v%05d", i)
	}
	for _, tc := range []struct {
		name    string
		batches [][]*string
		want    textColumn
		storage string
	}{
		{"runs and repeats", [][]*string{texts("gent", "gent", "aalst", "gent"), texts("Zele", "aalst")},
			textColumn{enum: []string{"Zele", "aalst", "gent"}}, "ENUM('Zele', 'aalst', 'gent')"},
		{"NULLs and the empty string", [][]*string{{nil, texts("")[0], nil}, texts("*")}, textColumn{enum: []string{"", "*"}}, "ENUM('', '*')"},
		{"NULLs only", [][]*string{{nil, nil}}, textColumn{}, "VARCHAR"},
		{"no rows", [][]*string{{}}, textColumn{}, "VARCHAR"},
		{"at the limit", [][]*string{texts(many[:MaxEnumValues]...), texts(many[0])}, textColumn{enum: many[:MaxEnumValues]}, ""},
		{"one past it, all different", [][]*string{texts(many[:MaxEnumValues]...), {nil}, texts(many[MaxEnumValues])},
			textColumn{unique: true}, "VARCHAR USING COMPRESSION fsst"},
		{"one past it, a value twice", [][]*string{texts(many[:MaxEnumValues]...), texts(many[3], many[MaxEnumValues])},
			textColumn{}, "VARCHAR"},
		{"one past it, a run", [][]*string{texts(many[0]), texts(many[:MaxEnumValues+1]...)}, textColumn{}, "VARCHAR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := textBatches(tc.batches...)
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			got := distinctText(recs, 0)
			if !slices.Equal(got.enum, tc.want.enum) || got.unique != tc.want.unique {
				t.Errorf("distinctText = %d values %.5q, unique %v; want %d %.5q, unique %v",
					len(got.enum), got.enum, got.unique, len(tc.want.enum), tc.want.enum, tc.want.unique)
			}
			if tc.storage != "" && got.storage() != tc.storage {
				t.Errorf("stored as %s, want %s", got.storage(), tc.storage)
			}
		})
	}
}

// TestEnumType quotes every value of the ENUM it writes.
func TestEnumType(t *testing.T) {
	if got, want := enumType([]string{"", "d'Ieteren", "gent"}), `ENUM('', 'd''Ieteren', 'gent')`; got != want {
		t.Errorf("enumType = %s, want %s", got, want)
	}
}
