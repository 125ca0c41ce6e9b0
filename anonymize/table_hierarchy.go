package anonymize

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"doorstroom/config"
)

// tableHierarchy looks values up in a table with one column per level, as
// ARX stores hierarchies. Lookups ignore case.
type tableHierarchy struct {
	rows   map[string][]string
	leaves []string
	height int
}

// Domain lists the table's original values, the domain ARX's Loss metric
// measures shares of.
func (h tableHierarchy) Domain() []string { return h.leaves }

// Covers reports whether v is an original value of the table.
func (h tableHierarchy) Covers(v string) bool {
	_, ok := h.rows[strings.ToUpper(v)]
	return ok
}

func (h tableHierarchy) Height() int { return h.height }

func (h tableHierarchy) Generalize(v string, level int) string {
	if level >= h.height-1 {
		return Suppressed
	}
	if level == 0 || v == "" {
		return v
	}
	row, ok := h.rows[strings.ToUpper(v)]
	if !ok {
		return Suppressed
	}
	return row[level]
}

// loadTableHierarchy reads a table hierarchy whose header names the
// columns; spec.Columns picks them from level 0 upwards, and a final
// Suppressed level is added.
func loadTableHierarchy(name string, spec config.HierarchySpec, fsys fs.FS) (Hierarchy, error) {
	rows, err := config.ReadTable(fsys, spec.File)
	if err != nil {
		return nil, fmt.Errorf("hierarchy %s: %w", name, err)
	}
	idx := make([]int, len(spec.Columns))
	for i, c := range spec.Columns {
		idx[i] = slices.Index(rows[0], c)
		if idx[i] < 0 {
			return nil, fmt.Errorf("hierarchy %s: %s has no column %q", name, spec.File, c)
		}
	}
	h := tableHierarchy{rows: map[string][]string{}, height: len(idx) + 1}
	for _, r := range rows[1:] {
		levels := make([]string, len(idx))
		for i, j := range idx {
			levels[i] = r[j]
		}
		if _, dup := h.rows[strings.ToUpper(levels[0])]; !dup {
			h.leaves = append(h.leaves, levels[0])
		}
		h.rows[strings.ToUpper(levels[0])] = levels
	}
	return h, nil
}
