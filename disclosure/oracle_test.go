package disclosure

import (
	"math"
)

// oracle enumerates every integer table a reader could believe: withheld
// cells within the bounds their marks reveal (at most limit), published
// cells as shown, every relation holding. It returns, per withheld cell,
// whether that cell can take a value other than its true one in some such
// table; a cell that cannot is recovered.
func oracle(p Policy, t *Table, st []Status, limit int) (ambiguous map[int]bool, tables int) {
	sys := p.system(t, st)
	n := len(sys.cells)
	lo, hi := make([]int, n), make([]int, n)
	for v := range sys.cells {
		lo[v] = int(sys.lo[v])
		h := sys.hi[v]
		if math.IsInf(h, 1) || h > float64(limit) {
			h = float64(limit)
		}
		hi[v] = int(h)
	}
	val := make([]int, n)
	set := make([]bool, n)
	forbid, forbidden := -1, 0
	// check reports whether every relation whose unknowns are all set
	// holds, and returns a forced unknown (a relation with one unset
	// unknown) and its value, if any.
	check := func() (ok bool, forced, forcedVal int) {
		forced = -1
		for _, r := range sys.rels {
			sum, unset, at, coef := r.rhs, 0, -1, 0.0
			reachLo, reachHi := 0.0, 0.0 // range of the unset terms
			for k, v := range r.vars {
				if set[v] {
					sum -= r.coef[k] * float64(val[v])
				} else {
					unset++
					at, coef = v, r.coef[k]
					l, h := termRange(r.coef[k], float64(lo[v]), float64(hi[v]))
					reachLo, reachHi = reachLo+l, reachHi+h
				}
			}
			switch {
			case sum < reachLo-1e-9 || sum > reachHi+1e-9:
				return false, -1, 0
			case unset == 0 && math.Abs(sum) > 1e-9:
				return false, -1, 0
			case unset == 1 && forced < 0:
				x := sum / coef
				if math.Abs(x-math.Round(x)) > 1e-9 {
					return false, -1, 0
				}
				forced, forcedVal = at, int(math.Round(x))
			}
		}
		return true, forced, forcedVal
	}
	var dfs func() bool
	dfs = func() bool {
		ok, forced, fv := check()
		if !ok {
			return false
		}
		if forced >= 0 {
			if fv < lo[forced] || fv > hi[forced] || forced == forbid && fv == forbidden {
				return false
			}
			set[forced], val[forced] = true, fv
			found := dfs()
			set[forced] = false
			return found
		}
		next := -1
		if forbid >= 0 && !set[forbid] {
			next = forbid
		}
		for v := 0; v < n && next < 0; v++ {
			if !set[v] {
				next = v
			}
		}
		if next < 0 {
			tables++
			return true
		}
		for x := lo[next]; x <= hi[next]; x++ {
			if next == forbid && x == forbidden {
				continue
			}
			set[next], val[next] = true, x
			found := dfs()
			set[next] = false
			if found {
				return true
			}
		}
		return false
	}
	ambiguous = map[int]bool{}
	for v, cell := range sys.cells {
		forbid, forbidden = v, int(t.Cells[cell].Value)
		ambiguous[cell] = dfs()
	}
	return ambiguous, tables
}
