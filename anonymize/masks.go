package anonymize

import (
	"math"
	"math/bits"
)

// Distinct l-diversity needs to know, per class, only which values of the
// sensitive attribute occur in it, not how often. When every diversity
// rule is distinct and every ruled attribute has at most 64 values, a
// class carries that set as a bit mask per attribute: 8 bytes, merged by
// OR when classes are united. The masks come along with every roll-up
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

// bottomMasks is, per bottom class, the set of known values of a
// sensitive column among its rows.
func bottomMasks(c *sensColumn, rowClass []int32, n int) []uint64 {
	m := make([]uint64, n)
	for i, v := range c.codes {
		if v >= 0 {
			m[rowClass[i]] |= 1 << uint(v)
		}
	}
	return m
}

// rollMasks unites the masks of the source classes into those of the n
// classes they fall into (to).
func rollMasks(src []uint64, to []int32, n int) []uint64 {
	out := make([]uint64, n)
	for s, c := range to {
		out[c] |= src[s]
	}
	return out
}

// addMasks gives cls the masks of every ruled attribute, rolled up from
// src with to.
func (e *engine) addMasks(cls, src *classTable, to []int32) {
	cls.masks = make([][]uint64, len(src.masks))
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
func maskOutliers(masks []uint64, r DiversityRule, outlier []bool) {
	need := int(math.Ceil(r.L))
	for c, m := range masks {
		if m != 0 && bits.OnesCount64(m) < need {
			outlier[c] = true
		}
	}
}

// maskUnion returns a function giving the diversity of the classes for
// which member is true, taken together.
func maskUnion(masks []uint64) func([]bool) diversity {
	return func(member []bool) diversity {
		var u uint64
		for c, m := range masks {
			if member[c] {
				u |= m
			}
		}
		return maskDiversity(u)
	}
}
