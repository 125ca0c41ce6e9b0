package dashboards

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// cell is one table cell: its text as shown and what disclosure control
// decided for it (shown unless withheld or missing).
type cell struct {
	Text  string
	State state
}

// Class is the cell's CSS class: withheld and missing numbers are greyed,
// so the eye skips them, and the legend under every page explains them.
func (c cell) Class() string {
	switch c.State {
	case below:
		return "below"
	case protecting, hidden:
		return "withheld"
	case nodata:
		return "nodata"
	}
	return ""
}

// table is a data table shown beside a chart and offered as CSV. Its
// first column labels the rows.
type table struct {
	Header []string
	Rows   [][]cell
	// TotalRow marks the last row as the total of the others (the
	// network), TotalCol the last column.
	TotalRow, TotalCol bool
	// Text marks a table of words rather than numbers: left-aligned.
	Text bool
}

// writeCSV writes the table as CSV for download, the way a spreadsheet in
// the page's language opens it: a UTF-8 byte order mark (so accents
// survive), ';' between fields where the decimal mark is ',' (nl, fr) and
// ',' otherwise, numbers as on the page but without thousands separators.
// Every cell that a spreadsheet would evaluate as a formula is neutralised.
//
// w writes into buf, which is emptied first: a worker reuses both.
func (t *table) writeCSV(w *csv.Writer, buf *bytes.Buffer, l *lang) error {
	buf.Reset()
	buf.WriteString("\ufeff")
	w.Comma = ','
	if l.nf.decimal == "," {
		w.Comma = ';'
	}
	row := make([]string, 0, len(t.Header))
	for _, h := range t.Header {
		row = append(row, neutralise(h))
	}
	w.Write(row)
	for _, r := range t.Rows {
		row = row[:0]
		for i, c := range r {
			text := c.Text
			if i > 0 && c.State == shown && looksNumeric(text) {
				text = strings.ReplaceAll(text, l.nf.thousands, "")
			}
			row = append(row, neutralise(text))
		}
		w.Write(row)
	}
	w.Flush()
	return w.Error()
}

// neutralise defuses CSV formula injection: a cell that begins with =, +,
// -, @, a tab or a carriage return is prefixed with a quote, so a
// partner's label cannot run in an evaluator's spreadsheet. A plain
// negative number is data, not a formula, and is left alone.
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
	// Full-width and other look-alikes some spreadsheets also evaluate.
	switch r := []rune(s)[0]; r {
	case '＝', '＋', '－', '＠', '−':
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

// looksNumeric reports whether a cell is a formatted number (digits,
// separators, a sign, a percent sign), not words.
func looksNumeric(s string) bool {
	digits := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case strings.ContainsRune(".,\u202f\u00a0%+-\u2212 ", r):
		default:
			return false
		}
	}
	return digits
}
