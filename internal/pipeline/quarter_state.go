package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"doorstroom/internal/period"
	"doorstroom/metrics"
	"doorstroom/warehouse"
)

// quarterState is what a quarter's outputs were made from, as the
// warehouse table quarter_state keeps it. It is written into the run's
// working copy of the warehouse with the quarter's rows, so it is
// committed with them or not at all: a killed run leaves the state of the
// last complete run beside that run's rows.
type quarterState struct {
	Quarter string
	// Inputs is the release id of the files in force as the inbox
	// manifest lists them: computed without reading a file. Release is
	// the release id made, as the snapshot's manifest names it (the same,
	// unless a file in force no longer passes the checks).
	Inputs, Release string
	// Key, Code and Settings are the fingerprints of fingerprint.go;
	// Completeness digests the quarter's completeness rows.
	Key, Code, Settings, Completeness string
	// Content is the published snapshot's content digest, Rows the
	// quarter's rows per warehouse table (JSON).
	Content, Rows string
}

// sameMaking says why two states of a quarter would not make the same
// outputs, or "" when they would.
func (s quarterState) sameMaking(prev quarterState) string {
	switch {
	case s.Code != prev.Code:
		return "the code changed"
	case s.Key != prev.Key:
		return "the key changed"
	case s.Settings != prev.Settings:
		return "the configuration changed"
	case s.Inputs != prev.Inputs:
		return "new or changed files in force"
	case s.Completeness != prev.Completeness:
		return "new deliveries"
	}
	return ""
}

// readQuarterState returns the quarter's recorded state, or false when
// there is none.
func (e *env) readQuarterState(ctx context.Context, q period.Quarter) (quarterState, bool, error) {
	s := quarterState{Quarter: q.String()}
	err := e.wh.DB().QueryRowContext(ctx, `SELECT inputs, release, key_hmac, code_sha256, settings_sha256,
			completeness_sha256, content_sha256, row_counts FROM quarter_state WHERE quarter = ?`, q.String()).
		Scan(&s.Inputs, &s.Release, &s.Key, &s.Code, &s.Settings, &s.Completeness, &s.Content, &s.Rows)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("warehouse: quarter_state: %w", err)
	}
	return s, true, nil
}

// saveQuarterState records a quarter's state, with the rows its tables
// now hold, replacing what was recorded before.
func (e *env) saveQuarterState(ctx context.Context, s quarterState) (err error) {
	if s.Rows, err = e.quarterRows(ctx, s.Quarter); err != nil {
		return err
	}
	tx, err := e.wh.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("warehouse: quarter_state: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, "DELETE FROM quarter_state WHERE quarter = ?", s.Quarter); err != nil {
		return fmt.Errorf("warehouse: quarter_state: %w", err)
	}
	if _, err = tx.ExecContext(ctx, "INSERT INTO quarter_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		s.Quarter, s.Inputs, s.Release, s.Key, s.Code, s.Settings, s.Completeness, s.Content, s.Rows); err != nil {
		return fmt.Errorf("warehouse: quarter_state: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("warehouse: quarter_state: %w", err)
	}
	return nil
}

// quarterTables are the warehouse tables a quarter's release writes rows
// of: the register, the microdata, the metrics tidy and published, and
// every metric's own table. (The inbox tables completeness and
// submissions are rewritten on every run.)
func (e *env) quarterTables() []string {
	tables := []string{"register", e.prog.Format.Table, "metrics", "metrics_published"}
	for _, m := range e.catalogue.Metrics {
		tables = append(tables, metrics.TableName(m.ID))
	}
	return tables
}

// quarterRows counts a quarter's rows in each of its tables, as JSON (its
// keys sorted, so equal counts give equal text). A missing table is an
// error.
func (e *env) quarterRows(ctx context.Context, quarter string) (string, error) {
	var parts []string
	for _, t := range e.quarterTables() {
		parts = append(parts, fmt.Sprintf("SELECT %s AS t, count(*) AS n FROM %s WHERE quarter = %s",
			warehouse.Literal(t), warehouse.Ident(t), warehouse.Literal(quarter)))
	}
	rs, err := e.wh.DB().QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return "", fmt.Errorf("warehouse: counting %s: %w", quarter, err)
	}
	defer rs.Close()
	counts := map[string]int64{}
	for rs.Next() {
		var t string
		var n int64
		if err := rs.Scan(&t, &n); err != nil {
			return "", fmt.Errorf("warehouse: counting %s: %w", quarter, err)
		}
		counts[t] = n
	}
	if err := rs.Err(); err != nil {
		return "", fmt.Errorf("warehouse: counting %s: %w", quarter, err)
	}
	data, err := json.Marshal(counts)
	return string(data), err
}
