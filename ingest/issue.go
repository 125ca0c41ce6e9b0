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

// Issue is one problem found in a partner's file. Line is the 1-based line
// in the file where the record starts (0 for the whole file) and Column
// the canonical column name, or the header as written when it maps to
// none. Rule is the id of the broken rule; it is also the key of the
// sentence in the translation files (rules.<Rule>).
//
// Args fill the sentence. They may quote the partner's own values back to
// them, so an Issue belongs in the partner's answer only, never in a
// published output or a log line. Detectors of direct identifiers never
// put the offending value in Args.
type Issue struct {
	File     string
	Line     int
	Column   string
	Rule     string
	Severity Severity
	Args     map[string]string
}

// Error renders the issue in English with its place, in the form
// file:line: column: rule: sentence.
func (i Issue) Error() string {
	var b strings.Builder
	b.WriteString(i.File)
	if i.Line > 0 {
		fmt.Fprintf(&b, ":%d", i.Line)
	}
	if i.Column != "" {
		fmt.Fprintf(&b, ": column %s", i.Column)
	}
	fmt.Fprintf(&b, ": %s: %s", i.Rule, englishFallback(i))
	return b.String()
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

// Sort orders issues by line, then column, so answers read top to bottom.
func (is Issues) Sort() {
	sort.SliceStable(is, func(a, b int) bool {
		if is[a].Line != is[b].Line {
			return is[a].Line < is[b].Line
		}
		return is[a].Column < is[b].Column
	})
}
