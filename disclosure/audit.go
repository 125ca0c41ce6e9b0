package disclosure

import (
	"fmt"
	"math"
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
	rels   []linRel
}

func (p Policy) system(t *Table, st []Status) *system {
	s := &system{}
	varOf := make([]int, len(t.Cells))
	for i, c := range t.Cells {
		varOf[i] = -1
		if st[i].Withheld() {
			varOf[i] = len(s.cells)
			s.cells = append(s.cells, i)
			lo, hi := p.bounds(c, st[i])
			s.lo, s.hi = append(s.lo, lo), append(s.hi, hi)
		}
	}
	for _, r := range t.Relations {
		var lr linRel
		for _, term := range r {
			if v := varOf[term.Cell]; v >= 0 {
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
	// The relations as dense rows over the component's unknowns, with the
	// right-hand side in the last column.
	rows := make([][]float64, 0, len(comp.rels))
	for _, ri := range comp.rels {
		row := make([]float64, n+1)
		r := s.rels[ri]
		for k, v := range r.vars {
			row[local[v]] += r.coef[k]
		}
		row[n] = r.rhs
		rows = append(rows, row)
	}
	echelon := rref(cloneRows(rows), n)

	lo, hi := make([]float64, n), make([]float64, n)
	for i, v := range comp.vars {
		lo[i], hi[i] = s.lo[v], s.hi[v]
	}
	determined := make([]bool, n)
	for _, row := range echelon {
		nz, at := 0, -1
		for j := 0; j < n; j++ {
			if math.Abs(row[j]) > eps {
				nz++
				at = j
			}
		}
		if nz == 1 {
			determined[at] = true
		}
	}
	if err := propagate(append(rows, echelon...), n, lo, hi); err != nil {
		return nil, err
	}
	var out []int
	for i, v := range comp.vars {
		cell := s.cells[v]
		val := t.Cells[cell].Value
		if val < lo[i]-1e-6 || val > hi[i]+1e-6 {
			return nil, fmt.Errorf("disclosure: cell %d (%g) falls outside what its relations allow [%g, %g]: the table's relations are inconsistent", cell, val, lo[i], hi[i])
		}
		if determined[i] || hi[i]-lo[i] < 0.5 && s.hi[v]-s.lo[v] >= 0.5 {
			out = append(out, cell)
		}
	}
	return out, nil
}

func cloneRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

// rref brings rows (n unknowns plus a right-hand side) to reduced row
// echelon form with partial pivoting and returns its non-zero rows.
func rref(rows [][]float64, n int) [][]float64 {
	r := 0
	for col := 0; col < n && r < len(rows); col++ {
		best, bestAbs := -1, eps
		for i := r; i < len(rows); i++ {
			if a := math.Abs(rows[i][col]); a > bestAbs {
				best, bestAbs = i, a
			}
		}
		if best < 0 {
			continue
		}
		rows[r], rows[best] = rows[best], rows[r]
		piv := rows[r][col]
		for j := col; j <= n; j++ {
			rows[r][j] /= piv
		}
		for i := range rows {
			if i == r || math.Abs(rows[i][col]) <= eps {
				continue
			}
			f := rows[i][col]
			for j := col; j <= n; j++ {
				rows[i][j] -= f * rows[r][j]
			}
			rows[i][col] = 0
		}
		r++
	}
	return rows[:r]
}

// maxSweeps bounds interval propagation; every sweep that changes
// anything tightens some bound by at least one (counts are integers), so
// only wide intervals can take long, and they are not the ones at risk.
const maxSweeps = 200

// sparseRow is Σ coef[k]·x[idx[k]] = rhs.
type sparseRow struct {
	idx  []int
	coef []float64
	rhs  float64
}

// propagate tightens the intervals [lo, hi] of the unknowns with every row
// (Σ row[j]·x_j = row[n]) until nothing changes.
func propagate(dense [][]float64, n int, lo, hi []float64) error {
	rows := make([]sparseRow, len(dense))
	for i, d := range dense {
		r := sparseRow{rhs: d[n]}
		for j := 0; j < n; j++ {
			if math.Abs(d[j]) > eps {
				r.idx = append(r.idx, j)
				r.coef = append(r.coef, d[j])
			}
		}
		rows[i] = r
	}
	for sweep := 0; sweep < maxSweeps; sweep++ {
		changed := false
		for _, row := range rows {
			// The least and greatest value of Σ a_j x_j, counting infinite
			// contributions apart so each term can be taken out again.
			minSum, maxSum := 0.0, 0.0
			minInf, maxInf := 0, 0
			for k, j := range row.idx {
				l, h := termRange(row.coef[k], lo[j], hi[j])
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
				a := row.coef[k]
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
				nl, nh = math.Ceil(nl-1e-7), math.Floor(nh+1e-7)
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
