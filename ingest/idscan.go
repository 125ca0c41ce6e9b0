package ingest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// idScan collects, per field position and kind, the lines whose cells look
// like a direct identifier, and turns them into one issue per column and
// kind that names the lines but never the values.
type idScan struct {
	cols map[int]*idColumn
	buf  []finding
}

// idColumn is what the cells of one field position showed, per kind.
type idColumn struct {
	kinds map[string]*idLines
}

// idLines counts the cells of one kind in one column. Lines holds the lines
// of cells that count on their own; bare runs (see finding) count only
// when at least half of the column's bare runs of that shape pass the
// checksum, as a column of real numbers does and a column of case numbers
// does not.
type idLines struct {
	lines     lineSet
	bare      lineSet
	bareTried int
}

// cellMark is what scanning one cell found: whether it is an identifier on
// its own, or only a bare run that the column's judgement decides.
type cellMark int

const (
	cellClean cellMark = iota
	cellBare
	cellIdentifier
)

func newIDScan() *idScan { return &idScan{cols: map[int]*idColumn{}} }

// cell scans the value of the cell at field position pos on line. It
// returns what the cell is and, for a bare run, the kinds whose column
// judgement decides it (see judged).
func (s *idScan) cell(pos, line int, v string) (cellMark, []string) {
	s.buf = scanValue(v, s.buf[:0])
	if len(s.buf) == 0 {
		return cellClean, nil
	}
	mark := cellClean
	var bareKinds []string
	col := s.cols[pos]
	if col == nil {
		col = &idColumn{kinds: map[string]*idLines{}}
		s.cols[pos] = col
	}
	tried := map[string]bool{}
	for _, f := range s.buf {
		k := col.kinds[f.kind]
		if k == nil {
			k = &idLines{}
			col.kinds[f.kind] = k
		}
		switch {
		case f.bare:
			if !tried[f.kind] {
				tried[f.kind] = true
				k.bareTried++
			}
			if f.valid {
				k.bare.add(line)
				bareKinds = append(bareKinds, f.kind)
				mark = max(mark, cellBare)
			}
		case f.valid:
			k.lines.add(line)
			mark = cellIdentifier
		}
	}
	return mark, bareKinds
}

// judged reports whether the bare runs of a kind in a column count as
// identifiers.
func (k *idLines) judged() bool { return k.bare.n > 0 && 2*k.bare.n >= k.bareTried }

// judgedAny reports whether any of the kinds found bare in the column at
// pos counts as an identifier.
func (s *idScan) judgedAny(pos int, kinds []string) bool {
	col := s.cols[pos]
	if col == nil {
		return false
	}
	for _, kind := range kinds {
		if k := col.kinds[kind]; k != nil && k.judged() {
			return true
		}
	}
	return false
}

// issues returns one issue per column and kind found. name gives the
// column's header as written (or its letter) and canonical name.
func (s *idScan) issues(name func(pos int) (header, column string)) []Issue {
	var out []Issue
	for pos, col := range s.cols {
		for _, kind := range valueKinds {
			k := col.kinds[kind]
			if k == nil {
				continue
			}
			set := k.lines
			if k.judged() {
				set = set.union(k.bare)
			}
			if set.n == 0 {
				continue
			}
			header, column := name(pos)
			display := header
			if display == "" {
				display = ColumnLetter(pos + 1)
			}
			out = append(out, Issue{Line: set.first(), Field: pos + 1, Column: column, Header: header,
				Rule: ruleIdentifierValue + kind, Severity: Error,
				Args: map[string]string{"header": display, "lines": set.String(), "count": strconv.Itoa(set.n)}})
		}
	}
	return out
}

// lineSet is a growing set of line numbers, added in increasing order,
// kept as ranges. It remembers at most maxRanges ranges but counts every
// line, so a column of a million identifiers costs little.
type lineSet struct {
	ranges [][2]int
	n      int
	last   int
	more   bool // ranges were dropped
}

const maxRanges = 50

func (l *lineSet) add(line int) {
	if l.n > 0 && line <= l.last {
		return // already in: a cell can show a kind twice
	}
	l.last = line
	l.n++
	if k := len(l.ranges); k > 0 && !l.more && line == l.ranges[k-1][1]+1 {
		l.ranges[k-1][1] = line
		return
	}
	if len(l.ranges) == maxRanges {
		l.more = true
		return
	}
	l.ranges = append(l.ranges, [2]int{line, line})
}

func (l lineSet) first() int {
	if len(l.ranges) == 0 {
		return 0
	}
	return l.ranges[0][0]
}

// union merges two sets (for the answer). The count is exact unless
// ranges were dropped, where it may count a line twice.
func (l lineSet) union(o lineSet) lineSet {
	all := append(append([][2]int{}, l.ranges...), o.ranges...)
	sort.Slice(all, func(i, j int) bool { return all[i][0] < all[j][0] })
	out := lineSet{more: l.more || o.more}
	covered := 0
	for _, r := range all {
		if k := len(out.ranges); k > 0 && r[0] <= out.ranges[k-1][1]+1 {
			last := &out.ranges[k-1]
			last[1] = max(last[1], r[1])
			continue
		}
		out.ranges = append(out.ranges, r)
	}
	for _, r := range out.ranges {
		covered += r[1] - r[0] + 1
	}
	stored := func(s lineSet) int {
		n := 0
		for _, r := range s.ranges {
			n += r[1] - r[0] + 1
		}
		return n
	}
	out.n = covered + (l.n - stored(l)) + (o.n - stored(o))
	if len(out.ranges) > maxRanges {
		out.ranges, out.more = out.ranges[:maxRanges], true
	}
	return out
}

// String writes the lines as "2–5, 9, 14" and "…" when some were left out.
func (l lineSet) String() string {
	parts := make([]string, 0, len(l.ranges)+1)
	for _, r := range l.ranges {
		if r[0] == r[1] {
			parts = append(parts, strconv.Itoa(r[0]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", r[0], r[1]))
		}
	}
	if l.more {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}
