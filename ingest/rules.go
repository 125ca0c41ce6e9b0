package ingest

import (
	"strconv"

	"doorstroom/config"
)

// rowRule is a format rule with its columns as indices into the row's
// values, looked up once per file rather than by name on every row (at
// 1M rows the lookups were a fifth of the rows' validation).
type rowRule struct {
	config.Rule
	columns       []int // Columns
	column, other int   // Column and Other; -1 when not set
}

// compileRules is the format's rules with their column indices.
func compileRules(f *config.Format, idx map[string]int) []rowRule {
	at := func(name string) int {
		if i, ok := idx[name]; ok && name != "" {
			return i
		}
		return -1
	}
	out := make([]rowRule, len(f.Rules))
	for k, r := range f.Rules {
		out[k] = rowRule{Rule: r, column: at(r.Column), other: at(r.Other)}
		for _, c := range r.Columns {
			out[k].columns = append(out[k].columns, at(c))
		}
	}
	return out
}

// checkRules applies the format's consistency rules to the parsed row and
// appends every rule it breaks. A rule that involves a cell that could not
// be read is skipped (the cell has its own issue), except that an order of
// dates is checked among the readable ones.
func (fr *fileReader) checkRules(out []Issue) []Issue {
	f, hm := fr.f, fr.hm
	isBad := func(cols ...int) bool {
		for _, i := range cols {
			if i >= 0 && fr.bad[i] {
				return true
			}
		}
		return false
	}
	add := func(rule string, ci, oi int, extra map[string]string) {
		args := map[string]string{"column": hm.columnName(f, ci), "value": showValue(f.Columns[ci], fr.vals[ci])}
		if oi >= 0 {
			args["other"] = hm.columnName(f, oi)
			args["other_value"] = showValue(f.Columns[oi], fr.vals[oi])
		}
		for k, v := range extra {
			args[k] = v
		}
		is := Issue{Column: f.Columns[ci].Name, Rule: "rule_" + rule, Severity: Error, Args: args}
		if p := hm.pos[ci]; p >= 0 {
			is.Field, is.Header = p+1, hm.written[p]
		}
		out = append(out, is)
	}
	vals := fr.vals
	for _, r := range fr.rules {
		switch r.Rule.Rule {
		case "order":
			// Each set date must not precede the last set date before it.
			prev := -1
			for _, c := range r.columns {
				if !vals[c].set {
					continue
				}
				if prev >= 0 && vals[c].n < vals[prev].n {
					add("order", c, prev, nil)
				}
				prev = c
			}
		case "together":
			first := r.columns[0]
			for _, c := range r.columns[1:] {
				if !isBad(first, c) && vals[c].set != vals[first].set {
					add("together", first, c, nil)
				}
			}
		case "requires_on_or_before":
			if v := vals[r.column]; v.set && !isBad(r.other) {
				if o := vals[r.other]; !o.set || o.n > v.n {
					add("requires_on_or_before", r.column, r.other, nil)
				}
			}
		case "count_with_date":
			count, date := vals[r.column], vals[r.other]
			if !isBad(r.column, r.other) && (count.set && count.n >= 1) != date.set {
				add("count_with_date", r.column, r.other, nil)
			}
		case "not_before":
			if v, o := vals[r.column], vals[r.other]; v.set && o.set && v.n < o.n {
				add("not_before", r.column, r.other, nil)
			}
		case "required_when_positive":
			if o := vals[r.other]; o.set && o.n > 0 && !vals[r.column].set && !isBad(r.column) {
				add("required_when_positive", r.column, r.other, nil)
			}
		case "min_months_after":
			v, o := vals[r.column], vals[r.other]
			if v.set && o.set {
				limit := addMonths(o.n, r.Months)
				if v.n < limit {
					add("min_months_after", r.column, r.other, map[string]string{"months": strconv.Itoa(r.Months)})
				}
			}
		}
	}
	return out
}

// showValue writes a parsed value back as the partner would read it.
func showValue(col config.Column, v value) string {
	if !v.set {
		return ""
	}
	switch col.Type {
	case config.TypeDate:
		return epochDay(v.n)
	case config.TypeYear, config.TypeCount:
		return strconv.FormatInt(v.n, 10)
	case config.TypeYesNo:
		if v.n == 1 {
			return "yes"
		}
		return "no"
	}
	return v.s
}
