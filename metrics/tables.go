package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// TableName is the warehouse table of a metric: metric_<id>.
func TableName(id string) string { return "metric_" + id }

// WriteTables replaces one quarter's rows of every metric's own table,
// metric_<id>, from the tidy table source (the pipeline's metrics table,
// already loaded for the quarter), in one transaction. A metric's table
// has the columns quarter, partner, one text column per breakdown key,
// value, numerator and denominator, so an evaluator can write
//
//	SELECT * FROM metric_cumulative_incidence WHERE class = 'durable' AND months = '12'
//
// instead of parsing breakdowns. The tables hold the numbers before
// disclosure control, like the tidy table: the warehouse is not
// published; metrics_published and the snapshots are.
func WriteTables(ctx context.Context, db *sql.DB, c *Catalogue, source, quarter string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("metrics: tables: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	have := map[[2]string]bool{} // existing tables and columns
	rs, err := tx.QueryContext(ctx, "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = current_schema() AND starts_with(table_name, 'metric_')")
	if err != nil {
		return fmt.Errorf("metrics: tables: %w", err)
	}
	for rs.Next() {
		var t, col string
		if err := rs.Scan(&t, &col); err != nil {
			rs.Close()
			return fmt.Errorf("metrics: tables: %w", err)
		}
		have[[2]string{t, ""}], have[[2]string{t, col}] = true, true
	}
	if err := rs.Close(); err != nil {
		return fmt.Errorf("metrics: tables: %w", err)
	}
	for _, e := range c.Metrics {
		name := TableName(e.ID)
		t := ident(name)
		cols := []string{"quarter VARCHAR", "partner VARCHAR"}
		sel := []string{"quarter", "partner"}
		for _, k := range e.Breakdown {
			cols = append(cols, ident(k)+" VARCHAR")
			sel = append(sel, fmt.Sprintf("regexp_extract(breakdown, '(^|;)%s=([^;]*)', 2) AS %s", k, ident(k)))
		}
		cols = append(cols, "value DOUBLE", "numerator DOUBLE", "denominator DOUBLE")
		sel = append(sel, "value", "numerator", "denominator")
		var steps []string
		if !have[[2]string{name, ""}] {
			steps = append(steps, fmt.Sprintf("CREATE TABLE %s (%s)", t, strings.Join(cols, ", ")))
		} else {
			// A metric that gained a breakdown key gains a column; none is
			// dropped, so earlier quarters stay readable.
			for _, col := range cols {
				if n, _, _ := strings.Cut(col, " "); !have[[2]string{name, strings.Trim(n, `"`)}] {
					steps = append(steps, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", t, col))
				}
			}
		}
		steps = append(steps,
			fmt.Sprintf("DELETE FROM %s WHERE quarter = %s", t, literal(quarter)),
			fmt.Sprintf("INSERT INTO %s BY NAME SELECT %s FROM %s WHERE quarter = %s AND metric = %s ORDER BY partner = 'network', partner, breakdown",
				t, strings.Join(sel, ", "), ident(source), literal(quarter), literal(e.ID)))
		for _, s := range steps {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("metrics: table %s: %w", TableName(e.ID), err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("metrics: tables: %w", err)
	}
	return nil
}

func ident(s string) string   { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
