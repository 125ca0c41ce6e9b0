package anonymize

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CSVSpec says how to read a CSV data file for analysis: which columns are
// quasi-identifiers (each with its hierarchy) and which are sensitive.
type CSVSpec struct {
	// QuasiIdentifiers are column names; empty means every column with a
	// hierarchy that is not sensitive, in file order.
	QuasiIdentifiers []string
	Hierarchies      map[string]Hierarchy
	Sensitive        []string
	// Separator is ; or ,; 0 detects it from the header line.
	Separator rune
}

// ReadCSV reads a data file with a header row into a table, for doorstroom
// risk's analysis of any CSV file (the layout ARX imports). name is used in
// errors.
func ReadCSV(r io.Reader, name string, spec CSVSpec) (*Table, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	sep := spec.Separator
	if sep == 0 {
		line, _ := br.Peek(4096)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		sep = ','
		if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
			sep = ';'
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	qis := spec.QuasiIdentifiers
	if len(qis) == 0 {
		for _, h := range header {
			if _, ok := spec.Hierarchies[h]; ok && !slices.Contains(spec.Sensitive, h) {
				qis = append(qis, h)
			}
		}
		if len(qis) == 0 {
			return nil, fmt.Errorf("%s: no column has a hierarchy, so there is no quasi-identifier", name)
		}
	}
	column := func(n string) (int, error) {
		if i := slices.Index(header, n); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("%s: no column %q in the header %v", name, n, header)
	}
	qiCols := make([]int, len(qis))
	hiers := make([]Hierarchy, len(qis))
	for i, n := range qis {
		if qiCols[i], err = column(n); err != nil {
			return nil, err
		}
		h, ok := spec.Hierarchies[n]
		if !ok {
			return nil, fmt.Errorf("%s: quasi-identifier %s has no hierarchy", name, n)
		}
		hiers[i] = h
	}
	sensCols := make([]int, len(spec.Sensitive))
	for i, n := range spec.Sensitive {
		if slices.Contains(qis, n) {
			return nil, fmt.Errorf("%s: %s cannot be both a quasi-identifier and sensitive", name, n)
		}
		if sensCols[i], err = column(n); err != nil {
			return nil, err
		}
	}

	t := NewTable(qis, hiers, spec.Sensitive)
	qv := make([]string, len(qis))
	sv := make([]string, len(spec.Sensitive))
	for {
		row, err := readRecord(cr, name)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		for i, c := range qiCols {
			qv[i] = strings.TrimSpace(row[c])
		}
		for i, c := range sensCols {
			sv[i] = strings.TrimSpace(row[c])
		}
		t.Append(qv, sv)
	}
	return t, nil
}

// LoadARXHierarchies reads the ARX-layout hierarchy files dir/<prefix><attribute>.csv,
// for the named attributes or, when attrs is empty, for every such file.
func LoadARXHierarchies(dir, prefix string, attrs []string) (map[string]Hierarchy, error) {
	out := map[string]Hierarchy{}
	if len(attrs) == 0 {
		paths, err := filepath.Glob(filepath.Join(dir, prefix+"*.csv"))
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("no hierarchy files %s*.csv in %s", prefix, dir)
		}
		for _, p := range paths {
			attrs = append(attrs, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), prefix), ".csv"))
		}
	}
	for _, a := range attrs {
		h, err := LoadARXHierarchy(filepath.Join(dir, prefix+a+".csv"))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("attribute %s: no hierarchy file %s", a, filepath.Join(dir, prefix+a+".csv"))
			}
			return nil, err
		}
		out[a] = h
	}
	return out, nil
}

// readRecord reads the next record of a CSV file (io.EOF at its end); a
// malformed line is an error that names the file, the line and the
// column, as every configuration and benchmark file's errors do.
func readRecord(cr *csv.Reader, name string) ([]string, error) {
	row, err := cr.Read()
	if err == nil || errors.Is(err, io.EOF) {
		return row, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s: line %d, column %d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return nil, fmt.Errorf("%s: %w", name, err)
}
