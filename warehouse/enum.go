package warehouse

import (
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// MaxEnumValues is the most distinct values a text column of a quarter's
// table may have to be stored as a DuckDB ENUM rather than as VARCHAR.
//
// DuckDB 1.1 stores VARCHAR slowly: every string is analysed for its
// compression (dictionary, FSST) and hashed for the column's statistics.
// A 1M-row quarter of the microdata, 16 of whose 18 text columns hold a
// few codes each, took 2.4-2.9 s to insert as VARCHAR and 0.9 s as ENUM,
// and 1.3-1.5 s against 0.6-0.7 s to write as Parquet (an ENUM column is
// written as the same UTF-8 strings; docs/performance.md, ninth round).
// A column with more values (the pseudonym, free text) stays VARCHAR.
const MaxEnumValues = 1024

// textColumn is how a quarter's table stores a text column.
type textColumn struct {
	// enum are the column's distinct values, in byte order, when it is
	// stored as an ENUM of them (nil: VARCHAR).
	enum []string
	// unique is set for a VARCHAR column whose first MaxEnumValues+1
	// values are all different (the pseudonym, one per record): it is
	// stored with FSST, the compression DuckDB picks anyway for the
	// pseudonym's 32 hexadecimal characters. Left to choose, DuckDB also
	// analyses every segment for dictionary compression, hashing each
	// string, which such a column cannot win: a 1M-row microdata loaded
	// in 1.05-1.24 cpu-s instead of 1.25-1.40, to the same size
	// (docs/performance.md, eleventh round).
	unique bool
}

// storage is the column's type in a quarter's table.
func (c textColumn) storage() string {
	switch {
	case c.enum != nil:
		return enumType(c.enum)
	case c.unique:
		return "VARCHAR USING COMPRESSION fsst"
	}
	return "VARCHAR"
}

// textColumns finds, for each text column of the batches, how a quarter's
// table stores it: its distinct non-null values in byte order when there
// are at most MaxEnumValues of them. Byte order is VARCHAR's order, so
// sorting an ENUM column sorts as its text would. The columns are
// scanned on goroutines of their own, a column giving up at its first
// value past the limit. Columns that are not text are left zero.
func textColumns(schema *arrow.Schema, recs []arrow.Record) []textColumn {
	out := make([]textColumn, schema.NumFields())
	var wg sync.WaitGroup
	for c, f := range schema.Fields() {
		if f.Type.ID() != arrow.STRING {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[c] = distinctText(recs, c)
		}()
	}
	wg.Wait()
	return out
}

// distinctText is how column c of the batches is stored: its distinct
// non-null values, sorted, unless there are more than MaxEnumValues or
// none at all, and whether its values were all different up to the
// value past the limit. A value equal to the one before it is not looked
// up again: the release comes in runs (its partner column, say).
func distinctText(recs []arrow.Record, c int) textColumn {
	seen := map[string]struct{}{}
	prev, havePrev := "", false
	repeated := false
	for _, r := range recs {
		col, ok := r.Column(c).(*array.String)
		if !ok {
			return textColumn{}
		}
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) {
				continue
			}
			v := col.Value(i)
			if havePrev && v == prev {
				repeated = true
				continue
			}
			prev, havePrev = v, true
			if _, ok := seen[v]; ok {
				repeated = true
				continue
			}
			if len(seen) == MaxEnumValues {
				return textColumn{unique: !repeated}
			}
			seen[strings.Clone(v)] = struct{}{}
		}
	}
	if len(seen) == 0 {
		return textColumn{}
	}
	vals := make([]string, 0, len(seen))
	for v := range seen {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	return textColumn{enum: vals}
}

// enumType is the DuckDB type of an ENUM of these values.
func enumType(vals []string) string {
	lits := make([]string, len(vals))
	for i, v := range vals {
		lits[i] = Literal(v)
	}
	return "ENUM(" + strings.Join(lits, ", ") + ")"
}

// isEnum reports whether a DuckDB type, as DESCRIBE and duckdb_columns()
// write it, is an ENUM.
func isEnum(duckType string) bool { return strings.HasPrefix(duckType, "ENUM(") }
