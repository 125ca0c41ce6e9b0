package anonymize

import (
	"math"
	"slices"
)

// sensHist is, for one sensitive attribute, the histogram of its known
// values within each bottom class (distinct original quasi-identifier
// tuple), in compressed sparse rows: the values of bottom class b are
// vals[start[b]:start[b+1]] with counts cnts[...]. A node's class
// histograms are sums of these, so l-diversity never goes back to rows.
type sensHist struct {
	dom   int
	start []int32
	vals  []int32
	cnts  []int32
}

func newSensHist(c *sensColumn, rowClass []int32, nb int) *sensHist {
	// The rows of each bottom class, by a counting sort on the class, then
	// each class's values counted in a small array.
	first := make([]int32, nb+1)
	for i, v := range c.codes {
		if v >= 0 {
			first[rowClass[i]+1]++
		}
	}
	for b := range nb {
		first[b+1] += first[b]
	}
	vals := make([]int32, first[nb])
	pos := slices.Clone(first[:nb])
	for i, v := range c.codes {
		if v >= 0 {
			b := rowClass[i]
			vals[pos[b]] = v
			pos[b]++
		}
	}
	// A class has at most as many distinct values as known values: the
	// pairs' tables are made at that bound, as most bottom classes hold
	// one record (0.4 s of a cold run went to growing them).
	h := &sensHist{dom: len(c.dict), start: make([]int32, nb+1),
		vals: make([]int32, 0, len(vals)), cnts: make([]int32, 0, len(vals))}
	for b := range nb {
		class := vals[first[b]:first[b+1]]
		slices.Sort(class)
		for i := 0; i < len(class); {
			j := i + 1
			for j < len(class) && class[j] == class[i] {
				j++
			}
			h.vals = append(h.vals, class[i])
			h.cnts = append(h.cnts, int32(j-i))
			i = j
		}
		h.start[b+1] = int32(len(h.vals))
	}
	return h
}

// diversity of one sensitive attribute in one class: the number of
// distinct known values and the Shannon entropy of their distribution in
// bits. A class without known values has distinct 0.
type diversity struct {
	distinct int
	entropy  float64
}

// passes reports whether a class meets the rule. A class whose members all
// have the attribute unknown passes: there is nothing to disclose.
func (d diversity) passes(r DiversityRule) bool {
	if d.distinct == 0 {
		return true
	}
	if float64(d.distinct) < math.Ceil(r.L) {
		return false
	}
	if r.Measure == DiversityEntropy {
		return d.entropy >= log2(r.L)
	}
	return true
}

// l is the diversity expressed as an l: the distinct count, or 2^entropy.
func (d diversity) l(measure string) float64 {
	if measure == DiversityEntropy {
		return math.Exp2(d.entropy)
	}
	return float64(d.distinct)
}

// classHistograms are the histograms of one sensitive attribute in each
// class of a node: dense (class × value counts) when small enough, else a
// map keyed by class<<32 | value.
type classHistograms struct {
	dom    int
	dense  []int32 // n*dom counts when small enough
	sparse map[uint64]int32
	n      int
}

// maxDenseCells bounds the dense histogram (n classes × values).
const maxDenseCells = 1 << 24

// histograms sums the histograms of the bottom classes into those of the n
// classes of a node; mapping gives each bottom class's class. scratch is
// reused for the dense counts when it is large enough.
func (h *sensHist) histograms(mapping []int32, n int, scratch []int32) *classHistograms {
	ch := &classHistograms{dom: h.dom, n: n}
	if n*h.dom <= maxDenseCells {
		if cap(scratch) < n*h.dom {
			scratch = make([]int32, n*h.dom)
		}
		ch.dense = scratch[:n*h.dom]
		clear(ch.dense)
		for b, c := range mapping {
			base := int(c) * h.dom
			for j := h.start[b]; j < h.start[b+1]; j++ {
				ch.dense[base+int(h.vals[j])] += h.cnts[j]
			}
		}
		return ch
	}
	ch.sparse = map[uint64]int32{}
	for b, c := range mapping {
		for j := h.start[b]; j < h.start[b+1]; j++ {
			ch.sparse[uint64(c)<<32|uint64(h.vals[j])] += h.cnts[j]
		}
	}
	return ch
}

// perClass returns the diversity of every class.
func (ch *classHistograms) perClass() []diversity {
	out := make([]diversity, ch.n)
	if ch.dense != nil {
		for c := range ch.n {
			out[c] = diversityOf(ch.dense[c*ch.dom : (c+1)*ch.dom])
		}
		return out
	}
	sums := make([]float64, ch.n)
	totals := make([]float64, ch.n)
	for k, f := range ch.sparse {
		c := int(k >> 32)
		out[c].distinct++
		sums[c] += float64(f) * log2(float64(f))
		totals[c] += float64(f)
	}
	for c := range out {
		if totals[c] > 0 {
			out[c].entropy = -((sums[c] / totals[c]) - log2(totals[c]))
		}
	}
	return out
}

// union returns the diversity of the records of the classes for which
// member is true, taken together.
func (ch *classHistograms) union(member []bool) diversity {
	counts := make([]int32, ch.dom)
	if ch.dense != nil {
		for c := range ch.n {
			if member[c] {
				for v, f := range ch.dense[c*ch.dom : (c+1)*ch.dom] {
					counts[v] += f
				}
			}
		}
	} else {
		for k, f := range ch.sparse {
			if member[int(k>>32)] {
				counts[int(uint32(k))] += f
			}
		}
	}
	return diversityOf(counts)
}

// diversityOf computes the diversity of a histogram, with ARX's formula
// for the entropy (log2(total) - sum(f log2 f)/total).
func diversityOf(counts []int32) diversity {
	var d diversity
	var sum, total float64
	for _, f := range counts {
		if f > 0 {
			d.distinct++
			sum += float64(f) * log2(float64(f))
			total += float64(f)
		}
	}
	if total > 0 {
		d.entropy = -((sum / total) - log2(total))
	}
	return d
}

// rollUp sums the histograms of the classes of one node into those of the
// n classes of a node above it; to gives each class its class there. The
// result is again in compressed sparse rows with the values of a class in
// increasing order, so diversities come out as from the dense histograms.
// It costs a pass over the source's entries, not over the bottom classes:
// this is what lets a node's l-diversity be checked from the smallest
// grouped node below it.
func (h *sensHist) rollUp(to []int32, n int, scratch []int32) (*sensHist, []int32) {
	out := &sensHist{dom: h.dom, start: make([]int32, n+1)}
	if n*h.dom > maxDenseCells {
		return h.rollUpSorted(to, n, out), scratch
	}
	// Dense counts, then compressed in class and value order.
	if cap(scratch) < n*h.dom {
		scratch = make([]int32, n*h.dom)
	}
	dense := scratch[:n*h.dom]
	entries := 0
	for s, c := range to {
		base := int(c) * h.dom
		for j := h.start[s]; j < h.start[s+1]; j++ {
			if dense[base+int(h.vals[j])] == 0 {
				entries++
			}
			dense[base+int(h.vals[j])] += h.cnts[j]
		}
	}
	out.vals, out.cnts = make([]int32, 0, entries), make([]int32, 0, entries)
	for c := range n {
		row := dense[c*h.dom : (c+1)*h.dom]
		for v, f := range row {
			if f != 0 {
				out.vals = append(out.vals, int32(v))
				out.cnts = append(out.cnts, f)
				row[v] = 0
			}
		}
		out.start[c+1] = int32(len(out.vals))
	}
	return out, scratch
}

// rollUpSorted is rollUp for nodes too large for dense counts: the source
// classes of each class are found by a counting sort.
func (h *sensHist) rollUpSorted(to []int32, n int, out *sensHist) *sensHist {
	first := make([]int32, n+1)
	for _, c := range to {
		first[c+1]++
	}
	for c := range n {
		first[c+1] += first[c]
	}
	order := make([]int32, len(to))
	pos := slices.Clone(first[:n])
	for s, c := range to {
		order[pos[c]] = int32(s)
		pos[c]++
	}
	acc := make([]int32, h.dom)
	var touched []int32
	for c := range n {
		touched = touched[:0]
		for _, s := range order[first[c]:first[c+1]] {
			for j := h.start[s]; j < h.start[s+1]; j++ {
				v := h.vals[j]
				if acc[v] == 0 {
					touched = append(touched, v)
				}
				acc[v] += h.cnts[j]
			}
		}
		slices.Sort(touched)
		for _, v := range touched {
			out.vals = append(out.vals, v)
			out.cnts = append(out.cnts, acc[v])
			acc[v] = 0
		}
		out.start[c+1] = int32(len(out.vals))
	}
	return out
}

// perClass returns the diversity of every class of a histogram kept in
// compressed sparse rows, summed in value order as diversityOf does.
func (h *sensHist) perClass() []diversity {
	n := len(h.start) - 1
	out := make([]diversity, n)
	for c := range n {
		out[c] = diversityOf(h.cnts[h.start[c]:h.start[c+1]])
	}
	return out
}

// union returns the diversity of the records of the classes for which
// member is true, taken together.
func (h *sensHist) union(member []bool) diversity {
	counts := make([]int32, h.dom)
	for c := range len(h.start) - 1 {
		if member[c] {
			for j := h.start[c]; j < h.start[c+1]; j++ {
				counts[h.vals[j]] += h.cnts[j]
			}
		}
	}
	return diversityOf(counts)
}

// cells is the number of entries of the histogram, for the cache's bound.
func (h *sensHist) cells() int { return len(h.vals) + len(h.start) }
