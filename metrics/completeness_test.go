package metrics

import (
	"context"
	"testing"

	"doorstroom/disclosure"
	"doorstroom/internal/period"
)

// TestReportingCompleteness fills the completeness table (its schema is
// the warehouse's fixed one) with hand-made rows for 2026Q1:
//
//	alpha  expected, received, accepted, on time
//	beta   expected, received, accepted, late
//	gamma  expected, nothing received              → missing
//	delta  expected, received, not accepted        → rejected
//	omega  not expected, received, accepted, late  → counted by status only
//
// and one row of 2025Q4 that must count nowhere. Expected: 4 partners; 3
// of them sent a file (alpha, beta, delta): 3/4 received; 1 on time: 1/4.
func TestReportingCompleteness(t *testing.T) {
	w := fixtureWarehouse(t, "register.csv")
	exec(t, w.DB(), `INSERT INTO completeness VALUES
		('2026Q1', 'alpha', true,  true,  true,  true,  TIMESTAMP '2026-04-10 09:00:00', DATE '2026-04-30', 1, 0),
		('2026Q1', 'beta',  true,  true,  true,  false, TIMESTAMP '2026-05-12 09:00:00', DATE '2026-04-30', 2, 1),
		('2026Q1', 'gamma', true,  false, false, NULL,  NULL,                            DATE '2026-04-30', 0, 0),
		('2026Q1', 'delta', true,  true,  false, NULL,  NULL,                            DATE '2026-04-30', 1, 0),
		('2026Q1', 'omega', false, true,  true,  false, TIMESTAMP '2026-05-02 09:00:00', DATE '2026-04-30', 1, 0),
		('2025Q4', 'gamma', true,  true,  true,  true,  TIMESTAMP '2026-01-10 09:00:00', DATE '2026-01-30', 1, 0)`)
	c, _ := LoadCatalogue("atn")
	q, _ := period.Parse("2026Q1")
	rows, err := Compute(context.Background(), w.DB(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	got := rowMap(rows)
	for key, w := range map[string]want{
		"reports_received_share|network|":           {0.75, 3, 4},
		"reports_received_share|gamma|":             {0, 0, 1},
		"reports_received_share|delta|":             {1, 1, 1},
		"reports_on_time_share|network|":            {0.25, 1, 4},
		"reports_on_time_share|alpha|":              {1, 1, 1},
		"reports_on_time_share|beta|":               {0, 0, 1},
		"reports_by_status|network|status=on_time":  {1, 1, none},
		"reports_by_status|network|status=late":     {2, 2, none},
		"reports_by_status|network|status=missing":  {1, 1, none},
		"reports_by_status|network|status=rejected": {1, 1, none},
		"reports_by_status|omega|status=late":       {1, 1, none},
	} {
		checkRow(t, got, key, w)
	}
	if _, ok := got["reports_received_share|omega|"]; ok {
		t.Error("a partner not expected counts in the reporting rate")
	}
	// Reporting is about partners, not persons: nothing is suppressed,
	// however small.
	for _, r := range Publish(rows, c, disclosure.Policy{Threshold: 5}) {
		if r.Suppressed && (r.Metric == "reports_by_status" || r.Metric == "reports_received_share" || r.Metric == "reports_on_time_share") {
			t.Errorf("%s %s suppressed", r.Metric, r.Partner)
		}
	}
}
