package pipeline

import (
	"context"
	"fmt"

	"doorstroom/anonymize"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
)

// loadQuarter loads a release's register and microdata into the warehouse.
// Its snapshot is published once the metrics are in too (snapshot_stage.go).
func (e *env) loadQuarter(ctx context.Context, q period.Quarter, rel *anonymize.Release, st *stageClock) error {
	f := e.prog.Format
	err := st.time("warehouse", func() error {
		if err := e.wh.ReplaceQuarter(ctx, "register", q.String(), anonymize.RegisterSchema(f), rel.Register); err != nil {
			return err
		}
		crashpoint.Hit("warehouse.register-loaded")
		if err := e.wh.ReplaceQuarter(ctx, f.Table, q.String(), anonymize.MicrodataSchema(f), rel.Microdata); err != nil {
			return err
		}
		st.add("warehouse", "rows", 2*rel.Rows())
		st.add("warehouse", "quarters", 1)
		return nil
	})
	st.describe("warehouse", e.describeLoad)
	return err
}

// describeLoad is the warehouse stage's line: the rows loaded, and the
// quarters whose rows were kept as they were.
func (e *env) describeLoad(c map[string]int) string {
	return fmt.Sprintf("%d rows of %d quarters loaded into %s", c["rows"], c["quarters"], e.wh.Path()) + reusedNote(c, "kept")
}
