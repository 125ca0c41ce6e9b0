package ingest

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
)

// PartnerField is the first column of every batch ingest produces: the
// partner code, which the export itself does not carry (it is the inbox
// folder).
const PartnerField = "partner"

// Schema is the Arrow schema of the batches ingest produces for a format:
// the partner code, then every format column in order, typed: text, code
// and country as strings (countries as ISO alpha-2), dates as date32, years
// and counts as int32, yes/no as boolean. All columns but partner are
// nullable; an empty cell is null.
func Schema(f *config.Format) *arrow.Schema {
	fields := []arrow.Field{{Name: PartnerField, Type: arrow.BinaryTypes.String}}
	for _, c := range f.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: arrowType(c.Type), Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(t string) arrow.DataType {
	switch t {
	case config.TypeDate:
		return arrow.FixedWidthTypes.Date32
	case config.TypeYear, config.TypeCount:
		return arrow.PrimitiveTypes.Int32
	case config.TypeYesNo:
		return arrow.FixedWidthTypes.Boolean
	default:
		return arrow.BinaryTypes.String
	}
}

// batchBuilder collects accepted rows into Arrow records of at most size
// rows each.
type batchBuilder struct {
	b       *array.RecordBuilder
	partner string
	size    int
	n       int
	// left is how many rows the file may still hold (from its lines): each
	// batch's builders are sized for that many, up to size, at once.
	left int
	done []arrow.Record
}

func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema, partner string, size, lines int) *batchBuilder {
	bb := &batchBuilder{b: array.NewRecordBuilder(mem, schema), partner: partner, size: size, left: lines}
	bb.reserve()
	return bb
}

// reserve sizes the builders for the next batch.
func (bb *batchBuilder) reserve() {
	if n := min(bb.size, bb.left); n > 0 {
		bb.b.Reserve(n)
	}
}

func (bb *batchBuilder) append(row []value) {
	bb.b.Field(0).(*array.StringBuilder).Append(bb.partner)
	for i, v := range row {
		fb := bb.b.Field(i + 1)
		if !v.set {
			fb.AppendNull()
			continue
		}
		switch fb := fb.(type) {
		case *array.StringBuilder:
			fb.Append(v.s)
		case *array.Int32Builder:
			fb.Append(int32(v.n))
		case *array.Date32Builder:
			fb.Append(arrow.Date32(v.n))
		case *array.BooleanBuilder:
			fb.Append(v.n == 1)
		}
	}
	bb.n++
	bb.left--
	if bb.n == bb.size {
		bb.flush()
		bb.reserve()
	}
}

func (bb *batchBuilder) flush() {
	if bb.n > 0 {
		bb.done = append(bb.done, bb.b.NewRecord())
		bb.n = 0
	}
}

// finish returns the batches built and releases the builder.
func (bb *batchBuilder) finish() []arrow.Record {
	bb.flush()
	bb.b.Release()
	return bb.done
}

// discard releases everything built.
func (bb *batchBuilder) discard() {
	for _, r := range bb.finish() {
		r.Release()
	}
	bb.done = nil
}
