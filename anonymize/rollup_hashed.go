package anonymize

import (
	"math/bits"
	"sync"
	"sync/atomic"
)

// A node whose possible tuples are too many for a direct array counts its
// classes in a hash table. One table for a large source is megabytes of
// randomly addressed slots, and every lookup misses the processor's
// caches. rollUpHashed instead splits the source classes by their key's
// hash into partitions of a few thousand, then counts each partition in a
// table that stays in cache; classes of different partitions never meet,
// so the partitions are counted on both cores at once and their classes
// are simply numbered one partition after the other. The numbering
// differs from that of one pass (partition, then first appearance), but is
// fixed by the source alone.

// partitionTarget is the number of source classes a partition aims at.
var partitionTarget = 4096

// hashedEntry is a source class in its partition: its key, its index and
// count.
type hashedEntry struct {
	key   uint64
	src   int32
	count int32
}

// hashedPart is one partition's classes: a representative source class
// and the count of each.
type hashedPart struct {
	reps, counts []int32
}

// rollUpHashed is rollUp through partitioned hash tables, for exact keys
// (prepared by rollUp). It returns false past limit classes.
func (g *grouper) rollUpHashed(src, out *classTable, mapping []int32, limit int) bool {
	n, words := src.len(), g.layout.words
	g.setActive(n)
	pbits := 0
	for (n>>pbits) > partitionTarget && pbits < 16 {
		pbits++
	}
	parts := 1 << pbits
	// Keys, a block at a time, and the partitions' sizes.
	if cap(g.hkeys) < n {
		g.hkeys, g.hentries, g.hids = make([]uint64, n), make([]hashedEntry, n), make([]int32, n)
	}
	keys, entries, ids := g.hkeys[:n], g.hentries[:n], g.hids[:n]
	for b := 0; b < n; b += keyBlock {
		blockKeys(keys[b:min(b+keyBlock, n)], src.tuples[b*words:], words, g.fields)
	}
	part := func(key uint64) int {
		if pbits == 0 {
			return 0
		}
		return int((key * 0x9E3779B97F4A7C15) >> (64 - pbits))
	}
	start := g.hstart[:0]
	for range parts + 1 {
		start = append(start, 0)
	}
	g.hstart = start
	for _, k := range keys {
		start[part(k)+1]++
	}
	for p := range parts {
		start[p+1] += start[p]
	}
	// The source classes in partition order, each partition in source
	// order.
	pos := append(g.hpos[:0], start[:parts]...)
	g.hpos = pos
	for s, k := range keys {
		p := part(k)
		entries[pos[p]] = hashedEntry{key: k, src: int32(s), count: src.count[s]}
		pos[p]++
	}
	// Both cores count partitions, taking the next one in turn.
	if cap(g.hparts) < parts {
		g.hparts = make([]hashedPart, parts)
	}
	counted := g.hparts[:parts]
	clear(counted)
	for w := range g.htables {
		g.htables[w].reps, g.htables[w].counts = g.htables[w].reps[:0], g.htables[w].counts[:0]
	}
	var next, total atomic.Int64
	var over atomic.Bool
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			t := &g.htables[w]
			for !over.Load() {
				p := int(next.Add(1) - 1)
				if p >= parts {
					return
				}
				counted[p] = t.count(entries[start[p]:start[p+1]], ids[start[p]:start[p+1]])
				if total.Add(int64(len(counted[p].reps))) > int64(limit) {
					over.Store(true)
				}
			}
		})
	}
	wg.Wait()
	if over.Load() {
		return false
	}
	// Number the classes one partition after the other.
	for p, c := range counted {
		base := int32(len(out.count))
		for i, rep := range c.reps {
			out.tuples = append(out.tuples, src.tuples[int(rep)*words:int(rep)*words+words]...)
			out.count = append(out.count, c.counts[i])
		}
		if mapping != nil {
			for i, e := range entries[start[p]:start[p+1]] {
				mapping[e.src] = base + ids[int(start[p])+i]
			}
		}
	}
	return true
}

// partTable is one worker's hash table for counting a partition, and
// the classes it counted, in one buffer shared by its partitions.
type partTable struct {
	keys         []uint64
	ids          []int32
	reps, counts []int32
}

// hashedScratch is the space rollUpHashed reuses from one roll-up to the
// next.
type hashedScratch struct {
	hkeys    []uint64
	hentries []hashedEntry
	hids     []int32
	hstart   []int32
	hpos     []int32
	hparts   []hashedPart
	htables  [2]partTable
}

// count finds the classes of one partition's entries, writing each
// entry's class, numbered within the partition, to ids. (The workers
// write only into their partitions' own stretch of memory: writes to the
// mapping, scattered over the source classes, would make the two cores
// fight over cache lines.)
func (t *partTable) count(entries []hashedEntry, ids []int32) hashedPart {
	size := 16
	for size < 2*len(entries) {
		size <<= 1
	}
	if cap(t.keys) < size {
		t.keys, t.ids = make([]uint64, size), make([]int32, size)
	}
	t.keys, t.ids = t.keys[:size], t.ids[:size]
	clear(t.ids) // id 0: empty; classes are stored as id+1
	shift := uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	first := len(t.reps)
	for i, e := range entries {
		var id int32
		for slot := (e.key * 0xC2B2AE3D27D4EB4F) >> shift; ; slot = (slot + 1) & mask {
			if t.ids[slot] == 0 {
				id = int32(len(t.reps) - first)
				t.keys[slot], t.ids[slot] = e.key, id+1
				t.reps = append(t.reps, e.src)
				t.counts = append(t.counts, e.count)
				break
			}
			if t.keys[slot] == e.key {
				id = t.ids[slot] - 1
				t.counts[first+int(id)] += e.count
				break
			}
		}
		ids[i] = id
	}
	return hashedPart{reps: t.reps[first:len(t.reps):len(t.reps)], counts: t.counts[first:len(t.counts):len(t.counts)]}
}
