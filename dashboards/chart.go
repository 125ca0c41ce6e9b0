package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
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
	description string // the accessible description of the chart
}

// option builds the ECharts option of a chart with go-echarts and returns
// it as JSON safe to embed in an HTML data block: <, > and & are escaped,
// so no label (a partner's name, say) can close the block.
func option(c chartSpec) (template.JS, error) {
	percent := c.unit == metrics.UnitShare
	aria := &opts.Aria{Enabled: opts.Bool(true),
		Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: c.description},
		Decal: &opts.AriaDecal{Show: opts.Bool(true)}}
	numeric := c.kind == "step" && len(c.xValues) == len(c.categories) && len(c.xValues) > 0
	horizontal := c.horizontal()
	valueAxis := func() (opts.XAxis, opts.YAxis) {
		x := opts.XAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}
		y := opts.YAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}
		if percent && c.kind != "line" && c.kind != "step" {
			x.Max, y.Max = 100, 100
		}
		return x, y
	}
	xv, yv := valueAxis()
	var xAxis opts.XAxis
	var yAxis opts.YAxis
	switch {
	case horizontal:
		// Many categories read best down the page, first at the top.
		xAxis = xv
		yAxis = opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}
	case numeric:
		xAxis = opts.XAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}
		yAxis = yv
	default:
		xAxis = opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", HideOverlap: opts.Bool(true)}}
		yAxis = yv
	}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: c.id}),
		charts.WithColorsOpts(okabeIto),
		charts.WithAriaOpts(aria),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(c.series) > 1), Bottom: "0", Type: "scroll"}),
		charts.WithAnimation(false),
		charts.WithXAxisOpts(xAxis),
		charts.WithYAxisOpts(yAxis),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "4%", Top: "4%", Bottom: gridBottom(c), ContainLabel: opts.Bool(true)}),
	}

	var obj map[string]any
	switch c.kind {
	case "line", "step":
		line := charts.NewLine()
		line.SetGlobalOptions(global...)
		if !numeric {
			line.SetXAxis(c.categories)
		}
		lo := opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true)}
		if c.kind == "step" {
			lo.Step = "end"
		}
		for _, s := range c.series {
			data := make([]opts.LineData, len(s.values))
			for i, v := range s.values {
				y := scaled(v, percent)
				if numeric {
					data[i] = opts.LineData{Value: []any{c.xValues[i], y}}
				} else {
					data[i] = opts.LineData{Value: y}
				}
			}
			line.AddSeries(s.name, data, charts.WithLineChartOpts(lo))
		}
		line.Validate()
		obj = line.JSON()
	default:
		bar := charts.NewBar()
		bar.SetGlobalOptions(global...)
		bar.SetXAxis(c.categories)
		if horizontal {
			bar.XYReversal()
		}
		for _, s := range c.series {
			var o []charts.SeriesOpts
			if c.kind == "stacked" {
				o = append(o, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			data := make([]opts.BarData, len(s.values))
			for i, v := range s.values {
				data[i] = opts.BarData{Value: scaled(v, percent)}
			}
			bar.AddSeries(s.name, data, o...)
		}
		bar.Validate()
		obj = bar.JSON()
	}
	// The tooltip is drawn on the canvas (renderMode richText), not as
	// HTML: the Content-Security-Policy forbids inline styles, and no label
	// is ever parsed as markup.
	obj["tooltip"] = map[string]any{"show": true, "trigger": "axis", "renderMode": "richText", "confine": true}
	delete(obj, "toolbox")
	data, err := json.Marshal(obj)
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
