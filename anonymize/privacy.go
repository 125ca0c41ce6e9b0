package anonymize

import (
	"fmt"
	"math"
	"slices"
)

// Privacy is the privacy model a release must satisfy and the measure of
// information loss the search minimises.
type Privacy struct {
	// K: every published record shares its quasi-identifiers with at
	// least K-1 others.
	K int
	// Suppression is the largest share (0..1) of records that may be
	// suppressed (quasi-identifiers replaced by *) to get there.
	Suppression float64
	// Metric is the information-loss metric the search minimises: one of
	// Metrics. Every metric is reported whichever is chosen.
	Metric string
	// GSFactor weighs generalisation against suppression in the metrics
	// that support it, exactly as ARX's gs-factor: 0.5 (ARX's default)
	// treats them alike, 0 favours suppression, 1 favours generalisation.
	GSFactor float64
	// Diversity lists l-diversity requirements on sensitive attributes.
	Diversity []DiversityRule
	// Weights say how much each quasi-identifier, by name, matters to the
	// release's users, as ARX's attribute weights: the metrics that
	// support them (loss, precision, entropy) weigh each attribute's loss
	// by its weight divided by the largest weight. A quasi-identifier not
	// named weighs 1; weights are relative and at least 0.
	Weights map[string]float64
	// Aggregate is the function that combines the per-attribute losses of
	// the metric the search minimises, as ARX's aggregate functions: one of
	// Aggregates, or "" for ARX's default for the metric (geometric mean
	// for loss, arithmetic mean for precision, sum for the entropies).
	Aggregate string
	// MinLevels and MaxLevels restrict, per quasi-identifier by name, the
	// generalisation levels the search may choose (ARX's minimum and
	// maximum generalisation): a quasi-identifier users need at least at
	// quarter precision gets the quarter's level as its maximum. Not named:
	// 0 and the hierarchy's top (*).
	MinLevels map[string]int
	MaxLevels map[string]int
	// ARXSuppression counts suppressed records as ARX does: as if they were
	// removed. By default doorstroom also treats the suppressed records as
	// what they are in the published file, one class whose every
	// quasi-identifier is *, and requires that class to hold at least K
	// records (and to be l-diverse), because an attacker who sees that a
	// person's generalised values are missing from the release knows the
	// person is among the suppressed rows.
	ARXSuppression bool
}

// DefaultGSFactor is ARX's default weighting of generalisation against
// suppression.
const DefaultGSFactor = 0.5

// DiversityRule asks for l-diversity of one sensitive attribute within
// every published class: at least L distinct values (Measure distinct), or
// a Shannon entropy of at least log2(L) bits (Measure entropy). Unknown
// (empty) values are left out: they disclose nothing.
type DiversityRule struct {
	Attribute string  `json:"attribute"`
	Measure   string  `json:"measure"`
	L         float64 `json:"l"`
}

// Information-loss metrics, as ARX defines them (see docs/anonymisation.md).
const (
	MetricLoss             = "loss"
	MetricPrecision        = "precision"
	MetricDiscernibility   = "discernibility"
	MetricAECS             = "aecs"
	MetricEntropy          = "entropy"
	MetricEntropyMonotonic = "entropy_monotonic"
)

// Metrics lists the metrics a search can minimise.
var Metrics = []string{MetricLoss, MetricPrecision, MetricDiscernibility, MetricAECS, MetricEntropy, MetricEntropyMonotonic}

// Diversity measures.
const (
	DiversityDistinct = "distinct"
	DiversityEntropy  = "entropy"
)

// check validates the model against the table's sensitive attributes.
func (p Privacy) check(t *Table) error {
	switch {
	case p.K < 2:
		return fmt.Errorf("anonymize: k is %d: k-anonymity needs k of at least 2", p.K)
	case p.Suppression < 0 || p.Suppression > 1 || math.IsNaN(p.Suppression):
		return fmt.Errorf("anonymize: suppression is %v: it is a share between 0 and 1", p.Suppression)
	case !slices.Contains(Metrics, p.Metric):
		return fmt.Errorf("anonymize: metric %q is unknown: use one of %v", p.Metric, Metrics)
	case p.GSFactor < 0 || p.GSFactor > 1 || math.IsNaN(p.GSFactor):
		return fmt.Errorf("anonymize: gs-factor is %v: it is between 0 and 1", p.GSFactor)
	case p.Aggregate != "" && !slices.Contains(Aggregates, p.Aggregate):
		return fmt.Errorf("anonymize: aggregate function %q is unknown: use one of %v", p.Aggregate, Aggregates)
	}
	if err := p.checkGeneralisation(t); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, d := range p.Diversity {
		if t.sensitive(d.Attribute) < 0 {
			return fmt.Errorf("anonymize: l-diversity on %s: it is not a sensitive attribute", d.Attribute)
		}
		if seen[d.Attribute] {
			return fmt.Errorf("anonymize: l-diversity on %s is given twice", d.Attribute)
		}
		seen[d.Attribute] = true
		switch {
		case d.Measure != DiversityDistinct && d.Measure != DiversityEntropy:
			return fmt.Errorf("anonymize: l-diversity on %s: measure %q: use %s or %s", d.Attribute, d.Measure, DiversityDistinct, DiversityEntropy)
		case d.L < 1 || math.IsNaN(d.L):
			return fmt.Errorf("anonymize: l-diversity on %s: l is %v: it must be at least 1", d.Attribute, d.L)
		}
	}
	return nil
}

// maxSuppressed is the suppression budget in records, as ARX computes it.
func (p Privacy) maxSuppressed(rows int) int {
	return int(math.Floor(p.Suppression * float64(rows)))
}

// sensitive returns the index of the named sensitive attribute, or -1.
func (t *Table) sensitive(name string) int {
	for i, c := range t.sens {
		if c.name == name {
			return i
		}
	}
	return -1
}
