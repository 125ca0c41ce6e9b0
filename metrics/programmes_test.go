package metrics

import (
	"io/fs"
	"path"
	"testing"
)

// TestProgrammeCatalogues: every programme's catalogue loads (with what it
// includes), uses every .sql file of its folder, and has the shared
// reporting metrics; lvv is atn's catalogue whole.
func TestProgrammeCatalogues(t *testing.T) {
	atn, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		programme string
		ids       []string
	}{
		{"atn", []string{"stock_flow", "reports_by_status"}},
		{"resettlement", []string{"lump_sums_due", "lump_sums_first_year", "lump_sums_second_year", "milestone_share",
			"milestone_days_from_arrival", "next_housing_before_end_share", "reports_received_share"}},
		{"chain", []string{"funnel_count", "funnel_conversion", "funnel_days", "referral_results", "reports_on_time_share"}},
		{"lvv", []string{"exits_by_class", "durable_exit_share", "reports_by_status"}},
	} {
		t.Run(tt.programme, func(t *testing.T) {
			c, err := LoadCatalogue(tt.programme)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.ids {
				if _, ok := c.Entry(id); !ok {
					t.Errorf("no metric %s", id)
				}
			}
			if c.Prelude == "" {
				t.Error("no prelude")
			}
			used := map[string]bool{c.PreludeFile: true}
			for _, e := range c.Metrics {
				used[e.SQL] = true
			}
			files, _ := fs.Glob(embedded, tt.programme+"/*.sql")
			for _, f := range files {
				if !used[path.Base(f)] {
					t.Errorf("%s is not used by any metric", f)
				}
			}
			if tt.programme == "lvv" && len(c.Metrics) != len(atn.Metrics) {
				t.Errorf("lvv has %d metrics, atn %d", len(c.Metrics), len(atn.Metrics))
			}
		})
	}
}
