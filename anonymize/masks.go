package anonymize

import (
	"math"
	"math/bits"
)

// Distinct l-diversity needs to know, per class, only which values of the
// sensitive attribute occur in it, not how often. When every diversity
// rule is distinct and every ruled attribute has at most 64 values, a
// class carries that set as a bit mask per attribute, merged by OR when
// classes are united: a byte for an attribute of at most 8 values (the
// releases' procedures), else 8 bytes. The masks come along with every roll-up
// for a pass over the source classes, so every grouped node can be both
// checked and evaluated from the smallest grouped node below it, and a
// node that passes its check is evaluated from the classes just counted,
// without a second roll-up for histograms (which entropy l-diversity
// needs, and which stay the way for it).

// maxMaskValues is the number of values a bit mask holds.
const maxMaskValues = 64

// maskable reports whether the engine's diversity rules can all be
// checked from value masks.
func (e *engine) maskable() bool {
	if len(e.rules) == 0 {
		return false
	}
	for _, r := range e.rules {
		if r.Measure != DiversityDistinct || len(e.t.sens[r.attr].dict) > maxMaskValues {
			return false
		}
	}
	return true
}

// valueSets is one sensitive attribute's set of values in each class, a
// bit per value: bytes when the attribute has at most 8 values, an
// eighth of what a roll-up would otherwise read and write at random,
// else 64-bit words.
type valueSets struct {
	narrow []uint8
	wide   []uint64
}

// maskWord is the width of a class's set.
type maskWord interface{ ~uint8 | ~uint64 }

// at returns the set of class c.
func (v *valueSets) at(c int) uint64 {
	if v.wide != nil {
		return v.wide[c]
	}
	return uint64(v.narrow[c])
}

// bottomMasks is, per bottom class, the set of known values of a
// sensitive column among its rows.
func bottomMasks(c *sensColumn, rowClass []int32, n int) *valueSets {
	if len(c.dict) <= 8 {
		return &valueSets{narrow: bottomSets[uint8](c, rowClass, n)}
	}
	return &valueSets{wide: bottomSets[uint64](c, rowClass, n)}
}

func bottomSets[T maskWord](c *sensColumn, rowClass []int32, n int) []T {
	m := make([]T, n)
	for i, v := range c.codes {
		if v >= 0 {
			m[rowClass[i]] |= 1 << uint(v)
		}
	}
	return m
}

// rollMasks unites the sets of the source classes into those of the n
// classes they fall into (to).
func rollMasks(src *valueSets, to []int32, n int) *valueSets {
	if src.wide != nil {
		return &valueSets{wide: rollSets(src.wide, to, n)}
	}
	return &valueSets{narrow: rollSets(src.narrow, to, n)}
}

func rollSets[T maskWord](src []T, to []int32, n int) []T {
	out := make([]T, n)
	src = src[:len(to)]
	for s, c := range to {
		out[c] |= src[s]
	}
	return out
}

// addMasks gives cls the masks of every ruled attribute, rolled up from
// src with to.
func (e *engine) addMasks(cls, src *classTable, to []int32) {
	cls.masks = make([]*valueSets, len(src.masks))
	for a, m := range src.masks {
		if m != nil {
			cls.masks[a] = rollMasks(m, to, cls.len())
		}
	}
}

// maskDiversity is the diversity of a class with the given value set,
// for distinct rules (the entropy is not known from a set).
func maskDiversity(m uint64) diversity { return diversity{distinct: bits.OnesCount64(m)} }

// maskOutliers marks the classes whose value sets fail a distinct rule:
// those with known values, fewer than l of them. It is diversity.passes
// on masks, without a diversity per class.
func maskOutliers(v *valueSets, r DiversityRule, outlier []bool) {
	need := int(math.Ceil(r.L))
	if v.wide != nil {
		setOutliers(v.wide, need, outlier)
	} else {
		setOutliers(v.narrow, need, outlier)
	}
}

func setOutliers[T maskWord](sets []T, need int, outlier []bool) {
	for c, m := range sets {
		if m != 0 && bits.OnesCount64(uint64(m)) < need {
			outlier[c] = true
		}
	}
}

// maskUnion returns a function giving the diversity of the classes for
// which member is true, taken together.
func maskUnion(v *valueSets) func([]bool) diversity {
	return func(member []bool) diversity {
		var u uint64
		for c, in := range member {
			if in {
				u |= v.at(c)
			}
		}
		return maskDiversity(u)
	}
}
