// Package audit scans a published tree (the site, the snapshots, the
// warehouse, answers) for what must never be in it: the raw case numbers
// of the inbox, the pseudonymisation key, and direct identifiers (Belgian
// national register numbers, Dutch BSNs, e-mail addresses, phone numbers,
// IBANs). It is the last line of defence after anonymisation: a run's
// outputs should never trip it, and doorstroom audit fails when they do.
//
// It reads every byte: text as written and decoded (HTML entities,
// percent-encoded and base64 data: links), Parquet files value by value
// (their pages are compressed), DuckDB files table by table. A finding
// names the file, the place and the kind, and masks the value: the audit's
// own output must not leak what it found.
package audit

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Kinds of finding besides the identifier kinds of ingest.IdentifierKinds.
const (
	KindCaseID = "case_id"
	KindKey    = "key"
)

// Finding is one thing found that must not be published.
type Finding struct {
	// File is the file's path relative to the audited root.
	File string
	// Line (1-based) and Offset (bytes) locate the text the finding is
	// in; Where says more when the text was decoded or is a value of a
	// table ("data: link", "row 12, column partner").
	Line   int
	Offset int64
	Where  string
	// Kind is case_id, key, national_number, bsn, email, phone or iban.
	Kind string
	// Masked is the text around the finding with every letter and digit
	// replaced by x, so a reader can find it without seeing it.
	Masked string
}

// String is the finding as doorstroom audit prints it.
func (f Finding) String() string {
	place := f.File
	if f.Line > 0 {
		place += fmt.Sprintf(":%d", f.Line)
	}
	place += fmt.Sprintf(" (byte %d", f.Offset)
	if f.Where != "" {
		place += ", " + f.Where
	}
	return place + "): " + f.Kind + " " + f.Masked
}

// Auditor holds what to look for.
type Auditor struct {
	ids     *idSet
	keys    [][]byte
	Skipped int // case numbers too short to be told from other text
}

// New makes an auditor for the given raw case numbers and key (either may
// be empty). Case numbers shorter than MinCaseIDLength are not searched
// (a 4-digit number is also a count); Skipped says how many.
func New(caseIDs []string, key []byte) *Auditor {
	a := &Auditor{ids: newIDSet()}
	for _, id := range caseIDs {
		if !a.ids.add(id) {
			a.Skipped++
		}
	}
	a.keys = keyForms(key)
	return a
}

// CaseIDs is the number of case numbers searched.
func (a *Auditor) CaseIDs() int { return a.ids.n }

// Stats say how much a Tree call read.
type Stats struct {
	Files int
	Bytes int64
}

// Tree audits every file under root (following no symbolic link) and
// returns the findings, sorted by file and place.
func (a *Auditor) Tree(ctx context.Context, root string) ([]Finding, Stats, error) {
	var out []Finding
	var st Stats
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			rel = filepath.Base(path)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st.Files++
		st.Bytes += info.Size()
		fs, err := a.File(ctx, path)
		if err != nil {
			return fmt.Errorf("audit: %s: %w", rel, err)
		}
		for i := range fs {
			fs[i].File = filepath.ToSlash(rel)
		}
		out = append(out, fs...)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Offset < out[j].Offset
	})
	return out, st, err
}

// File audits one file: its bytes as text, and its values when it is a
// Parquet or DuckDB file.
func (a *Auditor) File(ctx context.Context, path string) ([]Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Finding
	isParquet, isDB := strings.HasSuffix(path, ".parquet"), isDuckDB(data)
	a.text(data, !(isParquet || isDB || isCompressed(data)), func(f Finding) { out = append(out, f) })
	switch {
	case isParquet:
		fs, err := a.parquet(ctx, data)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	case isDB:
		fs, err := a.duckdb(ctx, path)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}
