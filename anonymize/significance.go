package anonymize

import (
	"cmp"
	"slices"
)

// The grouper packs a generalised tuple into a key with one attribute
// most significant, sorts the bottom by the attributes in the same
// order, and slices a direct roll-up along the leading attributes the
// node keeps at their original values (rollup_direct.go): the longer that
// run of leading attributes, and the larger their dictionaries, the
// smaller the slices and the array that counts one slice, which then
// stays in the processor's caches. A node generalising the leading
// attribute gets no slices at all: its array spans every key.
//
// So the most significant attributes are those the search most often
// leaves at their original values: the ones with the fewest levels to
// choose from, and among those the ones with the largest dictionaries.
// On the releases that puts the intake and outflow months first (month
// or quarter: two levels, dozens of months each), where the attribute
// order put the partner first, whose regions many nodes choose: on the
// 1M-trajectory benchmark their roll-ups counted region slices in
// arrays of up to 19 MB. The order changes nothing but speed.

// significanceOrder lists the attributes from the most significant:
// those always generalised (a minimum level above 0) last, then by
// fewest allowed levels, then by largest dictionary, then in attribute
// order.
func significanceOrder(t *Table, lat *lattice) []int {
	order := orderOrIdentity(nil, len(t.qis))
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(
			cmp.Compare(min(lat.min[a], 1), min(lat.min[b], 1)),
			cmp.Compare(lat.max[a]-lat.min[a], lat.max[b]-lat.min[b]),
			cmp.Compare(len(t.qis[b].dict), len(t.qis[a].dict)),
		)
	})
	return order
}
