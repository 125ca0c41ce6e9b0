package anonymize

import "math/bits"

// classTable holds the equivalence classes of the table at one lattice
// node: records that share every generalised quasi-identifier value. A
// class is kept as a count and the original codes of one of its records,
// from which its generalised values at this or any coarser node follow by
// table lookups. That is what lets the counts of a coarser node be rolled
// up from those of any more specific node instead of from the rows.
type classTable struct {
	levels []int
	// tuples holds the original codes of one record per class, packed
	// by the grouper's layout (tuples.go).
	tuples []uint64
	count  []int32
	// hist holds, per sensitive attribute, the histogram of its values in
	// each class, when the engine has computed it (engine.diverse).
	hist []*sensHist
	// masks holds the set of values of every sensitive attribute with a
	// distinct rule in each class, when the engine checks diversity from
	// masks (masks.go).
	masks *valueSets
	// ordered is true when the classes are in hierarchy order: in the
	// order of their first records among the distinct tuples sorted as
	// bottom_order.go sorts them. A direct roll-up slices its keys only
	// on an ordered source (rollup_direct.go).
	ordered bool
	// node is the lattice node of a cached class table (-1: none), and
	// used when it last served, for the cache's eviction.
	node int
	used uint64
}

func (c *classTable) len() int { return len(c.count) }

// grouper counts equivalence classes: first the distinct original tuples
// of the table (the bottom node, from the rows), then any node from the
// classes of a more specific one. A class is found by its generalised
// tuple packed into a mixed-radix number: directly in an array when the
// node has few possible tuples, else in an open-addressing hash table;
// when a tuple does not fit in 64 bits the key is a hash and tuples are
// compared on a match.
type grouper struct {
	t  *Table
	nq int
	// order lists the attributes from the most significant one in keys,
	// packed tuples and the bottom's order (significance.go).
	order    []int
	layout   tupleLayout
	bottom   *classTable
	rowClass []int32 // bottom class of each row

	// The hash table, stamped with an epoch so that reuse needs no
	// clearing, and the direct array (rollup_direct.go).
	slots  []slot
	epoch  uint32
	shift  uint
	direct directTable
	// Scratch space for the classes being built.
	tuples []uint64
	count  []int32

	gens  [][]int32
	radix []uint64
	// place[q] is attribute q's place value in a key.
	place []uint64
	tuple []int32
	// weight[q][code] is the generalised code of original code times
	// attribute q's place value, so an exact key is a sum of lookups.
	weight [][]uint64
	// The second half of a parallel direct roll-up: its array and
	// scratch classes, and the translation of its classes.
	direct2 directTable
	tuples2 []uint64
	count2  []int32
	trans   []int32
	// The attributes not generalised to one value, which alone add to
	// a key, and the weight tables of fields taken together (tuples.go).
	fields []keyField
	chunks [][]uint64
	// The space of partitioned hash roll-ups (rollup_hashed.go).
	hashedScratch
	// spare holds arrays of evicted class tables (recycle.go).
	spare spares
	// stop, during a check, lets a direct roll-up give up early
	// (early_stop.go).
	stop *earlyStop
}

type slot struct {
	key   uint64
	class int32
	epoch uint32
}

// newGrouper groups the table's rows with the attributes significant in
// the given order (nil: their own).
func newGrouper(t *Table, order []int) *grouper {
	nq := len(t.qis)
	order = orderOrIdentity(order, nq)
	g := &grouper{t: t, nq: nq, order: order, gens: make([][]int32, nq), radix: make([]uint64, nq), place: make([]uint64, nq), tuple: make([]int32, nq),
		weight: make([][]uint64, nq)}
	widths := make([]int, nq)
	for q, c := range t.qis {
		widths[q] = codeWidth(len(c.dict))
	}
	g.layout = newTupleLayout(widths, order)
	g.groupRows()
	return g
}

// groupRows finds the distinct original tuples and each row's tuple, in
// hierarchy order: by sorting when a tuple fits in a word
// (bottom_sort.go), else through the hash table.
func (g *grouper) groupRows() {
	if g.layout.words == 1 {
		g.groupRowsSorted()
		return
	}
	g.groupRowsHashed()
}

// groupRowsHashed finds the distinct tuples in a hash table, then puts
// them in hierarchy order.
func (g *grouper) groupRowsHashed() {
	t, nq := g.t, g.nq
	levels := make([]int, nq)
	_, exact := g.prepare(levels)
	g.reset(t.rows)
	g.bottom = &classTable{levels: levels}
	g.rowClass = make([]int32, t.rows)
	tuple := g.tuple
	for i := range t.rows {
		for q, c := range t.qis {
			tuple[q] = c.codes[i]
		}
		key := g.key(tuple, exact)
		id, s := g.lookup(g.bottom, key, exact)
		if id < 0 {
			id = int32(len(g.bottom.count))
			g.slots[s] = slot{key: key, class: id, epoch: g.epoch}
			g.bottom.tuples = g.layout.pack(g.bottom.tuples, tuple)
			g.bottom.count = append(g.bottom.count, 0)
		}
		g.bottom.count[id]++
		g.rowClass[i] = id
	}
	g.sortBottom()
}

// prepare sets up the lookup tables and radixes of the node with the given
// levels. It returns the number of possible tuples and whether they pack
// exactly into 64 bits.
func (g *grouper) prepare(levels []int) (uint64, bool) {
	exact := true
	var prod uint64 = 1
	for q, c := range g.t.qis {
		g.gens[q] = c.gen[levels[q]]
		r := uint64(max(len(c.labels[levels[q]]), 1))
		g.radix[q] = r
		hi, lo := bits.Mul64(prod, r)
		if hi != 0 || lo > 1<<62 {
			exact = false
		}
		prod = lo
	}
	if exact {
		place := uint64(1)
		for i := g.nq - 1; i >= 0; i-- {
			q := g.order[i]
			w := g.weight[q][:0]
			for _, v := range g.gens[q] {
				w = append(w, uint64(v)*place)
			}
			g.weight[q] = w
			g.place[q] = place
			place *= g.radix[q]
		}
	}
	return prod, exact
}

// key packs a generalised tuple: exactly, or as a hash.
func (g *grouper) key(tuple []int32, exact bool) uint64 {
	var key uint64
	if exact {
		for _, q := range g.order {
			key = key*g.radix[q] + uint64(tuple[q])
		}
		return key
	}
	key = 0xcbf29ce484222325
	for _, v := range tuple {
		key ^= uint64(uint32(v))
		key *= 0x100000001b3
		key ^= key >> 29
	}
	return key
}

// reset empties the hash table for n entries.
func (g *grouper) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(g.slots) < size {
		g.slots = make([]slot, size) // epoch 0: empty, as g.epoch is never 0
	}
	g.slots = g.slots[:size]
	g.shift = uint(64 - bits.TrailingZeros(uint(size)))
	g.epoch++
	if g.epoch == 0 {
		clear(g.slots[:cap(g.slots)])
		g.epoch = 1
	}
}

// lookup finds key in the hash table: the class found in out, or -1 and
// the free slot to insert at. With inexact keys it compares g.tuple with
// the class's generalised tuple.
func (g *grouper) lookup(out *classTable, key uint64, exact bool) (int32, uint64) {
	mask := uint64(len(g.slots) - 1)
	for s := (key * 0x9E3779B97F4A7C15) >> g.shift; ; s = (s + 1) & mask {
		e := &g.slots[s]
		if e.epoch != g.epoch {
			return -1, s
		}
		if e.key == key && (exact || g.sameTuple(out, e.class)) {
			return e.class, s
		}
	}
}

// sameTuple compares g.tuple with the generalised tuple of class c of out.
func (g *grouper) sameTuple(out *classTable, c int32) bool {
	for q, v := range g.tuple {
		if g.gens[q][g.layout.code(out.tuples, int(c), q)] != v {
			return false
		}
	}
	return true
}

// rollUp computes the classes at levels from the classes src of a node
// that is at or below levels in every attribute. When mapping is not nil
// it receives, for every class of src, the class it falls into. It gives
// up and returns nil as soon as there are more than limit classes.
func (g *grouper) rollUp(src *classTable, levels []int, mapping []int32, limit int) *classTable {
	nq := g.nq
	prod, exact := g.prepare(levels)
	// A roll-up that gives up past limit classes never holds more: a
	// table sized for them stays in the processor's caches.
	n := min(src.len(), limit)
	size, sliced := prod, false
	if src.ordered && exact {
		size, sliced = g.slicePlace(levels)
	}
	direct := exact && useDirect(size, n, sliced) && src.len() <= maxDirectClasses
	g.reset(n)
	if direct {
		g.direct.start(size)
	}
	// Build in scratch space, copy out at the exact size.
	// Classes numbered in order of first appearance keep the source's
	// order; the partitioned hash tables number them otherwise.
	out := &classTable{levels: append([]int(nil), levels...), tuples: g.tuples[:0], count: g.count[:0],
		ordered: src.ordered && (direct || !exact || src.len() < parallelMin)}
	words, weight := g.layout.words, g.weight
	switch {
	case direct:
		if !g.rollUpDirect(src, out, mapping, limit) {
			return nil
		}
	case exact && src.len() >= parallelMin:
		if !g.rollUpHashed(src, out, mapping, limit) {
			return nil
		}
	default:
		for s, cnt := range src.count {
			var key uint64
			if exact {
				for q := range nq {
					key += weight[q][g.layout.code(src.tuples, s, q)]
				}
			} else {
				for q := range nq {
					g.tuple[q] = g.gens[q][g.layout.code(src.tuples, s, q)]
				}
				key = g.key(g.tuple, false)
			}
			id, at := g.lookup(out, key, exact)
			if id < 0 {
				id = int32(len(out.count))
				if int(id) >= limit {
					return nil
				}
				g.slots[at] = slot{key: key, class: id, epoch: g.epoch}
				out.tuples = append(out.tuples, src.tuples[s*words:s*words+words]...)
				out.count = append(out.count, cnt)
			} else {
				out.count[id] += cnt
			}
			if mapping != nil {
				mapping[s] = id
			}
		}
	}
	g.tuples, g.count = out.tuples, out.count
	out.tuples = append(takeSpare(&g.spare.tuples, len(out.tuples)), out.tuples...)
	out.count = append(takeSpare(&g.spare.count, len(out.count)), out.count...)
	return out
}

// genCode returns the generalised code of quasi-identifier q of class c at
// level.
func (g *grouper) genCode(cls *classTable, c int, q, level int) int32 {
	return g.t.qis[q].gen[level][g.layout.code(cls.tuples, c, q)]
}
