package anonymize

import "math"

// evaluation is a node checked against the whole privacy model.
type evaluation struct {
	node       int
	levels     []int
	classes    *classTable
	mapping    []int32 // bottom class -> class, when computed
	outlier    []bool  // per class: suppressed
	suppressed int
	feasible   bool
	// outliers lists the suppressed classes, once asked for.
	outliers []int
}

// outlierClasses lists the suppressed classes: the loss of each
// quasi-identifier sums over them, and they are few beside the classes.
func (ev *evaluation) outlierClasses() []int {
	if ev.outliers == nil {
		n := 0
		for _, out := range ev.outlier {
			if out {
				n++
			}
		}
		ev.outliers = make([]int, 0, n)
		for c, out := range ev.outlier {
			if out {
				ev.outliers = append(ev.outliers, c)
			}
		}
	}
	return ev.outliers
}

// evaluate checks a node exactly: classes smaller than k or not l-diverse
// are suppressed; the node is feasible when they are within the budget
// and, unless ARX's convention is asked for, the suppressed records
// themselves form a k-anonymous, l-diverse class (or there are none).
// With mapping it also returns each bottom class's class, which the
// release needs; without, l-diversity is checked from class histograms
// rolled up from the smallest grouped node below (diverse).
func (e *engine) evaluate(node int, mapping bool) *evaluation {
	ev := &evaluation{node: node, levels: e.lat.levels(node, nil)}
	ev.classes, ev.mapping = e.classes(node, ev.levels, mapping, math.MaxInt)
	ev.outlier = make([]bool, ev.classes.len())
	for c, cnt := range ev.classes.count {
		ev.outlier[c] = int(cnt) < e.p.K
	}
	unions := make([]func([]bool) diversity, len(e.rules))
	for i, r := range e.rules {
		if ev.mapping == nil && e.masked {
			m, at, width := ev.classes.masks, e.maskAt[r.attr], len(e.t.sens[r.attr].dict)
			maskOutliers(m, at, width, r.DiversityRule, ev.outlier)
			unions[i] = maskUnion(m, at, width)
			continue
		}
		var per []diversity
		if ev.mapping != nil {
			h := e.hist[r.attr].histograms(ev.mapping, ev.classes.len(), e.scratch[i])
			e.scratch[i] = h.dense
			per, unions[i] = h.perClass(), h.union
		} else {
			h := ev.classes.hist[r.attr]
			per, unions[i] = h.perClass(), h.union
		}
		for c, d := range per {
			if !d.passes(r.DiversityRule) {
				ev.outlier[c] = true
			}
		}
	}
	for c, out := range ev.outlier {
		if out {
			ev.suppressed += int(ev.classes.count[c])
		}
	}
	ev.feasible = ev.suppressed <= e.budget
	if ev.feasible && !e.p.ARXSuppression && ev.suppressed > 0 {
		if ev.suppressed < e.p.K {
			ev.feasible = false
		}
		for i, r := range e.rules {
			if !unions[i](ev.outlier).passes(r.DiversityRule) {
				ev.feasible = false
			}
		}
	}
	return ev
}

// valueUnsuppressed is the metric at a node known to suppress nothing,
// which needs no class counts for the metrics that have an a-priori form
// (and monotonic entropy, which ignores suppression, at any node).
func (e *engine) valueUnsuppressed(metric string, levels []int) (float64, bool) {
	switch metric {
	case MetricLoss, MetricEntropy, MetricEntropyMonotonic:
		return e.apriori(metric, levels), true
	case MetricPrecision:
		return e.aggregate(e.p.aggregateOf(metric), func(q int) float64 { return e.precisionLevel(q, levels[q]) * e.gF }), true
	}
	return 0, false
}
