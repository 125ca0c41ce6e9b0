package metrics

import (
	"fmt"
	"regexp"
	"slices"
)

// Languages of every text of the catalogue.
var languages = []string{"nl", "fr", "en"}

// Pages, chart kinds and axes the dashboards know.
var (
	pages      = []string{"overview", "engagement", "outflow", "durations", "completeness"}
	chartKinds = []string{"bar", "stacked", "line", "step", "table"}
	idPattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// check validates the catalogue as loaded, so that a mistake in it stops
// the run before any number is computed.
func (c *Catalogue) check() error {
	seen := map[string]bool{}
	for i, e := range c.Metrics {
		if !idPattern.MatchString(e.ID) || seen[e.ID] {
			return fmt.Errorf("metrics[%d]: missing, malformed or repeated id %q", i, e.ID)
		}
		seen[e.ID] = true
		if err := c.checkEntry(e); err != nil {
			return fmt.Errorf("%s: %w", e.ID, err)
		}
	}
	for i, id := range c.Identities {
		if err := c.checkIdentity(id); err != nil {
			return fmt.Errorf("identities[%d] (%s): %w", i, id.Name, err)
		}
	}
	return nil
}

func (c *Catalogue) checkEntry(e Entry) error {
	if !slices.Contains([]string{UnitCount, UnitShare, UnitDays, UnitEuro, UnitMean}, e.Unit) {
		return fmt.Errorf("unit %q is unknown", e.Unit)
	}
	if !slices.Contains([]string{RuleCount, RuleShare, RuleStatistic, RuleEstimate, RuleAmount, RuleNone}, e.Rule()) {
		return fmt.Errorf("disclosure rule %q is unknown", e.Rule())
	}
	if e.Population == "" || e.Period == "" {
		return fmt.Errorf("population and period are needed")
	}
	for _, lang := range languages {
		if e.Title[lang] == "" || e.Description[lang] == "" {
			return fmt.Errorf("title and description are needed in %s", lang)
		}
	}
	for what, texts := range map[string]map[string]string{"numerator": e.Numerator, "denominator": e.Denominator} {
		for _, lang := range languages {
			if _, ok := texts[lang]; !ok {
				return fmt.Errorf("%s needs a text in %s (empty when it does not apply)", what, lang)
			}
		}
	}
	if !slices.IsSorted(e.Breakdown) || len(slices.Compact(slices.Clone(e.Breakdown))) != len(e.Breakdown) {
		return fmt.Errorf("breakdown keys %v must be unique and in alphabetical order", e.Breakdown)
	}
	for _, k := range e.Breakdown {
		d, ok := c.Breakdowns[k]
		if !ok {
			return fmt.Errorf("breakdown key %q is not described under breakdowns", k)
		}
		for _, lang := range languages {
			if d.Title[lang] == "" {
				return fmt.Errorf("breakdown key %q needs a title in %s", k, lang)
			}
		}
		if d.Source == "" && len(d.Values) == 0 {
			return fmt.Errorf("breakdown key %q needs value labels or a source", k)
		}
	}
	if err := checkEstimator(e); err != nil {
		return err
	}
	if !slices.Contains(pages, e.Page) {
		return fmt.Errorf("page %q is not one of %v", e.Page, pages)
	}
	if !slices.Contains(chartKinds, e.Chart.Kind) {
		return fmt.Errorf("chart kind %q is not one of %v", e.Chart.Kind, chartKinds)
	}
	if e.Chart.X != "partner" && e.Chart.X != "quarter" && !slices.Contains(e.Breakdown, e.Chart.X) {
		return fmt.Errorf("chart x %q is neither partner, quarter nor a breakdown key", e.Chart.X)
	}
	if e.Chart.Series != "" && !slices.Contains(e.Breakdown, e.Chart.Series) {
		return fmt.Errorf("chart series %q is not a breakdown key", e.Chart.Series)
	}
	return nil
}

func checkEstimator(e Entry) error {
	want := map[string][]string{
		EstimatorSurvival:  {"months"},
		EstimatorIncidence: {"class", "months"},
		EstimatorMedian:    nil,
	}
	if e.Estimator == "" {
		if len(e.Months) > 0 {
			return fmt.Errorf("months are for estimators only")
		}
		return nil
	}
	keys, ok := want[e.Estimator]
	if !ok {
		return fmt.Errorf("estimator %q is unknown", e.Estimator)
	}
	if !slices.Equal(e.Breakdown, keys) {
		return fmt.Errorf("estimator %s writes the breakdown keys %v, not %v", e.Estimator, keys, e.Breakdown)
	}
	if (len(e.Months) > 0) != slices.Contains(keys, "months") {
		return fmt.Errorf("estimator %s: months must be given exactly when the breakdown has months", e.Estimator)
	}
	for _, m := range e.Months {
		if m <= 0 {
			return fmt.Errorf("months must be positive, not %d", m)
		}
	}
	return nil
}

func (c *Catalogue) checkIdentity(id Identity) error {
	if id.Name == "" || len(id.Terms) == 0 {
		return fmt.Errorf("an identity needs a name and terms")
	}
	vars := map[string]bool{}
	for _, t := range id.Terms {
		e, ok := c.Entry(t.Metric)
		if !ok {
			return fmt.Errorf("metric %q is not in the catalogue", t.Metric)
		}
		p, err := compilePattern(t.Breakdown)
		if err != nil {
			return err
		}
		if !slices.Equal(p.keys(), e.Breakdown) && !(len(p) == 0 && len(e.Breakdown) == 0) {
			return fmt.Errorf("breakdown %q of %s must have the keys %v", t.Breakdown, t.Metric, e.Breakdown)
		}
		for _, part := range p {
			if part.variable != "" {
				vars[part.variable] = true
			}
		}
		if !slices.Contains([]string{"", "value", "numerator", "denominator"}, t.Field) {
			return fmt.Errorf("field %q is not value, numerator or denominator", t.Field)
		}
	}
	for v := range vars {
		if !slices.Contains(id.Each, v) {
			return fmt.Errorf("variable {%s} is not listed under each", v)
		}
	}
	for _, v := range id.Each {
		if !vars[v] {
			return fmt.Errorf("each lists %s, which no term uses", v)
		}
	}
	return nil
}
