package warehouse

// DuckDB allocates through its own copy of jemalloc, and its worker
// threads purge their arena (give its free pages back to the system)
// after their tasks. A quarter's load, snapshot and metrics free and take
// back the same few hundred megabytes within seconds of each other, and
// every page given back is faulted in and zeroed again by the next: in a
// 1M cold run at 4dea451, 426,000 of its 1.12 million page faults were
// DuckDB's, each costing the kernel some 6 µs on the benchmark machine;
// with the workers kept from purging, 281,000 and 302,000 (profiled
// runs).
// The memory stays within memory_limit's reach, since what DuckDB frees
// it takes again. docs/performance.md, twelfth round.
//
// jemalloc also gives pages back on its own five seconds after they are
// freed (its decay). That cannot be changed from here: jemalloc reads its
// options when the program is loaded, before Go's first line runs, so
// DUCKDB_JE_MALLOC_CONF set by the process itself comes too late. Set in
// the environment doorstroom starts in
// (DUCKDB_JE_MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1) it brought
// DuckDB's faults down to 221,000 in one profiled run.

// noFlushThreshold keeps DuckDB's workers from purging their arena after
// a task. DuckDB 1.1's extension flushes when the thread's peak since
// the last flush is at most allocator_flush_threshold (its test reads the
// other way round from its documentation), so 0 bytes never flushes;
// TestAllocatorSettings holds the version this was read from.
const noFlushThreshold = "0 B"
