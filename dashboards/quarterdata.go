package dashboards

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// rowKey identifies one metric row of a quarter; breakdown is normalised
// (pairs sorted by key), so "months=6;class=durable" and
// "class=durable;months=6" are the same.
type rowKey struct {
	metric, partner, breakdown string
}

// quarterData is one quarter's metric rows, indexed, with the disclosure
// decisions every page of the quarter shows. It is built once per quarter
// and only read afterwards, by every language and page at once.
type quarterData struct {
	q    period.Quarter
	qs   string // q.String(), used in every path and key
	list []metrics.Row
	// norm holds the normalised breakdown of each row of list.
	norm []string
	// breakdowns lists each metric's normalised breakdowns in the quarter.
	breakdowns map[string][]string
	// present are the partner codes with any row in the quarter: the
	// partners whose data the network's figures add up.
	present map[string]bool
	// countMetric marks the metrics whose unit is count.
	countMetric map[string]bool
	// plan holds what disclosure control decided for every shown number.
	plan *plan
	// memo keeps values lists computed for one page for the others.
	memo sync.Map
}

// values is keyValues over a metric's breakdowns in this quarter (or, with
// upTo, in every quarter up to this one), remembered for the next page.
func (d *quarterData) values(all []*quarterData, upTo bool, ids []string, c metrics.Chart, key string, allowed []string) []string {
	memoKey := valuesKey(upTo, ids, c.Filter, c.Order, key, allowed)
	if v, ok := d.memo.Load(memoKey); ok {
		return v.([]string)
	}
	var bks []string
	for _, m := range ids {
		if upTo {
			for _, o := range all {
				bks = append(bks, o.breakdowns[m]...)
				if o == d {
					break
				}
			}
		} else {
			bks = append(bks, d.breakdowns[m]...)
		}
	}
	vals := keyValues(uniq(bks), c, key, allowed)
	d.memo.Store(memoKey, vals)
	return vals // shared: callers must not change it
}

// valuesKey names the arguments of a values call in its memo.
func valuesKey(upTo bool, ids []string, filter string, order []string, key string, allowed []string) string {
	var b strings.Builder
	b.WriteString(strconv.FormatBool(upTo))
	for _, list := range [][]string{ids, {filter}, order, {key}, allowed} {
		b.WriteByte(1)
		for _, s := range list {
			b.WriteString(s)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// newQuarterData indexes a quarter's rows. aboutPersons tells the metrics
// whose rows show that a partner's register is in the quarter (not the
// reporting metrics, which list partners that sent nothing too).
func newQuarterData(q period.Quarter, rows []metrics.Row, aboutPersons func(metric string) bool) *quarterData {
	d := &quarterData{q: q, qs: q.String(), list: rows, norm: make([]string, len(rows)),
		breakdowns: map[string][]string{}, present: map[string]bool{}, countMetric: map[string]bool{}}
	seen := map[string]map[string]bool{}
	for i := range rows {
		r := &rows[i]
		b := normBreakdown(r.Breakdown)
		d.norm[i] = b
		if r.Partner != metrics.NetworkPartner && aboutPersons(r.Metric) {
			d.present[r.Partner] = true
		}
		if seen[r.Metric] == nil {
			seen[r.Metric] = map[string]bool{}
		}
		if !seen[r.Metric][b] {
			seen[r.Metric][b] = true
			d.breakdowns[r.Metric] = append(d.breakdowns[r.Metric], b)
		}
	}
	for _, bs := range d.breakdowns {
		sort.Strings(bs)
	}
	return d
}

// normBreakdown sorts the key=value pairs of a breakdown by key.
func normBreakdown(b string) string {
	if !strings.Contains(b, ";") {
		return b
	}
	parts := strings.Split(b, ";")
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// pairs parses a normalised breakdown into its key=value pairs.
func pairs(b string) map[string]string {
	out := map[string]string{}
	if b == "" {
		return out
	}
	for _, p := range strings.Split(b, ";") {
		k, v, _ := strings.Cut(p, "=")
		out[k] = v
	}
	return out
}

// joinPairs is the normalised breakdown of the given pairs.
func joinPairs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ";")
}

// splitPairs splits joinPairs(m with key set to any value) around that
// value: joinPairs(m ∪ {key: v}) == prefix + v + suffix for every v.
func splitPairs(m map[string]string, key string) (prefix, suffix string) {
	keys := make([]string, 0, len(m)+1)
	keys = append(keys, key)
	for k := range m {
		if k != key {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	i := 0
	for ; keys[i] != key; i++ {
		b.WriteString(keys[i] + "=" + m[keys[i]] + ";")
	}
	b.WriteString(key + "=")
	prefix = b.String()
	b.Reset()
	for _, k := range keys[i+1:] {
		b.WriteString(";" + k + "=" + m[k])
	}
	return prefix, b.String()
}

// keyValues lists the values a breakdown key takes among a metric's rows
// that match the chart's filter and carry no other key, in display order.
func keyValues(bks []string, c metrics.Chart, key string, allowed []string) []string {
	filter := pairs(normBreakdown(c.Filter))
	seen := map[string]bool{}
	var vals []string
	for _, b := range bks {
		p := pairs(b)
		if !matches(p, filter, allowed) {
			continue
		}
		v, ok := p[key]
		if ok && !seen[v] {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	return orderValues(vals, c.Order, key)
}

// matches reports whether a row's breakdown pairs carry the filter's pairs
// and otherwise only the allowed keys.
func matches(p, filter map[string]string, allowed []string) bool {
	for k, v := range filter {
		if p[k] != v {
			return false
		}
	}
	for k := range p {
		if _, ok := filter[k]; !ok && !slices.Contains(allowed, k) {
			return false
		}
	}
	return true
}

// orderValues puts values in display order: first those listed in order,
// then numbers by value, then the rest by code.
//
// An entry "key=value" orders only that key's value, for charts whose X
// and series keys share a value (type other, class other).
func orderValues(vals, order []string, key string) []string {
	rank := func(v string) int {
		if i := slices.Index(order, key+"="+v); i >= 0 {
			return i
		}
		if i := slices.Index(order, v); i >= 0 {
			return i
		}
		return len(order)
	}
	sort.SliceStable(vals, func(i, j int) bool {
		ri, rj := rank(vals[i]), rank(vals[j])
		if ri != rj {
			return ri < rj
		}
		fi, ei := strconv.ParseFloat(vals[i], 64)
		fj, ej := strconv.ParseFloat(vals[j], 64)
		switch {
		case ei == nil && ej == nil:
			return fi < fj
		case ei == nil:
			return true
		case ej == nil:
			return false
		}
		return vals[i] < vals[j]
	})
	return vals
}

// allNumeric reports whether every value parses as a number (a step
// chart then draws them on a value axis).
func allNumeric(vals []string) bool {
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return false
		}
	}
	return len(vals) > 0
}

func clonePairs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}
