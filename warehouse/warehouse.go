// Package warehouse keeps the pipeline's tables in a DuckDB file and
// writes the Parquet snapshots evaluators read.
//
// Stages hand it Arrow record batches; it loads them through go-duckdb's
// Arrow interface (a registered Arrow stream, then INSERT … SELECT), never
// row by row. Every table is keyed by quarter, and loading a quarter
// replaces that quarter's rows in one transaction, so a re-run gives the
// same tables and a crash leaves the previous ones.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/marcboeker/go-duckdb"
)

// fixedTables creates the tables every warehouse has (tables.sql).
//
//go:embed tables.sql
var fixedTables string

// Warehouse is an open DuckDB warehouse file.
type Warehouse struct {
	path      string
	connector *duckdb.Connector
	db        *sql.DB
	conn      driver.Conn
	arrow     *duckdb.Arrow
	// work is set for a working copy (workcopy.go): path is then the
	// copy, and work the warehouse file Commit replaces.
	work   *workingCopy
	closed bool
}

// MemoryLimit caps DuckDB's own memory (its buffer pool, sorts and
// joins; beyond it DuckDB spills to <warehouse>.tmp beside the file). By
// default DuckDB takes up to 80 % of the machine and keeps every loaded
// quarter cached, so its share grows with the quarters kept; with the Go
// heap's soft limit (cmd/doorstroom) this keeps a run of a national
// network within 2 GiB (docs/performance.md). 384MB rather than more:
// a release's sorted export and digest at 1M rows took 5.0 s under
// 384MB, 4.5 s under 512MB and 5.2 s under 768MB, and the process's peak
// was 0.94, 1.23 and 1.34 GB.
const MemoryLimit = "384MB"

// Open opens (creating if needed) the warehouse at path. The file is made
// readable by its owner only: it holds pseudonymised registers.
func Open(ctx context.Context, path string) (*Warehouse, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("warehouse %s: %w", path, err)
	}
	conn, err := connector.Connect(ctx)
	if err != nil {
		connector.Close()
		return nil, fmt.Errorf("warehouse %s: %w", path, err)
	}
	ar, err := duckdb.NewArrowFromConn(conn)
	if err != nil {
		conn.Close()
		connector.Close()
		return nil, fmt.Errorf("warehouse %s: %w", path, err)
	}
	w := &Warehouse{path: path, connector: connector, db: sql.OpenDB(connector), conn: conn, arrow: ar}
	if err := os.Chmod(path, 0o600); err != nil {
		w.Close()
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	if _, err := w.db.ExecContext(ctx, "SET memory_limit = "+Literal(MemoryLimit)+"; SET allocator_flush_threshold = "+Literal(noFlushThreshold)); err != nil {
		w.Close()
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	if _, err := w.db.ExecContext(ctx, fixedTables); err != nil {
		w.Close()
		return nil, fmt.Errorf("warehouse: creating tables: %w", err)
	}
	return w, nil
}

// DB is the warehouse as a database/sql handle, for queries.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Path is the warehouse file.
func (w *Warehouse) Path() string {
	if w.work != nil {
		return w.work.target
	}
	return w.path
}

// Close checkpoints and closes the warehouse. A working copy that was not
// committed is removed: the warehouse file stays as it was.
func (w *Warehouse) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.work != nil && !w.work.committed {
		defer w.work.remove()
	}
	_, cerr := w.db.Exec("CHECKPOINT")
	err := w.conn.Close()
	if e := w.db.Close(); err == nil {
		err = e
	}
	if e := w.connector.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = cerr
	}
	return err
}

// exec runs a statement on the connection that holds the registered Arrow
// views.
func (w *Warehouse) exec(ctx context.Context, query string, args ...driver.NamedValue) error {
	_, err := w.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	return err
}

// Ident quotes a name for SQL.
func Ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Literal quotes a string for SQL.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
