package pipeline

import (
	"context"
	"path/filepath"
	"runtime/debug"

	"doorstroom/disclosure"
	"doorstroom/ingest"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// SnapshotDir is where a quarter's release is published:
// <out>/snapshots/quarter=<q>, the hive-partitioned layout query engines read.
func SnapshotDir(out string, q period.Quarter) string {
	return warehouse.ReleaseDir(filepath.Join(out, "snapshots"), q.String())
}

// runQuarter takes one quarter through the stages: ingest its files,
// make its release, load it, compute its metrics and publish its
// snapshot, and record what made them. A quarter whose outputs would be
// the same is reused instead, once its new files are taken in (reuse.go).
// Each stage lives in its own file.
func (e *env) runQuarter(ctx context.Context, q period.Quarter, files []ingest.InboxFile, st *stageClock) error {
	fresh, deliveries, err := e.ingestQuarter(ctx, q, files, st)
	defer releaseSubmissions(fresh)
	if err != nil {
		return err
	}
	state, inForce, err := e.quarterInputs(q, deliveries)
	if err != nil || !inForce {
		return err
	}
	if reused, err := e.reuseQuarter(ctx, q, state, st); err != nil || reused {
		return err
	}
	subs, err := e.readQuarter(ctx, q, fresh, st)
	defer func() {
		for _, s := range subs {
			s.Release()
		}
	}()
	if err != nil || len(subs) == 0 {
		return err
	}
	rel, register, err := e.releaseQuarter(ctx, q, subs, st)
	defer register.wait() // on every return: the caller uses the warehouse next
	if err != nil {
		return err
	}
	defer rel.Free()
	// The release and the register (until it is loaded) hold what they
	// need of the submissions' records (shared and reference-counted); the
	// rest, the raw case numbers among it, is let go before the load
	// rather than held through the quarter.
	for _, s := range subs {
		s.Release()
	}
	releaseSubmissions(fresh)
	// The search's tables are garbage now too: return the memory to the
	// system before DuckDB's stages, so that the run's peak is not their
	// sum (the collector alone keeps freed pages for a while).
	debug.FreeOSMemory()
	loaded, err := e.loadQuarter(ctx, q, rel, register, st)
	if err != nil {
		return err
	}
	// The warehouse holds the release now, and the metrics and the
	// snapshot read it there: its batches are let go (the register's went
	// once it was loaded), and their pages returned before DuckDB's next
	// stages.
	rel.Free()
	debug.FreeOSMemory()
	if err := e.metricsQuarter(ctx, q, st); err != nil {
		return err
	}
	m, err := e.publishQuarter(ctx, q, rel, loaded, st)
	if err != nil {
		return err
	}
	state.Release, state.Content = rel.ID, m.ContentSHA256
	return e.saveQuarterState(ctx, state)
}

func (e *env) policy() disclosure.Policy {
	return disclosure.Policy{Threshold: e.cfg.Privacy.Threshold}
}
