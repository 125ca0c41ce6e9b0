package anonymize

import "fmt"

// lattice is the generalisation lattice of full-domain generalisation: a
// node is one level per quasi-identifier, and a node's successors raise
// one attribute by one level. The lattice may be restricted to a range of
// levels per attribute (ARX's minimum and maximum generalisation); the
// restricted lattice is again a lattice, the product of the ranges, so
// monotonicity prunes it exactly as the whole one. Nodes are numbered in
// mixed radix over the ranges (the last attribute varies fastest), so they
// live in plain arrays and their numbers follow the lexicographic order of
// their levels.
type lattice struct {
	// heights are the hierarchies' numbers of levels.
	heights []int
	// min and max are the lowest and highest level allowed per attribute.
	min, max []int
	span     []int
	stride   []int
	size     int
}

// maxLatticeNodes bounds the lattice the search keeps arrays for.
const maxLatticeNodes = 1 << 26

func newLattice(heights, min, max []int) (*lattice, error) {
	n := len(heights)
	l := &lattice{heights: heights, min: min, max: max, span: make([]int, n), stride: make([]int, n), size: 1}
	for q := n - 1; q >= 0; q-- {
		if heights[q] < 1 {
			return nil, fmt.Errorf("anonymize: a hierarchy has no levels")
		}
		if min[q] < 0 || max[q] >= heights[q] || min[q] > max[q] {
			return nil, fmt.Errorf("anonymize: levels %d..%d are outside the hierarchy's 0..%d", min[q], max[q], heights[q]-1)
		}
		l.span[q] = max[q] - min[q] + 1
		l.stride[q] = l.size
		if l.size > maxLatticeNodes/l.span[q] {
			return nil, fmt.Errorf("anonymize: the generalisation lattice has more than %d nodes; use fewer quasi-identifiers, shorter hierarchies or narrower levels", maxLatticeNodes)
		}
		l.size *= l.span[q]
	}
	return l, nil
}

// level returns the level of attribute q at node n.
func (l *lattice) level(n, q int) int { return l.min[q] + n/l.stride[q]%l.span[q] }

// levels writes the levels of node n into out.
func (l *lattice) levels(n int, out []int) []int {
	out = out[:0]
	for q := range l.heights {
		out = append(out, l.level(n, q))
	}
	return out
}

// index is the node with the given levels, which must be allowed.
func (l *lattice) index(levels []int) int {
	n := 0
	for q, v := range levels {
		n += (v - l.min[q]) * l.stride[q]
	}
	return n
}

// contains reports whether the levels are a node of the lattice.
func (l *lattice) contains(levels []int) bool {
	for q, v := range levels {
		if v < l.min[q] || v > l.max[q] {
			return false
		}
	}
	return true
}

// height is the sum of a node's levels.
func (l *lattice) height(n int) int {
	h := 0
	for q := range l.heights {
		h += l.level(n, q)
	}
	return h
}

// top is the most general node: every attribute at its highest allowed
// level (* unless restricted).
func (l *lattice) top() int { return l.size - 1 }

// below reports whether node a is at or below node b in every attribute.
func (l *lattice) below(a, b []int) bool {
	for q := range a {
		if a[q] > b[q] {
			return false
		}
	}
	return true
}

// successors appends the direct generalisations of node n.
func (l *lattice) successors(n int, out []int) []int {
	out = out[:0]
	for q := range l.heights {
		if l.level(n, q) < l.max[q] {
			out = append(out, n+l.stride[q])
		}
	}
	return out
}

// predecessors appends the direct specialisations of node n.
func (l *lattice) predecessors(n int, out []int) []int {
	out = out[:0]
	for q := range l.heights {
		if l.level(n, q) > l.min[q] {
			out = append(out, n-l.stride[q])
		}
	}
	return out
}
