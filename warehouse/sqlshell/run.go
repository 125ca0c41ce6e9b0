package sqlshell

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"doorstroom/warehouse"
)

// QueryError is an error DuckDB reported for a statement, with where in
// the script it happened (Line and Column from 1; 0 when DuckDB gave no
// position).
type QueryError struct {
	Type    string // e.g. Binder, Parser, Catalog
	Message string
	Line    int
	Column  int
	// Source is the script line the position is on.
	Source string
}

func (e *QueryError) Error() string {
	var b strings.Builder
	if e.Type != "" {
		b.WriteString(e.Type + " Error: ")
	}
	b.WriteString(e.Message)
	if e.Line > 0 {
		fmt.Fprintf(&b, "\nat line %d, column %d:\n  %s\n  %s^", e.Line, e.Column, e.Source, caretPad(e.Source, e.Column))
	}
	return b.String()
}

// caretPad is the indentation that puts a caret under a column, keeping
// the source's tabs.
func caretPad(src string, col int) string {
	var b strings.Builder
	for i, r := range src {
		if utf8.RuneCountInString(src[:i]) >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// queryKeywords start statements that return rows to print; other
// statements (SET, CREATE TEMP TABLE, …) print nothing when they succeed.
var queryKeywords = map[string]bool{
	"SELECT": true, "WITH": true, "FROM": true, "VALUES": true, "TABLE": true, "SHOW": true,
	"DESCRIBE": true, "DESC": true, "SUMMARIZE": true, "EXPLAIN": true, "PRAGMA": true,
	"CALL": true, "PIVOT": true, "UNPIVOT": true, "(": true,
}

// Run runs every statement of a script in order and writes the result of
// each query to out in the given format. It stops at the first error,
// returned as a *QueryError with its position in the script.
func (s *Session) Run(ctx context.Context, script string, out io.Writer, format Format) error {
	stmts, _ := split(script)
	for _, st := range stmts {
		if err := s.runOne(ctx, script, st, out, format); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) runOne(ctx context.Context, script string, st statement, out io.Writer, format Format) error {
	if !queryKeywords[firstKeyword(st.text)] {
		if _, err := s.conn.ExecContext(ctx, st.text); err != nil {
			return s.locate(ctx, script, st, err)
		}
		return nil
	}
	rs, err := s.conn.QueryContext(ctx, st.text)
	if err != nil {
		return s.locate(ctx, script, st, err)
	}
	defer rs.Close()
	res, err := collect(rs)
	if err != nil {
		return s.locate(ctx, script, st, err)
	}
	return format.write(out, res)
}

// duckError is DuckDB's error as JSON (errors_as_json).
type duckError struct {
	Type     string `json:"exception_type"`
	Message  string `json:"exception_message"`
	Position string `json:"position"`
}

// locate turns a DuckDB error into a QueryError positioned in the script.
// Errors DuckDB raises while splitting statements (syntax errors) come as
// plain text without a position; the parser is asked again through
// json_serialize_sql, which reports it.
func (s *Session) locate(ctx context.Context, script string, st statement, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := err.Error()
	var de duckError
	if json.Unmarshal([]byte(msg), &de) != nil || de.Message == "" {
		de = duckError{Message: msg}
		if typ, rest, ok := strings.Cut(msg, " Error: "); ok && !strings.Contains(typ, "\n") {
			de.Type, de.Message = typ, rest
		}
		var parsed string
		if s.conn.QueryRowContext(ctx, "SELECT json_serialize_sql("+warehouse.Literal(st.text)+")").Scan(&parsed) == nil {
			var pe struct {
				Position string `json:"position"`
			}
			if json.Unmarshal([]byte(parsed), &pe) == nil {
				de.Position = pe.Position
			}
		}
	}
	qe := &QueryError{Type: de.Type, Message: de.Message}
	if pos, perr := strconv.Atoi(de.Position); perr == nil && pos >= 0 && pos <= len(st.text) {
		qe.Line, qe.Column, qe.Source = lineColumn(script, st.offset+pos)
	}
	return qe
}

// lineColumn gives the line and column (from 1, in characters) of a byte
// offset in a script, and that line's text.
func lineColumn(script string, off int) (int, int, string) {
	line := 1 + strings.Count(script[:off], "\n")
	start := strings.LastIndexByte(script[:off], '\n') + 1
	end := strings.IndexByte(script[off:], '\n')
	if end < 0 {
		end = len(script)
	} else {
		end += off
	}
	return line, 1 + utf8.RuneCountInString(script[start:off]), strings.TrimRight(script[start:end], "\r")
}

// result is a query's columns, their DuckDB types and its rows.
type result struct {
	names []string
	types []string
	rows  [][]any
}

func collect(rs *sql.Rows) (*result, error) {
	cts, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	r := &result{}
	for _, ct := range cts {
		r.names = append(r.names, ct.Name())
		r.types = append(r.types, ct.DatabaseTypeName())
	}
	for rs.Next() {
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		r.rows = append(r.rows, vals)
	}
	return r, rs.Err()
}
