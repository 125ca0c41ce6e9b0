package anonymize

import "sync"

// A direct roll-up counts a node's classes in an array indexed by the
// packed generalised tuple, when the node has few enough possible tuples:
// no hashing, no probing. This file holds that path; classes.go chooses
// it.
//
// With the source in hierarchy order (bottom_order.go), the array is
// also sliced. Let j be the first attribute the node generalises, in the
// grouper's order of significance (significance.go): the attributes
// before it keep their original values, so the source classes sharing
// the node's values of the attributes up to j are consecutive, and
// their classes are of their own. The array then needs only the keys of
// one such slice, the place value of attribute j: a slice's keys are
// counted in it, and the next slice starts it afresh (a new epoch). On
// the 1M-record release a node that keeps the intake months has dozens
// of slices or more, whose arrays stay in the processor's caches, where
// one array for the whole node spans megabytes that every slice reads
// afresh.

// maxDirect bounds the number of keys of a direct array (4 bytes each).
const maxDirect = 1 << 23

// useDirect reports whether a roll-up of n source classes (at most the
// limit) counts its classes in a direct array of size keys. A small
// source fills a hash table that stays in cache, while its lookups in a
// sparse array would miss; so it goes direct only when the array is at
// most 8 entries a class. A large source would go to the partitioned
// hash tables, which read and write every class three times: on the
// rows' distinct tuples of the 1M-record benchmark those take 27 ms
// where a direct array of up to 32 entries a class takes 11 ms. An
// array of a slice small enough to stay in cache always goes direct.
func useDirect(size uint64, n int, sliced bool) bool {
	spread := uint64(8)
	if n >= parallelMin {
		spread = 32
	}
	return size <= maxDirect && (size <= spread*uint64(n)+4096 || sliced && size <= smallSlice)
}

// slicePlace returns the size of a direct array for the node with the
// given levels (prepared) on an ordered source: the place value of the
// first attribute it generalises, and whether that slices the keys.
func (g *grouper) slicePlace(levels []int) (uint64, bool) {
	first := g.order[0]
	prod := g.place[first] * g.radix[first]
	for _, q := range g.order {
		if levels[q] > 0 {
			return g.place[q], g.place[q] < prod
		}
	}
	return prod, false
}

// smallSlice is the number of keys of a slice's array that stays in the
// processor's second-level cache.
const smallSlice = 1 << 16

// maxDirectClasses is the number of classes a direct entry can number.
const maxDirectClasses = 1<<24 - 1

// directTable is a direct array for one slice of keys at a time. An entry
// is epoch<<24 | class, in 4 bytes, half the cache footprint of a wider
// entry; an entry of another epoch is empty, so a new slice or roll-up
// needs no clearing until the 8-bit epoch wraps.
type directTable struct {
	entries []uint32
	epoch   uint32
	// dirty is how many entries may hold an epoch: what a wrap clears.
	dirty int
	// place is the number of keys of a slice (of all keys when not
	// sliced), and lo the first key of the current one.
	place, lo uint64
}

// start readies the table for a roll-up with slices of place keys.
func (d *directTable) start(place uint64) {
	if uint64(cap(d.entries)) < place {
		d.entries = make([]uint32, place)
		d.dirty = 0
	}
	d.entries = d.entries[:place]
	d.place, d.lo = place, 0
	d.dirty = max(d.dirty, int(place))
	d.next()
}

// slice starts the slice of key.
func (d *directTable) slice(key uint64) {
	d.lo = key - key%d.place
	d.next()
}

// next starts a new epoch, clearing what may be stamped when it wraps.
func (d *directTable) next() {
	if d.epoch++; d.epoch > 0xff {
		clear(d.entries[:d.dirty])
		d.dirty = len(d.entries)
		d.epoch = 1
	}
}

// parallelMin is the number of source classes from which a direct
// roll-up is split between two goroutines.
var parallelMin = 1 << 16

// rollUpDirect is rollUp through direct tables (prepared by rollUp). A
// large source is split in two halves counted at the same time, the
// second in a table of its own; its classes are then merged into the
// first's in their order, so the classes, their order and mapping are
// exactly those of one pass. (The second half may begin inside the first
// half's last slice: the merge goes on in that slice's epoch.)
func (g *grouper) rollUpDirect(src, out *classTable, mapping []int32, limit int) bool {
	n := src.len()
	g.setActive(n)
	if g.stop != nil {
		g.stop.total = n
	}
	if n < parallelMin {
		return g.directPart(src, 0, n, &g.direct, out, mapping, limit, g.stop)
	}
	half := n / 2
	g.direct2.start(g.direct.place)
	second := &classTable{tuples: g.tuples2[:0], count: g.count2[:0]}
	var wg sync.WaitGroup
	var ok2 bool
	wg.Go(func() {
		ok2 = g.directPart(src, half, n, &g.direct2, second, mapping, limit, g.stop)
	})
	ok := g.directPart(src, 0, half, &g.direct, out, mapping, limit, g.stop)
	wg.Wait()
	g.tuples2, g.count2 = second.tuples, second.count
	if !ok || !ok2 {
		return false
	}
	// Merge: the classes of the second half, in their order, counted
	// into the first's table like source classes (whose finished slices
	// the second half has tallied already: no early stop).
	if cap(g.trans) < second.len() {
		g.trans = make([]int32, second.len())
	}
	trans := g.trans[:second.len()]
	if !g.directPart(second, 0, second.len(), &g.direct, out, trans, limit, nil) {
		return false
	}
	if mapping != nil {
		for s := half; s < n; s++ {
			mapping[s] = trans[mapping[s]]
		}
	}
	return true
}

// directPart counts the source classes lo..hi-1 into out through d, and
// writes each one's class, numbered within out, to mapping. It returns
// false past limit classes, or when a check may stop early (stop, when
// not nil).
func (g *grouper) directPart(src *classTable, lo, hi int, d *directTable, out *classTable, mapping []int32, limit int, stop *earlyStop) bool {
	words, tuples, fields := g.layout.words, src.tuples, g.fields
	table, place, first := d.entries, d.place, d.lo
	epoch := d.epoch << 24
	base := len(out.count)
	// sliceAt is where the current slice's classes begin in out; own
	// is false while that slice may have begun in the part before.
	sliceAt, own := base, lo == 0
	var keys [keyBlock]uint64
	for b := lo; b < hi; b += keyBlock {
		if stop != nil && stop.halted.Load() {
			return false
		}
		ks := keys[:min(keyBlock, hi-b)]
		blockKeys(ks, tuples[b*words:], words, fields)
		for j, key := range ks {
			if key-first >= place { // the next slice (never, unsliced)
				if stop != nil {
					if own && stop.finished(out.count[sliceAt:], len(out.count)-base, b+j-lo) {
						return false
					}
					sliceAt, own = len(out.count), true
				}
				d.slice(key)
				first, epoch = d.lo, d.epoch<<24
			}
			at := key - first
			s := b + j
			cnt := src.count[s]
			var id int32
			if e := table[at]; e&^0xffffff != epoch {
				id = int32(len(out.count))
				if int(id) >= limit {
					return false
				}
				table[at] = epoch | uint32(id)
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
