package metrics

import (
	"context"
	"strings"
	"testing"

	"doorstroom/internal/period"
)

func TestCheckIdentities(t *testing.T) {
	c, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	stock := func(partner string, start, in, out, end float64) []Row {
		return []Row{
			count("stock_flow", partner, "flow=open_start", start),
			count("stock_flow", partner, "flow=inflow", in),
			count("stock_flow", partner, "flow=outflow", out),
			count("stock_flow", partner, "flow=open_end", end),
		}
	}
	// Each case checks its rows against one identity of the catalogue
	// (rows of other metrics are absent, which other identities would read
	// as zeros) and the implicit sum of the partners to the network.
	tests := []struct {
		name     string
		identity string
		rows     []Row
		wantErr  []string // fragments of the error; none when the rows are consistent
	}{
		{"consistent", "stock and flow", append(stock("gent", 40, 10, 8, 42), stock("network", 40, 10, 8, 42)...), nil},
		{"stock and flow broken", "stock and flow", append(stock("gent", 40, 10, 8, 41), stock("network", 40, 10, 8, 41)...),
			[]string{"2026Q1, partner gent: stock and flow", "2026Q1, partner network: stock and flow", "= 1, not 0"}},
		{"partners do not add up", "stock and flow", append(stock("gent", 40, 10, 8, 42), stock("network", 41, 10, 8, 43)...),
			[]string{"partner network: the partners add up to the network (stock_flow numerator)"}},
		{"types do not add up to their class", "exits by type add up", []Row{
			count("exits_by_type", "gent", "class=durable;type=legal_residence", 2),
			count("exits_by_type", "gent", "class=durable;type=voluntary_return", 3),
			count("exits_by_class", "gent", "class=durable", 6),
		}, []string{"partner gent: exits by type add up to their class"}},
		{"survival and incidences", "survival and the cumulative", []Row{
			row("survival_in_trajectory", "gent", "months=3", 0.75, 5, 30),
			row("cumulative_incidence", "gent", "class=durable;months=3", 0.2, 4, 30),
			row("cumulative_incidence", "gent", "class=other;months=3", 0.04, 1, 30),
		}, []string{"survival and the cumulative incidences add up to 1"}},
		{"undefined estimates are not checked", "survival and the cumulative", []Row{
			row("survival_in_trajectory", "gent", "months=24", none, 5, 0),
			row("cumulative_incidence", "gent", "class=durable;months=24", none, 5, 0),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one := *c
			one.Identities = nil
			for _, id := range c.Identities {
				if strings.HasPrefix(id.Name, tt.identity) {
					one.Identities = append(one.Identities, id)
				}
			}
			if len(one.Identities) != 1 {
				t.Fatalf("%d identities named %q", len(one.Identities), tt.identity)
			}
			err := one.CheckIdentities(tt.rows)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, frag := range tt.wantErr {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q lacks %q", err, frag)
				}
			}
		})
	}
}

// TestComputeFailsOnBadRegister: a trajectory of gamma that ends before
// its intake (which ingest rejects; here it is put in the warehouse
// directly) stops the run with an error that names the quarter and the
// partner, not a silent number.
func TestComputeFailsOnBadRegister(t *testing.T) {
	w := fixtureWarehouse(t, "register_bad.csv")
	c, _ := LoadCatalogue("atn")
	q, _ := period.Parse("2026Q1")
	_, err := Compute(context.Background(), w.DB(), c, q)
	if err == nil {
		t.Fatal("no error")
	}
	for _, frag := range []string{"2026Q1", "partner gamma", "negative duration"} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("error %q lacks %q", err, frag)
		}
	}
	// Without the estimators, the stock and flow check catches it: gamma
	// has an inflow of 1, no outflow in the quarter and nothing open.
	sqlOnly := *c
	sqlOnly.Metrics = nil
	for _, e := range c.Metrics {
		if e.Estimator == "" {
			sqlOnly.Metrics = append(sqlOnly.Metrics, e)
		}
	}
	_, err = Compute(context.Background(), w.DB(), &sqlOnly, q)
	if err == nil || !strings.Contains(err.Error(), "2026Q1, partner gamma: stock and flow") {
		t.Errorf("error %v, want one on gamma's stock and flow", err)
	}
}
