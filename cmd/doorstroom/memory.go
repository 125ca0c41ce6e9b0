package main

import (
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT does not
// set one. Without a limit the collector lets the heap grow to twice what
// is live, and a quarter of a national network (a million trajectories,
// as Arrow batches, the anonymisation's class tables and the release)
// would then take well over 2 GiB; with it the collector works harder
// only when the heap nears the limit. DuckDB's memory is its own and not
// counted. Set GOMEMLIMIT (e.g. GOMEMLIMIT=4GiB) to change it, or
// GOMEMLIMIT=off to lift it (docs/performance.md).
const defaultMemoryLimit = 1 << 30

func init() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
