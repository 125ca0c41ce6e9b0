// Package metrics computes the evaluation criteria of each programme from
// the warehouse: one catalogue per programme (metrics/<programme>/
// catalogue.yaml) and one embedded .sql file per metric, which an
// evaluator can read as the metric's exact definition.
//
// Every metric yields rows of the same tidy shape: partner ("network" for
// the whole network), breakdown ("key=value" pairs joined by ";", empty when
// none), value, numerator and denominator. Compute adds the metric id and
// the quarter.
package metrics

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/spf13/viper"
)

//go:embed */*.sql */*.yaml
var embedded embed.FS

// Units of a metric; they decide how disclosure control treats it.
const (
	UnitCount = "count" // a number of trajectories
	UnitShare = "share" // numerator / denominator, between 0 and 1
	UnitDays  = "days"  // a statistic in days over denominator trajectories
	UnitEuro  = "euro"  // an amount due for numerator persons
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
	// Page names the dashboard page that shows the metric: overview,
	// engagement, outflow, durations or completeness.
	Page string `mapstructure:"page"`
	// KeyFigure puts the network's value on the overview's key figures.
	KeyFigure bool `mapstructure:"key_figure"`
	// Chart says how the dashboards draw the metric.
	Chart Chart `mapstructure:"chart"`
	// Parts declares that the metric's counts are sums of another
	// metric's counts, so that disclosure control protects the two tables
	// together (see Parts).
	Parts *Parts `mapstructure:"parts"`
	// Query is the text of the SQL file.
	Query string `mapstructure:"-"`
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
// count table with x: partner and a series gets a total column, and its
// network row is the total of the partners: disclosure control protects
// both margins.
//
// Optional fields:
//   - Group: metrics of one page with the same group are drawn in one
//     block, one series per metric (they must share X and have no Series);
//     the block's title is the translation groups.<group> when there is
//     one, else the metrics' titles.
//   - Order: values of the X or Series breakdown key in display order
//     (e.g. the outflow classes from durable to other); values not listed
//     follow. Without it, numeric values sort as numbers, others by code.
//   - Filter: "key=value" pairs joined by ";" that a row's breakdown must
//     contain to be drawn (e.g. "stat=median" when the metric also has
//     quartiles); keys other than X, Series and Filter's must be absent.
//
// Breakdown values are labelled by the translation breakdown.<key>.<value>,
// else breakdown.<key>.any with {value}, else the value itself; the key by
// breakdown_key.<key>.
type Chart struct {
	Kind   string   `mapstructure:"kind"`
	X      string   `mapstructure:"x"`
	Series string   `mapstructure:"series"`
	Group  string   `mapstructure:"group"`
	Order  []string `mapstructure:"order"`
	Filter string   `mapstructure:"filter"`
}

// Parts says that a count metric adds up from another count metric, per
// partner and for the network: a reader who sees both tables can subtract
// one from the other, so disclosure control must see the relation.
//
// With Key set, each value c of this metric's breakdown key Key is the sum
// of Metric's rows whose PartKey value belongs to c in the programme
// format's grouping Classes (exits by class = the sum of exits by type in
// the class). With Key empty, this metric's row with breakdown Breakdown
// (default empty) is the sum of all of Metric's rows (a total).
type Parts struct {
	Metric    string `mapstructure:"metric"`
	Key       string `mapstructure:"key"`
	PartKey   string `mapstructure:"part_key"`
	Classes   string `mapstructure:"classes"`
	Breakdown string `mapstructure:"breakdown"`
}

// Catalogue is a programme's metrics, in display order.
type Catalogue struct {
	Programme string
	// Prelude is SQL run before the metrics: the views they read.
	Prelude     string  `mapstructure:"-"`
	PreludeFile string  `mapstructure:"prelude"`
	Metrics     []Entry `mapstructure:"metrics"`
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
	dir := programme
	data, err := fs.ReadFile(fsys, path.Join(dir, "catalogue.yaml"))
	if err != nil {
		return nil, fmt.Errorf("metrics: programme %s has no catalogue: %w", programme, err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("metrics: %s/catalogue.yaml: %w", dir, err)
	}
	c := &Catalogue{Programme: programme}
	if err := v.Unmarshal(c); err != nil {
		return nil, fmt.Errorf("metrics: %s/catalogue.yaml: %w", dir, err)
	}
	if c.PreludeFile != "" {
		p, err := fs.ReadFile(fsys, path.Join(dir, c.PreludeFile))
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		c.Prelude = string(p)
	}
	seen := map[string]bool{}
	for i := range c.Metrics {
		e := &c.Metrics[i]
		if e.ID == "" || seen[e.ID] {
			return nil, fmt.Errorf("metrics: %s/catalogue.yaml: metrics[%d]: missing or repeated id %q", dir, i, e.ID)
		}
		seen[e.ID] = true
		if !slices.Contains([]string{UnitCount, UnitShare, UnitDays, UnitEuro}, e.Unit) {
			return nil, fmt.Errorf("metrics: %s: unit %q is unknown", e.ID, e.Unit)
		}
		for _, lang := range []string{"nl", "fr", "en"} {
			if e.Title[lang] == "" || e.Description[lang] == "" {
				return nil, fmt.Errorf("metrics: %s: title and description are needed in %s", e.ID, lang)
			}
		}
		q, err := fs.ReadFile(fsys, path.Join(dir, e.SQL))
		if err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", e.ID, err)
		}
		e.Query = string(q)
	}
	return c, nil
}
