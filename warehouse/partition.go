package warehouse

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/internal/period"
)

// QuarterSchema is the DuckDB schema that holds the quarters' own tables
// of the tables LoadQuarter loads: quarters.register_2026Q3 is the
// register of 2026Q3. Queries read the view of the table's own name in the
// main schema (register), which joins them.
const QuarterSchema = "quarters"

// isQuarterName reports whether s is a quarter written as tables are
// named by it: period's canonical form, 2026Q3.
func isQuarterName(s string) bool {
	q, err := period.Parse(s)
	return err == nil && q.String() == s
}

// quarterTable is the qualified name of a table's own table for a quarter.
func quarterTable(table, quarter string) string {
	return Ident(QuarterSchema) + "." + Ident(table+"_"+quarter)
}

// LoadQuarter loads a quarter's Arrow batches of one of the large
// per-quarter tables (the register, the microdata) as a table of its
// own, quarters.<table>_<quarter>, replacing it in one transaction, and
// makes the view <table> over every quarter's table again: the quarter
// column, then each table's columns by name (a column a quarter lacks is
// NULL there), every column as text where its table stores an ENUM.
//
// A table of its own per quarter lets each quarter's text columns of few
// values be stored as ENUMs of just that quarter's values (enum.go),
// which DuckDB stores, and writes to Parquet, at a third to a half of
// VARCHAR's cost; one table would need a type that grows with every
// quarter's new values, which DuckDB cannot alter. The view's quarter
// column is each table's quarter as a constant, so that a filter on it
// leaves the other quarters' tables unread (the table keeps its own, an
// ENUM of one value). A warehouse that holds the table whole (made
// before this layout) is moved into it first, quarter by quarter.
func (w *Warehouse) LoadQuarter(ctx context.Context, table, quarter string, schema *arrow.Schema, recs []arrow.Record) error {
	if !isQuarterName(quarter) {
		return fmt.Errorf("warehouse: %s: quarter %q is not of the form 2026Q3", table, quarter)
	}
	texts := textColumns(schema, recs)
	var defs []string
	for i, f := range schema.Fields() {
		typ := duckType(f.Type)
		if f.Type.ID() == arrow.STRING {
			typ = texts[i].storage()
		}
		defs = append(defs, Ident(f.Name)+" "+typ)
	}
	qt := quarterTable(table, quarter)
	return w.inTransaction(ctx, func() error {
		if err := w.exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+Ident(QuarterSchema)); err != nil {
			return fmt.Errorf("warehouse: %w", err)
		}
		if err := w.splitWholeTable(ctx, table); err != nil {
			return err
		}
		for _, s := range []string{"DROP TABLE IF EXISTS " + qt, fmt.Sprintf("CREATE TABLE %s (%s)", qt, strings.Join(defs, ", "))} {
			if err := w.exec(ctx, s); err != nil {
				return fmt.Errorf("warehouse: loading %s of %s: %w", table, quarter, err)
			}
		}
		// The batches' view is read whole, every column (go-duckdb's Arrow
		// stream crashes when DuckDB asks it for some), and nothing else
		// runs while it is registered.
		err := w.withArrowView(schema, recs, table, func(view string) error {
			return w.exec(ctx, fmt.Sprintf("INSERT INTO %s SELECT * FROM %s", qt, Ident(view)))
		})
		if err != nil {
			return fmt.Errorf("warehouse: loading %s of %s: %w", table, quarter, err)
		}
		return w.makeQuarterView(ctx, table)
	})
}

// QuarterQuery is the query of a table's rows of one quarter, without the
// quarter column: the quarter's own table when LoadQuarter loaded it (its
// ENUM columns as they are stored, which DuckDB writes to Parquet as
// text faster than it converts them), and a filter of the table otherwise.
func (w *Warehouse) QuarterQuery(ctx context.Context, table, quarter string) (string, error) {
	own, err := w.queryStrings(ctx, "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = "+
		Literal(QuarterSchema)+" AND table_name = "+Literal(table+"_"+quarter))
	if err != nil {
		return "", fmt.Errorf("warehouse: looking for %s: %w", quarterTable(table, quarter), err)
	}
	if len(own) > 0 {
		return fmt.Sprintf("SELECT * EXCLUDE (%s) FROM %s", Ident(PartitionKey), quarterTable(table, quarter)), nil
	}
	return fmt.Sprintf("SELECT * EXCLUDE (%s) FROM %s WHERE %s = %s",
		Ident(PartitionKey), Ident(table), Ident(PartitionKey), Literal(quarter)), nil
}

// makeQuarterView makes the view of a table over its quarters' tables,
// oldest quarter first, from one look at the catalog: every column of
// every quarter's table, in order.
func (w *Warehouse) makeQuarterView(ctx context.Context, table string) error {
	cols, err := w.queryStrings(ctx,
		"SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = "+
			Literal(QuarterSchema)+" AND starts_with(table_name, "+Literal(table+"_")+") ORDER BY table_name, column_index")
	if err != nil {
		return fmt.Errorf("warehouse: the columns of %s's quarters: %w", table, err)
	}
	var parts, sel []string
	current := ""
	flush := func() {
		if current != "" {
			parts = append(parts, "SELECT "+strings.Join(sel, ", ")+" FROM "+quarterTable(table, current))
		}
	}
	for i := 0; i+2 < len(cols); i += 3 {
		q, name, typ := strings.TrimPrefix(cols[i], table+"_"), cols[i+1], cols[i+2]
		if !isQuarterName(q) {
			continue // another table's (a table named <table>_x)
		}
		if q != current {
			flush()
			current, sel = q, []string{Literal(q) + " AS " + Ident(PartitionKey)}
		}
		switch {
		case name == PartitionKey: // the literal above, which DuckDB prunes quarters by
		case isEnum(typ):
			sel = append(sel, "CAST("+Ident(name)+" AS VARCHAR) AS "+Ident(name))
		default:
			sel = append(sel, Ident(name))
		}
	}
	flush()
	if len(parts) == 0 {
		return fmt.Errorf("warehouse: %s has no quarter to show", table)
	}
	if err := w.exec(ctx, "CREATE OR REPLACE VIEW "+Ident(table)+" AS "+strings.Join(parts, " UNION ALL BY NAME ")); err != nil {
		return fmt.Errorf("warehouse: the view %s: %w", table, err)
	}
	return nil
}

// splitWholeTable moves a table that holds every quarter in one (as
// ReplaceQuarter loads it, and as warehouses made before LoadQuarter
// hold the register and the microdata) into a table per quarter, and
// drops it, so that its name is free for the view. Its columns and types
// are kept as they are.
func (w *Warehouse) splitWholeTable(ctx context.Context, table string) error {
	whole, err := w.queryStrings(ctx,
		"SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = "+Literal(table))
	if err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	if len(whole) == 0 {
		return nil
	}
	quarters, err := w.queryStrings(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM %s ORDER BY 1", Ident(PartitionKey), Ident(table)))
	if err != nil {
		return fmt.Errorf("warehouse: the quarters of %s: %w", table, err)
	}
	for _, q := range quarters {
		if !isQuarterName(q) {
			return fmt.Errorf("warehouse: %s holds rows of quarter %q, which cannot name a table", table, q)
		}
		if err := w.exec(ctx, fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM %s WHERE %s = %s",
			quarterTable(table, q), Ident(table), Ident(PartitionKey), Literal(q))); err != nil {
			return fmt.Errorf("warehouse: moving %s of %s: %w", table, q, err)
		}
	}
	if err := w.exec(ctx, "DROP TABLE "+Ident(table)); err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	return nil
}

// queryStrings runs a query on the connection that holds the registered
// Arrow views and the transaction, and returns every value of every row
// as text, row by row (a NULL as "").
func (w *Warehouse) queryStrings(ctx context.Context, query string) ([]string, error) {
	rs, err := w.conn.(driver.QueryerContext).QueryContext(ctx, query, nil)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	vals := make([]driver.Value, len(rs.Columns()))
	var out []string
	for {
		if err := rs.Next(vals); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		for _, v := range vals {
			if v == nil {
				out = append(out, "")
			} else {
				out = append(out, fmt.Sprint(v))
			}
		}
	}
}
