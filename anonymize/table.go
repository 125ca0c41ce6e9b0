package anonymize

import (
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Table is what the search works on: the quasi-identifiers and sensitive
// attributes of every record, dictionary-encoded as integers. Each
// quasi-identifier also carries per-level lookup tables, so generalising a
// record is an array lookup per attribute, computed once per distinct
// value rather than once per row.
type Table struct {
	rows int
	qis  []*qiColumn
	sens []*sensColumn
}

// NewTable prepares an empty table with the named quasi-identifiers
// (generalised along hiers, in the same order) and sensitive attributes.
func NewTable(qis []string, hiers []Hierarchy, sensitive []string) *Table {
	t := &Table{}
	for i, name := range qis {
		t.qis = append(t.qis, &qiColumn{name: name, hier: hiers[i], index: map[string]int32{}})
	}
	for _, name := range sensitive {
		t.sens = append(t.sens, &sensColumn{name: name, index: map[string]int32{}})
	}
	return t
}

// Append adds one record: its quasi-identifier values, then its sensitive
// values, in the order the table was made with. An empty value is unknown.
func (t *Table) Append(qi, sensitive []string) {
	for i, c := range t.qis {
		c.add(qi[i])
	}
	for i, c := range t.sens {
		c.add(sensitive[i])
	}
	t.rows++
}

// grow makes room for n more records, so that a table filled from
// batches of known size does not copy its columns as they grow.
func (t *Table) grow(n int) {
	for _, c := range t.qis {
		c.codes = slices.Grow(c.codes, n)
	}
	for _, c := range t.sens {
		c.codes = slices.Grow(c.codes, n)
	}
}

// Rows is the number of records.
func (t *Table) Rows() int { return t.rows }

// QuasiIdentifiers names the quasi-identifiers in table order.
func (t *Table) QuasiIdentifiers() []string {
	out := make([]string, len(t.qis))
	for i, c := range t.qis {
		out[i] = c.name
	}
	return out
}

// Value returns the value of quasi-identifier q of row i generalised to
// level.
func (t *Table) Value(q, level, i int) string {
	c := t.qis[q]
	return c.labels[level][c.gen[level][c.codes[i]]]
}

// prepare builds the lookup tables once every record is in. It fails when a
// value is missing from a hierarchy that lists its values (an ARX table):
// ARX refuses such data too, and generalising an unknown value to * would
// hide a data error.
func (t *Table) prepare() error {
	for _, c := range t.qis {
		if err := c.prepare(); err != nil {
			return err
		}
	}
	return nil
}

// qiColumn is one quasi-identifier, dictionary-encoded.
type qiColumn struct {
	name  string
	hier  Hierarchy
	index map[string]int32
	dict  []string // original (level-0) values by code
	codes []int32  // per row
	freq  []int32  // rows per original value

	// gen[level][code] is the code of the generalised value at level, an
	// index into labels[level].
	gen    [][]int32
	labels [][]string
	// share[level][gcode] is the share of the attribute's domain a
	// generalised value covers (ARX's domain share, for the Loss metric).
	share [][]float64
	// domain is the size of that domain: the hierarchy's values, or the
	// values in the data for hierarchies that do not list theirs.
	domain int
	// lossSum[level] is the sum over all rows of the share of their value
	// at level; entropy[level] is the conditional entropy (in bits, summed
	// over rows) of the original values given their generalisation.
	lossSum []float64
	entropy []float64
}

func (c *qiColumn) add(v string) {
	code, ok := c.index[v]
	if !ok {
		code = int32(len(c.dict))
		c.index[v] = code
		c.dict = append(c.dict, v)
		c.freq = append(c.freq, 0)
	}
	c.codes = append(c.codes, code)
	c.freq[code]++
}

// addDerived adds the derived values of a column. A year or a date
// derives the same value wherever it occurs, so the code of each is kept
// in memo and the derivation (formatting a month, say) runs once per
// distinct value rather than once per row.
func (c *qiColumn) addDerived(col arrow.Array, derive deriver, memo map[int32]int32) {
	for i := range col.Len() {
		v, ok := rawInt32(col, i)
		if !ok {
			c.add(derive(col, i))
			continue
		}
		code, ok := memo[v]
		if !ok {
			c.add(derive(col, i))
			memo[v] = c.codes[len(c.codes)-1]
			continue
		}
		c.codes = append(c.codes, code)
		c.freq[code]++
	}
}

// rawInt32 reads value i of a year or date column as int32; false when
// it is null or the column is of another type.
func rawInt32(col arrow.Array, i int) (int32, bool) {
	switch a := col.(type) {
	case *array.Int32:
		return a.Value(i), a.IsValid(i)
	case *array.Date32:
		return int32(a.Value(i)), a.IsValid(i)
	}
	return 0, false
}

// domainLister is implemented by hierarchies that list their original
// values (ARX tables); their domain is the list, not just the data.
type domainLister interface {
	Domain() []string
	Covers(v string) bool
}

func (c *qiColumn) prepare() error {
	height := c.hier.Height()
	leaves := c.dict
	if dl, ok := c.hier.(domainLister); ok {
		leaves = append([]string(nil), dl.Domain()...)
		listed := map[string]bool{}
		for _, v := range leaves {
			listed[v] = true
		}
		for _, v := range c.dict {
			switch {
			case v != "" && !dl.Covers(v):
				return fmt.Errorf("attribute %s: value %q is not in its hierarchy", c.name, v)
			case !listed[v] && v == "":
				leaves = append(leaves, v)
			}
		}
	}
	c.domain = len(leaves)
	c.gen = make([][]int32, height)
	c.labels = make([][]string, height)
	c.share = make([][]float64, height)
	c.lossSum = make([]float64, height)
	c.entropy = make([]float64, height)
	for level := range height {
		idx := map[string]int32{}
		gen := make([]int32, len(c.dict))
		for code, v := range c.dict {
			g := v // level 0 is the value itself, whatever the hierarchy says
			if level > 0 {
				g = c.hier.Generalize(v, level)
			}
			gi, ok := idx[g]
			if !ok {
				gi = int32(len(c.labels[level]))
				idx[g] = gi
				c.labels[level] = append(c.labels[level], g)
			}
			gen[code] = gi
		}
		c.gen[level] = gen

		// Domain shares count the hierarchy's values per generalised
		// label at this level, as ARX does.
		covered := map[string]int{}
		for _, v := range leaves {
			if level == 0 {
				covered[v]++
			} else {
				covered[c.hier.Generalize(v, level)]++
			}
		}
		share := make([]float64, len(c.labels[level]))
		for gi, g := range c.labels[level] {
			share[gi] = float64(covered[g]) / float64(c.domain)
		}
		c.share[level] = share

		// Loss and entropy need, per generalised value, its rows.
		rows := make([]float64, len(c.labels[level]))
		for code, f := range c.freq {
			rows[gen[code]] += float64(f)
		}
		for code, f := range c.freq {
			if f == 0 {
				continue
			}
			a := float64(f)
			c.lossSum[level] += a * share[gen[code]]
			c.entropy[level] += a * log2(a/rows[gen[code]])
		}
		c.entropy[level] = -c.entropy[level]
	}
	return c.checkNested()
}

// checkNested makes sure the hierarchy is a tree over the data's values:
// values that share a generalisation at one level share it at every level
// above. Rolling class counts up from a more specific node, and the
// monotonicity the search prunes with, both rest on it.
func (c *qiColumn) checkNested() error {
	for level := 1; level+1 < len(c.gen); level++ {
		up := make([]int32, len(c.labels[level]))
		for i := range up {
			up[i] = -1
		}
		for code, g := range c.gen[level] {
			next := c.gen[level+1][code]
			switch {
			case up[g] < 0:
				up[g] = next
			case up[g] != next:
				return fmt.Errorf("attribute %s: its hierarchy is not a tree: %q generalises to %q at level %d, but values of it to %q and %q at level %d",
					c.name, c.dict[code], c.labels[level][g], level, c.labels[level+1][up[g]], c.labels[level+1][next], level+1)
			}
		}
	}
	return nil
}

// sensColumn is one sensitive attribute, dictionary-encoded. Code -1 is
// unknown (empty).
type sensColumn struct {
	name     string
	index    map[string]int32
	dict     []string
	codes    []int32
	hasEmpty bool
}

func (c *sensColumn) add(v string) {
	if v == "" {
		c.codes = append(c.codes, -1)
		c.hasEmpty = true
		return
	}
	code, ok := c.index[v]
	if !ok {
		code = int32(len(c.dict))
		c.index[v] = code
		c.dict = append(c.dict, v)
	}
	c.codes = append(c.codes, code)
}

var ln2 = math.Log(2)

// log2 is computed as ARX computes it, ln(x)/ln(2), so that entropies and
// their comparisons with log2(l) round the same way.
func log2(x float64) float64 { return math.Log(x) / ln2 }
