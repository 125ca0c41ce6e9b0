package anonymize

import "sync"

// A direct roll-up counts a node's classes in an array indexed by the
// packed generalised tuple, when the node has few enough possible tuples:
// no hashing, no probing, and with the bottom in hierarchy order
// (bottom_order.go) consecutive lookups stay in a small window of the
// array. This file holds that path; classes.go chooses it.

// maxDirect bounds the number of possible tuples counted in a direct
// array (4 bytes each).
const maxDirect = 1 << 23

// useDirect reports whether a roll-up of n source classes (at most the
// limit) counts a node of prod possible tuples in a direct array. A small
// source fills a hash table that stays in cache, while its lookups in a
// sparse array would miss; so it goes direct only when the array is at
// most 8 entries a class. A large source would go to the partitioned
// hash tables, which read and write every class three times: on the
// rows' distinct tuples of the 1M-record benchmark those take 27 ms
// where a direct array of up to 32 entries a class takes 11 ms.
func useDirect(prod uint64, n int) bool {
	spread := uint64(8)
	if n >= parallelMin {
		spread = 32
	}
	return prod <= maxDirect && prod <= spread*uint64(n)+4096
}

// maxDirectClasses is the number of classes a direct entry can number.
const maxDirectClasses = 1<<24 - 1

// nextDirectEpoch returns the epoch after e for the direct array table,
// clearing the table when the 8-bit epoch wraps.
func nextDirectEpoch(e uint32, table []uint32) uint32 {
	if e++; e > 0xff {
		clear(table[:cap(table)])
		e = 1
	}
	return e
}

// parallelMin is the number of source classes from which a direct
// roll-up is split between two goroutines.
var parallelMin = 1 << 16

// rollUpDirect is rollUp through the direct array (prepared by rollUp).
// A large source is split in two halves counted at the same time, the
// second in an array of its own; its classes are then merged into the
// first's in their order, so the classes, their order and mapping are
// exactly those of one pass.
func (g *grouper) rollUpDirect(src, out *classTable, mapping []int32, limit int) bool {
	n := src.len()
	epoch := g.depoch << 24
	g.setActive(n)
	if n < parallelMin {
		return g.directPart(src, 0, n, g.direct, epoch, out, mapping, limit)
	}
	half := n / 2
	prod := len(g.direct)
	if cap(g.direct2) < prod {
		g.direct2 = make([]uint32, prod)
	}
	g.direct2 = g.direct2[:prod]
	g.depoch2 = nextDirectEpoch(g.depoch2, g.direct2)
	second := &classTable{tuples: g.tuples2[:0], count: g.count2[:0]}
	var wg sync.WaitGroup
	var ok2 bool
	wg.Go(func() {
		ok2 = g.directPart(src, half, n, g.direct2, g.depoch2<<24, second, mapping, limit)
	})
	ok := g.directPart(src, 0, half, g.direct, epoch, out, mapping, limit)
	wg.Wait()
	g.tuples2, g.count2 = second.tuples, second.count
	if !ok || !ok2 {
		return false
	}
	// Merge: the classes of the second half, in their order, counted
	// into the first's array like source classes.
	if cap(g.trans) < second.len() {
		g.trans = make([]int32, second.len())
	}
	trans := g.trans[:second.len()]
	if !g.directPart(second, 0, second.len(), g.direct, epoch, out, trans, limit) {
		return false
	}
	if mapping != nil {
		for s := half; s < n; s++ {
			mapping[s] = trans[mapping[s]]
		}
	}
	return true
}

// directPart counts the source classes lo..hi-1 into out through table, a
// direct array stamped with epoch (in its upper 8 bits), and writes
// each one's class, numbered within out, to mapping. It returns false
// past limit classes.
func (g *grouper) directPart(src *classTable, lo, hi int, table []uint32, epoch uint32, out *classTable, mapping []int32, limit int) bool {
	words, tuples, fields := g.layout.words, src.tuples, g.fields
	var keys [keyBlock]uint64
	for b := lo; b < hi; b += keyBlock {
		ks := keys[:min(keyBlock, hi-b)]
		blockKeys(ks, tuples[b*words:], words, fields)
		for j, key := range ks {
			s := b + j
			cnt := src.count[s]
			var id int32
			if e := table[key]; e&^0xffffff != epoch {
				id = int32(len(out.count))
				if int(id) >= limit {
					return false
				}
				table[key] = epoch | uint32(id)
				out.tuples = append(out.tuples, tuples[s*words:s*words+words]...)
				out.count = append(out.count, cnt)
			} else {
				id = int32(e & 0xffffff)
				out.count[id] += cnt
			}
			if mapping != nil {
				mapping[s] = id
			}
		}
	}
	return true
}
