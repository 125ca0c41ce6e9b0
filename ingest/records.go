package ingest

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// records reads the records of a partner file's text: the one interface
// readInto needs of encoding/csv's Reader (Read with ReuseRecord, and the
// line a record starts on).
type records interface {
	// Read returns the next record (valid until the next call), io.EOF
	// after the last, or a *csv.ParseError.
	Read() ([]string, error)
	// FieldPos is the line and column of a field of the record just read.
	FieldPos(field int) (line, column int)
}

// newRecords reads text, whose delimiter is comma, as encoding/csv does
// with FieldsPerRecord -1, ReuseRecord and the given TrimLeadingSpace.
//
// A text without a double quote has no quoted field, no escaped quote, no
// record over several lines and no quote error: its records are its
// lines, split at the delimiter. splitRecords reads those twice as fast
// as encoding/csv (BenchmarkRecords, 20,000 rows: 3.3 against 6.7-7.3
// ms; BenchmarkRead 210-231 against 247-272 ms; docs/performance.md,
// tenth round). Every other text, and a delimiter that is
// not ASCII, is read by encoding/csv itself. TestSplitRecordsMatchCSV
// holds the two to the same records and lines on texts made of every
// character that matters to the rules (blank lines, CR LF, trailing CR,
// Unicode spaces, empty fields).
func newRecords(text []byte, comma rune, trimLeadingSpace bool) records {
	if comma < utf8.RuneSelf && comma != '"' && comma != '\n' && comma != '\r' && bytes.IndexByte(text, '"') < 0 {
		return &splitRecords{text: text, comma: byte(comma), trim: trimLeadingSpace}
	}
	return csvRecords(bytes.NewReader(text), comma, trimLeadingSpace)
}

// csvRecords is encoding/csv's Reader as readInto reads with it: any
// number of fields per record, the record's slice reused.
func csvRecords(r io.Reader, comma rune, trimLeadingSpace bool) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = trimLeadingSpace
	return cr
}

// splitRecords reads a text without double quotes as encoding/csv would:
// lines are separated by LF, a CR before it (and one at the very end) is
// dropped, empty lines are skipped, and with trim every field loses the
// Unicode white space it begins with.
type splitRecords struct {
	text  []byte
	comma byte
	trim  bool
	line  int // lines read so far
	rec   []string
	pos   []int // the column (1-based byte offset) of each field
}

// Read returns the next record; the slice is reused by the next call.
func (r *splitRecords) Read() ([]string, error) {
	for {
		if len(r.text) == 0 {
			return nil, io.EOF
		}
		var raw []byte
		if i := bytes.IndexByte(r.text, '\n'); i >= 0 {
			raw, r.text = r.text[:i], r.text[i+1:]
		} else {
			raw, r.text = r.text, nil
		}
		if n := len(raw); n > 0 && raw[n-1] == '\r' {
			raw = raw[:n-1]
		}
		r.line++
		if len(raw) > 0 {
			r.split(string(raw))
			return r.rec, nil
		}
	}
}

// split cuts one line into its fields, as one string sliced.
func (r *splitRecords) split(s string) {
	r.rec, r.pos = r.rec[:0], r.pos[:0]
	col := 1
	for {
		if r.trim {
			n := leadingSpace(s)
			s, col = s[n:], col+n
		}
		i := strings.IndexByte(s, r.comma)
		if i < 0 {
			r.rec, r.pos = append(r.rec, s), append(r.pos, col)
			return
		}
		r.rec, r.pos = append(r.rec, s[:i]), append(r.pos, col)
		s, col = s[i+1:], col+i+1
	}
}

// FieldPos is the line of the record just read and the column where the
// field begins (after the white space trimmed).
func (r *splitRecords) FieldPos(field int) (line, column int) {
	return r.line, r.pos[field]
}

// leadingSpace is the length in bytes of the Unicode white space s
// begins with (unicode.IsSpace, as encoding/csv trims it).
func leadingSpace(s string) int {
	n := 0
	for n < len(s) {
		if c := s[n]; c < utf8.RuneSelf {
			if c != ' ' && (c < '\t' || c > '\r') {
				return n
			}
			n++
			continue
		}
		c, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsSpace(c) {
			return n
		}
		n += size
	}
	return n
}
