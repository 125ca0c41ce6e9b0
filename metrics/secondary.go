package metrics

import (
	"math"
	"slices"
)

// cell is one number of one row: its value, numerator or denominator.
type cell struct {
	row   int
	field string
}

// secondary suppresses further rows until no sensitive number can be
// derived from the published ones through the equations (the catalogue's
// identities, the partners' sum to the network, a count's value equal to
// its numerator).
//
// What an attacker can derive is computed as a closure: every number of a
// published row is known, and an equation with exactly one unknown number
// makes it known, repeatedly. A primarily suppressed number that becomes
// known this way is a leak (a partner's count from the network's and the
// other partners'; an inflow from the stock at the start, the outflow and
// the stock at the end; a cumulative incidence from the survival and the
// other classes). For the first leak, of the equation that gave it away the
// published row with the smallest number is suppressed too (a partner's
// before the network's), and its number becomes sensitive in turn; when
// the equation has no published row left, the hidden number it was
// derived from becomes sensitive, so its own derivation is broken next.
// This repeats until nothing sensitive can be derived. Ties go to the
// first row, so a re-run suppresses the same rows.
//
// Numbers that were only hidden along with a sensitive one (a suppressed
// share's denominator that the stock and flow publish anyway) may be
// derived: that reveals nothing withheld for its own sake. An equation
// with a single number ("the outflow equals the median's denominator"
// when there was no exit, so no median row) tells only that it is zero,
// which counts do not protect. The rule does not search for an optimal
// (smallest) suppression pattern, as a linear-programming cell-suppression
// solver would; it only guarantees that none of the listed equations, on
// their own or chained, recovers a withheld number.
func secondary(rows []Row, eqs []equation, sensitive map[cell]bool) {
	g := newCellGraph(eqs)
	for {
		leak, by := g.firstLeak(rows, sensitive)
		if leak.field == "" {
			return
		}
		eq := eqs[by]
		pick, best := -1, math.Inf(1)
		var hiddenAlt cell
		for i, ri := range eq.rows {
			c := cell{ri, eq.fields[i]}
			if c == leak {
				continue
			}
			if rows[ri].Suppressed {
				if hiddenAlt.field == "" && !sensitive[c] {
					hiddenAlt = c
				}
				continue
			}
			x, _ := field(rows[ri], eq.fields[i])
			w := math.Abs(x)
			if eq.partnerSum && rows[ri].Partner == NetworkPartner {
				w = math.MaxFloat64 // keep the network's numbers when a partner's will do
			}
			if pick < 0 || w < best {
				pick, best = i, w
			}
		}
		switch {
		case pick >= 0:
			ri := eq.rows[pick]
			rows[ri].Suppressed = true
			sensitive[cell{ri, eq.fields[pick]}] = true
		case hiddenAlt.field != "":
			sensitive[hiddenAlt] = true
		default:
			return // cannot happen: the leak was derived from other known numbers
		}
	}
}

// cellGraph numbers the cells of the equations once, so that the closure
// can be recomputed cheaply after each suppression.
type cellGraph struct {
	cells []cell
	eqs   [][]int // distinct cell numbers per equation
}

func newCellGraph(eqs []equation) *cellGraph {
	g := &cellGraph{eqs: make([][]int, len(eqs))}
	index := map[cell]int{}
	for ei, eq := range eqs {
		for i, ri := range eq.rows {
			c := cell{ri, eq.fields[i]}
			n, ok := index[c]
			if !ok {
				n = len(g.cells)
				index[c] = n
				g.cells = append(g.cells, c)
			}
			if !slices.Contains(g.eqs[ei], n) {
				g.eqs[ei] = append(g.eqs[ei], n)
			}
		}
	}
	return g
}

// firstLeak computes what can be derived from the published rows and
// returns the first sensitive number derived, with the equation that
// derived it; an empty cell when there is none.
func (g *cellGraph) firstLeak(rows []Row, sensitive map[cell]bool) (cell, int) {
	known := make([]bool, len(g.cells))
	for n, c := range g.cells {
		known[n] = !rows[c.row].Suppressed
	}
	for changed := true; changed; {
		changed = false
		for ei, cells := range g.eqs {
			if len(cells) < 2 {
				continue
			}
			unknown, count := -1, 0
			for _, n := range cells {
				if !known[n] {
					unknown, count = n, count+1
					if count > 1 {
						break
					}
				}
			}
			if count != 1 {
				continue
			}
			known[unknown] = true
			changed = true
			if sensitive[g.cells[unknown]] {
				return g.cells[unknown], ei
			}
		}
	}
	return cell{}, -1
}
