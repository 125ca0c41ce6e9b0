package metrics

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCatalogueATN: the programme's catalogue loads, every .sql file is
// used, the ids evaluators rely on are there with their breakdowns, and
// every metric tells the dashboards where and how to show it.
func TestCatalogueATN(t *testing.T) {
	c, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{c.PreludeFile: true}
	for _, e := range c.Metrics {
		used[e.SQL] = true
		if e.Page == "" || e.Chart.Kind == "" || e.Chart.X == "" {
			t.Errorf("%s: no page or chart", e.ID)
		}
	}
	files, _ := fs.Glob(embedded, "atn/*.sql")
	for _, f := range files {
		if !used[path.Base(f)] {
			t.Errorf("%s is not used by any metric", f)
		}
	}
	for id, keys := range map[string][]string{
		"survival_in_trajectory": {"months"},
		"cumulative_incidence":   {"class", "months"},
		"median_days_to_outflow": nil,
		"stock_flow":             {"flow"},
		"participants_active":    nil,
		"dvz_talk_share":         nil,
		"fedasil_talk_share":     nil,
		"exits_by_class":         {"class"},
		"median_duration_closed": nil,
	} {
		e, ok := c.Entry(id)
		if !ok {
			t.Errorf("%s is missing", id)
			continue
		}
		if !slices.Equal(e.Breakdown, keys) {
			t.Errorf("%s: breakdown %v, want %v", id, e.Breakdown, keys)
		}
	}
	if e, _ := c.Entry("survival_in_trajectory"); !slices.Equal(e.Months, []int{3, 6, 12, 24}) {
		t.Errorf("survival at months %v", e.Months)
	}
}

// TestCatalogueRefusesMistakes loads small broken catalogues: each is
// refused with an error that names the mistake.
func TestCatalogueRefusesMistakes(t *testing.T) {
	const good = `
breakdowns:
  flow:
    title: {en: Flow, nl: Stroom, fr: Flux}
    values: {inflow: {en: inflow, nl: instroom, fr: entrées}}
metrics:
  - id: m
    sql: m.sql
    unit: count
    population: active
    period: quarter
    page: overview
    chart: {kind: bar, x: partner, series: flow}
    breakdown: [flow]
    title: {en: M, nl: M, fr: M}
    description: {en: M, nl: M, fr: M}
    numerator: {en: "", nl: "", fr: ""}
    denominator: {en: "", nl: "", fr: ""}
`
	tests := []struct {
		name, from, to, want string
	}{
		{"good", "", "", ""},
		{"unknown unit", "unit: count", "unit: persons", `unit "persons"`},
		{"unknown rule", "unit: count", "unit: count\n    disclosure: lax", `rule "lax"`},
		{"undescribed key", "breakdown: [flow]", "breakdown: [flow, sex]", `"sex" is not described`},
		{"keys out of order", "breakdown: [flow]", "breakdown: [flow, age]", "alphabetical order"},
		{"chart axis", "x: partner", "x: region", `chart x "region"`},
		{"missing French", "description: {en: M, nl: M, fr: M}", "description: {en: M, nl: M}", "needed in fr"},
		{"missing SQL", "sql: m.sql", "sql: n.sql", "n.sql"},
		{"bad id", "id: m", "id: M-1", `id "M-1"`},
		{"estimator keys", "unit: count", "unit: count\n    estimator: incidence\n    months: [3]", "estimator incidence writes"},
		{"identity metric", "", "identities:\n  - name: x\n    terms:\n      - {metric: nope}\n", `metric "nope"`},
		{"identity keys", "", "identities:\n  - name: x\n    terms:\n      - {metric: m, breakdown: \"class=*\"}\n", "must have the keys [flow]"},
		{"identity variable", "", "identities:\n  - name: x\n    terms:\n      - {metric: m, breakdown: \"flow={f}\"}\n", "{f} is not listed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := good
			if tt.from == "" {
				text += tt.to
			} else {
				text = strings.Replace(good, tt.from, tt.to, 1)
			}
			fsys := fstest.MapFS{
				"p/catalogue.yaml": {Data: []byte(text)},
				"p/m.sql":          {Data: []byte("SELECT 1")},
			}
			_, err := loadCatalogue(fsys, "p")
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want != "" && err == nil:
				t.Fatalf("accepted")
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

func TestBreakdown(t *testing.T) {
	pairs, err := ParseBreakdown("class=durable;months=6")
	if err != nil || len(pairs) != 2 || pairs[1] != (Pair{"months", "6"}) {
		t.Fatalf("%v %v", pairs, err)
	}
	if s := FormatBreakdown(pairs...); s != "class=durable;months=6" {
		t.Errorf("formatted %q", s)
	}
	if v := BreakdownValue("class=durable;months=6", "months"); v != "6" {
		t.Errorf("months = %q", v)
	}
	for _, bad := range []string{"class", "class=", "=x", "a=b;;c=d"} {
		if _, err := ParseBreakdown(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	p, _ := compilePattern("class={c};type=*")
	found := map[string]string{}
	if !p.match("class=durable;type=legal_residence", nil, found) || found["c"] != "durable" {
		t.Errorf("no match, found %v", found)
	}
	if p.match("class=durable;type=legal_residence", map[string]string{"c": "other"}, nil) {
		t.Error("matched a different bound class")
	}
	if p.match("class=durable", nil, nil) || p.match("months=3;type=x", nil, nil) {
		t.Error("matched other keys")
	}
}

// wellFormed must accept exactly what ParseBreakdown accepts, with the
// same number of pairs.
func TestWellFormedAgreesWithParseBreakdown(t *testing.T) {
	for _, s := range []string{"", "a=1", "a=1;b=2", "a=1;", ";a=1", "a", "a=", "=1", "a=1;;b=2", "a=1=2;b=3", "a=1;b"} {
		t.Run(s, func(t *testing.T) {
			pairs, err := ParseBreakdown(s)
			for n := 0; n <= 3; n++ {
				if got, want := wellFormed(s, n), err == nil && len(pairs) == n; got != want {
					t.Errorf("wellFormed(%q, %d) = %v, want %v", s, n, got, want)
				}
			}
		})
	}
}
