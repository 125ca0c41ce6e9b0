package warehouse

import (
	"context"
	"path/filepath"
	"testing"
)

// TestAllocatorSettings holds the warehouse to the allocator settings of
// allocator.go, and to the DuckDB version whose flush test they were
// read from: a newer DuckDB may read allocator_flush_threshold the way
// its documentation does, and 0 bytes would then flush after every task.
func TestAllocatorSettings(t *testing.T) {
	w, err := Open(context.Background(), filepath.Join(t.TempDir(), "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, c := range []struct{ query, want string }{
		{"SELECT version()", "v1.1.2"},
		{"SELECT current_setting('allocator_flush_threshold')", "0 bytes"},
		{"SELECT current_setting('memory_limit')", "366.2 MiB"},
	} {
		t.Run(c.query, func(t *testing.T) {
			var got string
			if err := w.DB().QueryRow(c.query).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s = %q, want %q (see allocator.go and MemoryLimit)", c.query, got, c.want)
			}
		})
	}
}
