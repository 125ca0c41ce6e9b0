package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"doorstroom/anonymize"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// loadQuarter loads a release into the warehouse and writes its snapshot.
func (e *env) loadQuarter(ctx context.Context, q period.Quarter, rel *anonymize.Release, st *stageClock) error {
	f := e.prog.Format
	snap := SnapshotDir(e.cfg.Paths.Out, q)
	err := st.time("warehouse", func() error {
		if err := e.wh.ReplaceQuarter(ctx, "register", q.String(), anonymize.RegisterSchema(f), rel.Register); err != nil {
			return err
		}
		if err := e.wh.ReplaceQuarter(ctx, "trajectories", q.String(), anonymize.MicrodataSchema(f), rel.Microdata); err != nil {
			return err
		}
		query := fmt.Sprintf("SELECT * FROM trajectories WHERE quarter = %s ORDER BY partner, pseudonym", warehouse.Literal(q.String()))
		if err := e.wh.ExportParquet(ctx, query, filepath.Join(snap, "trajectories.parquet")); err != nil {
			return err
		}
		risk, err := json.MarshalIndent(rel.Risk, "", "  ")
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(snap, "risk.json"), append(risk, '\n'), 0o640); err != nil {
			return err
		}
		st.add("warehouse", "rows", 2*rel.Rows())
		st.add("warehouse", "snapshots", 1)
		return nil
	})
	st.describe("warehouse", func(c map[string]int) string {
		return fmt.Sprintf("%d rows loaded into %s · %d snapshots in %s",
			c["rows"], e.wh.Path(), c["snapshots"], filepath.Join(e.cfg.Paths.Out, "snapshots"))
	})
	return err
}
