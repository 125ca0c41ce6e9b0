package ingest

import (
	"fmt"
	"sort"
	"strings"

	"doorstroom/config"
)

// Severity says whether an Issue stops a row (Error) or is only reported
// (Warning).
type Severity int

const (
	// Error makes the row, and under the default policy the file, unusable.
	Error Severity = iota
	// Warning is reported to the partner but changes nothing.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Issue is one problem found in a partner's file.
//
// Line is the 1-based line in the file where the record starts (0 for the
// whole file). Field is the 1-based position of the cell in the record (0
// when the problem is not one cell's), shown to partners as a spreadsheet
// column letter. Column is the canonical column of the format ("" when the
// cell maps to none) and Header the partner's own header as written in
// the file, so an answer names the column the way the partner sees it.
// Rule is the id of the broken rule; it is also the key of the sentence in
// the translation files (rules.<Rule>).
//
// Args fill the sentence. They may quote the partner's own values back to
// them, so an Issue belongs in the partner's answer only, never in a
// published output or a log line. Detectors of direct identifiers never
// put the offending value in Args, nor in Header.
type Issue struct {
	File     string
	Line     int
	Field    int
	Column   string
	Header   string
	Rule     string
	Severity Severity
	Args     map[string]string
}

// Error renders the issue in English with its place, in the form
// file:line: column G "header" (canonical): rule: arguments.
func (i Issue) Error() string {
	var b strings.Builder
	b.WriteString(i.File)
	if i.Line > 0 {
		fmt.Fprintf(&b, ":%d", i.Line)
	}
	if place := i.Place(); place != "" {
		fmt.Fprintf(&b, ": %s", place)
	}
	fmt.Fprintf(&b, ": %s: %s", i.Rule, englishFallback(i))
	return b.String()
}

// Place names the cell's column for a reader: its spreadsheet letter, the
// header as written and the canonical name when it differs, e.g.
// `column G "Datum intake" (intake_date)`. It is "" for a whole-file issue.
func (i Issue) Place() string {
	var parts []string
	if i.Field > 0 {
		parts = append(parts, "column "+ColumnLetter(i.Field))
	}
	if i.Header != "" {
		parts = append(parts, fmt.Sprintf("%q", i.Header))
	}
	if i.Column != "" && config.Fold(i.Column) != config.Fold(i.Header) {
		if len(parts) == 0 {
			parts = append(parts, "column "+i.Column)
		} else {
			parts = append(parts, "("+i.Column+")")
		}
	}
	return strings.Join(parts, " ")
}

// ColumnLetter writes a 1-based field position the way spreadsheets name
// columns: 1 is A, 26 is Z, 27 is AA.
func ColumnLetter(n int) string {
	if n <= 0 {
		return ""
	}
	var out []byte
	for n > 0 {
		n--
		out = append([]byte{byte('A' + n%26)}, out...)
		n /= 26
	}
	return string(out)
}

// Message renders the sentence of the issue in a language.
func (i Issue) Message(tr *config.Translations, lang string) string {
	return tr.Text(lang, "rules."+i.Rule, i.Args)
}

// englishFallback renders an issue without the translation files, from
// its rule and arguments, for Error().
func englishFallback(i Issue) string {
	keys := make([]string, 0, len(i.Args))
	for k := range i.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+i.Args[k])
	}
	return strings.Join(parts, " ")
}

// Issues is the list of problems of one file, in file order.
type Issues []Issue

// Errors counts the issues of severity Error.
func (is Issues) Errors() int {
	n := 0
	for _, i := range is {
		if i.Severity == Error {
			n++
		}
	}
	return n
}

// Warnings counts the issues of severity Warning.
func (is Issues) Warnings() int { return len(is) - is.Errors() }

// Sort orders issues by line, then field, then rule, so answers read top to
// bottom and the same file always gives the same answer.
func (is Issues) Sort() {
	sort.SliceStable(is, func(a, b int) bool {
		x, y := is[a], is[b]
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		if x.Field != y.Field {
			return x.Field < y.Field
		}
		if x.Column != y.Column {
			return x.Column < y.Column
		}
		return x.Rule < y.Rule
	})
}
