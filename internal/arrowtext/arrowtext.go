// Package arrowtext builds Arrow text columns whose values are known
// before the column is made, at the exact size.
//
// A StringBuilder grows its byte buffer by doubling it, zeroing the new
// part and copying the old, and pays a call per value and per offset.
// anonymize builds some twenty text columns of up to a million rows per
// release (the register's and the microdata's), and at that size the
// builder cost twice what this does: 27-33 ms against 13-19 ms for a
// column of 1M short values (BenchmarkBuild; docs/performance.md, tenth
// round). Here the values are gathered first and the three buffers
// (validity, offsets, bytes) allocated once. (The partners' files are
// still read through builders: gathering their cells did not make
// BenchmarkRead faster.)
package arrowtext

import (
	"math"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Build makes a text column of n values: value gives the k-th, and false
// for a null. It gathers the n strings (16 bytes a row) before it makes
// the column, in space it keeps for the next column (gathered).
func Build(mem memory.Allocator, n int, value func(k int) (string, bool)) arrow.Array {
	g := getGathered(n)
	defer g.put()
	vals, valid := g.vals, g.valid
	size, nulls := 0, 0
	for k := range vals {
		v, ok := value(k)
		if !ok {
			nulls++
			valid[k] = false
			continue
		}
		vals[k], valid[k] = v, true
		size += len(v)
	}
	if size > math.MaxInt32 {
		return built(mem, vals, valid)
	}

	var bitmap *memory.Buffer
	if nulls > 0 {
		bitmap = memory.NewResizableBuffer(mem)
		defer bitmap.Release()
		bitmap.Resize(int(bitutil.BytesForBits(int64(n))))
		bits := bitmap.Bytes()
		clear(bits)
		for k, ok := range valid {
			if ok {
				bitutil.SetBit(bits, k)
			}
		}
	}
	offsets := memory.NewResizableBuffer(mem)
	defer offsets.Release()
	offsets.Resize((n + 1) * arrow.Int32SizeBytes)
	data := memory.NewResizableBuffer(mem)
	defer data.Release()
	data.Resize(size)

	// A null's value is "", so every row copies its own bytes only.
	offs, bytes := arrow.Int32Traits.CastFromBytes(offsets.Bytes()), data.Bytes()
	at := 0
	for k, v := range vals {
		offs[k] = int32(at)
		at += copy(bytes[at:], v)
	}
	offs[n] = int32(at)

	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{bitmap, offsets, data}, nil, nulls, 0)
	defer d.Release()
	return array.NewStringData(d)
}

// built makes the column through a StringBuilder: for columns of more
// bytes than 32-bit offsets address, where the builder reports the
// overflow as it always has.
func built(mem memory.Allocator, vals []string, valid []bool) arrow.Array {
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	sb.Reserve(len(vals))
	for k, v := range vals {
		if !valid[k] {
			sb.AppendNull()
		} else {
			sb.Append(v)
		}
	}
	return sb.NewArray()
}

// gathered is the space Build gathers a column's values in, 17 bytes a
// row. A release builds some twenty columns of the same length one after
// the other, so the space is kept for the next column rather than made
// anew for each: made anew, its fresh pages were 15 % of a 1M cold run's
// page faults (docs/performance.md, twelfth round).
type gathered struct {
	vals  []string
	valid []bool
}

// gatheredPool holds the spaces not in use. The collector empties it, so
// what one quarter's release used is not kept through the next quarter's
// search.
var gatheredPool sync.Pool

// getGathered returns space for n values: the values empty (put cleared
// them), the validity whatever the last column left, which Build sets for
// every row.
func getGathered(n int) *gathered {
	g, _ := gatheredPool.Get().(*gathered)
	if g == nil || cap(g.vals) < n {
		return &gathered{vals: make([]string, n), valid: make([]bool, n)}
	}
	g.vals, g.valid = g.vals[:n], g.valid[:n]
	return g
}

// put clears the values (the pool must not keep the column's strings
// alive) and gives the space back.
func (g *gathered) put() {
	clear(g.vals)
	gatheredPool.Put(g)
}
