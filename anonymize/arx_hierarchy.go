package anonymize

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"doorstroom/config"
)

// arxHierarchy is a hierarchy in the layout ARX reads and writes: one row
// per original value, one column per level from the value itself to the
// top, ;-separated, no header, the last column * in every row. The same
// file therefore drives doorstroom and ARX, so results can be compared.
// Lookups are exact (ARX is case-sensitive too).
type arxHierarchy struct {
	rows   map[string][]string
	leaves []string
	height int
}

func (h *arxHierarchy) Height() int { return h.height }

func (h *arxHierarchy) Generalize(v string, level int) string {
	if level >= h.height-1 {
		return Suppressed
	}
	if level == 0 || v == "" {
		return v
	}
	if row, ok := h.rows[v]; ok {
		return row[level]
	}
	return Suppressed
}

// Domain lists the hierarchy's original values in file order: ARX's Loss
// metric measures a generalised value by the share of this domain it
// covers, whether or not every value occurs in the data.
func (h *arxHierarchy) Domain() []string { return h.leaves }

// Covers reports whether v is an original value of the hierarchy.
func (h *arxHierarchy) Covers(v string) bool {
	_, ok := h.rows[v]
	return ok
}

// ReadARXHierarchy reads a hierarchy in ARX's CSV layout; name is used in
// errors (a file name, say).
func ReadARXHierarchy(r io.Reader, name string) (Hierarchy, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = ';'
	h := &arxHierarchy{rows: map[string][]string{}}
	for {
		row, err := readRecord(cr, "hierarchy "+name)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if h.height == 0 {
			h.height = len(row)
		}
		switch {
		case len(row) < 2:
			return nil, fmt.Errorf("hierarchy %s: line %d: a row needs the value and at least the top level *", name, line)
		case row[len(row)-1] != Suppressed:
			return nil, fmt.Errorf("hierarchy %s: line %d: the last column must be %s, not %q", name, line, Suppressed, row[len(row)-1])
		case row[0] == "":
			return nil, fmt.Errorf("hierarchy %s: line %d: the original value is empty", name, line)
		}
		if _, dup := h.rows[row[0]]; dup {
			return nil, fmt.Errorf("hierarchy %s: line %d: value %q appears twice", name, line, row[0])
		}
		h.rows[row[0]] = row
		h.leaves = append(h.leaves, row[0])
	}
	if len(h.leaves) == 0 {
		return nil, fmt.Errorf("hierarchy %s: no rows", name)
	}
	return h, nil
}

// LoadARXHierarchy reads an ARX-layout hierarchy file from disk.
func LoadARXHierarchy(path string) (Hierarchy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadARXHierarchy(f, path)
}

func loadARXHierarchyFS(name string, spec config.HierarchySpec, fsys fs.FS) (Hierarchy, error) {
	if spec.File == "" {
		return nil, fmt.Errorf("hierarchy %s: an arx hierarchy needs file", name)
	}
	f, err := fsys.Open(spec.File)
	if err != nil {
		return nil, fmt.Errorf("hierarchy %s: %w", name, err)
	}
	defer f.Close()
	return ReadARXHierarchy(f, spec.File)
}
