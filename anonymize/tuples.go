package anonymize

import "math/bits"

// A class keeps the original codes of one of its records, from which its
// value at any level follows. Stored as one int32 per attribute, those
// codes are most of the bytes a roll-up reads: 36 bytes a class for the
// nine quasi-identifiers of a release, whose dictionaries hold at most a
// few dozen values each. So they are bit-packed: every attribute gets the
// bits its dictionary needs, and a class's tuple is one or more 64-bit
// words, a field never straddling two words (one word a class for the
// releases and Adult). A roll-up then streams a quarter of the memory or
// less, and a key is summed from shifts and masks of a word in a
// register.

// tupleLayout places every quasi-identifier's code in a class's words.
type tupleLayout struct {
	// words is the number of 64-bit words a tuple takes.
	words int
	// word, shift and mask locate attribute q's field: its code is
	// t[word[q]] >> shift[q] & mask[q].
	word  []int
	shift []uint
	mask  []uint64
}

// newTupleLayout packs fields of the given bit widths into words, in
// the given order of the attributes (nil: attribute order), the first in
// the most significant bits of the first word, so that the words of
// tuples whose codes are ranks compare as the tuples do in that order.
func newTupleLayout(widths []int, order []int) tupleLayout {
	l := tupleLayout{word: make([]int, len(widths)), shift: make([]uint, len(widths)), mask: make([]uint64, len(widths))}
	free := 0 // bits left in the current word
	for _, q := range orderOrIdentity(order, len(widths)) {
		w := widths[q]
		if w > free || l.words == 0 {
			l.words++
			free = 64
		}
		free -= w
		l.word[q], l.shift[q] = l.words-1, uint(free)
		l.mask[q] = 1<<uint(w) - 1
	}
	return l
}

// orderOrIdentity returns order, or the attribute order 0..n-1 when it
// is nil.
func orderOrIdentity(order []int, n int) []int {
	if order != nil {
		return order
	}
	order = make([]int, n)
	for q := range order {
		order[q] = q
	}
	return order
}

// codeWidth is the number of bits that hold the codes 0..n-1.
func codeWidth(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

// code returns attribute q's code in the tuple of class c.
func (l *tupleLayout) code(t []uint64, c, q int) int32 {
	return int32(t[c*l.words+l.word[q]] >> l.shift[q] & l.mask[q])
}

// pack appends the tuple of the given codes to t.
func (l *tupleLayout) pack(t []uint64, codes []int32) []uint64 {
	at := len(t)
	for range l.words {
		t = append(t, 0)
	}
	for q, v := range codes {
		t[at+l.word[q]] |= uint64(v) << l.shift[q]
	}
	return t
}

// keyField is one attribute that adds to a roll-up's keys: where its code
// sits in a tuple, and its weight per code.
type keyField struct {
	weight []uint64
	word   int
	shift  uint
	mask   uint64
}

// maxChunkBits bounds the bits of neighbouring fields whose weights are
// looked up together, in a table of 2^maxChunkBits words (16 KiB) that
// stays in the processor's caches.
const maxChunkBits = 11

// chunkUse is how many source classes a roll-up needs per entry of its
// chunk tables for building them to pay.
const chunkUse = 16

// setActive lists the fields that add to the keys of a roll-up of n
// source classes: the attributes not generalised to a single value, with
// their weights. Neighbouring fields of one word are then merged into
// chunks of at most maxChunkBits, each with a table of its fields' summed
// weights, so that a key takes one lookup per chunk rather than one per
// attribute, when the source is large enough for the tables to pay.
func (g *grouper) setActive(n int) {
	l := &g.layout
	g.fields = g.fields[:0]
	for _, q := range g.order { // in the layout's order of fields
		if g.radix[q] > 1 {
			g.fields = append(g.fields, keyField{weight: g.weight[q], word: l.word[q], shift: l.shift[q], mask: l.mask[q]})
		}
	}
	// Chunks: runs of fields of one word spanning at most maxChunkBits.
	var runs [][2]int // first and last field of each chunk
	entries := 0
	for i := 0; i < len(g.fields); {
		j := i
		for j+1 < len(g.fields) && g.fields[j+1].word == g.fields[i].word &&
			fieldTop(g.fields[i])-g.fields[j+1].shift <= maxChunkBits {
			j++
		}
		runs = append(runs, [2]int{i, j})
		entries += 1 << (fieldTop(g.fields[i]) - g.fields[j].shift)
		i = j + 1
	}
	if len(runs) == len(g.fields) || n < chunkUse*entries {
		return
	}
	merged := g.fields[len(g.fields):]
	for len(g.chunks) < len(runs) {
		g.chunks = append(g.chunks, nil)
	}
	for r, run := range runs {
		first, last := g.fields[run[0]], g.fields[run[1]]
		if run[0] == run[1] {
			merged = append(merged, first)
			continue
		}
		lo := last.shift
		size := 1 << (fieldTop(first) - lo)
		table := append(g.chunks[r][:0], make([]uint64, size)...)
		for _, f := range g.fields[run[0] : run[1]+1] {
			for v := range table {
				if code := uint64(v) >> (f.shift - lo) & f.mask; code < uint64(len(f.weight)) {
					table[v] += f.weight[code]
				}
			}
		}
		g.chunks[r] = table
		merged = append(merged, keyField{weight: table, word: first.word, shift: lo, mask: uint64(size - 1)})
	}
	g.fields = append(g.fields[:0], merged...)
}

// fieldTop is the bit just above a field.
func fieldTop(f keyField) uint { return f.shift + uint(bits.Len64(f.mask)) }

// keyBlock is the number of classes whose keys are summed together, one
// attribute at a time: a tight loop per attribute over a block that stays
// in the first-level cache, rather than a loop over the attributes per
// class.
const keyBlock = 256

// blockKeys writes the exact keys of the len(keys) classes whose tuples
// (words each) start t: the sum of each field's weight of its code.
func blockKeys(keys []uint64, t []uint64, words int, fields []keyField) {
	if words == 1 {
		t = t[:len(keys)]
		for i := 0; i < len(fields); i += 4 {
			sumFields(keys, t, fields[i:min(i+4, len(fields))], i == 0)
		}
		return
	}
	clear(keys)
	for _, f := range fields {
		w, sh, mk := f.weight, f.shift, f.mask
		c := t[f.word:]
		for j := range keys {
			keys[j] += w[c[j*words]>>sh&mk]
		}
	}
}

// sumFields adds the weights of up to four fields of one-word tuples to
// keys (sets them, when first), in one pass over the block.
func sumFields(keys, t []uint64, fields []keyField, first bool) {
	var f [4]keyField
	copy(f[:], fields)
	for i := len(fields); i < 4; i++ {
		f[i] = keyField{weight: zeroWeight[:], mask: 0}
	}
	w0, w1, w2, w3 := f[0].weight, f[1].weight, f[2].weight, f[3].weight
	s0, s1, s2, s3 := f[0].shift, f[1].shift, f[2].shift, f[3].shift
	m0, m1, m2, m3 := f[0].mask, f[1].mask, f[2].mask, f[3].mask
	keys = keys[:len(t)]
	if first {
		for j, x := range t {
			keys[j] = w0[x>>s0&m0] + w1[x>>s1&m1] + w2[x>>s2&m2] + w3[x>>s3&m3]
		}
		return
	}
	for j, x := range t {
		keys[j] += w0[x>>s0&m0] + w1[x>>s1&m1] + w2[x>>s2&m2] + w3[x>>s3&m3]
	}
}

// zeroWeight stands in for a missing field: every tuple adds 0.
var zeroWeight [1]uint64
