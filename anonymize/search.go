package anonymize

import (
	"context"
	"math"
	"slices"
)

// Node states during the search.
const (
	unknown uint8 = iota
	feasible
	infeasible
)

// searcher is the state of one search for the optimum.
type searcher struct {
	e      *engine
	metric string
	status []uint8
	// bound is, per node, a lower bound of its loss that never decreases
	// upwards: the loss without suppression for the metrics that have
	// one; raised from the classes of nodes below for discernibility and
	// AECS.
	bound      []float64
	classBased bool
	// exact is true when the monotone check is the whole model (no
	// diversity rules, and suppressed records need no class of their own
	// because there are none or ARX's convention is asked for).
	exact bool

	best     *evaluation
	bestLoss float64
	path     []int
	succ     []int
}

// search finds the optimal full-domain generalisation: the node with the
// least information loss under the privacy model, the same optimum ARX's
// optimal search reaches. It returns nil when no node satisfies the model.
//
// Nodes are visited in order of a lower bound of their loss that never
// decreases upwards, until the bound exceeds the best loss found; every
// node visited is checked against the whole model and its loss computed.
// The metrics are not monotone once records are suppressed (nor are
// entropy l-diversity and the class of suppressed records), so feasibility
// of the whole model prunes nothing. What prunes is its monotone part, "at
// most the budget of records in classes smaller than k": its
// generalisations pass when a node passes (their classes are unions of
// the node's), and its specialisations fail when it fails. A visited node
// whose part is unknown is settled as in Flash (Kohlmayer et al. 2012): a
// path of unsettled nodes from it upwards, cut where the bound passes the
// best loss, and a binary search on the path; every check settles a whole
// up- or down-set. Every node that passes a check is evaluated at once, so
// a good solution, and with it the cut-off, is known early.
func (e *engine) search(ctx context.Context) (*evaluation, error) {
	lat := e.lat
	s := &searcher{e: e, metric: e.p.Metric, status: make([]uint8, lat.size), bound: make([]float64, lat.size),
		bestLoss: math.Inf(1)}
	s.classBased = s.metric == MetricDiscernibility || s.metric == MetricAECS
	s.exact = len(e.rules) == 0 && (e.p.ARXSuppression || e.budget == 0)
	e.recycling = true
	defer func() { e.recycling = false }()
	if !e.relaxedFeasible(lat.top()) {
		return nil, nil
	}
	e.tag(s.status, lat.top(), feasible)

	order := make([]int, lat.size)
	height := make([]int, lat.size)
	levels := make([]int, len(lat.heights))
	for n := range order {
		order[n] = n
		levels = lat.levels(n, levels)
		s.bound[n] = e.apriori(s.metric, levels)
		height[n] = lat.height(n)
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case s.bound[a] < s.bound[b]:
			return -1
		case s.bound[a] > s.bound[b]:
			return 1
		case height[a] != height[b]:
			return height[a] - height[b]
		}
		return a - b
	})

	for _, n := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.best != nil && worse(s.bound[n], s.bestLoss) {
			if !s.classBased {
				break // the order is by bound: nothing later can win
			}
			s.propagate(n, s.bound[n])
			continue
		}
		if s.status[n] == unknown {
			s.settle(n)
		}
		if s.status[n] == feasible {
			s.consider(n)
		} else if s.classBased {
			s.propagate(n, s.bound[n])
		}
	}
	return s.best, nil
}

// settle decides the monotone part of the model for node n with a binary
// search on a path upwards from n.
func (s *searcher) settle(n int) {
	s.path = s.pathUp(n, s.path[:0])
	lo, hi := 0, len(s.path)
	for lo < hi {
		mid := (lo + hi) / 2
		m := s.path[mid]
		if s.status[m] == unknown {
			st := infeasible
			if s.e.relaxedFeasible(m) {
				st = feasible
			}
			s.e.tag(s.status, m, st)
			if st == feasible {
				s.consider(m)
			}
		}
		if s.status[m] == feasible {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
}

// pathUp builds the path of unsettled nodes from n upwards, raising at each
// step the attribute that is least generalised relative to its allowed
// levels (Flash's greedy order), and stopping where the bound shows that no node
// further up can beat the best solution found. Of attributes equally
// generalised, it raises the one whose node has the lowest bound, so
// that the path climbs through the nodes the search's order reaches
// next: on the 1M-trajectory benchmark that settles the lattice with 270
// checks instead of 459, where the first such attribute was raised.
func (s *searcher) pathUp(n int, path []int) []int {
	lat := s.e.lat
	for {
		path = append(path, n)
		next, best, bestBound := -1, math.Inf(1), math.Inf(1)
		for q := range lat.heights {
			l := lat.level(n, q)
			if l == lat.max[q] {
				continue
			}
			m := n + lat.stride[q]
			if s.status[m] != unknown || s.best != nil && worse(s.bound[m], s.bestLoss) {
				continue
			}
			rel := float64(l-lat.min[q]) / float64(lat.max[q]-lat.min[q])
			if rel < best || rel == best && s.bound[m] < bestBound {
				next, best, bestBound = m, rel, s.bound[m]
			}
		}
		if next < 0 {
			return path
		}
		n = next
	}
}

// consider evaluates node n, which passes the monotone part, against the
// whole model and keeps it if it is the best so far.
func (s *searcher) consider(n int) {
	e := s.e
	if s.best != nil && s.best.node == n {
		return
	}
	var ev *evaluation
	var v float64
	if s.exact && (e.budget == 0 || s.metric == MetricEntropyMonotonic) {
		levels := e.lat.levels(n, nil)
		if val, ok := e.valueUnsuppressed(s.metric, levels); ok {
			ev, v = &evaluation{node: n, levels: levels, feasible: true}, val
		}
	}
	if ev == nil {
		ev = e.evaluate(n, false)
		if s.classBased {
			s.propagate(n, math.Max(s.bound[n], e.classBound(s.metric, ev)))
		}
		if !ev.feasible {
			return
		}
		v = e.value(s.metric, ev)
	}
	if s.best == nil || better(v, e.lat.height(n), n, s.bestLoss, e.lat.height(s.best.node), s.best.node) {
		s.best, s.bestLoss = ev, v
	}
}

// propagate raises the bound of n's direct generalisations to b.
func (s *searcher) propagate(n int, b float64) {
	s.succ = s.e.lat.successors(n, s.succ)
	for _, m := range s.succ {
		if s.bound[m] < b {
			s.bound[m] = b
		}
	}
}

// tag settles node n and, by monotonicity, every node above it (feasible)
// or below it (infeasible).
func (e *engine) tag(status []uint8, n int, st uint8) {
	stack := []int{n}
	var next []int
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if status[n] == st {
			continue
		}
		status[n] = st
		if st == feasible {
			next = e.lat.successors(n, next)
		} else {
			next = e.lat.predecessors(n, next)
		}
		for _, m := range next {
			if status[m] != st {
				stack = append(stack, m)
			}
		}
	}
}

// tolerance treats losses equal when they differ only by rounding noise.
func tolerance(a, b float64) float64 {
	return 1e-12 * math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// worse reports whether a bound is above the best loss for certain.
func worse(bound, best float64) bool { return bound > best+tolerance(bound, best) }

// better orders solutions: lower loss; on a tie the lower node (sum of
// levels), then the first node in lexicographic order of levels.
func better(v float64, h, n int, bv float64, bh, bn int) bool {
	tol := tolerance(v, bv)
	switch {
	case v < bv-tol:
		return true
	case v > bv+tol:
		return false
	case h != bh:
		return h < bh
	}
	return n < bn
}
