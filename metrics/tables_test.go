package metrics

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/internal/period"
)

// TestWriteTables loads the hand-made register's metrics into the tidy
// table and writes each metric's own table twice: the second run replaces
// the quarter's rows instead of adding to them, and the breakdown keys
// become columns.
func TestWriteTables(t *testing.T) {
	w := fixtureWarehouse(t, "register.csv")
	c, _ := LoadCatalogue("atn")
	q, _ := period.Parse("2026Q1")
	ctx := context.Background()
	rows, err := Compute(ctx, w.DB(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	rec := Record(memory.DefaultAllocator, rows)
	defer rec.Release()
	if err := w.ReplaceQuarter(ctx, "metrics", q.String(), Schema, []arrow.Record{rec}); err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 2; run++ {
		if err := WriteTables(ctx, w.DB(), c, "metrics", q.String()); err != nil {
			t.Fatal(err)
		}
	}
	var v float64
	var n int
	// alpha's cumulative incidence of durable exits at 3 months: 35/192
	// (see TestComputeHandMadeRegister).
	err = w.DB().QueryRow(`SELECT value, (SELECT count(*) FROM metric_cumulative_incidence)
		FROM metric_cumulative_incidence WHERE partner = 'alpha' AND class = 'durable' AND months = '3'`).Scan(&v, &n)
	if err != nil {
		t.Fatal(err)
	}
	if !near(v, 35.0/192) {
		t.Errorf("value %v, want 35/192", v)
	}
	// 3 partners' curves (alpha, beta, network) × 5 classes × 4 months.
	if n != 60 {
		t.Errorf("%d rows, want 60 (written once)", n)
	}
	for _, e := range c.Metrics {
		var got int
		if err := w.DB().QueryRow("SELECT count(*) FROM " + TableName(e.ID)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, r := range rows {
			if r.Metric == e.ID {
				want++
			}
		}
		if got != want {
			t.Errorf("%s: %d rows, want %d", TableName(e.ID), got, want)
		}
	}
}
