package ingest

import (
	"doorstroom/config"
)

// headerMap says, for each field position of the file, which format column
// it holds (-1 for a column the format does not know).
type headerMap struct {
	field []int // file field position -> format column index, or -1
	has   []bool
}

// mapHeader matches the file's header names to the format's columns, by
// canonical name or by any label the programme or partner configured, and
// reports duplicate, unknown and missing columns.
func mapHeader(f *config.Format, labels config.Labels, header []string) (headerMap, []Issue) {
	names := map[string]int{}
	for i, col := range f.Columns {
		names[config.Fold(col.Name)] = i
		for _, alias := range labels.Headers[col.Name] {
			names[config.Fold(alias)] = i
		}
	}
	m := headerMap{field: make([]int, len(header)), has: make([]bool, len(f.Columns))}
	var issues []Issue
	for pos, h := range header {
		m.field[pos] = -1
		folded := config.Fold(h)
		if folded == "" {
			continue // an unnamed trailing column, as Excel leaves them
		}
		i, ok := names[folded]
		if !ok {
			issues = append(issues, Issue{Line: 1, Column: h, Rule: "header_unknown", Severity: Warning,
				Args: map[string]string{"header": h}})
			continue
		}
		if m.has[i] {
			issues = append(issues, Issue{Line: 1, Column: f.Columns[i].Name, Rule: "header_duplicate", Severity: Error,
				Args: map[string]string{"header": h}})
			continue
		}
		m.has[i] = true
		m.field[pos] = i
	}
	for i, col := range f.Columns {
		if m.has[i] {
			continue
		}
		sev, rule := Warning, "header_missing_optional"
		if col.Required {
			sev, rule = Error, "header_missing_required"
		}
		issues = append(issues, Issue{Line: 1, Column: col.Name, Rule: rule, Severity: sev,
			Args: map[string]string{"column": col.Name}})
	}
	return m, issues
}
