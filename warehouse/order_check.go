package warehouse

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// textArray is what the order check reads of a text column, whether
// DuckDB hands it over as string or large string.
type textArray interface {
	arrow.Array
	Value(i int) string
}

// orderCheck follows a table's rows as they are read back and tells
// whether they come in ascending order of some text columns, nulls last,
// which is how DuckDB's ORDER BY sorts text. Rows equal on every column
// may come in either order, unless the check is strict: then no two rows
// may be equal on the order's columns (they are a key).
type orderCheck struct {
	cols   []int
	strict bool
	// last and lastValid are the previous batch's last row, copied, as
	// its batch is released before the next one is read; seen says
	// there was one.
	last      []string
	lastValid []bool
	seen      bool
}

// newOrderCheck prepares the check of the named columns of schema; it
// returns false when one is missing or not text (the check cannot tell,
// so the table is sorted instead).
func newOrderCheck(schema *arrow.Schema, order []string) (*orderCheck, bool) {
	c := &orderCheck{last: make([]string, len(order)), lastValid: make([]bool, len(order))}
	for _, name := range order {
		idx := schema.FieldIndices(name)
		if len(idx) != 1 {
			return nil, false
		}
		switch schema.Field(idx[0]).Type.ID() {
		case arrow.STRING, arrow.LARGE_STRING:
		default:
			return nil, false
		}
		c.cols = append(c.cols, idx[0])
	}
	return c, true
}

// batch reports whether the rows of rec continue the order.
func (c *orderCheck) batch(rec arrow.Record) bool {
	n := int(rec.NumRows())
	if n == 0 {
		return true
	}
	cols := make([]textArray, len(c.cols))
	for k, i := range c.cols {
		cols[k] = rec.Column(i).(textArray)
	}
	if c.seen {
		d := 0
		for k, a := range cols {
			if d = compareText(c.last[k], c.lastValid[k], a.Value(0), a.IsValid(0)); d != 0 {
				break
			}
		}
		if !c.follows(d) {
			return false
		}
	}
	for i := 1; i < n; i++ {
		d := 0
		for _, a := range cols {
			if d = compareText(a.Value(i-1), a.IsValid(i-1), a.Value(i), a.IsValid(i)); d != 0 {
				break
			}
		}
		if !c.follows(d) {
			return false
		}
	}
	for k, a := range cols {
		c.last[k], c.lastValid[k] = strings.Clone(a.Value(n-1)), a.IsValid(n-1)
	}
	c.seen = true
	return true
}

// follows tells whether a row may come after one it compares to as d
// (negative: the row before is smaller).
func (c *orderCheck) follows(d int) bool {
	return d < 0 || d == 0 && !c.strict
}

// compareText compares two text values, a null (valid false) after every
// value.
func compareText(x string, xValid bool, y string, yValid bool) int {
	switch {
	case !xValid && !yValid:
		return 0
	case !xValid:
		return 1
	case !yValid:
		return -1
	}
	return strings.Compare(x, y)
}
