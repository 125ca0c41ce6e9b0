package anonymize

import "sync/atomic"

// A check counts a node's classes only to learn whether more records than
// the budget are in classes smaller than k. On an ordered source a
// direct roll-up knows when some classes are final: a slice's classes
// are its own (rollup_direct.go), so once the next slice starts, the
// records in the finished slice's small classes are certainly among the
// node's suppressed ones. A failing check could stop there. But the
// classes of a failing node are often the source later checks roll up
// from, so stopping early pays only when the node is too large to be kept
// as a source anyway (more than 1/sourceShare of the bottom's classes).
// On the 1M-trajectory benchmark the checks that counted past the limit
// of classes passed the budget after 5–24 % of the source classes they
// read.

// earlyStop is a check's leave to give up its direct roll-up early, shared
// by the halves of a split roll-up.
type earlyStop struct {
	// k is the class size below which records are suppressed, budget
	// the records that may be, and keep the classes up to which the node
	// would be kept as a roll-up source.
	k      int32
	budget int64
	keep   int
	// total is the source's classes.
	total int
	supp  atomic.Int64
	// halted is set once a half gives up, so that the other stops too.
	halted atomic.Bool
}

// finished tallies the counts of a finished slice's classes. It reports
// whether the roll-up is to give up: the finished slices hold more
// suppressed records than the budget, and at the rate this part found
// classes (classes among done source classes) the node would be too
// large to keep.
func (s *earlyStop) finished(counts []int32, classes, done int) bool {
	var n int64
	for _, c := range counts {
		if c < s.k {
			n += int64(c)
		}
	}
	if s.supp.Add(n) <= s.budget || classes*s.total <= s.keep*done {
		return false
	}
	s.halted.Store(true)
	return true
}
