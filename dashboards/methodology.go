package dashboards

import (
	"slices"
	"sort"
	"strings"
)

// methodology is what the methodology page says beyond its tables: every
// metric's definition from the catalogue, the rules and the sources.
type methodology struct {
	Sections []methodSection
	Rules    []string
	Sources  []string
}

type methodSection struct {
	Heading string
	Metrics []methodMetric
}

// methodMetric is one catalogue entry as the page states it; SQL is the
// metric's exact definition.
type methodMetric struct {
	ID, Title, Description, Numerator, Denominator, Unit, Population, Period, SQL, SQLFile string
}

// methodologyPage states every metric's definition (from the catalogue,
// with its SQL), the disclosure and anonymisation rules, the outflow
// classes and the data sources.
func (v *view) methodologyPage() (*page, error) {
	l := v.l
	in := v.in
	p := v.newPage(kindMethodology, l.T["pages.methodology"])
	m := &methodology{}
	for _, kind := range networkKinds {
		sec := methodSection{Heading: l.T["pages."+kind]}
		for _, e := range in.Catalogue.Metrics {
			if e.Page != kind && !(kind == kindOverview && !slices.Contains(networkKinds, e.Page)) {
				continue
			}
			sec.Metrics = append(sec.Metrics, methodMetric{
				ID: e.ID, Title: e.Title[l.code], Description: e.Description[l.code],
				Numerator: e.Numerator[l.code], Denominator: e.Denominator[l.code],
				Unit: l.unitLabel(e.Unit), Population: v.catalogueLabel("population", e.Population),
				Period: v.catalogueLabel("period", e.Period), SQL: strings.TrimSpace(e.Query), SQLFile: e.SQL,
			})
		}
		if len(sec.Metrics) > 0 {
			m.Sections = append(m.Sections, sec)
		}
	}
	th := itoa(in.Policy.Threshold)
	m.Rules = []string{
		l.textf("methodology.rule_threshold", "threshold", th),
		l.textf("methodology.rule_shares", "threshold", th),
		l.textf("methodology.rule_secondary", "mark", l.T["mark_protecting"]),
		l.textf("methodology.rule_statistics", "threshold", th),
		l.textf("methodology.rule_k", "k", itoa(in.K), "limit", l.nf.percent(in.SuppressionLimit)),
		l.text("methodology.rule_pseudonyms"),
	}
	first, last := in.Quarters[0], in.Quarters[len(in.Quarters)-1]
	m.Sources = []string{
		l.textf("methodology.source_register", "version", itoa(in.FormatVersion), "programme", l.text("programme."+in.Programme)),
		l.textf("methodology.source_quarters", "first", l.quarter(first), "last", l.quarter(last), "n", itoa(len(in.Quarters))),
		l.textf("methodology.source_deadline", "days", itoa(in.DeadlineDays)),
		l.text("methodology.source_network"),
	}
	p.Method = m
	p.Blocks = append(p.Blocks, v.definitionsBlock())
	if len(v.in.Classes) > 0 { // a programme without groupings of codes has no classes to explain
		p.Blocks = append(p.Blocks, v.classesBlock())
	}
	p.Blocks = append(p.Blocks, v.partnersBlock())
	return p, nil
}

// catalogueLabel labels a catalogue value (population, period) by the
// translation <kind>.<value>, else the value.
func (v *view) catalogueLabel(kind, value string) string {
	if k := kind + "." + value; v.l.tr.Has(k) {
		return v.l.text(k)
	}
	return value
}

// definitionsBlock is the catalogue as a table, so it can be downloaded.
func (v *view) definitionsBlock() block {
	l := v.l
	b := block{ID: "definitions", Title: l.T["method_definitions"]}
	b.Table.Text = true
	b.Table.Header = []string{l.T["method_id"], l.T["metric"], l.T["method_description"], l.T["method_numerator"],
		l.T["method_denominator"], l.T["method_unit"], l.T["method_population"], l.T["method_period"]}
	for _, e := range v.in.Catalogue.Metrics {
		b.Table.Rows = append(b.Table.Rows, []cell{{Text: e.ID}, {Text: e.Title[l.code]}, {Text: e.Description[l.code]},
			{Text: e.Numerator[l.code]}, {Text: e.Denominator[l.code]}, {Text: l.unitLabel(e.Unit)},
			{Text: v.catalogueLabel("population", e.Population)}, {Text: v.catalogueLabel("period", e.Period)}})
	}
	return b
}

// classesBlock lists the programme's groupings of codes (the outflow
// classes and the types in each).
func (v *view) classesBlock() block {
	l := v.l
	b := block{ID: "classes", Title: l.T["method_classes"], Description: l.T["method_classes_note"]}
	b.Table.Text = true
	b.Table.Header = []string{l.T["method_grouping"], l.T["method_class"], l.T["method_codes"]}
	groupings := make([]string, 0, len(v.in.Classes))
	for g := range v.in.Classes {
		groupings = append(groupings, g)
	}
	sort.Strings(groupings)
	for _, g := range groupings {
		classes := make([]string, 0, len(v.in.Classes[g]))
		for c := range v.in.Classes[g] {
			classes = append(classes, c)
		}
		// The order the catalogue's charts give these classes, if any.
		var order []string
		for key, bk := range v.in.Catalogue.Breakdowns {
			if bk.Source != "classes."+g {
				continue
			}
			for _, e := range v.in.Catalogue.Metrics {
				if (e.Chart.X == key || e.Chart.Series == key) && len(e.Chart.Order) > 0 {
					order = e.Chart.Order
				}
			}
		}
		classes = orderValues(classes, order, "class")
		for _, c := range classes {
			var codes []string
			for _, code := range v.in.Classes[g][c] {
				codes = append(codes, v.codeLabel(g, code))
			}
			b.Table.Rows = append(b.Table.Rows, []cell{{Text: v.keyText(g)}, {Text: v.classLabel(g, c)}, {Text: strings.Join(codes, ", ")}})
		}
	}
	return b
}

// keyText names a column of the format by the catalogue's breakdown whose
// values are its codes (outflow_type: "Outflow type").
func (v *view) keyText(column string) string {
	for _, bk := range v.in.Catalogue.Breakdowns {
		if bk.Source == "codes."+column && bk.Title[v.l.code] != "" {
			return bk.Title[v.l.code]
		}
	}
	return column
}

func (v *view) codeLabel(column, code string) string {
	if k := "codes." + column + "." + code; v.l.tr.Has(k) {
		return v.l.text(k)
	}
	return code
}

func (v *view) classLabel(column, class string) string {
	if k := "classes." + column + "." + class; v.l.tr.Has(k) {
		return v.l.text(k)
	}
	return class
}

// partnersBlock lists the partners whose data the site shows.
func (v *view) partnersBlock() block {
	l := v.l
	b := block{ID: "partners", Title: l.T["method_partners"]}
	b.Table.Text = true
	b.Table.Header = []string{l.T["partner"], l.T["method_region"], l.T["method_quarters_with_data"]}
	for _, p := range v.in.Partners {
		n := 0
		for _, d := range v.all[:v.qi+1] {
			if d.present[p.Code] {
				n++
			}
		}
		b.Table.Rows = append(b.Table.Rows, []cell{{Text: p.Name}, {Text: v.catalogueLabel("regions", p.Region)},
			{Text: l.textf("ui.n_of_m", "n", itoa(n), "m", itoa(v.qi+1))}})
	}
	return b
}
