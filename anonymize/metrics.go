package anonymize

import "math"

// The information-loss metrics follow ARX's definitions (version 2 of its
// metrics, org.deidentifier.arx.metric.v2) term for term, including its
// weighting of generalisation against suppression by the gs-factor, its
// normalisation and its rounding to ten decimals, so that a loss computed
// here can be compared with ARX's. docs/anonymisation.md states each
// formula.

// factors returns ARX's generalisation and suppression factors for a
// gs-factor: 0.5 gives 1 and 1.
func factors(gs float64) (gF, sF float64) {
	sF, gF = 1, 1
	if gs < 0.5 {
		sF = 2 * gs
	}
	if gs > 0.5 {
		gF = 1 - 2*(gs-0.5)
	}
	return gF, sF
}

// arxRound rounds to ten decimals as ARX does (Math.round(v*1e10)/1e10).
func arxRound(v float64) float64 { return math.Floor(v*1e10+0.5) / 1e10 }

// LossReport is the information loss of a release under every metric.
// The metrics are computed as ARX computes them by default, without
// weights, so that they compare across releases and with ARX; Objective is
// what the search minimised.
type LossReport struct {
	// Objective is the minimised metric with the weights and aggregate
	// function of the privacy model; without those it equals that
	// metric's own field.
	Objective float64 `json:"objective"`
	// Loss is ARX's Loss metric: per attribute the share of the domain
	// each value's generalisation covers, normalised to 0..1, combined by
	// the geometric mean. 0 is the original data, 1 everything *.
	Loss float64 `json:"loss"`
	// LossPerAttribute is Loss per quasi-identifier, in table order.
	LossPerAttribute []float64 `json:"loss_per_attribute"`
	// Precision is Sweeney's precision loss: per attribute the
	// generalisation level over the hierarchy's height (1 for suppressed
	// records), averaged over records and attributes.
	Precision float64 `json:"precision"`
	// Discernibility charges each record the size of its class, and the
	// size of the table when suppressed.
	Discernibility float64 `json:"discernibility"`
	// AECS is the average equivalence class size, the suppressed records
	// counting as one class.
	AECS float64 `json:"aecs"`
	// Entropy is the non-uniform entropy: the bits lost per record and
	// attribute by generalisation and suppression, summed.
	Entropy float64 `json:"entropy"`
	// EntropyMonotonic is ARX's monotonic variant, which ignores
	// suppression.
	EntropyMonotonic float64 `json:"entropy_monotonic"`
}

// apriori is the lower bound of the engine's metric at a node that needs
// no class counts: the loss if no record were suppressed. For the class
// based metrics (discernibility, AECS) it is 0. It never decreases from a
// node to its generalisations, so it prunes the search.
func (e *engine) apriori(metric string, levels []int) float64 {
	agg := e.p.aggregateOf(metric)
	switch metric {
	case MetricLoss:
		return e.aggregate(agg, func(q int) float64 { return e.lossValue(q, levels[q], 0) })
	case MetricPrecision:
		return e.aggregate(agg, func(q int) float64 { return math.Min(e.precisionLevel(q, levels[q])*e.gF, e.sF) })
	case MetricEntropy, MetricEntropyMonotonic:
		return e.aggregate(agg, func(q int) float64 { return arxRound(-(-e.t.qis[q].entropy[levels[q]] * e.gF)) })
	}
	return 0
}

// classBound is a lower bound of the metric at a node and every node
// above it, from the node's classes.
func (e *engine) classBound(metric string, ev *evaluation) float64 {
	switch metric {
	case MetricDiscernibility:
		sum := 0.0
		for _, c := range ev.classes.count {
			sum += float64(c) * float64(c)
		}
		return sum
	case MetricAECS:
		if ev.classes.len() == 0 {
			return 0
		}
		return e.n / (float64(ev.classes.len()) * math.Max(e.gF, e.sF))
	}
	return e.apriori(metric, ev.levels)
}

// value is the metric at an evaluated node.
func (e *engine) value(metric string, ev *evaluation) float64 {
	switch metric {
	case MetricLoss:
		return e.aggregate(e.p.aggregateOf(metric), func(q int) float64 { return e.lossValue(q, ev.levels[q], e.lossSuppressed(q, ev)) })
	case MetricPrecision:
		return e.precision(ev)
	case MetricDiscernibility:
		return e.discernibility(ev)
	case MetricAECS:
		return e.aecs(ev)
	case MetricEntropy:
		return e.entropy(ev)
	case MetricEntropyMonotonic:
		return e.apriori(MetricEntropyMonotonic, ev.levels)
	}
	return math.NaN()
}

// losses reports every metric at an evaluated node.
func (e *engine) losses(ev *evaluation) LossReport {
	u := e.unweighted()
	r := LossReport{
		Objective:        e.value(e.p.Metric, ev),
		Loss:             u.value(MetricLoss, ev),
		Precision:        u.value(MetricPrecision, ev),
		Discernibility:   u.value(MetricDiscernibility, ev),
		AECS:             u.value(MetricAECS, ev),
		Entropy:          u.value(MetricEntropy, ev),
		EntropyMonotonic: u.value(MetricEntropyMonotonic, ev),
	}
	for q := range e.t.qis {
		r.LossPerAttribute = append(r.LossPerAttribute, e.lossValue(q, ev.levels[q], e.lossSuppressed(q, ev)))
	}
	return r
}

// unweighted is a view of the engine that computes the metrics as ARX
// does by default: every weight 1, each metric's own aggregate function.
// It shares the engine's tables and only reads them.
func (e *engine) unweighted() *engine {
	u := *e
	u.p.Weights, u.p.Aggregate = nil, ""
	u.w = make([]float64, len(e.w))
	for q := range u.w {
		u.w[q] = 1
	}
	return &u
}

// lossValue is ARX's normalised Loss of quasi-identifier q at level, with
// extra the correction for suppressed records (lossSuppressed).
func (e *engine) lossValue(q, level int, extra float64) float64 {
	c := e.t.qis[q]
	sum := e.gF*c.lossSum[level] + extra
	lo := e.gF * e.n / float64(c.domain)
	if e.n-lo <= 0 {
		return 0
	}
	v := (sum - lo) / (e.n - lo)
	if v < 0 {
		v = 0
	}
	return arxRound(v)
}

// lossSuppressed is what the suppressed classes add to quasi-identifier
// q's Loss sum beyond their generalised share: ARX charges a suppressed
// record share + sF*(1-share) instead of gF*share (1 with the default
// factors).
func (e *engine) lossSuppressed(q int, ev *evaluation) float64 {
	if ev.suppressed == 0 {
		return 0
	}
	level := ev.levels[q]
	share := e.t.qis[q].share[level]
	extra := 0.0
	for _, c := range ev.outlierClasses() {
		cnt := float64(ev.classes.count[c])
		s := cnt * share[e.g.genCode(ev.classes, c, q, level)]
		charged := cnt
		if e.sF != 1 {
			charged = s + e.sF*(cnt-s)
		}
		extra += charged - s*e.gF
	}
	return extra
}

func (e *engine) precisionLevel(q, level int) float64 {
	h := e.t.qis[q].hier.Height() - 1
	if h == 0 {
		return 0
	}
	return float64(level) / float64(h)
}

func (e *engine) precision(ev *evaluation) float64 {
	if len(e.t.qis) == 0 || e.n == 0 {
		return 0
	}
	supp := float64(ev.suppressed)
	kept := e.n - supp
	return e.aggregate(e.p.aggregateOf(MetricPrecision), func(q int) float64 {
		v := (kept*e.precisionLevel(q, ev.levels[q]))*e.gF + supp*e.sF
		return v / e.n
	})
}

func (e *engine) discernibility(ev *evaluation) float64 {
	sum := 0.0
	for c, cnt := range ev.classes.count {
		if ev.outlier[c] {
			sum += e.n * float64(cnt)
		} else {
			sum += float64(cnt) * float64(cnt)
		}
	}
	return sum
}

func (e *engine) aecs(ev *evaluation) float64 {
	kept := 0
	for c := range ev.classes.count {
		if !ev.outlier[c] {
			kept++
		}
	}
	groups := float64(kept) * e.sF
	if ev.suppressed > 0 {
		groups += e.gF
	}
	if groups == 0 {
		return 0
	}
	return e.n / groups
}

// entropy is ARX's non-monotonic non-uniform entropy: the conditional
// entropy of the original values given their generalisation, plus, for
// the suppressed records, that of their generalised values given *.
func (e *engine) entropy(ev *evaluation) float64 {
	supp := float64(ev.suppressed)
	return e.aggregate(e.p.aggregateOf(MetricEntropy), func(q int) float64 {
		c, level := e.t.qis[q], ev.levels[q]
		t := 0.0
		if ev.suppressed > 0 {
			counts := make([]float64, len(c.labels[level]))
			for cl, out := range ev.outlier {
				if out {
					counts[e.g.genCode(ev.classes, cl, q, level)] += float64(ev.classes.count[cl])
				}
			}
			for _, f := range counts {
				if f > 0 {
					t += f * log2(f/supp) * e.sF
				}
			}
		}
		v := -(-c.entropy[level]*e.gF + t)
		if v == 0 {
			v = 0 // no negative zero
		}
		return arxRound(v)
	})
}
