package anonymize

import (
	"fmt"
	"math"
)

// qiColumn is one quasi-identifier of a release, dictionary-encoded: each
// row holds an index into dict, and gen maps those indexes to the indexes
// of the generalised values at every level, computed once per distinct
// value rather than once per row.
type qiColumn struct {
	name  string
	hier  Hierarchy
	index map[string]int32
	dict  []string
	codes []int32
	// gen[level][code] is the index of the generalised value in
	// levelDict[level].
	gen       [][]int32
	levelDict [][]string
}

func newQIColumn(name string, h Hierarchy, rows int) *qiColumn {
	return &qiColumn{name: name, hier: h, index: map[string]int32{}, codes: make([]int32, 0, rows)}
}

func (c *qiColumn) add(v string) {
	code, ok := c.index[v]
	if !ok {
		code = int32(len(c.dict))
		c.index[v] = code
		c.dict = append(c.dict, v)
	}
	c.codes = append(c.codes, code)
}

// prepare builds the per-level lookup tables once all values are added.
func (c *qiColumn) prepare() {
	height := c.hier.Height()
	c.gen = make([][]int32, height)
	c.levelDict = make([][]string, height)
	for level := range height {
		idx := map[string]int32{}
		c.gen[level] = make([]int32, len(c.dict))
		for code, v := range c.dict {
			g := c.hier.Generalize(v, level)
			gi, ok := idx[g]
			if !ok {
				gi = int32(len(c.levelDict[level]))
				idx[g] = gi
				c.levelDict[level] = append(c.levelDict[level], g)
			}
			c.gen[level][code] = gi
		}
	}
}

// qiTable is the quasi-identifier part of a release.
type qiTable struct {
	cols []*qiColumn
	rows int
}

// classKeys computes, for the generalisation given by levels (one per
// quasi-identifier), each row's equivalence-class key and the size of
// every class. Keys are mixed-radix numbers over the generalised codes, so
// two rows share a key exactly when they share all generalised values.
func (t *qiTable) classKeys(levels []int, keys []uint64) ([]uint64, map[uint64]int32, error) {
	radix := make([]uint64, len(t.cols))
	product := 1.0
	for q, c := range t.cols {
		radix[q] = uint64(len(c.levelDict[levels[q]]))
		product *= float64(radix[q])
	}
	if product >= math.MaxUint64/2 {
		return nil, nil, fmt.Errorf("anonymize: too many combinations of quasi-identifier values to count")
	}
	keys = keys[:0]
	counts := map[uint64]int32{}
	for i := range t.rows {
		var key uint64
		for q, c := range t.cols {
			key = key*radix[q] + uint64(c.gen[levels[q]][c.codes[i]])
		}
		keys = append(keys, key)
		counts[key]++
	}
	return keys, counts, nil
}

// value returns the generalised value of quasi-identifier q in row i.
func (t *qiTable) value(q, level, i int) string {
	c := t.cols[q]
	return c.levelDict[level][c.gen[level][c.codes[i]]]
}
