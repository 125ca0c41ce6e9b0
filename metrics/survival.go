package metrics

import (
	"fmt"
	"math"
)

// Time to outflow, with open trajectories censored.
//
// Every trajectory of a quarter's register is followed from its intake
// until its outflow (an exit of some outflow class) or, when it is still
// open, until the quarter's last day (censored: all we know is that it
// lasted at least that long). Durations are whole days; a trajectory that
// ends on its intake day lasts 0 days and counts like any other.
//
// The Kaplan–Meier estimator gives the probability of still being in
// trajectory after t days, S(t) = Π over exit days tⱼ ≤ t of (1 − dⱼ/nⱼ),
// where dⱼ trajectories exit on day tⱼ and nⱼ are at risk then (followed
// for at least tⱼ days). At equal times exits count before censoring: a
// trajectory censored on day tⱼ is still in the risk set of day tⱼ.
//
// With several outflow classes as competing risks, the Aalen–Johansen
// estimator gives the cumulative incidence of class k, the probability of
// having left by class k by day t: Fₖ(t) = Σ over tⱼ ≤ t of S(tⱼ−)·dₖⱼ/nⱼ,
// with S(tⱼ−) the survival just before tⱼ. At every t, S(t) + Σₖ Fₖ(t) = 1.
// (1 − Kaplan–Meier of one class, treating the others as censored, would
// overstate it; that is why the competing-risks estimator is used.)

// Censored is the class of an observation that has not ended.
const Censored = -1

// Observation is one trajectory's follow-up: days from intake to outflow
// or to censoring, and the index of its outflow class, or Censored.
type Observation struct {
	Days  int
	Class int
}

// Curve is the Kaplan–Meier survival and the Aalen–Johansen cumulative
// incidences of one sample, at every day on which someone left.
type Curve struct {
	// Classes names the outflow classes, indexed by Observation.Class.
	Classes []string
	// N is the number of trajectories.
	N int
	// Times are the days on which at least one trajectory left, ascending.
	Times []int
	// AtRisk[j] trajectories were followed for at least Times[j] days.
	AtRisk []int
	// Survival[j] is S(Times[j]), after that day's exits.
	Survival []float64
	// Incidence[k][j] is Fₖ(Times[j]).
	Incidence [][]float64
	// cumExits[k][j] counts class-k exits up to Times[j]; cumAll all exits.
	cumExits [][]int
	cumAll   []int
	// atOrAfter[d] is the number followed for at least d days, d = 0..last+1.
	atOrAfter []int
	// last is the longest follow-up, exit or censoring.
	last int
}

// Estimate computes the curves of a sample in O(n + days × classes): it
// counts exits and censorings per day instead of sorting, since follow-up
// is in whole days and bounded by the programme's age.
func Estimate(obs []Observation, classes []string) (*Curve, error) {
	t := newTally(len(classes))
	for i, o := range obs {
		if err := t.add(o.Days, o.Class, 1); err != nil {
			return nil, fmt.Errorf("observation %d %w", i, err)
		}
	}
	return t.curve(classes), nil
}

// tally is a sample counted per day: how many observations end on each
// day, and how many of them exit by each class. That is all the
// estimators need, so a sample can be counted by DuckDB and handed over
// as one row per partner, day and class instead of one per trajectory.
type tally struct {
	classes int
	n       int
	ending  []int // observations ending on day d, exit or censoring
	exits   []int // class-k exits on day d at d*classes+k
}

func newTally(classes int) *tally { return &tally{classes: classes} }

// add counts n observations that end after days, by class (or Censored).
func (t *tally) add(days, class, n int) error {
	if days < 0 {
		return fmt.Errorf("has a negative duration (%d days): an outflow before the intake", days)
	}
	if class < Censored || class >= t.classes {
		return fmt.Errorf("has class %d; there are %d classes", class, t.classes)
	}
	t.grow(days + 1)
	t.ending[days] += n
	if class != Censored {
		t.exits[days*t.classes+class] += n
	}
	t.n += n
	return nil
}

// merge adds every observation of u, counted over the same classes.
func (t *tally) merge(u *tally) {
	t.grow(len(u.ending))
	for d, v := range u.ending {
		t.ending[d] += v
	}
	for i, v := range u.exits {
		t.exits[i] += v
	}
	t.n += u.n
}

// grow makes room for the days 0 to days-1.
func (t *tally) grow(days int) {
	if days > len(t.ending) {
		t.ending = append(t.ending, make([]int, days-len(t.ending))...)
		t.exits = append(t.exits, make([]int, days*t.classes-len(t.exits))...)
	}
}

// curve walks the days once, computing the risk sets, Kaplan–Meier and
// the cumulative incidences.
func (t *tally) curve(classes []string) *Curve {
	K := t.classes
	last := len(t.ending) - 1
	c := &Curve{Classes: classes, N: t.n, last: last, Incidence: make([][]float64, K), cumExits: make([][]int, K)}
	c.atOrAfter = make([]int, last+2)
	atRisk, s, all := t.n, 1.0, 0
	cif := make([]float64, K)
	cum := make([]int, K)
	for d := 0; d <= last; d++ {
		c.atOrAfter[d] = atRisk
		dayExits := 0
		for k := 0; k < K; k++ {
			dayExits += t.exits[d*K+k]
		}
		if dayExits > 0 {
			n := float64(atRisk)
			for k := 0; k < K; k++ {
				dk := t.exits[d*K+k]
				cif[k] += s * float64(dk) / n
				cum[k] += dk
				c.Incidence[k] = append(c.Incidence[k], cif[k])
				c.cumExits[k] = append(c.cumExits[k], cum[k])
			}
			all += dayExits
			s *= 1 - float64(dayExits)/n
			c.Times = append(c.Times, d)
			c.AtRisk = append(c.AtRisk, atRisk)
			c.Survival = append(c.Survival, s)
			c.cumAll = append(c.cumAll, all)
		}
		atRisk -= t.ending[d]
	}
	return c
}

// step returns the index of the last exit day on or before day t, or -1.
func (c *Curve) step(t int) int {
	lo, hi := 0, len(c.Times) // first index with Times > t
	for lo < hi {
		m := (lo + hi) / 2
		if c.Times[m] <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// Defined reports whether the curves are known at day t: within the
// follow-up, or after it when nobody is left in trajectory (S = 0).
func (c *Curve) Defined(t int) bool {
	if t < 0 || c.N == 0 {
		return false
	}
	if t <= c.last {
		return true
	}
	return len(c.Survival) > 0 && c.Survival[len(c.Survival)-1] == 0
}

// SurvivalAt returns S(t), the probability of still being in trajectory
// after t days, and whether it is defined.
func (c *Curve) SurvivalAt(t int) (float64, bool) {
	if !c.Defined(t) {
		return math.NaN(), false
	}
	if j := c.step(t); j >= 0 {
		return c.Survival[j], true
	}
	return 1, true
}

// IncidenceAt returns Fₖ(t), the probability of having left by class k
// within t days, and whether it is defined.
func (c *Curve) IncidenceAt(k, t int) (float64, bool) {
	if !c.Defined(t) {
		return math.NaN(), false
	}
	if j := c.step(t); j >= 0 {
		return c.Incidence[k][j], true
	}
	return 0, true
}

// ExitsBy counts the exits of class k (all classes when k is Censored)
// within t days.
func (c *Curve) ExitsBy(k, t int) int {
	j := c.step(t)
	if j < 0 {
		return 0
	}
	if k == Censored {
		return c.cumAll[j]
	}
	return c.cumExits[k][j]
}

// AtRiskAt counts the trajectories followed for at least t days: still in
// trajectory and under observation at day t.
func (c *Curve) AtRiskAt(t int) int {
	switch {
	case t <= 0:
		return c.N
	case t > c.last:
		return 0
	}
	return c.atOrAfter[t]
}

// Quantile returns the p-quantile of the time to outflow: the first day
// on which S(t) ≤ 1 − p (Klein & Moeschberger's definition), and false
// when the curve never gets that low within the follow-up. Quantile(0.5)
// is the median.
func (c *Curve) Quantile(p float64) (int, bool) {
	for j, s := range c.Survival {
		if s <= 1-p+1e-12 {
			return c.Times[j], true
		}
	}
	return 0, false
}
