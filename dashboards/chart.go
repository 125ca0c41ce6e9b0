package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// okabeIto is the colour-blind-safe palette of Okabe and Ito; charts also
// switch on ECharts' decal patterns, so colour is never the only cue.
var okabeIto = opts.Colors{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// series is one named line or set of bars; nil values are gaps (a
// suppressed or missing number is never drawn as zero).
type series struct {
	name   string
	values []*float64
}

// chartSpec is what a block's chart shows.
type chartSpec struct {
	id          string
	kind        string // bar, stacked, line
	categories  []string
	series      []series
	description string // the accessible description of the chart
	percent     bool   // values are shares, drawn as percentages
}

// option builds the ECharts option of a chart with go-echarts and returns
// it as JSON safe to embed in an HTML data block: <, > and & are escaped,
// so no label can close the block.
func option(c chartSpec) (template.JS, error) {
	aria := &opts.Aria{Enabled: opts.Bool(true),
		Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: c.description},
		Decal: &opts.AriaDecal{Show: opts.Bool(true)}}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: c.id}),
		charts.WithColorsOpts(okabeIto),
		charts.WithAriaOpts(aria),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(c.series) > 1), Bottom: "0"}),
		charts.WithAnimation(false),
	}
	if c.percent {
		global = append(global, charts.WithYAxisOpts(opts.YAxis{Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}))
	}
	var snippet string
	switch c.kind {
	case "line":
		line := charts.NewLine()
		line.SetGlobalOptions(global...)
		line.SetXAxis(c.categories)
		for _, s := range c.series {
			line.AddSeries(s.name, lineData(s.values, c.percent), charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)}))
		}
		snippet = line.RenderSnippet().Option
	default:
		bar := charts.NewBar()
		bar.SetGlobalOptions(global...)
		bar.SetXAxis(c.categories)
		for _, s := range c.series {
			var o []charts.SeriesOpts
			if c.kind == "stacked" {
				o = append(o, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			bar.AddSeries(s.name, barData(s.values, c.percent), o...)
		}
		snippet = bar.RenderSnippet().Option
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(snippet)); err != nil {
		return "", fmt.Errorf("dashboards: chart %s: %w", c.id, err)
	}
	var safe bytes.Buffer
	json.HTMLEscape(&safe, compact.Bytes())
	return template.JS(safe.String()), nil
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

func barData(vs []*float64, percent bool) []opts.BarData {
	out := make([]opts.BarData, len(vs))
	for i, v := range vs {
		out[i] = opts.BarData{Value: scaled(v, percent)}
	}
	return out
}

func lineData(vs []*float64, percent bool) []opts.LineData {
	out := make([]opts.LineData, len(vs))
	for i, v := range vs {
		out[i] = opts.LineData{Value: scaled(v, percent)}
	}
	return out
}
