package ingest

import (
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
)

// fileReader holds what reading one file needs between its records: the
// header mapping, the cell parser, the identifier scan, the unique-key
// index and the Arrow builder of accepted rows.
type fileReader struct {
	sub       *Submission
	opts      Options
	f         *config.Format
	ids       idHeaders
	scan      *idScan
	hm        *headerMap
	usable    bool // the header names format columns: rows are parsed
	p         *parser
	bb        *batchBuilder
	idx       map[string]int
	rules     []rowRule
	keyCol    int
	firstSeen map[string]int
	vals      []value
	bad       []bool
	issues    []Issue // scratch for one row
	pending   []pendingIssue
	monthDay  lineSet     // lines with a date only month-first makes sense of
	unnamed   map[int]int // field position of an unnamed column -> first line with a value
	maxIssues int
	listed    int
}

// maxPresized caps the rows a file reader sizes for up front.
const maxPresized = 1 << 20

// pendingIssue is a cell's problem whose sentence would quote a bare digit
// run; it is listed only if the column's runs turn out not to be
// identifiers (see idScan), and dropped otherwise.
type pendingIssue struct {
	issue Issue
	pos   int
	kinds []string
}

// newFileReader prepares the reading of a file of about lines lines (an
// upper bound of its rows, which sizes the key index and the first batch
// up front rather than growing them row by row; capped at maxPresized,
// so a hostile file of blank lines costs at most what a file of that many
// rows would).
func newFileReader(sub *Submission, opts Options, lines int) *fileReader {
	f := opts.Format
	lines = min(max(lines, 0), maxPresized)
	fr := &fileReader{sub: sub, opts: opts, f: f, ids: newIDHeaders(opts.Labels.Identifiers), scan: newIDScan(),
		firstSeen: make(map[string]int, lines), maxIssues: opts.MaxIssues, idx: map[string]int{}, unnamed: map[int]int{}}
	if fr.maxIssues <= 0 {
		fr.maxIssues = 10000
	}
	for i, c := range f.Columns {
		fr.idx[c.Name] = i
	}
	fr.keyCol = fr.idx[f.Key]
	fr.rules = compileRules(f, fr.idx)
	fr.vals = make([]value, len(f.Columns))
	fr.bad = make([]bool, len(f.Columns))
	size := opts.BatchSize
	if size <= 0 {
		size = 65536
	}
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	fr.bb = newBatchBuilder(mem, Schema(f), opts.Partner, size, lines)
	fr.p = &parser{codes: codeLookup(f, opts.Labels), countries: opts.Countries,
		endDays: opts.Quarter.End().Unix() / 86400, endYear: opts.Quarter.Year,
		labels: make([]map[string]labelResult, len(f.Columns))}
	return fr
}

// header reads the header record: it scans its cells for identifiers
// (a header cell that is one is never repeated) and maps it to the format.
func (fr *fileReader) header(rec []string, line int) {
	header := append([]string(nil), rec...)
	withheld := make([]bool, len(header))
	named := 0
	for pos, h := range header {
		if mark, _ := fr.scan.cell(pos, line, strings.TrimSpace(h)); mark == cellIdentifier {
			withheld[pos] = true
		}
		if strings.TrimSpace(h) != "" {
			named++
		}
	}
	if max := fr.opts.maxColumns(); named > max {
		// Rows are still scanned for identifiers, but none is parsed.
		fr.sub.fileIssue(line, "file_too_many_columns", map[string]string{"count": strconv.Itoa(named), "max": strconv.Itoa(max)})
		fr.hm = &headerMap{}
		return
	}
	hm, issues := mapHeader(fr.f, fr.opts.Labels, fr.ids, header, withheld, line)
	fr.hm = &hm
	fr.usable = hm.known > 0
	for _, is := range issues {
		if is.Severity == Error {
			fr.sub.wholeFile = true
		}
	}
	fr.sub.Issues = append(fr.sub.Issues, issues...)
}

// syntaxError records a record encoding/csv could not read. Whatever part
// of it was read is still scanned for identifiers.
func (fr *fileReader) syntaxError(line int, err error, rec []string) {
	rule, args := csvRule(err)
	is := Issue{Line: line, Rule: rule, Severity: Error, Args: args}
	for pos, field := range rec {
		fr.scan.cell(pos, line, strings.TrimSpace(field))
	}
	if fr.hm == nil {
		// Without a readable header no row can be placed.
		fr.sub.fileIssue(line, rule, args)
		fr.hm = &headerMap{}
		return
	}
	fr.sub.Rows++
	fr.sub.Dropped++
	fr.addRowIssues([]Issue{is})
}

// row reads one data record: every cell is parsed and scanned, the format's
// rules are applied, and the row goes to the Arrow builder when nothing is
// wrong with it.
func (fr *fileReader) row(rec []string, line int) {
	fr.sub.Rows++
	hm := fr.hm
	if fr.opts.OnKey != nil && fr.keyCol < len(hm.pos) {
		if p := hm.pos[fr.keyCol]; p >= 0 && p < len(rec) {
			fr.opts.OnKey(strings.TrimSpace(rec[p]))
		}
	}
	if !fr.usable {
		for pos, field := range rec {
			fr.scan.cell(pos, line, strings.TrimSpace(field))
		}
		fr.sub.Dropped++
		return
	}
	issues := fr.issues[:0]
	rowBad := false
	for i := range fr.vals {
		fr.vals[i], fr.bad[i] = value{}, false
	}
	width := len(hm.field)
	for pos, field := range rec {
		ci := -1
		if pos < width {
			ci = hm.field[pos]
		} else if strings.TrimSpace(field) != "" && !rowBad {
			issues = append(issues, Issue{Rule: "row_fields", Severity: Error,
				Args: map[string]string{"got": strconv.Itoa(len(rec)), "want": strconv.Itoa(width)}})
			rowBad = true
		}
		if ci < 0 {
			if (pos >= width || hm.idKind[pos] == "") && field != "" {
				fr.scan.cell(pos, line, strings.TrimSpace(field))
			}
			if pos < width && hm.blank[pos] && strings.TrimSpace(field) != "" {
				if _, seen := fr.unnamed[pos]; !seen {
					fr.unnamed[pos] = line
				}
			}
			continue
		}
		col := &fr.f.Columns[ci]
		v, prob := fr.p.parse(ci, col, field)
		mark, kinds := cellClean, []string(nil)
		if col.Type == config.TypeText || prob != nil {
			mark, kinds = fr.scan.cell(pos, line, strings.TrimSpace(field))
		}
		if prob == nil {
			fr.vals[ci] = v
			continue
		}
		fr.bad[ci], rowBad = true, true
		if prob.rule == ruleDateMonthFirst {
			fr.monthDay.add(line)
		}
		is := Issue{Line: line, Field: pos + 1, Column: col.Name, Header: hm.written[pos], Rule: prob.rule,
			Severity: Error, Args: prob.args}
		switch mark {
		case cellIdentifier: // reported as an identifier, never quoted
		case cellBare:
			fr.pending = append(fr.pending, pendingIssue{issue: is, pos: pos, kinds: kinds})
		default:
			issues = append(issues, is)
		}
	}
	if len(rec) < width && !blankTail(*hm, len(rec)) {
		issues = append(issues, Issue{Rule: "row_fields", Severity: Error,
			Args: map[string]string{"got": strconv.Itoa(len(rec)), "want": strconv.Itoa(width)}})
	}
	for i, c := range fr.f.Columns {
		if c.Required && hm.has[i] && !fr.vals[i].set && !fr.bad[i] {
			issues = append(issues, Issue{Field: hm.pos[i] + 1, Column: c.Name, Header: hm.written[hm.pos[i]],
				Rule: "value_required", Severity: Error, Args: map[string]string{"column": hm.columnName(fr.f, i)}})
		}
	}
	issues = fr.checkRules(issues)
	if k := fr.vals[fr.keyCol]; k.set {
		if first, dup := fr.firstSeen[k.s]; dup {
			p := hm.pos[fr.keyCol]
			issues = append(issues, Issue{Field: p + 1, Column: fr.f.Key, Header: hm.written[p], Rule: "row_duplicate_key",
				Severity: Error, Args: map[string]string{"first": strconv.Itoa(first), "column": hm.display(p)}})
		} else {
			fr.firstSeen[strings.Clone(k.s)] = line
		}
	}
	for i := range issues {
		issues[i].Line = line
	}
	fr.issues = issues
	if rowBad || len(issues) > 0 {
		fr.addRowIssues(issues)
		fr.sub.Dropped++
		return
	}
	fr.sub.Accepted++
	fr.bb.append(fr.vals)
}

// addRowIssues lists row problems up to the limit and counts the rest.
func (fr *fileReader) addRowIssues(is []Issue) {
	for _, i := range is {
		if fr.listed >= fr.maxIssues {
			fr.sub.Omitted++
			continue
		}
		fr.listed++
		fr.sub.Issues = append(fr.sub.Issues, i)
	}
}

// finish settles what could only be judged with the whole file seen: the
// bare digit runs, the identifier issues, a month-first date order, and a
// file without rows; then it hands over the Arrow records.
func (fr *fileReader) finish() {
	sub := fr.sub
	for _, p := range fr.pending {
		if !fr.scan.judgedAny(p.pos, p.kinds) {
			fr.addRowIssues([]Issue{p.issue})
		}
	}
	sub.Issues = append(sub.Issues, fr.scan.issues(func(pos int) (string, string) {
		if fr.hm == nil || pos >= len(fr.hm.written) {
			return "", ""
		}
		column := ""
		if ci := fr.hm.field[pos]; ci >= 0 {
			column = fr.f.Columns[ci].Name
		}
		return fr.hm.written[pos], column
	})...)
	for pos, line := range fr.unnamed {
		// Never silently ignored: a column without a name that holds values.
		sub.Issues = append(sub.Issues, Issue{Line: line, Field: pos + 1, Rule: "header_blank_with_values", Severity: Warning,
			Args: map[string]string{"letter": ColumnLetter(pos + 1), "line": strconv.Itoa(line)}})
	}
	if fr.monthDay.n > 0 {
		sub.fileIssue(0, "dates_month_first", map[string]string{"lines": fr.monthDay.String()})
	}
	switch {
	case fr.hm == nil:
		sub.fileIssue(0, "file_empty", nil)
	case fr.usable && sub.Rows == 0:
		sub.fileIssue(0, "file_no_rows", nil)
	}
	if sub.Omitted > 0 {
		sub.Issues = append(sub.Issues, Issue{Line: 0, Rule: "issues_omitted", Severity: Warning,
			Args: map[string]string{"count": strconv.Itoa(sub.Omitted)}})
	}
	sub.Records = fr.bb.finish()
}

// blankTail reports whether every header position from n on is an unnamed
// column, so a short record only lacks Excel's trailing empty columns.
func blankTail(hm headerMap, n int) bool {
	for _, ci := range hm.field[n:] {
		if ci >= 0 {
			return false
		}
	}
	return true
}
