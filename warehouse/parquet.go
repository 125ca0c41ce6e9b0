package warehouse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"doorstroom/internal/atomicfile"
)

// ExportParquet writes the result of a query to a Parquet file, compressed
// with ZSTD, atomically: DuckDB writes a temporary file in the target's
// directory, which is then renamed over the target. The file is readable by
// its owner and group only.
func (w *Warehouse) ExportParquet(ctx context.Context, query, path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	stmt := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", query, Literal(tmp.Name()))
	if _, err := w.db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("warehouse: writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return atomicfile.SyncDir(dir)
}
