package warehouse

import (
	"os"
	"sync"
)

// DuckDB allocates through its own copy of jemalloc, which gives the
// pages of freed memory back to the system a second after they are freed
// (its decay) and again whenever a worker thread finishes its tasks (its
// flush). A quarter's load, snapshot and metrics free and take back the
// same few hundred megabytes within seconds of each other, and every page
// given back is faulted in and zeroed again by the next: 426,000 of a 1M
// cold run's 1.12 million page faults were DuckDB's, each costing the
// kernel some 6 µs on the benchmark machine. Keeping freed pages halves
// DuckDB's faults (to 221,000); the memory stays within memory_limit's
// reach, since what DuckDB frees it takes again (the cold run's peak RSS
// was 1424-1459 MiB with it, 1392-1522 without). docs/performance.md,
// twelfth round.

// jemallocConfEnv is the variable DuckDB's jemalloc reads its options
// from (jemalloc's MALLOC_CONF, under DuckDB's symbol prefix). It is read
// once, when DuckDB first allocates.
const jemallocConfEnv = "DUCKDB_JE_MALLOC_CONF"

// keepFreedPages asks jemalloc never to return freed pages by decay.
// Options already set in the environment are left as they are.
const keepFreedPages = "dirty_decay_ms:-1,muzzy_decay_ms:-1"

// noFlushThreshold keeps DuckDB's workers from purging their arena after
// a task. DuckDB 1.1's extension flushes when the thread's peak since
// the last flush is at most allocator_flush_threshold (its test reads the
// other way round from its documentation), so 0 bytes never flushes;
// TestAllocatorSettings holds the version this was read from.
const noFlushThreshold = "0 B"

var keepFreedOnce sync.Once

// keepFreedMemory sets jemallocConfEnv before the first warehouse opens,
// unless the environment already sets it.
func keepFreedMemory() {
	keepFreedOnce.Do(func() {
		if _, set := os.LookupEnv(jemallocConfEnv); !set {
			os.Setenv(jemallocConfEnv, keepFreedPages)
		}
	})
}
