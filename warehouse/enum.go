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

// enumColumns finds, for each text column of the batches, its distinct non-null values in byte order when there are at
// most MaxEnumValues of them (nil otherwise). Byte order is VARCHAR's
// order, so sorting an ENUM column sorts as its text would. The columns
// are scanned on goroutines of their own, a column giving up at its
// first value past the limit.
func enumColumns(schema *arrow.Schema, recs []arrow.Record) [][]string {
	out := make([][]string, schema.NumFields())
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

// distinctText is the distinct non-null values of column c of the batches,
// sorted, or nil when there are more than MaxEnumValues or none at all.
// A value equal to the one before it is not looked up again: the release
// comes in runs (its partner column, say).
func distinctText(recs []arrow.Record, c int) []string {
	seen := map[string]struct{}{}
	prev, havePrev := "", false
	for _, r := range recs {
		col, ok := r.Column(c).(*array.String)
		if !ok {
			return nil
		}
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) {
				continue
			}
			v := col.Value(i)
			if havePrev && v == prev {
				continue
			}
			prev, havePrev = v, true
			if _, ok := seen[v]; ok {
				continue
			}
			if len(seen) == MaxEnumValues {
				return nil
			}
			seen[strings.Clone(v)] = struct{}{}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	vals := make([]string, 0, len(seen))
	for v := range seen {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	return vals
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
