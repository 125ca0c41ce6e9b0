package pipeline

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/internal/period"
	"doorstroom/metrics"
	"doorstroom/warehouse"
)

// metricsQuarter computes a quarter's metrics (Compute fails the run when
// an identity such as stock and flow does not hold), keeps them in the
// warehouse, as the tidy table metrics and one table metric_<id> per
// metric, and writes the published (suppressed) table into the snapshot.
func (e *env) metricsQuarter(ctx context.Context, q period.Quarter, st *stageClock) error {
	snap := SnapshotDir(e.cfg.Paths.Out, q)
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
		pub := metrics.Record(memory.DefaultAllocator, metrics.Publish(rows, e.catalogue, e.policy()))
		defer pub.Release()
		if err := e.wh.ReplaceQuarter(ctx, "metrics_published", q.String(), metrics.Schema, []arrow.Record{pub}); err != nil {
			return err
		}
		query := fmt.Sprintf("SELECT * FROM metrics_published WHERE quarter = %s ORDER BY metric, partner, breakdown", warehouse.Literal(q.String()))
		if err := e.wh.ExportParquet(ctx, query, filepath.Join(snap, "metrics.parquet")); err != nil {
			return err
		}
		st.add("metrics", "values", len(rows))
		st.add("metrics", "quarters", 1)
		return nil
	})
	st.describe("metrics", func(c map[string]int) string {
		return fmt.Sprintf("%d metrics · %d values over %d quarters", len(e.catalogue.Metrics), c["values"], c["quarters"])
	})
	return err
}
