package pipeline

import (
	"context"
	"path/filepath"

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
	// What is let go here, and the search's tables, stay with the Go heap
	// for the next quarter rather than being returned to the system at
	// once (debug.FreeOSMemory, until the eleventh round): the heap's soft
	// limit (cmd/doorstroom/memory.go) already has the collector return
	// what would take it over, and every page returned early was faulted
	// in again, and zeroed, by the next quarter. A cold run at 1M made
	// 1.55-1.66M page faults that way, against 0.92-1.13M now, and its
	// search took 8.7-9.7 s against 7.3-7.6 s; its peak is 1392-1461 MiB
	// instead of 1287-1346 (docs/performance.md).
	loaded, err := e.loadQuarter(ctx, q, rel, register, st)
	if err != nil {
		return err
	}
	// The warehouse holds the release now, and the metrics and the
	// snapshot read it there: its batches are let go (the register's went
	// once it was loaded).
	rel.Free()
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
