// Package metrics computes the evaluation criteria of each programme from
// the warehouse: one catalogue per programme (metrics/<programme>/
// catalogue.yaml) and one embedded .sql file per metric, which an
// evaluator can read as the metric's exact definition.
//
// Every metric yields rows of the same tidy shape: partner ("network" for
// the whole network), breakdown ("key=value" pairs joined by ";", empty when
// none), value, numerator and denominator. Compute adds the metric id and
// the quarter. Most metrics are a query that returns these rows; the
// time-to-outflow metrics are a query that returns each trajectory's
// follow-up and a Go estimator (Kaplan–Meier, Aalen–Johansen) that turns
// it into rows.
package metrics

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/spf13/viper"
)

//go:embed */*.sql */*.yaml
var embedded embed.FS

// Units of a metric: what its value is, and so how pages write it and which
// publication rule applies by default.
const (
	UnitCount = "count" // a number of trajectories
	UnitShare = "share" // numerator / denominator, between 0 and 1
	UnitDays  = "days"  // a statistic in days over denominator trajectories
	UnitEuro  = "euro"  // an amount due for numerator persons
	UnitMean  = "mean"  // numerator / denominator, a mean number per trajectory (e.g. talks)
)

// Publication rules (see publish.go): how disclosure control decides
// whether a row's numbers may be published.
const (
	RuleCount     = "count"     // the count itself must reach the threshold
	RuleShare     = "share"     // numerator, denominator and their difference must
	RuleStatistic = "statistic" // the denominator (the trajectories it is taken over) must
	RuleEstimate  = "estimate"  // a survival estimate: exits it rests on and the risk set must
	RuleAmount    = "amount"    // an amount: the persons it is due for (numerator) must
	RuleNone      = "none"      // not about persons (e.g. which partners reported): always published
)

// Estimators of the time-to-outflow metrics.
const (
	EstimatorSurvival  = "survival"  // Kaplan–Meier probability of still being in trajectory
	EstimatorIncidence = "incidence" // Aalen–Johansen cumulative incidence of each outflow class
	EstimatorMedian    = "median"    // Kaplan–Meier median time to outflow
)

// Entry is one metric of the catalogue.
type Entry struct {
	ID          string            `mapstructure:"id"`
	SQL         string            `mapstructure:"sql"`
	Unit        string            `mapstructure:"unit"`
	Population  string            `mapstructure:"population"`
	Period      string            `mapstructure:"period"`
	Title       map[string]string `mapstructure:"title"`
	Description map[string]string `mapstructure:"description"`
	Numerator   map[string]string `mapstructure:"numerator"`
	Denominator map[string]string `mapstructure:"denominator"`
	// Breakdown lists the keys of the metric's breakdown, in the order they
	// are written (alphabetical); empty when the metric has none. Compute
	// refuses rows whose breakdown has other keys.
	Breakdown []string `mapstructure:"breakdown"`
	// Estimator names the Go estimator that turns the SQL's follow-up rows
	// (partner, days, class) into the metric's rows; empty when the SQL
	// returns the rows itself.
	Estimator string `mapstructure:"estimator"`
	// Months are the follow-up times at which an estimator is read
	// (months=N in the breakdown; see MonthDays).
	Months []int `mapstructure:"months"`
	// Disclosure names the publication rule; empty means the unit's own
	// (count: count, share: share, euro: amount, days and mean: statistic).
	Disclosure string `mapstructure:"disclosure"`
	// NotAdditive says that the partners' numerators and denominators do
	// not add up to the network's (a median is taken at a different time
	// per partner), so they are neither checked nor protected as a sum.
	NotAdditive bool `mapstructure:"not_additive"`
	// Page names the dashboard page that shows the metric: overview,
	// engagement, outflow, durations or completeness.
	Page string `mapstructure:"page"`
	// KeyFigure puts the network's value on the overview's key figures.
	KeyFigure bool `mapstructure:"key_figure"`
	// Chart says how the dashboards draw the metric.
	Chart Chart `mapstructure:"chart"`
	// Query is the text of the SQL file.
	Query string `mapstructure:"-"`
}

// Rule is the publication rule of the entry: its Disclosure, or its unit's.
func (e Entry) Rule() string {
	if e.Disclosure != "" {
		return e.Disclosure
	}
	switch e.Unit {
	case UnitCount:
		return RuleCount
	case UnitShare:
		return RuleShare
	case UnitEuro:
		return RuleAmount
	}
	return RuleStatistic
}

// Chart is the dashboards' drawing of a metric, declared with the metric so
// that a new metric (or programme) needs no dashboard code.
//
// Kind is bar, stacked (stacked bars), line, step (a step curve, for
// survival and cumulative incidence) or table (a table without chart). X
// is what the horizontal axis runs over: partner (every partner and the
// network), quarter (the trend up to the page's quarter), or a breakdown
// key (e.g. months). Series is the breakdown key whose values become
// separate series (e.g. class), or empty for one series.
//
// Every chart has a data table beside it: rows are the X values, columns
// the series (on a partner's pages, the partner's and the network's). A
// stacked count table with x: partner gets a total column, and its network
// row is the total of the partners: disclosure control protects both
// margins, with the catalogue's identities.
//
// Optional fields:
//   - Group: metrics of one page with the same group are drawn in one
//     block, one series per metric (they must share X and have no Series);
//     the block's title is the translation groups.<group> when there is
//     one, else the metrics' titles.
//   - Order: values of the X or Series breakdown key in display order
//     (e.g. the outflow classes from durable to other); values not listed
//     follow. Without it, numeric values sort as numbers, others by code.
//     An entry key=value orders the value of that key only (when X and
//     Series share a value, as type other and class other).
//   - Filter: "key=value" pairs joined by ";" that a row's breakdown must
//     contain to be drawn (e.g. "stat=median" when the metric also has
//     quartiles); keys other than X, Series and Filter's must be absent.
//
// Breakdown keys and values are labelled by the catalogue's breakdowns
// section (BreakdownKey); a value without a label shows as itself.
type Chart struct {
	Kind   string   `mapstructure:"kind"`
	X      string   `mapstructure:"x"`
	Series string   `mapstructure:"series"`
	Group  string   `mapstructure:"group"`
	Order  []string `mapstructure:"order"`
	Filter string   `mapstructure:"filter"`
}

// BreakdownKey describes one breakdown key for readers: its title and the
// labels of its values in nl, fr and en. Keys whose values are the
// programme's codes or classes name the translation section instead
// (Source, e.g. classes.outflow_type), so a label is defined once.
type BreakdownKey struct {
	Title  map[string]string            `mapstructure:"title"`
	Source string                       `mapstructure:"source"`
	Values map[string]map[string]string `mapstructure:"values"`
}

// Catalogue is a programme's metrics, in display order.
type Catalogue struct {
	Programme string
	// Prelude is SQL run before the metrics: the views they read; the
	// preludes of included catalogues come first, each file once.
	Prelude     string `mapstructure:"-"`
	PreludeFile string `mapstructure:"prelude"`
	// preludes are the prelude files in the order they run, by path.
	preludes []preludeFile
	Metrics  []Entry `mapstructure:"metrics"`
	// Breakdowns describes every breakdown key the metrics use.
	Breakdowns map[string]BreakdownKey `mapstructure:"breakdowns"`
	// Identities are the equations the metrics satisfy by definition. Each
	// is checked on every run, and each is a way to recover a suppressed
	// number by subtraction, which publication closes.
	Identities []Identity `mapstructure:"identities"`
	// Include lists further catalogue files (relative to this one) whose
	// entries follow this catalogue's own (loadCatalogueFile).
	Include []string `mapstructure:"include"`
}

// Entry returns the metric with the given id.
func (c *Catalogue) Entry(id string) (Entry, bool) {
	i := slices.IndexFunc(c.Metrics, func(e Entry) bool { return e.ID == id })
	if i < 0 {
		return Entry{}, false
	}
	return c.Metrics[i], true
}

// LoadCatalogue reads the embedded catalogue of a programme with its SQL.
func LoadCatalogue(programme string) (*Catalogue, error) {
	return loadCatalogue(embedded, programme)
}

func loadCatalogue(fsys fs.FS, programme string) (*Catalogue, error) {
	c, err := loadCatalogueFile(fsys, path.Join(programme, "catalogue.yaml"), 0)
	if err != nil {
		return nil, err
	}
	c.Programme = programme
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("metrics: %s/catalogue.yaml: %w", programme, err)
	}
	return c, nil
}

// loadCatalogueFile reads one catalogue file with its SQL (paths relative
// to the file's folder) and, after its own entries, those of the files it
// includes: their metrics and identities follow, their breakdowns fill in
// keys it does not describe, and their preludes run before its own. So
// a programme of another's shape includes that catalogue whole (lvv:
// include: [../atn/catalogue.yaml]) and every programme shares the
// reporting metrics (../shared/reports.yaml).
func loadCatalogueFile(fsys fs.FS, file string, depth int) (*Catalogue, error) {
	if depth > 4 {
		return nil, fmt.Errorf("metrics: %s: includes nest too deep", file)
	}
	dir := path.Dir(file)
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("metrics: no catalogue %s: %w", file, err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", file, err)
	}
	c := &Catalogue{}
	if err := v.Unmarshal(c); err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", file, err)
	}
	for i := range c.Metrics {
		e := &c.Metrics[i]
		q, err := fs.ReadFile(fsys, path.Join(dir, e.SQL))
		if err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", e.ID, err)
		}
		e.Query = string(q)
	}
	var preludes []preludeFile
	own := c.PreludeFile
	for _, inc := range c.Include {
		sub, err := loadCatalogueFile(fsys, path.Join(dir, inc), depth+1)
		if err != nil {
			return nil, err
		}
		rel := path.Dir(inc)
		for _, e := range sub.Metrics {
			e.SQL = path.Join(rel, e.SQL)
			c.Metrics = append(c.Metrics, e)
		}
		c.Identities = append(c.Identities, sub.Identities...)
		if c.Breakdowns == nil {
			c.Breakdowns = map[string]BreakdownKey{}
		}
		for k, b := range sub.Breakdowns {
			if _, own := c.Breakdowns[k]; !own {
				c.Breakdowns[k] = b
			}
		}
		if c.PreludeFile == "" && sub.PreludeFile != "" {
			c.PreludeFile = path.Join(rel, sub.PreludeFile)
		}
		preludes = append(preludes, sub.preludes...)
	}
	if own != "" {
		file := path.Join(dir, own)
		p, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		preludes = append(preludes, preludeFile{file, string(p)})
	}
	var texts []string
	for _, p := range preludes {
		if !slices.ContainsFunc(c.preludes, func(q preludeFile) bool { return q.file == p.file }) {
			c.preludes = append(c.preludes, p)
			texts = append(texts, p.text)
		}
	}
	c.Prelude = strings.Join(texts, "\n")
	return c, nil
}

// preludeFile is one prelude's SQL and its path in the metrics tree.
type preludeFile struct{ file, text string }
