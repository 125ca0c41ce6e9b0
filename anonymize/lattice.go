package anonymize

import "fmt"

// lattice is the generalisation lattice of full-domain generalisation: a
// node is one level per quasi-identifier, and a node's successors raise
// one attribute by one level. Nodes are numbered in mixed radix (the last
// attribute varies fastest), so they live in plain arrays.
type lattice struct {
	heights []int
	stride  []int
	size    int
}

// maxLatticeNodes bounds the lattice the search keeps arrays for.
const maxLatticeNodes = 1 << 26

func newLattice(heights []int) (*lattice, error) {
	l := &lattice{heights: heights, stride: make([]int, len(heights)), size: 1}
	for q := len(heights) - 1; q >= 0; q-- {
		l.stride[q] = l.size
		if heights[q] < 1 {
			return nil, fmt.Errorf("anonymize: a hierarchy has no levels")
		}
		if l.size > maxLatticeNodes/heights[q] {
			return nil, fmt.Errorf("anonymize: the generalisation lattice has more than %d nodes; use fewer quasi-identifiers or shorter hierarchies", maxLatticeNodes)
		}
		l.size *= heights[q]
	}
	return l, nil
}

// level returns the level of attribute q at node n.
func (l *lattice) level(n, q int) int { return n / l.stride[q] % l.heights[q] }

// levels writes the levels of node n into out.
func (l *lattice) levels(n int, out []int) []int {
	out = out[:0]
	for q := range l.heights {
		out = append(out, l.level(n, q))
	}
	return out
}

// index is the node with the given levels.
func (l *lattice) index(levels []int) int {
	n := 0
	for q, v := range levels {
		n += v * l.stride[q]
	}
	return n
}

// height is the sum of a node's levels.
func (l *lattice) height(n int) int {
	h := 0
	for q := range l.heights {
		h += l.level(n, q)
	}
	return h
}

// top is the node with every attribute at *.
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
		if l.level(n, q) < l.heights[q]-1 {
			out = append(out, n+l.stride[q])
		}
	}
	return out
}

// predecessors appends the direct specialisations of node n.
func (l *lattice) predecessors(n int, out []int) []int {
	out = out[:0]
	for q := range l.heights {
		if l.level(n, q) > 0 {
			out = append(out, n-l.stride[q])
		}
	}
	return out
}
