package disclosure

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Recoverable returns the withheld cells (by index, ascending) whose value
// a reader can work out from what the table publishes: by subtracting
// published cells from published totals, by combining several relations,
// and by using what the marks tell (a "<5" cell lies in [0, 4], a cell
// withheld to protect it is at least 5, no count is negative).
//
// It is the attacker's computation, done in two ways that together cover
// what subtraction can reveal:
//   - exact linear algebra: a cell is determined by the relations alone
//     when its unit vector lies in their row space, which the reduced row
//     echelon form shows as a row with a single non-zero entry;
//   - interval propagation over the relations and over the echelon rows
//     (which are the useful combinations of relations), with integer
//     rounding, until nothing tightens: a cell is recovered when its
//     interval shrinks to one integer.
//
// Intervals are a relaxation of the exact bounds a linear program would
// give, so in tables with many interlocking relations Recoverable could in
// principle miss a determination; the tests check it against exhaustive
// enumeration on tables built to tempt a leak and on random tables.
func (p Policy) Recoverable(t *Table, st []Status) ([]int, error) {
	return p.recoverable(t, st, nil)
}

// recoverable is Recoverable with a cache of solved components: a
// component's answer depends only on which cells it withholds, so
// Protect's later rounds re-solve only the components they changed.
func (p Policy) recoverable(t *Table, st []Status, cache map[string][]int) ([]int, error) {
	sys := p.system(t, st)
	var out []int
	var key strings.Builder
	for _, comp := range sys.components() {
		key.Reset()
		for _, v := range comp.vars {
			key.WriteString(strconv.Itoa(sys.cells[v]))
			key.WriteByte(',')
		}
		if det, ok := cache[key.String()]; ok {
			out = append(out, det...)
			continue
		}
		det, err := sys.solve(t, comp)
		if err != nil {
			return nil, err
		}
		if cache != nil {
			cache[key.String()] = det
		}
		out = append(out, det...)
	}
	sort.Ints(out)
	return out, nil
}

// linRel is a relation over withheld cells: Σ coef·x = rhs.
type linRel struct {
	vars []int
	coef []float64
	rhs  float64
}

// system is the attacker's view: the withheld cells as unknowns with their
// bounds, and the relations with the published cells moved to the right.
type system struct {
	cells  []int // cell index of each unknown
	lo, hi []float64
	real   []bool // unknowns that need not be whole numbers
	rels   []linRel
}

func (p Policy) system(t *Table, st []Status) *system {
	s := &system{}
	n := 0
	for i := range t.Cells {
		if st[i].Withheld() {
			n++
		}
	}
	s.cells, s.lo, s.hi, s.real = make([]int, 0, n), make([]float64, 0, n), make([]float64, 0, n), make([]bool, 0, n)
	s.rels = make([]linRel, 0, len(t.Relations))
	varOf := make([]int, len(t.Cells))
	for i, c := range t.Cells {
		varOf[i] = -1
		if st[i].Withheld() {
			varOf[i] = len(s.cells)
			s.cells = append(s.cells, i)
			lo, hi := p.bounds(c, st[i])
			s.lo, s.hi = append(s.lo, lo), append(s.hi, hi)
			s.real = append(s.real, c.Real)
		}
	}
	for _, r := range t.Relations {
		var lr linRel
		for _, term := range r {
			if v := varOf[term.Cell]; v >= 0 {
				if lr.vars == nil {
					lr.vars, lr.coef = make([]int, 0, len(r)), make([]float64, 0, len(r))
				}
				lr.vars = append(lr.vars, v)
				lr.coef = append(lr.coef, term.Coef)
			} else {
				lr.rhs -= term.Coef * t.Cells[term.Cell].Value
			}
		}
		if len(lr.vars) > 0 {
			s.rels = append(s.rels, lr)
		}
	}
	return s
}

// component is a set of unknowns linked by relations, with those
// relations; components are solved independently.
type component struct {
	vars []int
	rels []int
}

func (s *system) components() []component {
	parent := make([]int, len(s.cells))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, r := range s.rels {
		for _, v := range r.vars[1:] {
			a, b := find(r.vars[0]), find(v)
			if a != b {
				parent[b] = a
			}
		}
	}
	byRoot := map[int]*component{}
	var order []int
	for v := range s.cells {
		root := find(v)
		c, ok := byRoot[root]
		if !ok {
			c = &component{}
			byRoot[root] = c
			order = append(order, root)
		}
		c.vars = append(c.vars, v)
	}
	for i, r := range s.rels {
		byRoot[find(r.vars[0])].rels = append(byRoot[find(r.vars[0])].rels, i)
	}
	out := make([]component, 0, len(order))
	for _, root := range order {
		if c := byRoot[root]; len(c.rels) > 0 {
			out = append(out, *c)
		}
	}
	return out
}

const eps = 1e-9

// solve returns the cells of one component that a reader can recover.
func (s *system) solve(t *Table, comp component) ([]int, error) {
	local := make(map[int]int, len(comp.vars))
	for i, v := range comp.vars {
		local[v] = i
	}
	n := len(comp.vars)
	// The relations as sparse rows over the component's unknowns.
	rows := make([]sparseRow, 0, len(comp.rels))
	for _, ri := range comp.rels {
		r := s.rels[ri]
		acc := map[int]float64{}
		for k, v := range r.vars {
			acc[local[v]] += r.coef[k]
		}
		rows = append(rows, newSparseRow(acc, r.rhs))
	}
	echelon := sparseRREF(rows, n)

	lo, hi := make([]float64, n), make([]float64, n)
	real := make([]bool, n)
	for i, v := range comp.vars {
		lo[i], hi[i], real[i] = s.lo[v], s.hi[v], s.real[v]
	}
	determined := make([]bool, n)
	for _, row := range echelon {
		if len(row.idx) == 1 {
			determined[row.idx[0]] = true
		}
	}
	if err := propagate(append(rows, echelon...), lo, hi, real); err != nil {
		return nil, err
	}
	var out []int
	for i, v := range comp.vars {
		cell := s.cells[v]
		val := t.Cells[cell].Value
		if tol := 1e-6 * math.Max(1, math.Abs(val)); val < lo[i]-tol || val > hi[i]+tol {
			return nil, fmt.Errorf("disclosure: cell %d (%g) falls outside what its relations allow [%g, %g]: the table's relations are inconsistent", cell, val, lo[i], hi[i])
		}
		if t.Cells[cell].Incidental {
			continue
		}
		width := 0.5 // counts: an interval narrower than 1 holds one count
		if real[i] {
			width = 1e-9 * math.Max(1, math.Abs(val))
		}
		if determined[i] || hi[i]-lo[i] < width && s.hi[v]-s.lo[v] >= width {
			out = append(out, cell)
		}
	}
	return out, nil
}

// sparseRow is Σ val[k]·x[idx[k]] = rhs, with idx ascending.
type sparseRow struct {
	idx []int
	val []float64
	rhs float64
}

func newSparseRow(acc map[int]float64, rhs float64) sparseRow {
	r := sparseRow{rhs: rhs}
	for j, v := range acc {
		if math.Abs(v) > eps {
			r.idx = append(r.idx, j)
		}
	}
	sort.Ints(r.idx)
	for _, j := range r.idx {
		r.val = append(r.val, acc[j])
	}
	return r
}

// sparseRREF brings sparse rows over n unknowns to reduced row echelon
// form and returns its non-zero rows. The relations are sparse (a total
// and its parts), so elimination touches few entries: each new row is
// reduced by the earlier pivot rows in the order they were made (a pivot
// row holds only later pivots' columns, so this terminates), takes its
// largest entry as pivot, and a final pass from the last row back clears
// every pivot column from the rows above it.
func sparseRREF(rows []sparseRow, n int) []sparseRow {
	pivotOf := make([]int, n) // column -> pivot row, or -1
	for j := range pivotOf {
		pivotOf[j] = -1
	}
	var pivots []sparseRow
	var pivotCol []int
	work := make([]float64, n)
	inWork := make([]bool, n)
	var touched []int
	load := func(j int, v float64) {
		if !inWork[j] {
			inWork[j] = true
			touched = append(touched, j)
		}
		work[j] += v
	}
	// flush returns the work vector as a sparse row and clears it.
	// It makes the row newSparseRow makes, without a map in between.
	flush := func(rhs float64) sparseRow {
		slices.Sort(touched)
		n := 0
		for _, j := range touched {
			if math.Abs(work[j]) > eps {
				n++
			}
		}
		r := sparseRow{rhs: rhs}
		if n > 0 {
			r.idx, r.val = make([]int, 0, n), make([]float64, 0, n)
		}
		for _, j := range touched {
			if v := work[j]; math.Abs(v) > eps {
				r.idx = append(r.idx, j)
				r.val = append(r.val, v)
			}
			work[j], inWork[j] = 0, false
		}
		touched = touched[:0]
		return r
	}
	var queue intHeap
	for _, r := range rows {
		rhs := r.rhs
		for k, j := range r.idx {
			load(j, r.val[k])
		}
		queue = queue[:0]
		for _, j := range touched {
			if pivotOf[j] >= 0 {
				queue.push(pivotOf[j])
			}
		}
		for len(queue) > 0 {
			p := queue.pop()
			c := pivotCol[p]
			f := work[c]
			if math.Abs(f) <= eps {
				continue
			}
			pr := pivots[p]
			for k, j := range pr.idx {
				had := inWork[j] && math.Abs(work[j]) > eps
				load(j, -f*pr.val[k])
				if !had && pivotOf[j] > p {
					queue.push(pivotOf[j])
				}
			}
			work[c] = 0
			rhs -= f * pr.rhs
		}
		row := flush(rhs)
		if len(row.idx) == 0 {
			continue // a consequence of earlier rows
		}
		best := 0
		for k := range row.val {
			if math.Abs(row.val[k]) > math.Abs(row.val[best]) {
				best = k
			}
		}
		piv := row.val[best]
		for k := range row.val {
			row.val[k] /= piv
		}
		row.rhs /= piv
		pivotOf[row.idx[best]] = len(pivots)
		pivots = append(pivots, row)
		pivotCol = append(pivotCol, row.idx[best])
	}
	// Back substitution: clear later pivots' columns, last row first.
	for i := len(pivots) - 1; i >= 0; i-- {
		r := pivots[i]
		clean := true
		for _, j := range r.idx {
			if pivotOf[j] > i {
				clean = false
				break
			}
		}
		if clean {
			continue
		}
		rhs := r.rhs
		for k, j := range r.idx {
			load(j, r.val[k])
		}
		for k, j := range r.idx {
			if p := pivotOf[j]; p > i {
				f := r.val[k]
				for m, jj := range pivots[p].idx {
					load(jj, -f*pivots[p].val[m])
				}
				work[j] = 0
				rhs -= f * pivots[p].rhs
			}
		}
		pivots[i] = flush(rhs)
	}
	return pivots
}

// intHeap is a min-heap of pivot indices.
type intHeap []int

func (h *intHeap) push(x int) {
	*h = append(*h, x)
	for i := len(*h) - 1; i > 0; {
		parent := (i - 1) / 2
		if (*h)[parent] <= (*h)[i] {
			break
		}
		(*h)[parent], (*h)[i] = (*h)[i], (*h)[parent]
		i = parent
	}
}

func (h *intHeap) pop() int {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && (*h)[l] < (*h)[m] {
			m = l
		}
		if r < last && (*h)[r] < (*h)[m] {
			m = r
		}
		if m == i {
			break
		}
		(*h)[m], (*h)[i] = (*h)[i], (*h)[m]
		i = m
	}
	return top
}

// maxSweeps bounds interval propagation; every sweep that changes
// anything tightens some bound by at least one (counts are integers), so
// only wide intervals can take long, and they are not the ones at risk.
const maxSweeps = 200

// propagate tightens the intervals [lo, hi] of the unknowns with every row
// until nothing changes.
func propagate(rows []sparseRow, lo, hi []float64, real []bool) error {
	for sweep := 0; sweep < maxSweeps; sweep++ {
		changed := false
		for _, row := range rows {
			// The least and greatest value of Σ a_j x_j, counting infinite
			// contributions apart so each term can be taken out again.
			minSum, maxSum := 0.0, 0.0
			minInf, maxInf := 0, 0
			for k, j := range row.idx {
				l, h := termRange(row.val[k], lo[j], hi[j])
				if math.IsInf(l, -1) {
					minInf++
				} else {
					minSum += l
				}
				if math.IsInf(h, 1) {
					maxInf++
				} else {
					maxSum += h
				}
			}
			for k, j := range row.idx {
				a := row.val[k]
				l, h := termRange(a, lo[j], hi[j])
				// Range of the other terms.
				restMin, restMax := math.Inf(-1), math.Inf(1)
				if minInf == 0 || minInf == 1 && math.IsInf(l, -1) {
					restMin = minSum
					if !math.IsInf(l, -1) {
						restMin -= l
					}
				}
				if maxInf == 0 || maxInf == 1 && math.IsInf(h, 1) {
					restMax = maxSum
					if !math.IsInf(h, 1) {
						restMax -= h
					}
				}
				// a·x_j = rhs − rest.
				tl, th := row.rhs-restMax, row.rhs-restMin
				var nl, nh float64
				if a > 0 {
					nl, nh = tl/a, th/a
				} else {
					nl, nh = th/a, tl/a
				}
				if real[j] {
					// Tolerance for rounding in the published values.
					nl, nh = nl-1e-9*math.Max(1, math.Abs(nl)), nh+1e-9*math.Max(1, math.Abs(nh))
				} else {
					nl, nh = math.Ceil(nl-1e-7), math.Floor(nh+1e-7)
				}
				if nl > lo[j]+eps {
					lo[j] = nl
					changed = true
				}
				if nh < hi[j]-eps {
					hi[j] = nh
					changed = true
				}
				if lo[j] > hi[j]+eps {
					return fmt.Errorf("disclosure: relations admit no value for a withheld cell: the table's relations are inconsistent")
				}
			}
		}
		if !changed {
			return nil
		}
	}
	return nil
}

// termRange is the range of a·x for x in [lo, hi].
func termRange(a, lo, hi float64) (float64, float64) {
	if a > 0 {
		return a * lo, a * hi
	}
	return a * hi, a * lo
}
