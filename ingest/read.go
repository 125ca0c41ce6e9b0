package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// Options say how to read one partner file.
type Options struct {
	// Format is the programme's export format.
	Format *config.Format
	// Labels are the header names and code labels of the programme and
	// the partner.
	Labels config.Labels
	// Countries maps ISO alpha-2 and alpha-3 codes to alpha-2.
	Countries map[string]string
	// Partner is the partner code (the inbox folder).
	Partner string
	// Quarter is the quarter the file reports on; no date may lie after
	// its last day.
	Quarter period.Quarter
	// Policy is config.PolicyRejectFile or config.PolicyDropRows.
	Policy string
	// BatchSize is the number of rows per Arrow record (default 65536).
	BatchSize int
	// Mem allocates the Arrow buffers (default: Go allocator).
	Mem memory.Allocator
}

// Status is what became of a file.
type Status string

// Statuses of a submission.
const (
	Accepted Status = "accepted"
	Rejected Status = "rejected"
)

// Submission is one partner file after reading: its identity, what became
// of it, the problems found, and the accepted rows as Arrow records in the
// Schema of the format.
type Submission struct {
	Name     string // the file's name for messages, e.g. antwerpen/2026Q1.csv
	Partner  string
	Quarter  period.Quarter
	Size     int64
	SHA256   string
	Encoding string
	Status   Status
	// Rows counts the data rows read; Accepted and Dropped split them.
	Rows, Accepted, Dropped int
	Issues                  Issues
	Records                 []arrow.Record
}

// Release frees the Arrow records.
func (s *Submission) Release() {
	for _, r := range s.Records {
		r.Release()
	}
	s.Records = nil
}

// Read reads and validates one partner file. Problems with the content are
// returned as the submission's Issues and decide its Status; the error is
// reserved for failures to read at all (and cancellation).
func Read(ctx context.Context, r io.Reader, name string, opts Options) (*Submission, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	sub := &Submission{Name: name, Partner: opts.Partner, Quarter: opts.Quarter,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	err = readInto(ctx, sub, data, opts)
	if sub.Issues.Errors() > 0 && (opts.Policy != config.PolicyDropRows || sub.Accepted == 0 || fileLevel(sub.Issues)) {
		sub.Release()
		sub.Status, sub.Dropped, sub.Accepted = Rejected, 0, 0
	} else {
		sub.Status = Accepted
	}
	for i := range sub.Issues {
		sub.Issues[i].File = name
	}
	sub.Issues.Sort()
	return sub, err
}

// fileLevel reports whether an error concerns the whole file (its header or
// its bytes) rather than single rows; such a file is never used in part.
func fileLevel(is Issues) bool {
	for _, i := range is {
		if i.Severity == Error && i.Line <= 1 {
			return true
		}
	}
	return false
}

func readInto(ctx context.Context, sub *Submission, data []byte, opts Options) error {
	fileIssue := func(rule string, args map[string]string) {
		sub.Issues = append(sub.Issues, Issue{Rule: rule, Severity: Error, Args: args})
	}
	if len(bytes.TrimSpace(data)) == 0 {
		fileIssue("file_empty", nil)
		return nil
	}
	text, enc, err := decode(data)
	if err != nil {
		fileIssue("file_unreadable", map[string]string{"detail": err.Error()})
		return nil
	}
	sub.Encoding = enc

	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		fileIssue("csv_syntax", map[string]string{"detail": csvDetail(err)})
		return nil
	}
	f := opts.Format
	hm, issues := mapHeader(f, opts.Labels, header)
	sub.Issues = append(sub.Issues, issues...)
	if sub.Issues.Errors() > 0 {
		return nil
	}

	p := &parser{codes: codeLookup(f, opts.Labels), countries: opts.Countries,
		endDays: opts.Quarter.End().Unix() / 86400, endYear: opts.Quarter.Year}
	idx := map[string]int{}
	for i, c := range f.Columns {
		idx[c.Name] = i
	}
	size := opts.BatchSize
	if size <= 0 {
		size = 65536
	}
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	bb := newBatchBuilder(mem, Schema(f), opts.Partner, size)
	keyCol := idx[f.Key]
	firstSeen := map[string]int{}
	row := make([]value, len(f.Columns))

	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				bb.discard()
				return err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			sub.Rows++
			sub.Issues = append(sub.Issues, Issue{Line: line, Rule: "csv_syntax", Severity: Error,
				Args: map[string]string{"detail": csvDetail(err)}})
			continue
		}
		if blank(rec) {
			continue
		}
		sub.Rows++
		rowIssues := parseRow(p, f, hm, rec, row)
		if len(rowIssues) == 0 {
			rowIssues = checkRules(f.Rules, f.Columns, idx, row)
		}
		if k := row[keyCol]; k.set && len(rowIssues) == 0 {
			if first, dup := firstSeen[k.s]; dup {
				rowIssues = append(rowIssues, Issue{Column: f.Key, Rule: "row_duplicate_key", Severity: Error,
					Args: map[string]string{"first": fmt.Sprint(first)}})
			} else {
				firstSeen[k.s] = line
			}
		}
		for i := range rowIssues {
			rowIssues[i].Line = line
		}
		sub.Issues = append(sub.Issues, rowIssues...)
		if len(rowIssues) > 0 {
			sub.Dropped++
			continue
		}
		sub.Accepted++
		bb.append(row)
	}
	sub.Records = bb.finish()
	return nil
}

// parseRow parses the fields of one record into row and returns the
// problems of its cells.
func parseRow(p *parser, f *config.Format, hm headerMap, rec []string, row []value) []Issue {
	var issues []Issue
	for i := range row {
		row[i] = value{}
	}
	for pos, field := range rec {
		if pos >= len(hm.field) {
			if strings.TrimSpace(field) != "" {
				issues = append(issues, Issue{Rule: "row_fields", Severity: Error,
					Args: map[string]string{"got": fmt.Sprint(len(rec)), "want": fmt.Sprint(len(hm.field))}})
				break
			}
			continue
		}
		ci := hm.field[pos]
		if ci < 0 {
			continue
		}
		v, prob := p.parse(f.Columns[ci], field)
		if prob != nil {
			issues = append(issues, Issue{Column: f.Columns[ci].Name, Rule: prob.rule, Severity: Error, Args: prob.args})
			continue
		}
		row[ci] = v
	}
	if len(rec) < len(hm.field) && !blankTail(hm, len(rec)) {
		issues = append(issues, Issue{Rule: "row_fields", Severity: Error,
			Args: map[string]string{"got": fmt.Sprint(len(rec)), "want": fmt.Sprint(len(hm.field))}})
	}
	for i, c := range f.Columns {
		if c.Required && !row[i].set && !hasIssue(issues, c.Name) {
			issues = append(issues, Issue{Column: c.Name, Rule: "value_required", Severity: Error,
				Args: map[string]string{"column": c.Name}})
		}
	}
	return issues
}

// blankTail reports whether every header position from n on is an unnamed
// column, so a short record only lacks Excel's trailing empty columns.
func blankTail(hm headerMap, n int) bool {
	for _, ci := range hm.field[n:] {
		if ci >= 0 {
			return false
		}
	}
	return true
}

func hasIssue(is []Issue, column string) bool {
	for _, i := range is {
		if i.Column == column {
			return true
		}
	}
	return false
}

// blank reports whether every field of a record is empty: Excel leaves such
// rows below the data.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvDetail turns an encoding/csv error into the detail of a csv_syntax
// issue, without the line number the Issue carries already.
func csvDetail(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
