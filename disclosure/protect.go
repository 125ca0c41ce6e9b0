package disclosure

import (
	"fmt"
	"slices"
	"sort"
)

// Protect decides which cells of a table are published. Cells marked
// Primary are withheld (BelowThreshold); then secondary suppression
// withholds further cells (Protecting) until no withheld cell can be
// recovered from what remains published.
//
// The method is the iterative smallest-complement heuristic, checked by an
// audit:
//  1. In every relation with exactly one withheld cell, the cheapest
//     published cell of that relation is withheld too (a lone withheld
//     cell is the relation's total minus its published parts). This is
//     repeated until no relation has a lone withheld cell.
//  2. Recoverable audits the result with the attacker's own means
//     (linear algebra across all relations, and the bounds the marks
//     reveal). For every cell it still finds recoverable, the cheapest
//     published cell of a relation through that cell is withheld, and the
//     method goes back to step 1.
//
// Every round withholds at least one more cell, so it ends; when a cell
// stays recoverable with nothing left to withhold, Protect returns an
// error rather than a leaky table. Choices are deterministic (cost, then
// cell order), so the same table always gives the same result.
func (p Policy) Protect(t *Table) ([]Status, error) {
	st := make([]Status, len(t.Cells))
	groups := map[int][]int{}
	for i, c := range t.Cells {
		if c.Group != 0 {
			groups[c.Group] = append(groups[c.Group], i)
		}
	}
	withhold := func(i int, s Status) {
		members := []int{i}
		if g := t.Cells[i].Group; g != 0 {
			members = groups[g]
		}
		for _, m := range members {
			if st[m] == Published {
				st[m] = s
			}
		}
	}
	for i, c := range t.Cells {
		if c.Primary {
			st[i] = BelowThreshold
		}
	}
	for i, c := range t.Cells {
		if c.Primary {
			withhold(i, Protecting)
		}
	}
	// Relations through each cell, for choosing complements.
	through := make([][]int, len(t.Cells))
	for ri, r := range t.Relations {
		for _, term := range r {
			through[term.Cell] = append(through[term.Cell], ri)
		}
	}
	groupCost := func(i int) float64 {
		if g := t.Cells[i].Group; g != 0 {
			sum := 0.0
			for _, m := range groups[g] {
				sum += t.cost(m)
			}
			return sum
		}
		return t.cost(i)
	}
	// cheapest returns the cheapest published cell of the given relations,
	// or -1.
	cheapest := func(rels []int) int {
		best := -1
		var bestCost float64
		for _, ri := range rels {
			for _, term := range t.Relations[ri] {
				i := term.Cell
				if st[i] != Published || t.Cells[i].Fixed {
					continue
				}
				c := groupCost(i)
				if best < 0 || c < bestCost || c == bestCost && i < best {
					best, bestCost = i, c
				}
			}
		}
		return best
	}

	cache := map[string][]int{}
	for round := 0; round <= len(t.Cells); round++ {
		// Step 1: no relation keeps a lone withheld cell.
		for changed := true; changed; {
			changed = false
			for ri, r := range t.Relations {
				withheld := 0
				for _, term := range r {
					if st[term.Cell].Withheld() {
						withheld++
					}
				}
				if withheld != 1 {
					continue
				}
				c := cheapest([]int{ri})
				if c < 0 {
					continue // every other cell of the relation is withheld already
				}
				withhold(c, Protecting)
				changed = true
			}
		}
		// Step 2: audit.
		rec, err := p.recoverable(t, st, cache)
		if err != nil {
			return nil, err
		}
		if len(rec) == 0 {
			return st, nil
		}
		// One complement per recoverable cell, skipping cells whose
		// relations this round has already changed: the next audit tells
		// whether they still need one.
		progress := false
		touched := map[int]bool{}
		for _, i := range rec {
			if slices.ContainsFunc(through[i], func(ri int) bool { return touched[ri] }) {
				continue
			}
			c := cheapest(through[i])
			if c < 0 {
				c = cheapest(neighbourhood(t, through, i))
			}
			if c < 0 {
				c = cheapest(reachable(t, through, i))
			}
			if c >= 0 {
				withhold(c, Protecting)
				progress = true
				for _, ri := range through[c] {
					touched[ri] = true
				}
			}
		}
		if !progress {
			return nil, &UnprotectableError{Cell: rec[0]}
		}
	}
	return nil, fmt.Errorf("disclosure: secondary suppression did not settle")
}

// neighbourhood returns the relations within two steps of cell i: those
// through i and those through any cell of them.
func neighbourhood(t *Table, through [][]int, i int) []int {
	seen := map[int]bool{}
	for _, ri := range through[i] {
		seen[ri] = true
		for _, term := range t.Relations[ri] {
			for _, rj := range through[term.Cell] {
				seen[rj] = true
			}
		}
	}
	out := make([]int, 0, len(seen))
	for ri := range seen {
		out = append(out, ri)
	}
	sort.Ints(out)
	return out
}

// UnprotectableError says that a withheld cell can be worked out whatever
// else is withheld: every cell it is related to is withheld already, or
// fixed.
type UnprotectableError struct {
	Cell int
}

func (e *UnprotectableError) Error() string {
	return fmt.Sprintf("disclosure: cell %d stays recoverable with every related cell withheld or fixed", e.Cell)
}

// reachable returns every relation connected to cell i through shared
// cells: what the audit may have combined to recover it.
func reachable(t *Table, through [][]int, i int) []int {
	seenRel := map[int]bool{}
	seenCell := map[int]bool{i: true}
	queue := []int{i}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, ri := range through[c] {
			if seenRel[ri] {
				continue
			}
			seenRel[ri] = true
			for _, term := range t.Relations[ri] {
				if !seenCell[term.Cell] {
					seenCell[term.Cell] = true
					queue = append(queue, term.Cell)
				}
			}
		}
	}
	out := make([]int, 0, len(seenRel))
	for ri := range seenRel {
		out = append(out, ri)
	}
	sort.Ints(out)
	return out
}
