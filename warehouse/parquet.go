package warehouse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ParquetOptions are the COPY options of every Parquet file the warehouse
// writes: ZSTD at level 1. On the 1M-record microdata level 1 wrote the
// file in 0.52 s against 0.63–0.73 s at DuckDB's default level (3), and
// the file came out smaller too (23.1 against 24.3 MB: most of its bytes
// are the pseudonyms, which no level compresses); snappy took 0.49 s for
// 42.7 MB (docs/performance.md, tenth round). doorstroom bench writes
// DuckDB's own Parquet with the same options, so that the yardstick
// writes as doorstroom does.
const ParquetOptions = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1"

// ExportParquet writes the result of a query to a new Parquet file,
// compressed with ZSTD (ParquetOptions), with the given key-value
// metadata in its footer (DuckDB's COPY … KV_METADATA, available since
// DuckDB 1.1). Keys are written in sorted order, so the same rows and
// metadata give the same bytes. The file is made readable by its owner
// and group only and synced to disk; it is meant to be written into a
// staging directory that is published as a whole (see Publish).
func (w *Warehouse) ExportParquet(ctx context.Context, query, path string, kv map[string]string) error {
	opts := ParquetOptions
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

// writeTable writes a table's Parquet file and sets its rows digest and
// count in entry. An InOrder table is written as its query gives the rows.
// With its LoadedRows, only the order's columns are read back, and the
// loaded rows' digest is the file's when they match; otherwise (whole)
// the whole file is read back with the order checked. Only when the order
// did not hold is it written again from the query sorted on Order (and
// sorted is true). Other tables are written from the sorted query at once.
func (w *Warehouse) writeTable(ctx context.Context, t SnapshotTable, path string, kv map[string]string, entry *ManifestFile) (whole, sorted bool, err error) {
	if t.InOrder && len(t.Order) > 0 {
		if err := w.ExportParquet(ctx, t.Query, path, kv); err != nil {
			return false, false, err
		}
		if t.Loaded.describes(entry.Columns, t.Order) {
			ok, err := w.confirmLoaded(ctx, path, t.Loaded)
			if err != nil {
				return false, false, fmt.Errorf("%s: %w", t.Name, err)
			}
			if ok {
				entry.RowsSHA256, entry.Rows = t.Loaded.RowsSHA256, t.Loaded.Rows
				return false, false, nil
			}
		}
		d, err := w.readDigest(ctx, entry.Columns, readBack(path), t.Order)
		if err != nil && !errors.Is(err, errDigestType) {
			return true, false, fmt.Errorf("%s: %w", t.Name, err)
		}
		if err == nil && d.inOrder {
			entry.RowsSHA256, entry.Rows = d.sum, d.rows
			return true, false, nil
		}
		if err := os.Remove(path); err != nil {
			return true, false, fmt.Errorf("snapshots: %w", err)
		}
		whole, sorted = true, true
	}
	if err := w.ExportParquet(ctx, t.sortedQuery(), path, kv); err != nil {
		return whole, sorted, err
	}
	if entry.RowsSHA256, entry.Rows, err = w.digestAs(ctx, entry.Columns, readBack(path)); err != nil {
		return whole, sorted, fmt.Errorf("%s: %w", t.Name, err)
	}
	return whole, sorted, nil
}

// sortedQuery is the table's query in its total order.
func (t SnapshotTable) sortedQuery() string {
	if len(t.Order) == 0 {
		return t.Query
	}
	cols := make([]string, len(t.Order))
	for i, c := range t.Order {
		cols[i] = Ident(c) + " ASC NULLS LAST"
	}
	return t.Query + " ORDER BY " + strings.Join(cols, ", ")
}

// readBack is the query that reads a written Parquet file's rows in the
// file's order, not as hive-partitioned: the staging folder's name
// (quarter=…) would add a column. With cols it reads those columns only,
// in that order; without, every column.
func readBack(path string, cols ...string) string {
	sel := "*"
	if len(cols) > 0 {
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = Ident(c)
		}
		sel = strings.Join(quoted, ", ")
	}
	return "SELECT " + sel + " FROM read_parquet(" + Literal(path) + ", hive_partitioning = false)"
}
