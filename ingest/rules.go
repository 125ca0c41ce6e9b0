package ingest

import (
	"strconv"

	"doorstroom/config"
)

// checkRules applies the format's consistency rules to one parsed row and
// returns every rule it breaks. idx maps column names to positions in row.
func checkRules(rules []config.Rule, cols []config.Column, idx map[string]int, row []value) []Issue {
	var out []Issue
	get := func(name string) value { return row[idx[name]] }
	show := func(name string) string { return showValue(cols[idx[name]], get(name)) }
	add := func(rule, column, other string, extra map[string]string) {
		args := map[string]string{"column": column, "other": other}
		if column != "" {
			args["value"] = show(column)
		}
		if other != "" {
			args["other_value"] = show(other)
		}
		for k, v := range extra {
			args[k] = v
		}
		out = append(out, Issue{Line: 0, Column: column, Rule: "rule_" + rule, Severity: Error, Args: args})
	}
	for _, r := range rules {
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
				if get(c).set != get(r.Columns[0]).set {
					add("together", r.Columns[0], c, nil)
				}
			}
		case "requires_on_or_before":
			if v := get(r.Column); v.set {
				if o := get(r.Other); !o.set || o.n > v.n {
					add("requires_on_or_before", r.Column, r.Other, nil)
				}
			}
		case "count_with_date":
			count, date := get(r.Column), get(r.Other)
			if (count.set && count.n >= 1) != date.set {
				add("count_with_date", r.Column, r.Other, nil)
			}
		case "not_before":
			if v, o := get(r.Column), get(r.Other); v.set && o.set && v.n < o.n {
				add("not_before", r.Column, r.Other, nil)
			}
		case "required_when_positive":
			if o := get(r.Other); o.set && o.n > 0 && !get(r.Column).set {
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
