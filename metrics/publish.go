package metrics

import (
	"database/sql"

	"doorstroom/disclosure"
)

// Publish returns the rows as they may be published: where disclosure
// control withholds a row's numbers (by its metric's unit), its value,
// numerator and denominator are nulled and Suppressed is set. The row
// itself stays, so readers see that something was withheld.
func Publish(rows []Row, c *Catalogue, p disclosure.Policy) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = r
		e, _ := c.Entry(r.Metric)
		if !publishable(e.Unit, r, p) {
			out[i].Value, out[i].Numerator, out[i].Denominator = sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}
			out[i].Suppressed = true
		}
	}
	return out
}

func publishable(unit string, r Row, p disclosure.Policy) bool {
	switch unit {
	case UnitCount:
		return p.CountOK(r.Value.Float64)
	case UnitShare:
		return p.ShareOK(r.Numerator.Float64, r.Denominator.Float64)
	case UnitDays:
		return p.StatisticOK(r.Denominator.Float64)
	case UnitEuro:
		return p.CountOK(r.Numerator.Float64)
	}
	return false
}
