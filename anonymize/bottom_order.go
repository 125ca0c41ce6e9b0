package anonymize

import (
	"math/bits"
	"slices"
)

// A roll-up finds each source class's class through a table indexed by
// the generalised tuple packed into a number, the first quasi-identifier
// most significant. When consecutive source classes share their leading
// generalised values, their lookups fall in a small window of the table
// that stays in the processor's caches; in the order the rows came in,
// they jump across a table of megabytes. So the distinct tuples (the
// bottom, every roll-up's first source) are put in an order in which
// every generalisation of every attribute keeps equal values together:
// lexicographic over the attributes in the grouper's order of
// significance (significance.go), each attribute's values in the
// depth-first order of its hierarchy. Grouped nodes inherit the order,
// as their classes are numbered in order of first appearance. The order
// changes nothing but speed: classes, counts and the release are the
// same sets.

// hierarchyRank gives every original value of a quasi-identifier its
// position in the depth-first order of the hierarchy: ordered by the
// generalised value at the top level, then the next level down, and so
// on, so that the values sharing a generalisation at any level are
// consecutive.
func hierarchyRank(c *qiColumn) []uint64 {
	n := len(c.dict)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	levels := len(c.gen)
	slices.SortStableFunc(order, func(a, b int32) int {
		for l := levels - 1; l >= 0; l-- {
			if x, y := c.gen[l][a], c.gen[l][b]; x != y {
				return int(x - y)
			}
		}
		return int(a - b)
	})
	rank := make([]uint64, n)
	for r, code := range order {
		rank[code] = uint64(r)
	}
	return rank
}

// sortBottom reorders the bottom classes lexicographically by the
// hierarchy ranks of their values and renumbers the rows' classes to
// match. It leaves the order alone when the ranks do not pack into 64
// bits.
func (g *grouper) sortBottom() {
	nq, b, l := g.nq, g.bottom, &g.layout
	ranks := make([][]uint64, nq)
	radix := make([]uint64, nq)
	var prod uint64 = 1
	for q, c := range g.t.qis {
		ranks[q] = hierarchyRank(c)
		radix[q] = uint64(max(len(c.dict), 1))
		hi, lo := bits.Mul64(prod, radix[q])
		if hi != 0 {
			return
		}
		prod = lo
	}
	n := b.len()
	type keyed struct {
		key   uint64
		class int32
	}
	keys := make([]keyed, n)
	for c := range n {
		var k uint64
		for _, q := range g.order {
			k = k*radix[q] + ranks[q][l.code(b.tuples, c, q)]
		}
		keys[c] = keyed{k, int32(c)}
	}
	slices.SortFunc(keys, func(x, y keyed) int {
		switch {
		case x.key < y.key:
			return -1
		case x.key > y.key:
			return 1
		}
		return 0
	})
	tuples := make([]uint64, len(b.tuples))
	w := l.words
	count := make([]int32, n)
	newID := make([]int32, n)
	for i, k := range keys {
		copy(tuples[i*w:i*w+w], b.tuples[int(k.class)*w:int(k.class)*w+w])
		count[i] = b.count[k.class]
		newID[k.class] = int32(i)
	}
	b.tuples, b.count, b.ordered = tuples, count, true
	for i, c := range g.rowClass {
		g.rowClass[i] = newID[c]
	}
}
