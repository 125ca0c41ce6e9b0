package dashboards

import (
	"bytes"
	"encoding/csv"
)

// cell is one published table cell: its text as shown and whether
// disclosure control withheld it.
type cell struct {
	Text       string
	Suppressed bool
}

// table is a data table shown beside a chart and offered as CSV.
type table struct {
	Header []string
	Rows   [][]cell
}

// csvBytes writes the table as CSV for download. Every cell that a
// spreadsheet would evaluate as a formula (=, +, -, @ first) is prefixed
// with a quote, so a partner's label cannot run in an evaluator's Excel.
func (t table) csvBytes() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	row := make([]string, 0, len(t.Header))
	for _, h := range t.Header {
		row = append(row, neutralise(h))
	}
	w.Write(row)
	for _, r := range t.Rows {
		row = row[:0]
		for _, c := range r {
			row = append(row, neutralise(c.Text))
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// neutralise defuses CSV formula injection. A value that is a plain
// negative number is left alone: it is data, not a formula.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if isNumber(s[1:]) {
			return s
		}
		return "'" + s
	}
	return s
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return true
}
