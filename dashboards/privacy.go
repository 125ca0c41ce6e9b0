package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"doorstroom/metrics"
)

// Fields of the risk report the privacy page lays out itself; every other
// field is shown generically, so a richer report (information loss,
// l-diversity) appears without code here.
var (
	riskLayout   = []string{"release", "quarter", "k", "suppression_limit", "quasi_identifiers", "levels", "heights", "before", "after"}
	riskMeasures = []string{"records", "classes", "min_class_size", "avg_class_size", "unique_records",
		"prosecutor_risk_max", "prosecutor_risk_avg", "records_above_threshold"}
	// riskShares are fields between 0 and 1 shown as percentages.
	riskShares = []string{"prosecutor_risk_max", "prosecutor_risk_avg", "records_above_threshold", "suppression_limit"}
)

// privacyPage shows the release's risk report (before and after
// anonymisation, the generalisation chosen) and the suppression applied to
// the quarter's pages.
func (v *view) privacyPage() (*page, error) {
	l := v.l
	p := v.newPage(kindPrivacy, l.T["pages.privacy"])
	p.Intro = append(p.Intro, l.textf("ui.privacy_intro", "k", itoa(v.in.K), "threshold", itoa(v.in.Policy.Threshold)))
	raw := v.in.Risk[v.q.String()]
	var report map[string]any
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&report); err != nil {
			return nil, fmt.Errorf("dashboards: risk report of %s: %w", v.q, err)
		}
	}
	if report == nil {
		p.Intro = append(p.Intro, l.T["no_risk_report"])
	} else {
		p.Blocks = append(p.Blocks, v.releaseBlock(report))
		if b, ok := v.levelsBlock(report); ok {
			p.Blocks = append(p.Blocks, b)
		}
		b, err := v.riskBlock(report)
		if err != nil {
			return nil, err
		}
		p.Blocks = append(p.Blocks, b)
		p.Blocks = append(p.Blocks, v.beforeAfterLists(report)...)
		p.Blocks = append(p.Blocks, v.extraBlocks(report)...)
	}
	p.Blocks = append(p.Blocks, v.suppressionBlock())
	return p, nil
}

// fieldLabel labels a risk report field: privacy.field.<key>, else the key
// in words.
func (v *view) fieldLabel(key string) string {
	if k := "privacy.field." + key; v.l.tr.Has(k) {
		return v.l.text(k)
	}
	return strings.ReplaceAll(key, "_", " ")
}

// jsonText writes a scalar of the report in the page's language.
func (v *view) jsonText(key string, x any) string {
	l := v.l
	switch x := x.(type) {
	case nil:
		return l.T["mark_nodata"]
	case bool:
		if x {
			return l.T["answer_yes"]
		}
		return l.T["answer_no"]
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		if slices.Contains(riskShares, key) {
			return l.nf.percent(f)
		}
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return l.nf.number(f, 0)
		}
		s := l.nf.number(f, 3)
		return strings.TrimRight(strings.TrimRight(s, "0"), l.nf.decimal)
	case string:
		return x
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, v.attrLabel(fmt.Sprint(e)))
		}
		return strings.Join(parts, ", ")
	}
	data, _ := json.Marshal(x)
	return string(data)
}

// attrLabel labels a quasi-identifier: attributes.<name>, else the name.
func (v *view) attrLabel(name string) string {
	if k := "attributes." + name; v.l.tr.Has(k) {
		return v.l.text(k)
	}
	return name
}

// qis are the report's quasi-identifiers, in its order.
func qis(r map[string]any) []string {
	var out []string
	list, _ := r["quasi_identifiers"].([]any)
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// aligned reports whether x is a list of numbers, one per quasi-identifier
// (a newer report gives levels, heights, weights that way).
func aligned(x any, n int) bool {
	list, ok := x.([]any)
	if !ok || n == 0 || len(list) != n {
		return false
	}
	for _, e := range list {
		if _, ok := e.(json.Number); !ok {
			return false
		}
	}
	return true
}

// scalarList reports whether x is a list of scalars (names, numbers).
func scalarList(x any) bool {
	list, ok := x.([]any)
	if !ok {
		return false
	}
	for _, e := range list {
		if !isScalar(e) {
			return false
		}
	}
	return true
}

func isScalar(x any) bool {
	switch x.(type) {
	case map[string]any:
		return false
	case []any:
		return false
	}
	return true
}

// releaseBlock lists the release's parameters and every other top-level
// scalar of the report.
func (v *view) releaseBlock(r map[string]any) block {
	l := v.l
	b := block{ID: "release", Title: l.T["privacy_release"]}
	b.Table.Text = true
	b.Table.Header = []string{l.T["privacy_measure"], l.T["value"]}
	add := func(key string) {
		b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.fieldLabel(key)}, {Text: v.jsonText(key, r[key])}})
	}
	for _, key := range []string{"release", "k", "suppression_limit", "quasi_identifiers"} {
		if _, ok := r[key]; ok {
			add(key)
		}
	}
	n := len(qis(r))
	for _, key := range sortedKeys(r) {
		if slices.Contains(riskLayout, key) {
			continue
		}
		if isScalar(r[key]) || scalarList(r[key]) && !aligned(r[key], n) {
			add(key)
		}
	}
	return b
}

// levelsBlock shows the generalisation chosen per quasi-identifier, and
// every other number the report gives per quasi-identifier (weights,
// level limits, loss per attribute). Reports list the levels either as
// objects (attribute, level, height) or as lists aligned with
// quasi_identifiers.
func (v *view) levelsBlock(r map[string]any) (block, bool) {
	l := v.l
	b := block{ID: "generalisation", Title: l.T["privacy_levels"], Description: l.T["privacy_levels_note"]}
	b.Table.Text = true
	b.Table.Header = []string{l.T["privacy_attribute"], l.T["privacy_level"]}
	levelText := func(level, height float64) string {
		switch {
		case level == 0:
			return l.T["privacy_level_original"]
		case height > 0 && level >= height-1:
			return l.T["privacy_level_withheld"]
		}
		return l.textf("ui.privacy_level_n", "level", l.nf.number(level, 0), "of", l.nf.number(height-1, 0))
	}
	names := qis(r)
	if objs, ok := r["levels"].([]any); ok && len(objs) > 0 && !aligned(objs, len(names)) {
		for _, x := range objs {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			level, _ := toFloat(m["level"])
			height, _ := toFloat(m["height"])
			b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.attrLabel(fmt.Sprint(m["attribute"]))}, {Text: levelText(level, height)}})
		}
		return b, len(b.Table.Rows) > 0
	}
	if len(names) == 0 {
		return b, false
	}
	// Lists aligned with the quasi-identifiers, at the top level or one
	// level down (loss.loss_per_attribute).
	type column struct {
		key  string
		list []any
	}
	var cols []column
	for _, key := range sortedKeys(r) {
		if key != "levels" && key != "heights" && aligned(r[key], len(names)) {
			cols = append(cols, column{key, r[key].([]any)})
		}
		if m, ok := r[key].(map[string]any); ok && key != "before" && key != "after" {
			for _, sub := range sortedKeys(m) {
				if aligned(m[sub], len(names)) {
					cols = append(cols, column{sub, m[sub].([]any)})
				}
			}
		}
	}
	levels, hasLevels := r["levels"].([]any)
	heights, _ := r["heights"].([]any)
	hasLevels = hasLevels && aligned(levels, len(names))
	if !hasLevels {
		b.Table.Header = b.Table.Header[:1]
	}
	for _, c := range cols {
		b.Table.Header = append(b.Table.Header, v.fieldLabel(c.key))
	}
	for i, name := range names {
		row := []cell{{Text: v.attrLabel(name)}}
		if hasLevels {
			level, _ := toFloat(levels[i])
			height := 0.0
			if aligned(heights, len(names)) {
				height, _ = toFloat(heights[i])
			}
			row = append(row, cell{Text: levelText(level, height)})
		}
		for _, c := range cols {
			row = append(row, cell{Text: v.jsonText(c.key, c.list[i])})
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	return b, true
}

// beforeAfterLists shows the lists of objects the measures before and
// after anonymisation carry (l-diversity per sensitive attribute), one
// row per attribute, before beside after.
func (v *view) beforeAfterLists(r map[string]any) []block {
	l := v.l
	before, _ := r["before"].(map[string]any)
	after, _ := r["after"].(map[string]any)
	keys := map[string]bool{}
	for _, m := range []map[string]any{before, after} {
		for k, x := range m {
			if !isScalar(x) {
				keys[k] = true
			}
		}
	}
	var out []block
	for _, key := range sortedKeys(anyMap(keys)) {
		b := block{ID: "risk-" + safeID(key), Title: l.textf("ui.privacy_before_after", "measure", v.fieldLabel(key))}
		b.Table.Header = []string{l.T["privacy_sensitive"]}
		type side struct {
			label string
			rows  map[string]map[string]any
		}
		var sides []side
		var fields []string
		var attrs []string
		for _, s := range []struct {
			label string
			m     map[string]any
		}{{l.T["privacy_before"], before}, {l.T["privacy_after"], after}} {
			sd := side{label: s.label, rows: map[string]map[string]any{}}
			list, _ := s.m[key].([]any)
			for _, x := range list {
				obj, ok := x.(map[string]any)
				if !ok {
					continue
				}
				name := fmt.Sprint(obj["attribute"])
				if !slices.Contains(attrs, name) {
					attrs = append(attrs, name)
				}
				sd.rows[name] = obj
				for f, val := range obj {
					if f != "attribute" && isScalar(val) && !slices.Contains(fields, f) {
						fields = append(fields, f)
					}
				}
			}
			sides = append(sides, sd)
		}
		sort.Strings(fields)
		for _, f := range fields {
			for _, sd := range sides {
				b.Table.Header = append(b.Table.Header, v.fieldLabel(f)+" · "+sd.label)
			}
		}
		for _, a := range attrs {
			row := []cell{{Text: v.attrLabel(a)}}
			for _, f := range fields {
				for _, sd := range sides {
					row = append(row, cell{Text: v.jsonText(f, sd.rows[a][f])})
				}
			}
			b.Table.Rows = append(b.Table.Rows, row)
		}
		if len(b.Table.Rows) > 0 {
			out = append(out, b)
		}
	}
	return out
}

func anyMap(m map[string]bool) map[string]any {
	out := make(map[string]any, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func toFloat(x any) (float64, bool) {
	if n, ok := x.(json.Number); ok {
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// riskBlock compares the risk measures before and after anonymisation,
// with a chart of the re-identification risks.
func (v *view) riskBlock(r map[string]any) (block, error) {
	l := v.l
	before, _ := r["before"].(map[string]any)
	after, _ := r["after"].(map[string]any)
	b := block{ID: "risk", Title: l.T["privacy_risk"], Description: l.T["privacy_risk_note"], Unit: metrics.UnitShare}
	b.Table.Header = []string{l.T["privacy_measure"], l.T["privacy_before"], l.T["privacy_after"]}
	keys := slices.Clone(riskMeasures)
	for _, m := range []map[string]any{before, after} {
		for _, k := range sortedKeys(m) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	spec := chartSpec{id: "chart-risk", kind: "bar", unit: metrics.UnitShare}
	sBefore, sAfter := series{name: l.T["privacy_before"]}, series{name: l.T["privacy_after"]}
	for _, k := range keys {
		xb, inB := before[k]
		xa, inA := after[k]
		if !inB && !inA || !isScalar(xb) || !isScalar(xa) {
			continue
		}
		b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.fieldLabel(k)}, {Text: v.jsonText(k, before[k])}, {Text: v.jsonText(k, after[k])}})
		if slices.Contains(riskShares, k) {
			spec.categories = append(spec.categories, v.fieldLabel(k))
			fb, okB := toFloat(before[k])
			fa, okA := toFloat(after[k])
			sBefore.values = append(sBefore.values, ptrIf(fb, okB))
			sAfter.values = append(sAfter.values, ptrIf(fa, okA))
		}
	}
	spec.series = []series{sBefore, sAfter}
	spec.description = l.textf("ui.aria_chart", "title", b.Title)
	return b, b.setChart(spec)
}

func ptrIf(f float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &f
}

// extraBlocks renders every field of the report the page does not know:
// an object as a table of its fields, a list of objects as a table with a
// column per field.
func (v *view) extraBlocks(r map[string]any) []block {
	l := v.l
	var out []block
	n := len(qis(r))
	for _, key := range sortedKeys(r) {
		if slices.Contains(riskLayout, key) || isScalar(r[key]) || scalarList(r[key]) {
			continue // shown with the release or per quasi-identifier
		}
		b := block{ID: "extra-" + safeID(key), Title: v.fieldLabel(key)}
		b.Table.Text = true
		switch x := r[key].(type) {
		case map[string]any:
			b.Table.Header = []string{l.T["privacy_measure"], l.T["value"]}
			for _, k := range sortedKeys(x) {
				if aligned(x[k], n) || !isScalar(x[k]) && !scalarList(x[k]) {
					continue // per quasi-identifier, or too deep for a table
				}
				b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.fieldLabel(k)}, {Text: v.jsonText(k, x[k])}})
			}
		case []any:
			var cols []string
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					for _, k := range sortedKeys(m) {
						if !slices.Contains(cols, k) {
							cols = append(cols, k)
						}
					}
				}
			}
			if len(cols) == 0 {
				b.Table.Header = []string{l.T["value"]}
				for _, e := range x {
					b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.jsonText(key, e)}})
				}
				break
			}
			for _, c := range cols {
				b.Table.Header = append(b.Table.Header, v.fieldLabel(c))
			}
			for _, e := range x {
				m, _ := e.(map[string]any)
				var row []cell
				for _, c := range cols {
					text := v.jsonText(c, m[c])
					if c == "attribute" {
						text = v.attrLabel(fmt.Sprint(m[c]))
					}
					row = append(row, cell{Text: text})
				}
				b.Table.Rows = append(b.Table.Rows, row)
			}
		}
		out = append(out, b)
	}
	return out
}

// suppressionBlock counts, per metric, the numbers of the quarter's pages
// by what disclosure control decided.
func (v *view) suppressionBlock() block {
	l := v.l
	b := block{ID: "suppression", Title: l.T["privacy_suppression"], Description: l.T["privacy_suppression_note"]}
	b.Table.Header = []string{l.T["metric"], l.T["privacy_shown"], l.T["privacy_below"], l.T["privacy_protecting"], l.T["privacy_hidden"]}
	var total suppressionStats
	for _, e := range v.in.Catalogue.Metrics {
		s := v.d.plan.stats[e.ID]
		if s == nil {
			s = &suppressionStats{}
		}
		total.Shown += s.Shown
		total.Below += s.Below
		total.Protecting += s.Protecting
		total.Hidden += s.Hidden
		b.Table.Rows = append(b.Table.Rows, v.statsRow(e.Title[l.code], *s))
	}
	b.Table.Rows = append(b.Table.Rows, v.statsRow(l.T["total"], total))
	b.Table.TotalRow = true
	return b
}

func (v *view) statsRow(label string, s suppressionStats) []cell {
	n := func(x int) cell { return cell{Text: v.l.nf.number(float64(x), 0)} }
	return []cell{{Text: label}, n(s.Shown), n(s.Below), n(s.Protecting), n(s.Hidden)}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
