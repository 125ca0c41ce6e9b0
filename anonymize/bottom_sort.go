package anonymize

// When a tuple fits in one word, the bottom is found by sorting rather
// than hashing: every row's tuple of hierarchy ranks (bottom_order.go) is
// packed into a word laid out like the class tuples, the first attribute
// most significant, so that the words sort in the order the bottom is
// kept in; a radix sort of the rows by their words then puts equal tuples
// next to each other, already in that order. On the 1M-record release
// that takes a few passes over 16 MB instead of a million lookups in a
// 32 MB hash table, and no sort of the classes after.

// radixBits is the digit of the radix sort: 2^11 counters stay in cache.
const radixBits = 11

// rankedRow is a row's tuple of ranks, packed, and the row.
type rankedRow struct {
	key uint64
	row int32
}

// groupRowsSorted finds the distinct original tuples in hierarchy order
// and each row's tuple, for a layout of one word.
func (g *grouper) groupRowsSorted() {
	t, l := g.t, &g.layout
	ranks := make([][]uint64, g.nq)
	codeOf := make([][]int32, g.nq) // original code by rank
	low := uint(64)                 // the lowest bit used
	for q, c := range t.qis {
		ranks[q] = hierarchyRank(c)
		codeOf[q] = make([]int32, len(ranks[q]))
		for code, r := range ranks[q] {
			codeOf[q][r] = int32(code)
		}
		low = min(low, l.shift[q])
	}
	rows := make([]rankedRow, t.rows)
	for i := range rows {
		rows[i].row = int32(i)
	}
	for q, c := range t.qis {
		r, sh := ranks[q], l.shift[q]
		for i, code := range c.codes[:len(rows)] {
			rows[i].key |= r[code] << sh
		}
	}
	rows = radixSort(rows, make([]rankedRow, len(rows)), low)

	// The bottom's tables are made at their size, counted first: grown by
	// append they were copied a dozen times over (0.3 s of a cold run).
	distinct := 0
	for i, r := range rows {
		if i == 0 || r.key != rows[i-1].key {
			distinct++
		}
	}
	g.bottom = &classTable{levels: make([]int, g.nq), ordered: true,
		tuples: make([]uint64, 0, distinct*l.words), count: make([]int32, 0, distinct)}
	g.rowClass = make([]int32, t.rows)
	codes := make([]int32, g.nq)
	b := g.bottom
	for i, r := range rows {
		if i == 0 || r.key != rows[i-1].key {
			for q := range codes {
				codes[q] = codeOf[q][r.key>>l.shift[q]&l.mask[q]]
			}
			b.tuples = l.pack(b.tuples, codes)
			b.count = append(b.count, 0)
		}
		b.count[len(b.count)-1]++
		g.rowClass[r.row] = int32(len(b.count) - 1)
	}
}

// radixSort sorts rows by their keys, whose bits below low are 0, least
// significant digit first, using tmp (as long as rows) as the other
// buffer, and returns the sorted slice (one of the two). The sort is
// stable, so rows with equal keys stay in row order.
func radixSort(rows, tmp []rankedRow, low uint) []rankedRow {
	var count [1 << radixBits]int
	for shift := low; shift < 64; shift += radixBits {
		clear(count[:])
		for _, r := range rows {
			count[r.key>>shift&(1<<radixBits-1)]++
		}
		at := 0
		for d, n := range count {
			count[d] = at
			at += n
		}
		for _, r := range rows {
			d := r.key >> shift & (1<<radixBits - 1)
			tmp[count[d]] = r
			count[d]++
		}
		rows, tmp = tmp, rows
	}
	return rows
}
