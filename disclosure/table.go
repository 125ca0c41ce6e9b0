package disclosure

import (
	"fmt"
	"math"
)

// Cell is one count of a Table: a number that is published unless
// disclosure control withholds it.
type Cell struct {
	// Value is the true count. It never leaves the pipeline when the cell
	// is withheld; Protect needs it to choose complements and to check
	// that what remains published cannot give it away.
	Value float64
	// Primary is set when the cell itself may not be published (a count
	// below the threshold, a share built on one).
	Primary bool
	// Group ties cells that are published or withheld together: the
	// numerator and the rest of a share (withholding the share withholds
	// both). Zero means the cell stands alone.
	Group int
	// Marked says that readers can tell, for a withheld cell, which rule
	// withheld it: a count below the threshold shows as "<5" and a count
	// withheld to protect another one shows a different mark, so an
	// attacker knows the first lies in [0, threshold-1] and the second in
	// [threshold, ∞). Unmarked withheld cells (the parts of a hidden share)
	// are only known to be at least 0.
	Marked bool
	// Weight is what withholding the cell costs readers; the cheapest
	// complement is chosen. Zero means the cell's value.
	Weight float64
	// Fixed cells are published elsewhere (in a release readers also
	// hold): withholding them here would protect nothing, so they are never
	// chosen as complements.
	Fixed bool
	// Real cells hold a number that need not be whole (a share, an
	// estimate); every other cell is a count, which the audit uses.
	Real bool
	// Incidental cells are withheld only along with their group (a hidden
	// share's denominator that another table publishes): working them out
	// reveals nothing withheld for its own sake, so the audit does not
	// count it as a leak. They still count as unknowns.
	Incidental bool
}

// Term is one cell of a relation with its coefficient.
type Term struct {
	Cell int
	Coef float64
}

// Relation says that the sum of its terms (coefficient times value) is
// zero: a total and its parts, a stock and its flows.
type Relation []Term

// Sum is the relation total = parts[0] + parts[1] + …
func Sum(total int, parts ...int) Relation {
	r := Relation{{Cell: total, Coef: -1}}
	for _, p := range parts {
		r = append(r, Term{Cell: p, Coef: 1})
	}
	return r
}

// Table is a set of counts that readers see together, with every linear
// relation between them that a reader could use: the network as the sum of
// its partners, a class as the sum of its types, a row total as the sum of
// its row. Cells of several displayed tables that share numbers belong in
// one Table, so that they are protected together.
type Table struct {
	Cells     []Cell
	Relations []Relation
}

// Add adds a cell and returns its index.
func (t *Table) Add(c Cell) int {
	t.Cells = append(t.Cells, c)
	return len(t.Cells) - 1
}

// Relate adds a relation; it must hold for the cells' true values (a
// relation that does not hold is a mistake in the caller's model).
func (t *Table) Relate(r Relation) error {
	sum := 0.0
	for _, term := range r {
		if term.Cell < 0 || term.Cell >= len(t.Cells) {
			return fmt.Errorf("disclosure: relation names cell %d of %d", term.Cell, len(t.Cells))
		}
		sum += term.Coef * t.Cells[term.Cell].Value
	}
	if math.Abs(sum) > 1e-6 {
		return fmt.Errorf("disclosure: relation does not hold (its terms add up to %g)", sum)
	}
	t.Relations = append(t.Relations, r)
	return nil
}

// Status is what disclosure control decided for a cell.
type Status uint8

const (
	// Published cells are shown.
	Published Status = iota
	// BelowThreshold cells are withheld by the primary rule.
	BelowThreshold
	// Protecting cells are withheld so that no BelowThreshold cell can be
	// worked out from published totals: secondary suppression.
	Protecting
)

// Withheld reports whether the cell is not shown.
func (s Status) Withheld() bool { return s != Published }

func (t *Table) cost(i int) float64 {
	c := t.Cells[i]
	if c.Weight != 0 {
		return c.Weight
	}
	return c.Value
}

// bounds are what a reader knows about a withheld cell before using any
// relation.
func (p Policy) bounds(c Cell, s Status) (lo, hi float64) {
	if !c.Marked {
		return 0, math.Inf(1)
	}
	t := float64(p.Threshold)
	switch {
	case s == BelowThreshold && c.Value < t:
		return 0, t - 1
	case c.Value >= t:
		return t, math.Inf(1)
	}
	return 0, math.Inf(1)
}
