package dashboards

import (
	"doorstroom/metrics"
)

// metricKey identifies one published value.
type metricKey struct {
	metric, quarter, partner, breakdown string
}

// metricIndex looks up published metric rows.
type metricIndex map[metricKey]metrics.Row

func indexRows(rows []metrics.Row) metricIndex {
	idx := metricIndex{}
	for _, r := range rows {
		idx[metricKey{r.Metric, r.Quarter, r.Partner, r.Breakdown}] = r
	}
	return idx
}

// value returns a published value, or nil when it is missing or
// suppressed, and whether it was suppressed. A count with no row is a
// structural zero, which is below any threshold: it counts as suppressed.
func (idx metricIndex) value(unit string, k metricKey) (*float64, bool) {
	r, ok := idx[k]
	if !ok {
		return nil, unit == metrics.UnitCount
	}
	if r.Suppressed || !r.Value.Valid {
		return nil, r.Suppressed
	}
	v := r.Value.Float64
	return &v, false
}
