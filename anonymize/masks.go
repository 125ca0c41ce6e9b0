package anonymize

import (
	"math"
	"math/bits"
)

// Distinct l-diversity needs to know, per class, only which values of the
// sensitive attribute occur in it, not how often. When every diversity
// rule is distinct and the ruled attributes have at most 64 values
// together, a class carries those sets as one bit mask, a field per
// attribute, merged by OR when classes are united: in 32 bits when they
// fit (the releases' procedure and outflow type, 7 and 11 values), else
// 64, so that one pass over the source classes unites every attribute's
// sets, and its writes stay in the caches. The masks
// come along with every roll-up, so every grouped node can be both
// checked and evaluated from the smallest grouped node below it, and a
// node that passes its check is evaluated from the classes just counted,
// without a second roll-up for histograms (which entropy l-diversity
// needs, and which stay the way for it).

// maxMaskValues is the number of values a bit mask holds.
const maxMaskValues = 64

// maskable reports whether the engine's diversity rules can all be
// checked from value masks, and if so gives every ruled attribute its
// field.
func (e *engine) maskable() bool {
	if len(e.rules) == 0 {
		return false
	}
	e.maskAt = make([]uint, len(e.t.sens))
	bits := 0
	seen := make([]bool, len(e.t.sens))
	for _, r := range e.rules {
		if r.Measure != DiversityDistinct {
			return false
		}
		if !seen[r.attr] {
			seen[r.attr] = true
			e.maskAt[r.attr] = uint(bits)
			bits += max(len(e.t.sens[r.attr].dict), 1)
		}
	}
	e.maskBits = bits
	return bits <= maxMaskValues
}

// valueSets is every class's value mask: in 32 bits when the fields
// fit (narrow), else in 64 (wide).
type valueSets struct {
	narrow []uint32
	wide   []uint64
}

// maskWord is the width of a class's mask.
type maskWord interface{ ~uint32 | ~uint64 }

// at returns the mask of class c.
func (v *valueSets) at(c int) uint64 {
	if v.wide != nil {
		return v.wide[c]
	}
	return uint64(v.narrow[c])
}

// bottomMasks is, per bottom class, the set of known values of each
// sensitive column among its rows, column a's field starting at bit
// at[a] (columns with a nil entry in cols are left out).
func bottomMasks(cols []*sensColumn, at []uint, width int, rowClass []int32, n int) *valueSets {
	if width <= 32 {
		return &valueSets{narrow: bottomSets[uint32](cols, at, rowClass, n)}
	}
	return &valueSets{wide: bottomSets[uint64](cols, at, rowClass, n)}
}

func bottomSets[T maskWord](cols []*sensColumn, at []uint, rowClass []int32, n int) []T {
	m := make([]T, n)
	for a, c := range cols {
		if c == nil {
			continue
		}
		for i, v := range c.codes {
			if v >= 0 {
				m[rowClass[i]] |= 1 << (at[a] + uint(v))
			}
		}
	}
	return m
}

// rollMasks unites the masks of the source classes into those of the n
// classes they fall into (to), in arrays of evicted tables when sp keeps
// one that fits (recycle.go).
func rollMasks(src *valueSets, to []int32, n int, sp *spares) *valueSets {
	if src.wide != nil {
		return &valueSets{wide: rollSets(src.wide, to, n, takeSpare(&sp.wide, n))}
	}
	return &valueSets{narrow: rollSets(src.narrow, to, n, takeSpare(&sp.narrow, n))}
}

// rollSets is rollMasks of one width, into spare when it is not nil.
func rollSets[T maskWord](src []T, to []int32, n int, spare []T) []T {
	var out []T
	if spare == nil {
		out = make([]T, n)
	} else {
		out = spare[:n]
		clear(out)
	}
	src = src[:len(to)]
	for s, c := range to {
		out[c] |= src[s]
	}
	return out
}

// addMasks gives cls the masks rolled up from src with to.
func (e *engine) addMasks(cls, src *classTable, to []int32) {
	cls.masks = rollMasks(src.masks, to, cls.len(), &e.g.spare)
}

// maskDiversity is the diversity of a class with the given value set,
// for distinct rules (the entropy is not known from a set).
func maskDiversity(m uint64) diversity { return diversity{distinct: bits.OnesCount64(m)} }

// field returns the mask of the values of the attribute whose field
// starts at bit at and spans width bits.
func field(m uint64, at uint, width int) uint64 { return m >> at & (1<<uint(width) - 1) }

// maskOutliers marks the classes whose values of the attribute in the
// field at, width fail a distinct rule: those with known values, fewer
// than l of them. It is diversity.passes on masks, without a diversity
// per class.
func maskOutliers(v *valueSets, at uint, width int, r DiversityRule, outlier []bool) {
	need := int(math.Ceil(r.L))
	if v.wide != nil {
		setOutliers(v.wide, at, width, need, outlier)
	} else {
		setOutliers(v.narrow, at, width, need, outlier)
	}
}

func setOutliers[T maskWord](sets []T, at uint, width int, need int, outlier []bool) {
	for c, m := range sets {
		if f := field(uint64(m), at, width); f != 0 && bits.OnesCount64(f) < need {
			outlier[c] = true
		}
	}
}

// maskUnion returns a function giving the diversity of the attribute
// whose field is at, width in the classes for which member is true,
// taken together.
func maskUnion(v *valueSets, at uint, width int) func([]bool) diversity {
	return func(member []bool) diversity {
		var u uint64
		for c, in := range member {
			if in {
				u |= v.at(c)
			}
		}
		return maskDiversity(field(u, at, width))
	}
}
