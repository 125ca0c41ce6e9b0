package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/opts"

	"doorstroom/metrics"
)

// okabeIto is the colour-blind-safe palette of Okabe and Ito; charts also
// switch on ECharts' decal patterns, so colour is never the only cue.
var okabeIto = opts.Colors{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// series is one named line or set of bars; nil values are gaps (a
// withheld or missing number is never drawn, least of all as zero).
type series struct {
	name   string
	values []*float64
}

// chartSpec is what a block's chart shows.
type chartSpec struct {
	id   string
	kind string // bar, stacked, line, step
	// categories label the x axis; xValues, when set, put the points of a
	// step chart on a numeric axis instead.
	categories  []string
	xValues     []float64
	series      []series
	unit        string
	xName       string // the numeric x axis's name (a step chart's key)
	description string // the accessible description of the chart
}

// echartsOption is an ECharts option assembled from go-echarts' option
// types. The site has tens of thousands of charts, so the option is built
// directly rather than through go-echarts' chart objects, whose
// reflective defaults cost more than everything else a chart needs.
type echartsOption struct {
	Color     []string      `json:"color"`
	Aria      *opts.Aria    `json:"aria"`
	Legend    opts.Legend   `json:"legend"`
	Tooltip   tooltip       `json:"tooltip"`
	Animation bool          `json:"animation"`
	Grid      opts.Grid     `json:"grid"`
	XAxis     []opts.XAxis  `json:"xAxis"`
	YAxis     []opts.YAxis  `json:"yAxis"`
	Series    []chartSeries `json:"series"`
}

// chartSeries is the part of go-echarts' charts.SingleSeries these charts
// use: encoding the full type costs more than the rest of the option.
type chartSeries struct {
	Name         string `json:"name"`
	Type         string `json:"type"`
	Stack        string `json:"stack,omitempty"`
	Step         string `json:"step,omitempty"`
	ConnectNulls *bool  `json:"connectNulls,omitempty"`
	ShowSymbol   *bool  `json:"showSymbol,omitempty"`
	Data         []any  `json:"data"`
}

// tooltip is drawn on the canvas (renderMode richText), not as HTML: the
// Content-Security-Policy forbids inline styles, and no label is ever
// parsed as markup.
type tooltip struct {
	Show       bool   `json:"show"`
	Trigger    string `json:"trigger"`
	RenderMode string `json:"renderMode"`
	Confine    bool   `json:"confine"`
}

// option builds the ECharts option of a chart and returns it as JSON safe
// to embed in an HTML data block: <, > and & are escaped, so no label (a
// partner's name, say) can close the block.
func option(c chartSpec) (template.JS, error) {
	percent := c.unit == metrics.UnitShare
	numeric := c.kind == "step" && len(c.xValues) == len(c.categories) && len(c.xValues) > 0
	horizontal := c.horizontal()
	show := &opts.AxisLabel{Show: opts.Bool(true)}
	valueX := opts.XAxis{Type: "value", Min: 0, AxisLabel: show}
	valueY := opts.YAxis{Type: "value", Min: 0, AxisLabel: show}
	if percent && c.kind != "line" && c.kind != "step" {
		valueX.Max, valueY.Max = 100, 100
	}
	if c.unit == metrics.UnitCount || c.unit == metrics.UnitDays {
		// Whole numbers: no axis tick between 0 and 1.
		valueX.MinInterval, valueY.MinInterval = 1, 1
	}
	o := echartsOption{
		Color: okabeIto,
		Aria: &opts.Aria{Enabled: opts.Bool(true),
			Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: c.description},
			Decal: &opts.AriaDecal{Show: opts.Bool(true)}},
		Legend:  opts.Legend{Show: opts.Bool(len(c.series) > 1), Bottom: "0", Type: "scroll"},
		Tooltip: tooltip{Show: true, Trigger: "axis", RenderMode: "richText", Confine: true},
		Grid:    opts.Grid{Left: "2%", Right: "4%", Top: "4%", Bottom: gridBottom(c), ContainLabel: opts.Bool(true)},
	}
	switch {
	case horizontal:
		// Many categories read best down the page, first at the top.
		o.XAxis = []opts.XAxis{valueX}
		o.YAxis = []opts.YAxis{{Type: "category", Inverse: opts.Bool(true), Data: c.categories,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}}
	case numeric:
		o.XAxis = []opts.XAxis{{Type: "value", Min: 0, AxisLabel: show, Name: c.xName, NameLocation: "middle", NameGap: 28}}
		o.YAxis = []opts.YAxis{valueY}
	default:
		o.XAxis = []opts.XAxis{{Type: "category", Data: c.categories,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", HideOverlap: opts.Bool(true)}}}
		o.YAxis = []opts.YAxis{valueY}
	}
	for _, s := range c.series {
		ss := chartSeries{Name: s.name, Type: "bar"}
		switch c.kind {
		case "line", "step":
			no, yes := false, true
			ss.Type, ss.ConnectNulls, ss.ShowSymbol = "line", &no, &yes
			if c.kind == "step" {
				ss.Step = "end"
			}
		case "stacked":
			ss.Stack = "total"
		}
		data := make([]any, len(s.values))
		for i, v := range s.values {
			y := scaled(v, percent)
			if numeric {
				data[i] = []any{c.xValues[i], y}
			} else {
				data[i] = y
			}
		}
		ss.Data = data
		o.Series = append(o.Series, ss)
	}
	data, err := json.Marshal(o)
	if err != nil {
		return "", fmt.Errorf("dashboards: chart %s: %w", c.id, err)
	}
	var safe bytes.Buffer
	json.HTMLEscape(&safe, data)
	return template.JS(safe.String()), nil
}

// horizontal reports whether a bar chart lays its categories down the
// page: with many categories, or long labels, rotated labels would be
// unreadable.
func (c chartSpec) horizontal() bool {
	if c.kind != "bar" && c.kind != "stacked" {
		return false
	}
	long := 0
	for _, cat := range c.categories {
		if len([]rune(cat)) > 14 {
			long++
		}
	}
	return len(c.categories) > 8 || len(c.categories) > 3 && long > 0
}

// sizeClass is the CSS class that gives the chart its height (pages may
// not carry inline styles): horizontal bar charts grow with their
// categories.
func (c chartSpec) sizeClass() string {
	if !c.horizontal() {
		return ""
	}
	bars := len(c.categories)
	switch {
	case bars > 30:
		return "h-xl"
	case bars > 14:
		return "h-l"
	case bars > 6:
		return "h-m"
	}
	return ""
}

// valuesOn is the axis that carries the chart's values (x for horizontal
// bars), for the chart script's number formats.
func (c chartSpec) valuesOn() string {
	if c.horizontal() {
		return "x"
	}
	return "y"
}

func gridBottom(c chartSpec) string {
	if len(c.series) > 1 {
		return "14%"
	}
	return "4%"
}

func scaled(v *float64, percent bool) any {
	if v == nil {
		return "-" // ECharts draws "-" as a gap
	}
	if percent {
		return *v * 100
	}
	return *v
}

// setChart draws spec as the block's chart.
func (b *block) setChart(spec chartSpec) error {
	opt, err := option(spec)
	if err != nil {
		return err
	}
	b.ChartID, b.Option, b.ChartClass, b.ValuesOn = spec.id, opt, spec.sizeClass(), spec.valuesOn()
	return nil
}
