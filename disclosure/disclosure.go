// Package disclosure decides which numbers may be published. Every number
// that leaves the warehouse, in a snapshot's metrics table or on a
// dashboard page, passes through it, so the rules live in one place.
//
// Primary suppression: a count below the threshold is not shown (pages
// show "<5"). A share, mean or median is hidden when a count it is built
// on is suppressed, or when its complement (denominator minus numerator)
// is, since that count could be recovered by subtraction.
//
// Secondary suppression (Table, Protect, Recoverable): where published
// counts are tied by totals, further cells are withheld until no withheld
// cell can be worked out from the published ones.
package disclosure

import "math"

// Policy holds the publication threshold.
type Policy struct {
	// Threshold is the smallest count that is published.
	Threshold int
}

// CountOK reports whether a count may be published.
func (p Policy) CountOK(n float64) bool {
	return !math.IsNaN(n) && n >= float64(p.Threshold)
}

// ShareOK reports whether a share numerator/denominator may be published:
// both counts and the complement must be publishable (a complement of 0 is
// fine: "all of them" reveals nobody in particular beyond the group).
func (p Policy) ShareOK(num, den float64) bool {
	rest := den - num
	return p.CountOK(num) && p.CountOK(den) && (rest == 0 || p.CountOK(rest))
}

// StatisticOK reports whether a statistic (a median, a mean) over n
// records may be published.
func (p Policy) StatisticOK(n float64) bool { return p.CountOK(n) }
