package anonymize

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// The release's users rarely value every quasi-identifier alike: the
// learning network asks per partner and over time, so the partner and the
// intake and outflow dates matter more to it than age or nationality.
// Two of ARX's settings say so, and this file implements them: attribute
// weights in the information-loss metrics, and a minimum and maximum
// generalisation level per quasi-identifier that restrict the lattice.

// Aggregate functions that combine per-attribute losses into one, as
// ARX's Metric.AggregateFunction defines them (v the attribute's loss, w
// its weight divided by the largest weight, n the number of attributes):
const (
	// AggregateGeometricMean is Π((v+1)·w)^(1/n) − 1, ARX's default for
	// loss. Weights only multiply it by the constant (Π w)^(1/n), so they
	// never change which generalisation is optimal.
	AggregateGeometricMean = "geometric_mean"
	// AggregateArithmeticMean is Σ v·w/n, ARX's default for precision.
	AggregateArithmeticMean = "arithmetic_mean"
	// AggregateSum is Σ v·w, ARX's default for the entropies.
	AggregateSum = "sum"
	// AggregateMaximum is max(v·w).
	AggregateMaximum = "maximum"
)

// Aggregates lists the aggregate functions (ARX's rank is not offered: it
// orders transformations lexicographically, not by a number).
var Aggregates = []string{AggregateGeometricMean, AggregateArithmeticMean, AggregateSum, AggregateMaximum}

// weightedMetric reports whether a metric weighs attributes: ARX's
// multi-dimensional metrics do, discernibility and AECS (single-dimensional)
// ignore weights and aggregate functions.
func weightedMetric(metric string) bool {
	return metric != MetricDiscernibility && metric != MetricAECS
}

// defaultAggregate is ARX's aggregate function of a metric when none is
// chosen (Metric.createLossMetric() and so on).
func defaultAggregate(metric string) string {
	switch metric {
	case MetricLoss:
		return AggregateGeometricMean
	case MetricPrecision:
		return AggregateArithmeticMean
	}
	return AggregateSum
}

// aggregateOf is the aggregate function of a metric under the privacy
// model: the chosen one for the metric the search minimises, ARX's default
// for every other metric of the report.
func (p Privacy) aggregateOf(metric string) string {
	if metric == p.Metric && p.Aggregate != "" {
		return p.Aggregate
	}
	return defaultAggregate(metric)
}

// checkGeneralisation validates the weights and level limits against the
// table's quasi-identifiers and their hierarchies.
func (p Privacy) checkGeneralisation(t *Table) error {
	qi := func(name, what string) (*qiColumn, error) {
		for _, c := range t.qis {
			if c.name == name {
				return c, nil
			}
		}
		return nil, fmt.Errorf("anonymize: %s of %s: it is not a quasi-identifier (they are %v)", what, name, t.QuasiIdentifiers())
	}
	for _, name := range sortedKeys(p.Weights) {
		w := p.Weights[name]
		if _, err := qi(name, "weight"); err != nil {
			return err
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("anonymize: weight of %s is %v: a weight is a number of at least 0", name, w)
		}
		if w == 0 && p.aggregateOf(p.Metric) == AggregateGeometricMean && weightedMetric(p.Metric) {
			return fmt.Errorf("anonymize: weight of %s is 0: under the geometric mean that makes every generalisation equally good; use the aggregate function %s or %s",
				name, AggregateArithmeticMean, AggregateSum)
		}
	}
	for _, lim := range []struct {
		what   string
		levels map[string]int
	}{{"minimum level", p.MinLevels}, {"maximum level", p.MaxLevels}} {
		for _, name := range sortedKeys(lim.levels) {
			c, err := qi(name, lim.what)
			if err != nil {
				return err
			}
			if l, top := lim.levels[name], c.hier.Height()-1; l < 0 || l > top {
				return fmt.Errorf("anonymize: %s of %s is %d: its hierarchy has levels 0 (the value) to %d (*)", lim.what, name, l, top)
			}
		}
	}
	for _, name := range sortedKeys(p.MinLevels) {
		if hi, ok := p.MaxLevels[name]; ok && p.MinLevels[name] > hi {
			return fmt.Errorf("anonymize: levels of %s: the minimum %d is above the maximum %d", name, p.MinLevels[name], hi)
		}
	}
	return nil
}

// weights returns the weight of every quasi-identifier in table order,
// normalised as ARX normalises them: divided by the largest, or all 1 when
// every weight is 0.
func (p Privacy) weights(t *Table) []float64 {
	w := make([]float64, len(t.qis))
	top := 0.0
	for q, c := range t.qis {
		w[q] = 1
		if v, ok := p.Weights[c.name]; ok {
			w[q] = v
		}
		top = math.Max(top, w[q])
	}
	for q := range w {
		if top == 0 {
			w[q] = 1
		} else {
			w[q] /= top
		}
	}
	return w
}

// levelLimits returns the lowest and highest level the search may choose
// for every quasi-identifier, in table order.
func (p Privacy) levelLimits(t *Table) (lo, hi []int) {
	for _, c := range t.qis {
		l, h := 0, c.hier.Height()-1
		if v, ok := p.MinLevels[c.name]; ok {
			l = v
		}
		if v, ok := p.MaxLevels[c.name]; ok {
			h = v
		}
		lo, hi = append(lo, l), append(hi, h)
	}
	return lo, hi
}

// restricted reports whether the model limits any level.
func (p Privacy) restricted() bool { return len(p.MinLevels) > 0 || len(p.MaxLevels) > 0 }

// weighted reports whether any weight is given.
func (p Privacy) weighted() bool { return len(p.Weights) > 0 }

// aggregate combines per-attribute values v(q) with the engine's weights
// under an aggregate function, term for term as ARX does.
func (e *engine) aggregate(agg string, v func(q int) float64) float64 {
	nq := len(e.t.qis)
	if nq == 0 {
		return 0
	}
	n := float64(nq)
	switch agg {
	case AggregateGeometricMean:
		result := 1.0
		for q := range nq {
			result *= math.Pow((v(q)+1)*e.w[q], 1/n)
		}
		return result - 1
	case AggregateArithmeticMean:
		sum := 0.0
		for q := range nq {
			sum += (v(q) / n) * e.w[q]
		}
		return sum
	case AggregateMaximum:
		m := 0.0
		for q := range nq {
			m = math.Max(m, v(q)*e.w[q])
		}
		return m
	}
	sum := 0.0
	for q := range nq {
		sum += v(q) * e.w[q]
	}
	return sum
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// uniform reports whether all weights are equal.
func uniform(w []float64) bool {
	return !slices.ContainsFunc(w, func(x float64) bool { return x != w[0] })
}
