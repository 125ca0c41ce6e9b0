package config

import (
	"fmt"
	"math"
	"slices"
)

// Release says, for a programme's release, which quasi-identifiers matter
// most to the people who use it, so that the anonymisation search gives
// up detail where it costs them least. The columns carry their own weight
// and levels in publish; the partner, a quasi-identifier of every release
// but not a column of the format, carries them here.
type Release struct {
	// Aggregate is how the per-attribute losses are combined (the
	// anonymize package's aggregate functions: geometric_mean,
	// arithmetic_mean, sum, maximum); empty is the metric's default, the
	// geometric mean for loss, under which weights cannot change the
	// outcome.
	Aggregate string `mapstructure:"aggregate"`
	// Partner is the partner's weight and levels.
	Partner *Generalisation `mapstructure:"partner"`
}

// Generalisation is how much a quasi-identifier matters and how far it
// may be generalised.
type Generalisation struct {
	// Weight is the attribute's weight in the information-loss metrics,
	// relative to the others (default 1).
	Weight *float64 `mapstructure:"weight"`
	// Levels restricts the levels of its hierarchy the search may choose.
	Levels *Levels `mapstructure:"levels"`
}

// Levels is a range of hierarchy levels: 0 is the value itself, the top
// level is *. A missing bound is 0 or the top.
type Levels struct {
	Min *int `mapstructure:"min"`
	Max *int `mapstructure:"max"`
}

// Aggregates are the aggregate functions a release may name.
var Aggregates = []string{"geometric_mean", "arithmetic_mean", "sum", "maximum"}

func (r *Release) check() error {
	if r == nil {
		return nil
	}
	if r.Aggregate != "" && !slices.Contains(Aggregates, r.Aggregate) {
		return fmt.Errorf("release.aggregate %q: use one of %v", r.Aggregate, Aggregates)
	}
	if r.Partner != nil {
		return r.Partner.check("release.partner.")
	}
	return nil
}

// check validates a weight and a level range; where prefixes the key in
// errors. That the levels exist in the hierarchy is checked when the
// hierarchy is built.
func (g Generalisation) check(where string) error {
	if w := g.Weight; w != nil && (*w < 0 || math.IsNaN(*w) || math.IsInf(*w, 0)) {
		return fmt.Errorf("%sweight is %v: a weight is a number of at least 0", where, *w)
	}
	if l := g.Levels; l != nil {
		switch {
		case l.Min != nil && *l.Min < 0:
			return fmt.Errorf("%slevels.min is %d: levels count from 0 (the value itself)", where, *l.Min)
		case l.Max != nil && *l.Max < 0:
			return fmt.Errorf("%slevels.max is %d: levels count from 0 (the value itself)", where, *l.Max)
		case l.Min != nil && l.Max != nil && *l.Min > *l.Max:
			return fmt.Errorf("%slevels: min %d is above max %d", where, *l.Min, *l.Max)
		}
	}
	return nil
}
