package anonymize

import "context"

// node is one point of the generalisation lattice: a level per
// quasi-identifier.
type node []int

func (n node) height() int {
	h := 0
	for _, l := range n {
		h += l
	}
	return h
}

// searchResult is the chosen generalisation and what it costs.
type searchResult struct {
	levels       node
	suppressed   int
	classes      int
	nodesChecked int
	feasible     bool
}

// search finds a generalisation that makes the table k-anonymous while
// suppressing at most maxSuppressed records: the lowest nodes of the
// lattice first, and among the feasible nodes of the lowest feasible
// height the one that suppresses fewest records. When no node is feasible
// the top node (everything generalised to *) is returned with feasible
// false.
func search(ctx context.Context, t *qiTable, k, maxSuppressed int) (searchResult, error) {
	heights := make([]int, len(t.cols))
	maxHeight := 0
	for q, c := range t.cols {
		heights[q] = c.hier.Height()
		maxHeight += heights[q] - 1
	}
	var keys []uint64
	res := searchResult{}
	for h := 0; h <= maxHeight; h++ {
		var best *searchResult
		for _, n := range nodesAtHeight(heights, h) {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			var counts map[uint64]int32
			var err error
			keys, counts, err = t.classKeys(n, keys)
			if err != nil {
				return res, err
			}
			res.nodesChecked++
			supp, classes := 0, 0
			for _, c := range counts {
				if int(c) < k {
					supp += int(c)
				} else {
					classes++
				}
			}
			if supp <= maxSuppressed && (best == nil || supp < best.suppressed) {
				best = &searchResult{levels: n, suppressed: supp, classes: classes, feasible: true}
			}
		}
		if best != nil {
			best.nodesChecked = res.nodesChecked
			return *best, nil
		}
	}
	top := make(node, len(t.cols))
	for q := range top {
		top[q] = heights[q] - 1
	}
	return searchResult{levels: top, suppressed: t.rows, nodesChecked: res.nodesChecked}, nil
}

// nodesAtHeight lists, in lexicographic order, every node whose levels sum
// to h, with level q below heights[q].
func nodesAtHeight(heights []int, h int) []node {
	var out []node
	cur := make(node, len(heights))
	var rec func(q, left int)
	rec = func(q, left int) {
		if q == len(heights) {
			if left == 0 {
				out = append(out, append(node(nil), cur...))
			}
			return
		}
		for l := 0; l < heights[q] && l <= left; l++ {
			cur[q] = l
			rec(q+1, left-l)
		}
	}
	rec(0, h)
	return out
}
