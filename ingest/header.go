package ingest

import (
	"fmt"
	"strings"

	"doorstroom/config"
)

// Rule-id prefixes of the direct-identifier issues; the kind follows.
const (
	ruleIdentifierColumn = "identifier_column_"
	ruleIdentifierValue  = "identifier_value_"
)

// headerMap says, for each field position of the file, which format column
// it holds, and how the partner wrote each header.
type headerMap struct {
	field   []int    // file field position -> format column index, or -1
	has     []bool   // format column index -> present in the file
	pos     []int    // format column index -> field position, or -1
	written []string // field position -> header as written (trimmed); "" when blank or withheld
	idKind  []string // field position -> kind of direct identifier the header means, or ""
	blank   []bool   // field position -> the header cell is empty (an unnamed column)
	known   int      // headers that name a format column
}

// display names a field for a sentence: the header as written, else its
// column letter.
func (hm headerMap) display(pos int) string {
	if pos >= 0 && pos < len(hm.written) && hm.written[pos] != "" {
		return hm.written[pos]
	}
	return ColumnLetter(pos + 1)
}

// columnName names a format column for a sentence: the partner's header
// when the file has the column, else its canonical name.
func (hm headerMap) columnName(f *config.Format, ci int) string {
	if p := hm.pos[ci]; p >= 0 {
		return hm.display(p)
	}
	return f.Columns[ci].Name
}

// mapHeader matches the file's header names to the format's columns, by
// canonical name or by any label the programme or partner configured, and
// reports identifier, duplicate, unknown and missing columns. withheld
// marks header cells whose text is itself a direct identifier: they are
// never repeated.
func mapHeader(f *config.Format, labels config.Labels, ids idHeaders, header []string, withheld []bool, line int) (headerMap, []Issue) {
	names := map[string]int{}
	for i, col := range f.Columns {
		names[config.Fold(col.Name)] = i
		for _, alias := range labels.Headers[col.Name] {
			names[config.Fold(alias)] = i
		}
	}
	m := headerMap{field: make([]int, len(header)), has: make([]bool, len(f.Columns)), pos: make([]int, len(f.Columns)),
		written: make([]string, len(header)), idKind: make([]string, len(header)), blank: make([]bool, len(header))}
	for i := range m.pos {
		m.pos[i] = -1
	}
	var issues []Issue
	for pos, h := range header {
		m.field[pos] = -1
		if withheld[pos] {
			continue // reported by the value detectors, never repeated
		}
		h = strings.TrimSpace(h)
		m.written[pos] = h
		folded := config.Fold(h)
		if folded == "" {
			m.blank[pos] = true // an unnamed column, as Excel leaves them after the data
			continue
		}
		i, ok := names[folded]
		if !ok {
			if kind := ids.kind(h); kind != "" {
				m.idKind[pos] = kind
				issues = append(issues, Issue{Line: line, Field: pos + 1, Header: h, Rule: ruleIdentifierColumn + kind,
					Severity: Error, Args: map[string]string{"header": h}})
				continue
			}
			issues = append(issues, Issue{Line: line, Field: pos + 1, Header: h, Rule: "header_unknown", Severity: Warning,
				Args: map[string]string{"header": h}})
			continue
		}
		if m.has[i] {
			issues = append(issues, Issue{Line: line, Field: pos + 1, Column: f.Columns[i].Name, Header: h,
				Rule: "header_duplicate", Severity: Error,
				Args: map[string]string{"header": h, "first": m.display(m.pos[i]), "letter": ColumnLetter(m.pos[i] + 1)}})
			continue
		}
		m.has[i] = true
		m.pos[i] = pos
		m.field[pos] = i
		m.known++
	}
	if m.known == 0 {
		// Not a header at all (data on the first line, or another file):
		// one clear sentence instead of a warning per cell.
		kept := issues[:0]
		for _, is := range issues {
			if strings.HasPrefix(is.Rule, ruleIdentifierColumn) {
				kept = append(kept, is)
			}
		}
		return m, append(kept, Issue{Line: line, Rule: "header_not_found", Severity: Error,
			Args: map[string]string{"required": requiredNames(f)}})
	}
	for i, col := range f.Columns {
		if m.has[i] {
			continue
		}
		sev, rule := Warning, "header_missing_optional"
		if col.Required {
			sev, rule = Error, "header_missing_required"
		}
		issues = append(issues, Issue{Line: line, Column: col.Name, Rule: rule, Severity: sev,
			Args: map[string]string{"column": col.Name, "names": aliasList(col.Name, labels)}})
	}
	return m, issues
}

// aliasList lists the header names that a column may also have, for the
// sentence that says it is missing.
func aliasList(col string, labels config.Labels) string {
	seen := map[string]bool{config.Fold(col): true}
	var out []string
	for _, a := range labels.Headers[col] {
		if f := config.Fold(a); !seen[f] {
			seen[f] = true
			out = append(out, fmt.Sprintf("%q", a))
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

func requiredNames(f *config.Format) string {
	var out []string
	for _, c := range f.Columns {
		if c.Required {
			out = append(out, c.Name)
		}
	}
	return strings.Join(out, ", ")
}
