package pipeline

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/anonymize"
	"doorstroom/internal/period"
)

// registerLoad is a quarter's register being loaded into the warehouse on
// a goroutine of its own. The register does not depend on the
// anonymisation search, so it is loaded while the search runs, on the
// part of the cores the search leaves (it keeps 1.3 of 2 busy at 1M
// records). A cold run of 8 quarters at 1M spent 8.1-9.2 s loading
// instead of 11.8-14.2 s; in a quarterly run the search and DuckDB share
// the spare core and come out about even (docs/performance.md). Nothing
// else uses the warehouse until wait has returned.
type registerLoad struct {
	batches []arrow.Record
	done    chan struct{}
	err     error
}

// startRegisterLoad starts loading the register's batches, which it
// takes over (wait releases them).
func (e *env) startRegisterLoad(ctx context.Context, q period.Quarter, reg []arrow.Record) *registerLoad {
	l := &registerLoad{batches: reg, done: make(chan struct{})}
	schema := anonymize.RegisterSchema(e.prog.Format)
	go func() {
		defer close(l.done)
		l.err = e.wh.LoadQuarter(ctx, "register", q.String(), schema, reg)
	}()
	return l
}

// wait waits for the load to end, releases the register's batches and
// returns the load's error. It may be called again, and on nil (no load
// was started), which returns nil.
func (l *registerLoad) wait() error {
	if l == nil {
		return nil
	}
	<-l.done
	for _, r := range l.batches {
		r.Release()
	}
	l.batches = nil
	return l.err
}
