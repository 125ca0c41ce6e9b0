package pipeline

import (
	"context"
	"fmt"

	"doorstroom/anonymize"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// loadQuarter loads a release's microdata into the warehouse once its
// register, loading since the search began (register_load.go), is in.
// Its snapshot is published once the metrics are in too (snapshot_stage.go).
// While DuckDB loads them, the microdata's batches are digested as they
// are loaded (warehouse.DigestLoaded), so that publishing reads only the
// order's columns back from the file; the digest is returned for it (nil
// when the batches cannot stand in for the file).
func (e *env) loadQuarter(ctx context.Context, q period.Quarter, rel *anonymize.Release, register *registerLoad, st *stageClock) (*warehouse.LoadedRows, error) {
	f := e.prog.Format
	var loaded *warehouse.LoadedRows
	err := st.time("warehouse", func() error {
		digested := make(chan *warehouse.LoadedRows, 1)
		go func() {
			digested <- warehouse.DigestLoaded(anonymize.MicrodataSchema(f), rel.Microdata, anonymize.MicrodataOrder)
		}()
		// The batches stay the release's until the digest is done, even
		// when loading fails.
		defer func() { loaded = <-digested }()
		if err := register.wait(); err != nil {
			return err
		}
		crashpoint.Hit("warehouse.register-loaded")
		if err := e.wh.LoadQuarter(ctx, f.Table, q.String(), anonymize.MicrodataSchema(f), rel.Microdata); err != nil {
			return err
		}
		st.add("warehouse", "rows", 2*rel.Rows())
		st.add("warehouse", "quarters", 1)
		return nil
	})
	st.describe("warehouse", e.describeLoad)
	return loaded, err
}

// describeLoad is the warehouse stage's line: the rows loaded, and the
// quarters whose rows were kept as they were.
func (e *env) describeLoad(c map[string]int) string {
	return fmt.Sprintf("%d rows of %d quarters loaded into %s", c["rows"], c["quarters"], e.wh.Path()) + reusedNote(c, "kept")
}
