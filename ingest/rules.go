package ingest

import (
	"strconv"

	"doorstroom/config"
)

// checkRules applies the format's consistency rules to the parsed row and
// appends every rule it breaks. A rule that involves a cell that could not
// be read is skipped (the cell has its own issue), except that an order of
// dates is checked among the readable ones.
func (fr *fileReader) checkRules(out []Issue) []Issue {
	f, hm := fr.f, fr.hm
	get := func(name string) value { return fr.vals[fr.idx[name]] }
	isBad := func(names ...string) bool {
		for _, n := range names {
			if n != "" && fr.bad[fr.idx[n]] {
				return true
			}
		}
		return false
	}
	add := func(rule, column, other string, extra map[string]string) {
		ci := fr.idx[column]
		args := map[string]string{"column": hm.columnName(f, ci), "value": showValue(f.Columns[ci], get(column))}
		if other != "" {
			oi := fr.idx[other]
			args["other"] = hm.columnName(f, oi)
			args["other_value"] = showValue(f.Columns[oi], get(other))
		}
		for k, v := range extra {
			args[k] = v
		}
		is := Issue{Column: column, Rule: "rule_" + rule, Severity: Error, Args: args}
		if p := hm.pos[ci]; p >= 0 {
			is.Field, is.Header = p+1, hm.written[p]
		}
		out = append(out, is)
	}
	for _, r := range f.Rules {
		switch r.Rule {
		case "order":
			// Each set date must not precede the last set date before it.
			prev := ""
			for _, c := range r.Columns {
				if !get(c).set {
					continue
				}
				if prev != "" && get(c).n < get(prev).n {
					add("order", c, prev, nil)
				}
				prev = c
			}
		case "together":
			for _, c := range r.Columns[1:] {
				if !isBad(r.Columns[0], c) && get(c).set != get(r.Columns[0]).set {
					add("together", r.Columns[0], c, nil)
				}
			}
		case "requires_on_or_before":
			if v := get(r.Column); v.set && !isBad(r.Other) {
				if o := get(r.Other); !o.set || o.n > v.n {
					add("requires_on_or_before", r.Column, r.Other, nil)
				}
			}
		case "count_with_date":
			count, date := get(r.Column), get(r.Other)
			if !isBad(r.Column, r.Other) && (count.set && count.n >= 1) != date.set {
				add("count_with_date", r.Column, r.Other, nil)
			}
		case "not_before":
			if v, o := get(r.Column), get(r.Other); v.set && o.set && v.n < o.n {
				add("not_before", r.Column, r.Other, nil)
			}
		case "required_when_positive":
			if o := get(r.Other); o.set && o.n > 0 && !get(r.Column).set && !isBad(r.Column) {
				add("required_when_positive", r.Column, r.Other, nil)
			}
		case "min_months_after":
			v, o := get(r.Column), get(r.Other)
			if v.set && o.set {
				limit := addMonths(o.n, r.Months)
				if v.n < limit {
					add("min_months_after", r.Column, r.Other, map[string]string{"months": strconv.Itoa(r.Months)})
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
