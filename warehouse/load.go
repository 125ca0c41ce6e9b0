package warehouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// ReplaceQuarter loads Arrow batches into table, replacing the rows of the
// given quarter, in one transaction. The table is created from the batches'
// schema when it does not exist; columns the table lacks are added (a
// column is added, never renamed), and rows are inserted by name, in the
// order of the batches, regrouped into batches of RowGroupRows rows.
func (w *Warehouse) ReplaceQuarter(ctx context.Context, table, quarter string, schema *arrow.Schema, recs []arrow.Record) error {
	return w.withArrowView(schema, recs, table, func(view string) error {
		return w.inTransaction(ctx, func() error {
			t := Ident(table)
			steps := []string{
				fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s AS SELECT * FROM %s LIMIT 0", t, Ident(view)),
			}
			for _, f := range schema.Fields() {
				steps = append(steps, fmt.Sprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s", t, Ident(f.Name), duckType(f.Type)))
			}
			steps = append(steps,
				fmt.Sprintf("DELETE FROM %s WHERE quarter = %s", t, Literal(quarter)),
				fmt.Sprintf("INSERT INTO %s BY NAME SELECT * FROM %s", t, Ident(view)),
			)
			for _, s := range steps {
				if err := w.exec(ctx, s); err != nil {
					return fmt.Errorf("warehouse: loading %s: %w", table, err)
				}
			}
			return nil
		})
	})
}

// inTransaction runs do in one transaction on the warehouse's connection
// (the one that holds the registered Arrow views): committed when do
// returns nil, rolled back otherwise.
func (w *Warehouse) inTransaction(ctx context.Context, do func() error) (err error) {
	if err := w.exec(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	defer func() {
		if err != nil {
			w.exec(context.Background(), "ROLLBACK")
		}
	}()
	if err := do(); err != nil {
		return err
	}
	if err := w.exec(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("warehouse: commit: %w", err)
	}
	return nil
}

// withArrowView registers the batches, regrouped into batches of
// RowGroupRows rows, as a view DuckDB can scan once on the warehouse's
// connection, runs load with the view's name, and unregisters it.
func (w *Warehouse) withArrowView(schema *arrow.Schema, recs []arrow.Record, table string, load func(view string) error) error {
	view := "arrow_in_" + table
	batches := rebatch(memory.DefaultAllocator, schema, recs)
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	reader, err := array.NewRecordReader(schema, batches)
	if err != nil {
		return fmt.Errorf("warehouse: %s: %w", table, err)
	}
	defer reader.Release()
	unregister, err := w.arrow.RegisterView(reader, view)
	if err != nil {
		return fmt.Errorf("warehouse: %s: %w", table, err)
	}
	defer unregister()
	return load(view)
}

// duckType is the DuckDB type of the Arrow types stages produce.
func duckType(t arrow.DataType) string {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return "VARCHAR"
	case arrow.INT32:
		return "INTEGER"
	case arrow.INT64:
		return "BIGINT"
	case arrow.FLOAT64:
		return "DOUBLE"
	case arrow.BOOL:
		return "BOOLEAN"
	case arrow.DATE32:
		return "DATE"
	}
	return strings.ToUpper(t.Name())
}

// Count returns the number of rows of a table in a quarter.
func (w *Warehouse) Count(ctx context.Context, table, quarter string) (int64, error) {
	var n int64
	err := w.db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE quarter = ?", Ident(table)), quarter).Scan(&n)
	return n, err
}
