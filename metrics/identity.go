package metrics

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Identity is an equation the metrics satisfy by definition, such as
// "open at the start + inflow − outflow − open at the end = 0". It holds
// per quarter and partner (and per value of each variable in Each):
// Constant plus the signed sum of the Field of every row that matches a
// term is zero.
//
// Identities do two jobs. Compute checks them on every run, so a metric
// whose SQL drifts from its siblings, or data that break a rule the
// format relies on, stop the run instead of reaching a page. Publish
// treats each as a way to recover a suppressed number by subtraction and
// suppresses further numbers until none can be (secondary suppression).
type Identity struct {
	Name string `mapstructure:"name"`
	// Each lists the variables ({class} in a term's breakdown) the
	// identity holds for separately, one equation per value.
	Each     []string `mapstructure:"each"`
	Constant float64  `mapstructure:"constant"`
	Terms    []Term   `mapstructure:"terms"`
}

// Term is one side of an identity: the rows of Metric whose breakdown
// matches the pattern Breakdown ("class=*", "class={class};type=*", or a
// literal), taken with a minus sign when Minus is set.
type Term struct {
	Metric    string `mapstructure:"metric"`
	Breakdown string `mapstructure:"breakdown"`
	// Field is value, numerator or denominator; value when empty.
	Field string `mapstructure:"field"`
	Minus bool   `mapstructure:"minus"`
}

// equation is one instance of an identity over concrete rows.
type equation struct {
	name             string
	partnerSum       bool // the implicit "partners add up to the network"
	quarter, partner string
	constant         float64
	rows             []int
	signs            []float64
	fields           []string
}

func field(r Row, name string) (float64, bool) {
	var v = r.Value
	switch name {
	case "numerator":
		v = r.Numerator
	case "denominator":
		v = r.Denominator
	}
	return v.Float64, v.Valid
}

// rowIndex finds rows by metric, quarter and partner.
type rowIndex map[[3]string][]int

func indexByPartner(rows []Row) rowIndex {
	idx := rowIndex{}
	for i, r := range rows {
		k := [3]string{r.Metric, r.Quarter, r.Partner}
		idx[k] = append(idx[k], i)
	}
	return idx
}

// equations instantiates the catalogue's identities, and the implicit one
// of every additive metric (the partners' numerators and denominators add
// up to the network's), over the rows.
func (c *Catalogue) equations(rows []Row) []equation {
	idx := indexByPartner(rows)
	var out []equation
	for _, id := range c.Identities {
		out = append(out, id.equations(rows, idx)...)
	}
	type place struct{ metric, quarter, breakdown string }
	parts := map[place][]int{}
	network := map[place]int{}
	var cells []place
	for i, r := range rows {
		e, ok := c.Entry(r.Metric)
		if ok && e.Unit == UnitCount && r.Value.Valid && r.Numerator.Valid {
			// A count's value is its numerator: one number shown twice.
			out = append(out, equation{name: "a count is its numerator (" + r.Metric + ")", quarter: r.Quarter, partner: r.Partner,
				rows: []int{i, i}, signs: []float64{1, -1}, fields: []string{"value", "numerator"}})
		}
		if !ok || e.NotAdditive {
			continue
		}
		k := place{r.Metric, r.Quarter, r.Breakdown}
		if _, seen := parts[k]; !seen {
			cells = append(cells, k)
			parts[k] = nil
		}
		if r.Partner == NetworkPartner {
			network[k] = i + 1
		} else {
			parts[k] = append(parts[k], i)
		}
	}
	for _, k := range cells {
		n := network[k] - 1
		if n < 0 || len(parts[k]) == 0 {
			continue // no network row, or no partner: nothing adds up
		}
		for _, f := range []string{"numerator", "denominator"} {
			eq := equation{name: "the partners add up to the network (" + k.metric + " " + f + ")",
				quarter: k.quarter, partner: NetworkPartner, partnerSum: true}
			eq.rows, eq.signs, eq.fields = append(eq.rows, n), append(eq.signs, -1), append(eq.fields, f)
			for _, p := range parts[k] {
				eq.rows, eq.signs, eq.fields = append(eq.rows, p), append(eq.signs, 1), append(eq.fields, f)
			}
			out = append(out, eq)
		}
	}
	return out
}

func (id Identity) equations(rows []Row, idx rowIndex) []equation {
	metricsOf := map[string]bool{}
	for _, t := range id.Terms {
		metricsOf[t.Metric] = true
	}
	type qp struct{ quarter, partner string }
	var places []qp
	seen := map[qp]bool{}
	for _, r := range rows {
		k := qp{r.Quarter, r.Partner}
		if metricsOf[r.Metric] && !seen[k] {
			seen[k] = true
			places = append(places, k)
		}
	}
	pats := make([]pattern, len(id.Terms))
	for i, t := range id.Terms {
		pats[i], _ = compilePattern(t.Breakdown) // checked when the catalogue was loaded
	}
	var out []equation
	for _, at := range places {
		for _, bound := range id.bindings(rows, idx, pats, at.quarter, at.partner) {
			eq := equation{name: id.Name, quarter: at.quarter, partner: at.partner, constant: id.Constant}
			for i, t := range id.Terms {
				sign := 1.0
				if t.Minus {
					sign = -1
				}
				f := t.Field
				if f == "" {
					f = "value"
				}
				for _, ri := range idx[[3]string{t.Metric, at.quarter, at.partner}] {
					if pats[i].match(rows[ri].Breakdown, bound, nil) {
						eq.rows, eq.signs, eq.fields = append(eq.rows, ri), append(eq.signs, sign), append(eq.fields, f)
					}
				}
			}
			if len(eq.rows) > 0 {
				out = append(out, eq)
			}
		}
	}
	return out
}

// bindings returns every combination of values of the identity's
// variables found in the rows of one quarter and partner, in a stable
// order; one empty binding when the identity has no variables.
func (id Identity) bindings(rows []Row, idx rowIndex, pats []pattern, quarter, partner string) []map[string]string {
	if len(id.Each) == 0 {
		return []map[string]string{{}}
	}
	found := map[string]map[string]string{}
	for i, t := range id.Terms {
		for _, ri := range idx[[3]string{t.Metric, quarter, partner}] {
			f := map[string]string{}
			if !pats[i].match(rows[ri].Breakdown, nil, f) {
				continue
			}
			b := map[string]string{}
			for _, v := range id.Each {
				if x, ok := f[v]; ok {
					b[v] = x
				}
			}
			if len(b) != len(id.Each) {
				continue
			}
			parts := make([]string, len(id.Each))
			for j, v := range id.Each {
				parts[j] = b[v]
			}
			found[strings.Join(parts, "\x00")] = b
		}
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]map[string]string, len(keys))
	for i, k := range keys {
		out[i] = found[k]
	}
	return out
}

// check returns an error naming the quarter and partner when the
// equation does not hold. Equations with a term that has no value (an
// estimate beyond the follow-up) are not checked.
func (eq equation) check(rows []Row) error {
	sum, scale := eq.constant, math.Abs(eq.constant)
	for i, ri := range eq.rows {
		x, ok := field(rows[ri], eq.fields[i])
		if !ok {
			return nil
		}
		sum += eq.signs[i] * x
		scale += math.Abs(x)
	}
	if math.Abs(sum) <= 1e-9*math.Max(1, scale) {
		return nil
	}
	var b strings.Builder
	if eq.constant != 0 {
		fmt.Fprintf(&b, "%g", eq.constant)
	}
	for i, ri := range eq.rows {
		r := rows[ri]
		x, _ := field(r, eq.fields[i])
		op := " + "
		if eq.signs[i] < 0 {
			op = " − "
		}
		if b.Len() == 0 {
			op = strings.TrimSpace(op) + " "
			if eq.signs[i] > 0 {
				op = ""
			}
		}
		fmt.Fprintf(&b, "%s%s[%s].%s %g", op, r.Metric, r.Breakdown, eq.fields[i], x)
	}
	return fmt.Errorf("%s, partner %s: %s does not hold: %s = %g, not 0", eq.quarter, eq.partner, eq.name, b.String(), sum)
}

// CheckIdentities checks every identity of the catalogue, and that the
// partners add up to the network, on rows of one or more quarters. The
// error lists every equation that fails.
func (c *Catalogue) CheckIdentities(rows []Row) error {
	var errs []string
	for _, eq := range c.equations(rows) {
		if err := eq.check(rows); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.Sort(errs)
	errs = slices.Compact(errs)
	return fmt.Errorf("metrics: %s", strings.Join(errs, "; "))
}
