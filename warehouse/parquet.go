package warehouse

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ExportParquet writes the result of a query to a new Parquet file,
// compressed with ZSTD, with the given key-value metadata in its footer
// (DuckDB's COPY … KV_METADATA, available since DuckDB 1.1). Keys are
// written in sorted order, so the same rows and metadata give the same
// bytes. The file is made readable by its owner and group only and synced
// to disk; it is meant to be written into a staging directory that is
// published as a whole (see Publish).
func (w *Warehouse) ExportParquet(ctx context.Context, query, path string, kv map[string]string) error {
	opts := "FORMAT parquet, COMPRESSION zstd"
	if len(kv) > 0 {
		keys := make([]string, 0, len(kv))
		for k := range kv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		pairs := make([]string, len(keys))
		for i, k := range keys {
			pairs[i] = Literal(k) + ": " + Literal(kv[k])
		}
		opts += ", KV_METADATA {" + strings.Join(pairs, ", ") + "}"
	}
	stmt := fmt.Sprintf("COPY (%s) TO %s (%s)", query, Literal(path), opts)
	if _, err := w.db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("warehouse: writing %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o440); err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	return syncFile(path)
}

// syncFile flushes a file that another writer (DuckDB) closed to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("warehouse: syncing %s: %w", path, err)
	}
	return nil
}
