package anonymize

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"doorstroom/config"
	"doorstroom/internal/arrowtext"
	"doorstroom/internal/probe"
)

// microdataBatchRows is the size of a microdata batch: DuckDB's row
// group, so that a batch loads as whole row groups without being copied
// into them (warehouse.RowGroupRows, which this package, upstream of the
// warehouse, does not import).
const microdataBatchRows = 122_880

// microdataColumn builds one microdata column for the records at the
// given input positions, in that order; at locates each in its input
// batch.
type microdataColumn func(rows []int32, at []rowRef) arrow.Array

// microdata makes the release's microdata from its input batches, in
// MicrodataOrder: quarter, pseudonym, the generalised partner and
// quasi-identifiers, the published attributes and a class column per
// grouping. Each column is built on its own, so the columns are shared
// among the cores; each reads its input in the published order, which
// is a gather, not a scan.
func (b *builders) microdata(recs []arrow.Record) []arrow.Record {
	refs := rowRefs(recs)
	var pseudonyms []byte
	b.opts.Probe.Step(probe.Pseudonymise, func() error {
		pseudonyms = b.pseudonyms(recs, len(refs))
		b.opts.Probe.Count(probe.Pseudonymise, len(refs))
		return nil
	})
	order := b.publishedOrder(pseudonyms)
	at := make([]rowRef, len(order))
	for p, g := range order {
		at[p] = refs[g]
	}
	cols := b.microdataColumns(recs, pseudonyms)
	batches := (len(order) + microdataBatchRows - 1) / microdataBatchRows
	arrays := make([][]arrow.Array, len(cols)) // by column, then batch
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cols)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(cols); i = int(next.Add(1)) - 1 {
				for k := range batches {
					lo, hi := k*microdataBatchRows, min((k+1)*microdataBatchRows, len(order))
					arrays[i] = append(arrays[i], cols[i](order[lo:hi], at[lo:hi]))
				}
			}
		}()
	}
	wg.Wait()
	out := make([]arrow.Record, batches)
	for k := range out {
		batch := make([]arrow.Array, len(cols))
		for i := range cols {
			batch[i] = arrays[i][k]
		}
		out[k] = array.NewRecord(b.micSchema, batch, int64(batch[0].Len()))
		for _, a := range batch {
			a.Release()
		}
	}
	return out
}

// microdataColumns are the builders of the microdata columns, in
// MicrodataSchema's order.
//
// A column's builder is called for one batch at a time, never for two at
// once; the memo of a derived column relies on that.
func (b *builders) microdataColumns(recs []arrow.Record, pseudonyms []byte) []microdataColumn {
	// source is column input of the record at ref, and its row.
	source := func(input int, ref rowRef) (arrow.Array, int) {
		return recs[ref.batch].Column(input), int(ref.row)
	}
	// text builds a text column from each record's input position and
	// location.
	text := func(value func(g int32, ref rowRef) (string, bool)) microdataColumn {
		return func(rows []int32, at []rowRef) arrow.Array {
			return arrowtext.Build(b.mem, len(rows), func(k int) (string, bool) { return value(rows[k], at[k]) })
		}
	}
	generalised := func(q int) microdataColumn {
		level := b.res.Levels[q]
		return text(func(g int32, _ rowRef) (string, bool) { return b.generalisedValue(q, level, int(g)) })
	}
	quarter := b.opts.Quarter.String()
	cols := []microdataColumn{
		func(rows []int32, _ []rowRef) arrow.Array { return constantText(b.mem, quarter, len(rows)) },
		func(rows []int32, _ []rowRef) arrow.Array {
			sb := array.NewStringBuilder(b.mem)
			defer sb.Release()
			sb.Reserve(len(rows))
			sb.ReserveData(len(rows) * PseudonymLength)
			for _, g := range rows {
				sb.BinaryBuilder.Append(pseudonyms[int(g)*PseudonymLength:][:PseudonymLength])
			}
			return sb.NewArray()
		},
		generalised(0),
	}
	q := 1
	for i, c := range b.f.Columns {
		if c.Publish == nil || c.Role == config.RoleIdentifier {
			continue
		}
		input := i + 1
		dc, derived := b.derived[input]
		switch {
		case c.Role == config.RoleQuasiIdentifier:
			cols = append(cols, generalised(q))
			q++
		case derived:
			// The published value of a year or a date is the same
			// wherever it occurs: derived and generalised once.
			memo := map[int32]string{}
			cols = append(cols, text(func(g int32, ref rowRef) (string, bool) {
				a, row := source(input, ref)
				if dc.linked && b.res.Suppressed[g] {
					return Suppressed, true
				}
				raw, memoised := rawInt32(a, row)
				if v, ok := memo[raw]; ok && memoised {
					return v, v != ""
				}
				v := dc.derive(a, row)
				if dc.linked && v != "" {
					v = dc.hier.Generalize(v, dc.level)
				}
				if memoised {
					memo[raw] = v
				}
				return v, v != ""
			}))
		case b.sensitive[input] && !b.res.Feasible:
			cols = append(cols, b.withheld(recs[0].Schema().Field(input).Type, func(ref rowRef) bool {
				a, row := source(input, ref)
				return a.IsNull(row)
			}))
		default:
			cols = append(cols, func(_ []int32, at []rowRef) arrow.Array {
				return b.take(at, func(ref rowRef) (arrow.Array, int) { return source(input, ref) })
			})
		}
	}
	for _, cc := range b.classOf {
		class := func(ref rowRef) (string, bool) {
			a, row := source(cc.input, ref)
			return cc.of(a.(*array.String), row)
		}
		if cc.sensitive && !b.res.Feasible {
			cols = append(cols, b.withheld(arrow.BinaryTypes.String, func(ref rowRef) bool { _, ok := class(ref); return !ok }))
		} else {
			cols = append(cols, text(func(_ int32, ref rowRef) (string, bool) { return class(ref) }))
		}
	}
	return cols
}

// withheld builds a sensitive column when no generalisation satisfies the
// privacy model: * where a value is known, null where it is not (null
// throughout for a column that is not text).
func (b *builders) withheld(typ arrow.DataType, unknown func(ref rowRef) bool) microdataColumn {
	return func(rows []int32, at []rowRef) arrow.Array {
		if typ.ID() != arrow.STRING {
			return array.MakeArrayOfNull(b.mem, typ, len(rows))
		}
		return arrowtext.Build(b.mem, len(rows), func(k int) (string, bool) { return Suppressed, !unknown(at[k]) })
	}
}

// take copies a column released unchanged, value by value in the
// records' order; source gives each record's input array and row.
func (b *builders) take(at []rowRef, source func(ref rowRef) (arrow.Array, int)) arrow.Array {
	first, _ := source(at[0])
	if first.DataType().ID() == arrow.STRING {
		return arrowtext.Build(b.mem, len(at), func(k int) (string, bool) {
			a, i := source(at[k])
			if a.IsNull(i) {
				return "", false
			}
			return a.(*array.String).Value(i), true
		})
	}
	bld := array.NewBuilder(b.mem, first.DataType())
	defer bld.Release()
	bld.Reserve(len(at))
	for _, ref := range at {
		a, i := source(ref)
		if a.IsNull(i) {
			bld.AppendNull()
			continue
		}
		switch x := a.(type) { // text was gathered above
		case *array.Int32:
			bld.(*array.Int32Builder).Append(x.Value(i))
		case *array.Date32:
			bld.(*array.Date32Builder).Append(x.Value(i))
		case *array.Boolean:
			bld.(*array.BooleanBuilder).Append(x.Value(i))
		default: // a type the ingest schema does not produce today
			if err := bld.AppendValueFromString(x.ValueStr(i)); err != nil {
				panic("anonymize: copying a " + x.DataType().String() + " column: " + err.Error())
			}
		}
	}
	return bld.NewArray()
}
