package metrics

import (
	"database/sql"

	"doorstroom/disclosure"
)

// Publish returns the rows as they may be published. Disclosure control
// runs in two steps:
//
//  1. Primary suppression, by the metric's publication rule (Entry.Rule):
//     count: the count must reach the threshold; share: the numerator,
//     the denominator and their difference must (disclosure.ShareOK);
//     statistic (days, mean): the trajectories it is taken over must;
//     estimate (Kaplan–Meier, Aalen–Johansen): both the exits the
//     estimate rests on and the trajectories still at risk must, since a
//     step of the curve over a small risk set is one person's outflow;
//     none: the row is not about persons and is always published.
//  2. Secondary suppression: every identity of the catalogue, and the sum
//     of the partners to the network, is a way to recover a suppressed
//     number by subtraction; further rows are suppressed until no withheld
//     number can be derived from the published ones (see secondary).
//
// A suppressed row keeps its place (readers see that something was
// withheld) but its value, numerator and denominator are nulled and
// Suppressed is set.
func Publish(rows []Row, c *Catalogue, p disclosure.Policy) []Row {
	out := make([]Row, len(rows))
	sensitive := map[cell]bool{}
	for i, r := range rows {
		out[i] = r
		e, _ := c.Entry(r.Metric)
		if !publishable(e.Rule(), r, p) {
			out[i].Suppressed = true
			for _, f := range sensitiveFields(e.Rule(), r, p) {
				sensitive[cell{i, f}] = true
			}
		}
	}
	secondary(out, c.equations(out), sensitive)
	for i := range out {
		if out[i].Suppressed {
			out[i].Value, out[i].Numerator, out[i].Denominator = sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}
		}
	}
	return out
}

func publishable(rule string, r Row, p disclosure.Policy) bool {
	switch rule {
	case RuleCount:
		return p.CountOK(r.Value.Float64)
	case RuleShare:
		return p.ShareOK(r.Numerator.Float64, r.Denominator.Float64)
	case RuleStatistic:
		return p.StatisticOK(r.Denominator.Float64)
	case RuleAmount:
		return p.CountOK(r.Numerator.Float64)
	case RuleEstimate:
		return p.CountOK(r.Numerator.Float64) && p.CountOK(r.Denominator.Float64)
	case RuleNone:
		return true
	}
	return false
}

// sensitiveFields are the numbers of a primarily suppressed row that were
// withheld for their own sake and must not be derivable from others.
func sensitiveFields(rule string, r Row, p disclosure.Policy) []string {
	switch rule {
	case RuleCount:
		return []string{"value", "numerator"}
	case RuleShare:
		if !p.CountOK(r.Denominator.Float64) {
			return []string{"numerator", "denominator"}
		}
		return []string{"numerator"}
	case RuleStatistic:
		return []string{"value", "denominator"}
	case RuleAmount:
		return []string{"numerator"}
	case RuleEstimate:
		out := []string{"value"}
		if !p.CountOK(r.Numerator.Float64) {
			out = append(out, "numerator")
		}
		if !p.CountOK(r.Denominator.Float64) {
			out = append(out, "denominator")
		}
		return out
	}
	return nil
}
