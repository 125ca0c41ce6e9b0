package ingest

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/internal/arrowtext"
)

// batchBuilder collects accepted rows into Arrow records of at most size
// rows each.
//
// Text columns are gathered as strings and made at their exact size when
// a batch is complete (internal/arrowtext): most of a partner file's
// cells are text, and a StringBuilder, growing its bytes by doubling
// them, spent more on copying than on the cells. The other columns are
// appended to builders sized for the batch.
type batchBuilder struct {
	mem     memory.Allocator
	schema  *arrow.Schema
	partner string
	size    int
	n       int
	// left is how many rows the file may still hold (from its lines): each
	// batch's builders are sized for that many, up to size, at once.
	left int
	done []arrow.Record

	// Per column of the schema after partner: a builder for a column that
	// is not text, the batch's values and which are set for one that is.
	builders []array.Builder
	text     [][]string
	valid    [][]bool
	nulls    []int
}

func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema, partner string, size, lines int) *batchBuilder {
	cols := schema.NumFields() - 1
	bb := &batchBuilder{mem: mem, schema: schema, partner: partner, size: size, left: lines,
		builders: make([]array.Builder, cols), text: make([][]string, cols), valid: make([][]bool, cols), nulls: make([]int, cols)}
	for i := range cols {
		if typ := schema.Field(i + 1).Type; typ.ID() != arrow.STRING {
			bb.builders[i] = array.NewBuilder(mem, typ)
		}
	}
	bb.reserve()
	return bb
}

// reserve sizes the builders and the text columns for the next batch.
func (bb *batchBuilder) reserve() {
	n := min(bb.size, bb.left)
	if n <= 0 {
		return
	}
	for i, b := range bb.builders {
		if b != nil {
			b.Reserve(n)
		} else if cap(bb.text[i]) < n {
			bb.text[i], bb.valid[i] = make([]string, 0, n), make([]bool, 0, n)
		}
	}
}

func (bb *batchBuilder) append(row []value) {
	for i, v := range row {
		if b := bb.builders[i]; b != nil {
			if !v.set {
				b.AppendNull()
				continue
			}
			switch b := b.(type) {
			case *array.Int32Builder:
				b.Append(int32(v.n))
			case *array.Date32Builder:
				b.Append(arrow.Date32(v.n))
			case *array.BooleanBuilder:
				b.Append(v.n == 1)
			}
			continue
		}
		bb.text[i] = append(bb.text[i], v.s)
		bb.valid[i] = append(bb.valid[i], v.set)
		if !v.set {
			bb.nulls[i]++
		}
	}
	bb.n++
	bb.left--
	if bb.n == bb.size {
		bb.flush()
		bb.reserve()
	}
}

// flush makes the batch's record.
func (bb *batchBuilder) flush() {
	if bb.n == 0 {
		return
	}
	cols := make([]arrow.Array, bb.schema.NumFields())
	cols[0] = arrowtext.Build(bb.mem, bb.n, func(int) (string, bool) { return bb.partner, true })
	for i, b := range bb.builders {
		if b != nil {
			cols[i+1] = b.NewArray()
			continue
		}
		valid := bb.valid[i]
		if bb.nulls[i] == 0 {
			valid = nil
		}
		cols[i+1] = arrowtext.FromStrings(bb.mem, bb.text[i], valid)
		clear(bb.text[i]) // the cells' text is not held past its batch
		bb.text[i], bb.valid[i], bb.nulls[i] = bb.text[i][:0], bb.valid[i][:0], 0
	}
	bb.done = append(bb.done, array.NewRecord(bb.schema, cols, int64(bb.n)))
	for _, c := range cols {
		c.Release()
	}
	bb.n = 0
}

// finish returns the batches built and releases the builders.
func (bb *batchBuilder) finish() []arrow.Record {
	bb.flush()
	for _, b := range bb.builders {
		if b != nil {
			b.Release()
		}
	}
	bb.builders = nil
	return bb.done
}

// discard releases everything built.
func (bb *batchBuilder) discard() {
	for _, r := range bb.finish() {
		r.Release()
	}
	bb.done = nil
}
