package metrics

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"doorstroom/disclosure"
	"doorstroom/internal/period"
)

func nf(v float64) sql.NullFloat64 {
	if math.IsNaN(v) {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: v, Valid: true}
}

// row makes a row of quarter 2026Q1; NaN leaves a number empty.
func row(metric, partner, breakdown string, value, num, den float64) Row {
	return Row{Metric: metric, Quarter: "2026Q1", Partner: partner, Breakdown: breakdown,
		Value: nf(value), Numerator: nf(num), Denominator: nf(den)}
}

func count(metric, partner, breakdown string, n float64) Row {
	return row(metric, partner, breakdown, n, n, none)
}

// noRecovery fails when a number withheld by primary suppression can be
// derived from the published numbers: it solves the catalogue's equations
// one unknown at a time, as an attacker would, starting from every number
// of every published row.
func noRecovery(t *testing.T, c *Catalogue, raw, pub []Row, p disclosure.Policy) {
	t.Helper()
	type num struct {
		row   int
		field string
	}
	known := map[num]bool{}
	for i, r := range pub {
		if !r.Suppressed {
			for _, f := range []string{"value", "numerator", "denominator"} {
				known[num{i, f}] = true
			}
		}
	}
	eqs := c.equations(raw)
	for changed := true; changed; {
		changed = false
		for _, eq := range eqs {
			unknown := map[num]bool{}
			all := map[num]bool{}
			for i, ri := range eq.rows {
				n := num{ri, eq.fields[i]}
				all[n] = true
				if !known[n] {
					unknown[n] = true
				}
			}
			if len(unknown) == 1 && len(all) > 1 {
				for n := range unknown {
					known[n] = true
				}
				changed = true
			}
		}
	}
	main := map[string]string{RuleCount: "value", RuleShare: "numerator", RuleStatistic: "denominator", RuleEstimate: "value"}
	for i, r := range raw {
		e, _ := c.Entry(r.Metric)
		if !publishable(e.Rule(), r, p) && known[num{i, main[e.Rule()]}] && pub[i].Suppressed {
			t.Errorf("%s %s[%s].%s is withheld but can be derived", r.Partner, r.Metric, r.Breakdown, main[e.Rule()])
		}
	}
}

func suppressedSet(pub []Row) map[string]bool {
	out := map[string]bool{}
	for _, r := range pub {
		if r.Suppressed {
			out[r.Metric+"|"+r.Partner+"|"+r.Breakdown] = true
			if r.Value.Valid || r.Numerator.Valid || r.Denominator.Valid {
				panic("a suppressed row keeps a number")
			}
		}
	}
	return out
}

func TestPublishPrimaryRules(t *testing.T) {
	c, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	p := disclosure.Policy{Threshold: 5}
	tests := []struct {
		name string
		row  Row
		ok   bool
	}{
		{"count below the threshold", count("participants_active", "network", "", 4), false},
		{"count at the threshold", count("participants_active", "network", "", 5), true},
		{"share with a small complement", row("dvz_talk_share", "network", "", 47.0/50, 47, 50), false},
		{"share of all", row("dvz_talk_share", "network", "", 1, 50, 50), true},
		{"share with a small numerator", row("dvz_talk_share", "network", "", 4.0/50, 4, 50), false},
		{"days over few", row("median_duration_closed", "network", "", 80, none, 4), false},
		{"days over enough", row("median_duration_closed", "network", "", 80, none, 5), true},
		{"mean over few", row("talks_per_engaged", "network", "with=dvz", 2, 8, 4), false},
		{"survival on few exits", row("survival_in_trajectory", "network", "months=3", 0.9, 4, 60), false},
		{"survival on a small risk set", row("survival_in_trajectory", "network", "months=24", 0.2, 40, 4), false},
		{"survival on enough of both", row("survival_in_trajectory", "network", "months=12", 0.5, 30, 20), true},
		{"median not reached, few exits", row("median_days_to_outflow", "network", "", none, 3, 40), false},
		{"median not reached, enough exits", row("median_days_to_outflow", "network", "", none, 6, 40), true},
		{"report status is not about persons", count("reports_by_status", "network", "status=late", 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := Publish([]Row{tt.row}, c, p)
			if pub[0].Suppressed == tt.ok {
				t.Errorf("suppressed = %v, want %v", pub[0].Suppressed, !tt.ok)
			}
			if !tt.ok && (pub[0].Value.Valid || pub[0].Numerator.Valid || pub[0].Denominator.Valid) {
				t.Error("a suppressed row keeps its numbers")
			}
			if tt.ok && pub[0] != tt.row {
				t.Errorf("published row changed: %+v", pub[0])
			}
		})
	}
}

// TestPublishSecondary builds tables that tempt a leak by subtraction and
// checks that publication closes each.
func TestPublishSecondary(t *testing.T) {
	c, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	p := disclosure.Policy{Threshold: 5}
	tests := []struct {
		name       string
		rows       []Row
		suppressed []string // exactly the suppressed rows
	}{
		{
			// alpha's 2 forced departures would be 18 − 7 − 9: the smallest
			// other partner (beta) is suppressed too, the network kept.
			name: "a partner from the network and the other partners",
			rows: []Row{
				count("exits_by_class", "alpha", "class=forced_departure", 2),
				count("exits_by_class", "beta", "class=forced_departure", 7),
				count("exits_by_class", "gamma", "class=forced_departure", 9),
				count("exits_by_class", "network", "class=forced_departure", 18),
			},
			suppressed: []string{"exits_by_class|alpha|class=forced_departure", "exits_by_class|beta|class=forced_departure"},
		},
		{
			// The inflow of 3 would be 37 − 40 + 6: the outflow (6, the
			// smallest) goes too. It would also be 43 active − 40 open at
			// the start: the open at the start goes as well.
			name: "stock and flow",
			rows: []Row{
				count("participants_active", "network", "", 43),
				count("stock_flow", "network", "flow=open_start", 40),
				count("stock_flow", "network", "flow=inflow", 3),
				count("stock_flow", "network", "flow=outflow", 6),
				count("stock_flow", "network", "flow=open_end", 37),
			},
			suppressed: []string{"stock_flow|network|flow=inflow", "stock_flow|network|flow=outflow", "stock_flow|network|flow=open_start"},
		},
		{
			// The rare class's incidence would be 1 − S − the others: the
			// next smallest class (by exits) goes too, the survival stays.
			name: "survival and cumulative incidences add up to 1",
			rows: []Row{
				row("survival_in_trajectory", "network", "months=12", 0.5, 50, 50),
				row("cumulative_incidence", "network", "class=durable;months=12", 0.2, 20, 50),
				row("cumulative_incidence", "network", "class=no_solution;months=12", 0.22, 22, 50),
				row("cumulative_incidence", "network", "class=other;months=12", 0.02, 2, 50),
				row("cumulative_incidence", "network", "class=semi_durable;months=12", 0.06, 6, 50),
			},
			suppressed: []string{"cumulative_incidence|network|class=other;months=12", "cumulative_incidence|network|class=semi_durable;months=12"},
		},
		{
			// The 3 legal residences would be 20 − 17 within the durable
			// class: onward migration goes too. The durable count, shown
			// again as the durable share's numerator, stays.
			name: "types within their class",
			rows: []Row{
				count("exits_by_type", "network", "class=durable;type=legal_residence", 3),
				count("exits_by_type", "network", "class=durable;type=onward_migration", 6),
				count("exits_by_type", "network", "class=durable;type=voluntary_return", 11),
				count("exits_by_class", "network", "class=durable", 20),
				row("durable_exit_share", "network", "", 0.4, 20, 50),
			},
			suppressed: []string{"exits_by_type|network|class=durable;type=legal_residence", "exits_by_type|network|class=durable;type=onward_migration"},
		},
		{
			// The network's 4 semi-durable exits are suppressed; the
			// outflow (10) and the other classes would give them away, so
			// the durable class (6) goes, and with it the durable share,
			// whose numerator is the same number.
			name: "classes within the outflow, repeated in a share",
			rows: []Row{
				count("stock_flow", "network", "flow=outflow", 10),
				count("exits_by_class", "network", "class=durable", 6),
				count("exits_by_class", "network", "class=semi_durable", 4),
				row("durable_exit_share", "network", "", 0.6, 6, 10),
			},
			suppressed: []string{"exits_by_class|network|class=semi_durable", "exits_by_class|network|class=durable", "durable_exit_share|network|"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := Publish(tt.rows, c, p)
			got := suppressedSet(pub)
			for _, k := range tt.suppressed {
				if !got[k] {
					t.Errorf("%s is published", k)
				}
			}
			if len(got) != len(tt.suppressed) {
				t.Errorf("suppressed %v, want exactly %v", got, tt.suppressed)
			}
			noRecovery(t, c, tt.rows, pub, p)
		})
	}
}

// TestPublishHandMadeRegister publishes the hand-made register's metrics
// with thresholds from 1 to 5: whatever is suppressed, no equation leaves
// a single suppressed row, and the same input gives the same output.
func TestPublishHandMadeRegister(t *testing.T) {
	w := fixtureWarehouse(t, "register.csv")
	c, _ := LoadCatalogue("atn")
	q, _ := period.Parse("2026Q1")
	rows, err := Compute(context.Background(), w.DB(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	for th := 1; th <= 5; th++ {
		pub := Publish(rows, c, disclosure.Policy{Threshold: th})
		noRecovery(t, c, rows, pub, disclosure.Policy{Threshold: th})
		again := Publish(rows, c, disclosure.Policy{Threshold: th})
		for i := range pub {
			if pub[i] != again[i] {
				t.Fatalf("threshold %d: publication differs between runs at %+v", th, pub[i])
			}
		}
		n := len(suppressedSet(pub))
		if th == 1 && n != 0 {
			// Threshold 1 only withholds zeros: the fixture's rows of 0
			// (a zero share, incidences of 0) and what they drag along.
			t.Logf("threshold 1: %d rows suppressed", n)
		}
		if th == 5 && n == 0 {
			t.Error("threshold 5 suppressed nothing in a register of 13 trajectories")
		}
	}
}

// TestPublishSyntheticNetwork publishes a random network of twelve small
// partners, where many counts are small and the equations cross: nothing
// withheld may be derivable.
func TestPublishSyntheticNetwork(t *testing.T) {
	rows, c := benchmarkWarehouse(t, 12, 60)
	p := disclosure.Policy{Threshold: 5}
	pub := Publish(rows, c, p)
	noRecovery(t, c, rows, pub, p)
	t.Logf("%d of %d rows suppressed", len(suppressedSet(pub)), len(rows))
}
