package pipeline

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// metricsQuarter computes a quarter's metrics (Compute fails the run when
// an identity such as stock and flow does not hold), keeps them in the
// warehouse, as the tidy table metrics and one table metric_<id> per
// metric, and the published (suppressed) table, which goes into the
// snapshot (snapshot_stage.go).
func (e *env) metricsQuarter(ctx context.Context, q period.Quarter, st *stageClock) error {
	err := st.time("metrics", func() error {
		rows, err := metrics.Compute(ctx, e.wh.DB(), e.catalogue, q)
		if err != nil {
			return err
		}
		raw := metrics.Record(memory.DefaultAllocator, rows)
		defer raw.Release()
		if err := e.wh.ReplaceQuarter(ctx, "metrics", q.String(), metrics.Schema, []arrow.Record{raw}); err != nil {
			return err
		}
		if err := metrics.WriteTables(ctx, e.wh.DB(), e.catalogue, "metrics", q.String()); err != nil {
			return err
		}
		crashpoint.Hit("metrics.stored")
		pub := metrics.Record(memory.DefaultAllocator, metrics.Publish(rows, e.catalogue, e.policy()))
		defer pub.Release()
		if err := e.wh.ReplaceQuarter(ctx, "metrics_published", q.String(), metrics.Schema, []arrow.Record{pub}); err != nil {
			return err
		}
		st.add("metrics", "values", len(rows))
		st.add("metrics", "quarters", 1)
		return nil
	})
	st.describe("metrics", e.describeMetrics)
	return err
}

// describeMetrics is the metrics stage's line: the values computed, and
// the quarters whose metrics were kept as they were.
func (e *env) describeMetrics(c map[string]int) string {
	return fmt.Sprintf("%d metrics · %d values over %d quarters", len(e.catalogue.Metrics), c["values"], c["quarters"]) + reusedNote(c, "kept")
}
