package dashboards

import (
	"database/sql"

	"doorstroom/disclosure"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// ProtectRows returns one quarter's metric rows as the dashboards publish
// them: a row that the quarter's disclosure plan withholds (below the
// threshold, withheld to protect another count, or built on a withheld
// count) has Suppressed set and no value, numerator or denominator. rows
// carry true values and metrics.Publish's primary decision.
//
// The snapshot's published metrics table should go through it too: a
// reader who holds both the snapshot and the site must not be able to
// combine them, so both must withhold the same cells.
func ProtectRows(q period.Quarter, rows []metrics.Row, c *metrics.Catalogue, classes map[string]map[string][]string, p disclosure.Policy) ([]metrics.Row, error) {
	in := &Input{Catalogue: c, Classes: classes, Policy: p}
	d := newQuarterData(q, rows)
	plan, err := buildPlan(d, in)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Row, len(rows))
	for i, r := range rows {
		out[i] = r
		switch plan.state[rowKey{r.Metric, r.Partner, normBreakdown(r.Breakdown)}] {
		case shown, nodata:
		default:
			out[i].Suppressed = true
			out[i].Value, out[i].Numerator, out[i].Denominator = sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}
		}
	}
	return out, nil
}
