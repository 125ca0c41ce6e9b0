package anonymize

// The search groups far more classes than it keeps: on the 1M-record
// release its roll-ups copy out some 760 MB of classes, most of them
// evicted from the cache again soon after. Under the pipeline's soft
// memory limit (1 GiB) that churn costs garbage collections: the
// benchmark's search step takes 6.6 s instead of 5.9 s under
// GOMEMLIMIT=1GiB. So while the search runs, the arrays of a node the
// cache evicts are kept for the classes of a later roll-up.

// maxSpares bounds the arrays kept of each kind.
const maxSpares = 16

// spares are arrays of evicted class tables, to be filled again.
type spares struct {
	tuples [][]uint64
	count  [][]int32
	// narrow and wide are value masks (masks.go).
	narrow [][]uint32
	wide   [][]uint64
}

// put keeps the arrays of an evicted class table, dropping the smallest
// kept when there are too many.
func (s *spares) put(c *classTable) {
	s.tuples = keepSpare(s.tuples, c.tuples)
	s.count = keepSpare(s.count, c.count)
	if m := c.masks; m != nil {
		s.narrow = keepSpare(s.narrow, m.narrow)
		s.wide = keepSpare(s.wide, m.wide)
	}
}

func keepSpare[T any](kept [][]T, a []T) [][]T {
	if cap(a) == 0 {
		return kept
	}
	if len(kept) < maxSpares {
		return append(kept, a[:0])
	}
	small := 0
	for i, k := range kept {
		if cap(k) < cap(kept[small]) {
			small = i
		}
	}
	if cap(a) > cap(kept[small]) {
		kept[small] = a[:0]
	}
	return kept
}

// takeSpare removes and returns the smallest kept array that holds n
// elements without wasting more than half of it (nil when there is
// none): empty, to be appended to.
func takeSpare[T any](kept *[][]T, n int) []T {
	best := -1
	for i, k := range *kept {
		if c := cap(k); c >= n && c <= 2*n+1024 && (best < 0 || c < cap((*kept)[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	a := (*kept)[best]
	last := len(*kept) - 1
	(*kept)[best] = (*kept)[last]
	*kept = (*kept)[:last]
	return a
}

// recyclable reports whether the arrays of c, just evicted from the
// cache, are no longer used: not the bottom, nor the classes of the node
// checked last or their source, nor sharing arrays (masks included) with
// them.
func (e *engine) recyclable(c *classTable) bool {
	if !e.recycling || c == e.g.bottom || c == e.lastSrc {
		return false
	}
	if l := e.last; l != nil && (c == l || sameArray(c.tuples, l.tuples) || sameArray(c.count, l.count) || sameMasks(c.masks, l.masks)) {
		return false
	}
	return true
}

// sameMasks reports whether two tables' value masks share their array.
func sameMasks(a, b *valueSets) bool {
	return a != nil && b != nil && (a == b || sameArray(a.narrow, b.narrow) || sameArray(a.wide, b.wide))
}

// sameArray reports whether two slices share their first element.
func sameArray[T any](a, b []T) bool {
	return len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
}
