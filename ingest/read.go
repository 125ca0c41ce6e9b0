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
	// Labels are the header names, code labels and identifier header
	// names of the programme and the partner.
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
	// MaxIssues bounds the row problems listed in an answer (default
	// 10000); the rest are counted in one closing issue. Problems of the
	// whole file and direct identifiers are always listed.
	MaxIssues int
	// Mem allocates the Arrow buffers (default: Go allocator).
	Mem memory.Allocator
	// MaxBytes refuses a larger file outright (default DefaultMaxBytes):
	// a 100 MB line or a billion rows is no register export, and reading
	// it would only cost memory.
	MaxBytes int64
	// MaxColumns refuses a header with more named columns (default
	// DefaultMaxColumns), rather than answering each one.
	MaxColumns int
	// OnKey, when set, receives the raw value of the key column (the case
	// number) of every data row read, valid or not: doorstroom audit
	// learns the case numbers it must never find in a published tree.
	OnKey func(raw string)
}

// Status is what became of a file.
type Status string

// Statuses of a submission, and of the inbox files in the manifest.
const (
	// Accepted: the file (or, under drop_rows, its good rows) is used.
	Accepted Status = "accepted"
	// Rejected: the file has errors and is not used.
	Rejected Status = "rejected"
	// Quarantined: the file holds a direct identifier; nothing of it is
	// used and a copy is kept apart.
	Quarantined Status = "quarantined"
	// Duplicate: the same bytes as a file received before for the same
	// partner and quarter; not processed again.
	Duplicate Status = "duplicate"
	// Superseded: a newer file for the same partner and quarter took over.
	Superseded Status = "superseded"
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
	// Policy is the policy the file was judged under.
	Policy string
	// Rows counts the data rows read; Accepted and Dropped split them.
	Rows, Accepted, Dropped int
	// Omitted counts row problems found but not listed (see MaxIssues).
	Omitted int
	Issues  Issues
	Records []arrow.Record

	// wholeFile is set when an error concerns the whole file rather than
	// single rows; such a file is never used in part.
	wholeFile bool
}

// Release frees the Arrow records.
func (s *Submission) Release() {
	for _, r := range s.Records {
		r.Release()
	}
	s.Records = nil
}

// hasIdentifier reports whether the submission holds a direct identifier.
func (s *Submission) hasIdentifier() bool {
	for _, i := range s.Issues {
		if strings.HasPrefix(i.Rule, ruleIdentifierColumn) || strings.HasPrefix(i.Rule, ruleIdentifierValue) {
			return true
		}
	}
	return false
}

// Read reads and validates one partner file. Problems with the content are
// returned as the submission's Issues and decide its Status; the error is
// reserved for failures to read at all (and cancellation).
func Read(ctx context.Context, r io.Reader, name string, opts Options) (*Submission, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ReadBytes(ctx, data, name, opts)
}

// ReadBytes is Read for a file already in memory.
func ReadBytes(ctx context.Context, data []byte, name string, opts Options) (*Submission, error) {
	return ReadHashed(ctx, data, sha256Hex(data), name, opts)
}

// ReadHashed is ReadBytes for bytes whose SHA-256 (hex) the caller has
// already computed, as the pipeline has to tell a new file from one it
// took in before: a file is then hashed once, not once per reader.
func ReadHashed(ctx context.Context, data []byte, sha256 string, name string, opts Options) (*Submission, error) {
	policy := opts.Policy
	if policy == "" {
		policy = config.PolicyRejectFile
	}
	sub := &Submission{Name: name, Partner: opts.Partner, Quarter: opts.Quarter, Policy: policy,
		Size: int64(len(data)), SHA256: sha256}
	err := readInto(ctx, sub, data, opts)
	switch {
	case sub.hasIdentifier():
		sub.Release()
		sub.Status, sub.Dropped, sub.Accepted = Quarantined, 0, 0
	case sub.Issues.Errors() > 0 && (policy != config.PolicyDropRows || sub.Accepted == 0 || sub.wholeFile):
		sub.Release()
		sub.Status, sub.Dropped, sub.Accepted = Rejected, 0, 0
	default:
		sub.Status = Accepted
	}
	for i := range sub.Issues {
		sub.Issues[i].File = name
		sub.Issues[i].clip()
	}
	sub.Issues.Sort()
	return sub, err
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// fileIssue records a problem of the whole file.
func (s *Submission) fileIssue(line int, rule string, args map[string]string) {
	s.Issues = append(s.Issues, Issue{Line: line, Rule: rule, Severity: Error, Args: args})
	s.wholeFile = true
}

func readInto(ctx context.Context, sub *Submission, data []byte, opts Options) error {
	if max := opts.maxBytes(); int64(len(data)) > max {
		sub.fileIssue(0, "file_too_large", map[string]string{"size": megabytes(int64(len(data))), "max": megabytes(max)})
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		sub.fileIssue(0, "file_empty", nil)
		return nil
	}
	text, enc, err := decode(data)
	switch {
	case errors.Is(err, errUTF16NoBOM):
		sub.fileIssue(0, "file_utf16_no_bom", nil)
		return nil
	case errors.Is(err, errMixedEncoding):
		sub.fileIssue(0, "file_mixed_encoding", nil)
		return nil
	case err != nil:
		sub.fileIssue(0, "file_unreadable", map[string]string{"detail": err.Error()})
		return nil
	}
	sub.Encoding = enc
	switch checkText(text) {
	case errBinary:
		sub.fileIssue(0, "file_binary", nil)
		return nil
	case errInnerBOM:
		sub.fileIssue(0, "file_inner_bom", nil)
		return nil
	}
	text = lineEnds(text)
	comma, hinted := sepHint(text)
	if !hinted {
		comma = sniffDelimiter(text)
	}
	// Spaces before a quoted field (`; "x"`) are common; for tab-separated
	// files trimming would swallow empty fields, so it stays off there.
	cr := newRecords(text, comma, comma != '\t')
	if hinted {
		cr.Read() // the "sep=;" line
	}

	fr := newFileReader(sub, opts, bytes.Count(text, []byte{'\n'}))
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				fr.bb.discard()
				return err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldPos would panic on a record with no field read; a parse
			// error carries its own line.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			fr.syntaxError(line, err, rec)
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if fr.hm == nil {
			fr.header(rec, line)
			continue
		}
		fr.row(rec, line)
	}
	fr.finish()
	return nil
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

// csvRule names the rule an encoding/csv error breaks, with the detail
// for the rare error that has no sentence of its own.
func csvRule(err error) (string, map[string]string) {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "csv_quote", nil
	case errors.Is(err, csv.ErrBareQuote):
		return "csv_bare_quote", nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "csv_syntax", map[string]string{"detail": err.Error()}
}
