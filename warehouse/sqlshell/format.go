package sqlshell

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
)

// Format is how query results are written.
type Format string

// The output formats of doorstroom sql.
const (
	Table    Format = "table"
	CSV      Format = "csv"
	JSON     Format = "json"
	Markdown Format = "markdown"
)

// Formats lists the formats, for messages.
var Formats = []Format{Table, CSV, JSON, Markdown}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use table, csv, json or markdown", s)
}

func (f Format) write(w io.Writer, r *result) error {
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case CSV:
		err = writeCSV(bw, r)
	case JSON:
		err = writeJSON(bw, r)
	case Markdown:
		writeMarkdown(bw, r)
	default:
		writeTable(bw, r)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeTable aligns the columns under a header, numbers to the right, and
// ends with the row count.
func writeTable(w *bufio.Writer, r *result) {
	cells := textCells(r, "NULL")
	widths := make([]int, len(r.names))
	for i, n := range r.names {
		widths[i] = runewidth.StringWidth(n)
	}
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	line := func(vals []string, rightAlign bool) {
		for i, v := range vals {
			if i > 0 {
				w.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(v))
			switch {
			case rightAlign && numeric(r.types[i]):
				w.WriteString(pad + v)
			case i == len(vals)-1:
				w.WriteString(v)
			default:
				w.WriteString(v + pad)
			}
		}
		w.WriteByte('\n')
	}
	line(r.names, false)
	rule := make([]string, len(widths))
	for i, n := range widths {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule, false)
	for _, row := range cells {
		line(row, true)
	}
	if len(r.rows) == 1 {
		w.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(w, "(%d rows)\n", len(r.rows))
	}
}

// writeMarkdown writes a GitHub-flavoured Markdown table.
func writeMarkdown(w *bufio.Writer, r *result) {
	esc := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	w.WriteString("|")
	for _, n := range r.names {
		w.WriteString(" " + esc(n) + " |")
	}
	w.WriteString("\n|")
	for _, t := range r.types {
		if numeric(t) {
			w.WriteString(" ---: |")
		} else {
			w.WriteString(" --- |")
		}
	}
	w.WriteByte('\n')
	for _, row := range textCells(r, "") {
		w.WriteString("|")
		for _, c := range row {
			w.WriteString(" " + esc(c) + " |")
		}
		w.WriteByte('\n')
	}
}

// writeCSV writes a header and the rows; NULL is an empty field.
func writeCSV(w *bufio.Writer, r *result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.names); err != nil {
		return err
	}
	for _, row := range textCells(r, "") {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array with one object per row, keys in column
// order, one row per line.
func writeJSON(w *bufio.Writer, r *result) error {
	w.WriteString("[")
	for i, row := range r.rows {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n  {")
		for j, v := range row {
			if j > 0 {
				w.WriteString(", ")
			}
			k, _ := json.Marshal(r.names[j])
			w.Write(k)
			w.WriteString(": ")
			b, err := json.Marshal(jsonValue(v, r.types[j]))
			if err != nil {
				return err
			}
			w.Write(b)
		}
		w.WriteString("}")
	}
	if len(r.rows) > 0 {
		w.WriteString("\n")
	}
	w.WriteString("]\n")
	return nil
}

// textCells renders every value as text; null is NULL's text.
func textCells(r *result, null string) [][]string {
	out := make([][]string, len(r.rows))
	for i, row := range r.rows {
		out[i] = make([]string, len(row))
		for j, v := range row {
			if v == nil {
				out[i][j] = null
			} else {
				out[i][j] = text(v, r.types[j])
			}
		}
	}
	return out
}

// text renders one value as DuckDB's CLI would, near enough: dates as
// ISO dates, numbers without exponent where that stays short, nested
// values as JSON.
func text(v any, typ string) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case time.Time:
		switch typ {
		case "DATE":
			return x.Format(time.DateOnly)
		case "TIME":
			return x.Format("15:04:05.999999")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case *big.Int:
		return x.String()
	case []byte:
		return `\x` + hex.EncodeToString(x)
	case map[string]any, []any:
		b, err := json.Marshal(jsonValue(x, ""))
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}

// jsonValue is a value as encoding/json should see it.
func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case nil, string, bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatFloat(x)
		}
		return json.Number(formatFloat(x))
	case *big.Int:
		return json.Number(x.String())
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e, "")
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e, "")
		}
		return out
	}
	return text(v, typ)
}

// formatFloat writes a double in its shortest exact form, without an
// exponent between 1e-6 and 1e21.
func formatFloat(x float64) string {
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// numeric reports whether a DuckDB type is a number, for alignment.
func numeric(typ string) bool {
	switch {
	case strings.HasPrefix(typ, "DECIMAL"):
		return true
	}
	switch typ {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
		"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE":
		return true
	}
	return false
}
