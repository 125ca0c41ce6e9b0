package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

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

// writeOption writes the ECharts option of a chart into b (the page, when
// it is written) as JSON safe to embed in an HTML data block: every
// string is written as encoding/json writes it, with <, > and & escaped,
// so no label (a partner's name, say) can close the block.
//
// The site has tens of thousands of charts, so the option is written
// directly: the axes are go-echarts option types (opts.XAxis, opts.YAxis,
// opts.Legend, opts.Grid), encoded once per variant and remembered; the
// series data are written number by number; block.setChart has already
// refused a value JSON cannot carry.
func writeOption(b *bytes.Buffer, c *chartSpec) {
	percent := c.unit == metrics.UnitShare
	numeric := c.kind == "step" && len(c.xValues) == len(c.categories) && len(c.xValues) > 0
	horizontal := c.horizontal()
	b.WriteString(`{"color":`)
	b.WriteString(paletteJSON)
	b.WriteString(`,"aria":{"enabled":true,"label":{"enabled":true,"description":`)
	writeString(b, c.description)
	b.WriteString(`},"decal":{"show":true}},"legend":`)
	b.WriteString(cachedJSON("legend", len(c.series) > 1, func() any {
		return opts.Legend{Show: opts.Bool(len(c.series) > 1), Bottom: "0", Type: "scroll"}
	}))
	// The tooltip is drawn on the canvas (renderMode richText), not as
	// HTML: the Content-Security-Policy forbids inline styles, and no
	// label is ever parsed as markup.
	b.WriteString(`,"tooltip":{"show":true,"trigger":"axis","renderMode":"richText","confine":true},"animation":false,"grid":`)
	bottom := gridBottom(*c)
	b.WriteString(cachedJSON("grid", bottom, func() any {
		return opts.Grid{Left: "2%", Right: "4%", Top: "4%", Bottom: bottom, ContainLabel: opts.Bool(true)}
	}))
	valueAxis := func(x bool) string {
		key := valueAxisKey{x, c.unit, percent && c.kind != "line" && c.kind != "step"}
		return cachedJSON("value", key, func() any {
			show := &opts.AxisLabel{Show: opts.Bool(true)}
			vx := opts.XAxis{Type: "value", Min: 0, AxisLabel: show}
			vy := opts.YAxis{Type: "value", Min: 0, AxisLabel: show}
			if percent && c.kind != "line" && c.kind != "step" {
				vx.Max, vy.Max = 100, 100
			}
			if c.unit == metrics.UnitCount || c.unit == metrics.UnitDays {
				// Whole numbers: no axis tick between 0 and 1.
				vx.MinInterval, vy.MinInterval = 1, 1
			}
			if x {
				return vx
			}
			return vy
		})
	}
	withData := func(axis string) {
		// The axis object with its categories added as "data".
		b.WriteString(axis[:len(axis)-1])
		b.WriteString(`,"data":`)
		writeStrings(b, c.categories)
		b.WriteByte('}')
	}
	switch {
	case horizontal:
		// Many categories read best down the page, first at the top.
		b.WriteString(`,"xAxis":[`)
		b.WriteString(valueAxis(true))
		b.WriteString(`],"yAxis":[`)
		withData(cachedJSON("axis", "categories down", func() any {
			return opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}
		}))
		b.WriteString(`]`)
	case numeric:
		b.WriteString(`,"xAxis":[`)
		name := c.xName
		b.WriteString(cachedJSON("numeric axis", name, func() any {
			return opts.XAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)},
				Name: name, NameLocation: "middle", NameGap: 28}
		}))
		b.WriteString(`],"yAxis":[`)
		b.WriteString(valueAxis(false))
		b.WriteString(`]`)
	default:
		b.WriteString(`,"xAxis":[`)
		withData(cachedJSON("axis", "categories across", func() any {
			return opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", HideOverlap: opts.Bool(true)}}
		}))
		b.WriteString(`],"yAxis":[`)
		b.WriteString(valueAxis(false))
		b.WriteString(`]`)
	}
	b.WriteString(`,"series":[`)
	for si, s := range c.series {
		if si > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"name":`)
		writeString(b, s.name)
		switch c.kind {
		case "line":
			b.WriteString(`,"type":"line","connectNulls":false,"showSymbol":true`)
		case "step":
			b.WriteString(`,"type":"line","step":"end","connectNulls":false,"showSymbol":true`)
		case "stacked":
			b.WriteString(`,"type":"bar","stack":"total"`)
		default:
			b.WriteString(`,"type":"bar"`)
		}
		b.WriteString(`,"data":[`)
		for i, v := range s.values {
			if i > 0 {
				b.WriteByte(',')
			}
			if numeric {
				b.WriteByte('[')
				b.Write(strconv.AppendFloat(b.AvailableBuffer(), c.xValues[i], 'g', -1, 64))
				b.WriteByte(',')
			}
			if v == nil {
				b.WriteString(`"-"`) // ECharts draws "-" as a gap
			} else {
				x := *v
				if percent {
					x *= 100
				}
				b.Write(strconv.AppendFloat(b.AvailableBuffer(), x, 'g', -1, 64))
			}
			if numeric {
				b.WriteByte(']')
			}
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
}

// paletteJSON is the Okabe–Ito palette as JSON.
var paletteJSON = func() string {
	data, _ := json.Marshal(okabeIto)
	return string(data)
}()

// optionParts remembers the JSON of option parts that recur.
var optionParts sync.Map

// valueAxisKey names a variant of the value axis.
type valueAxisKey struct {
	x       bool
	unit    string
	percent bool
}

// partKey names an option part: its kind and a comparable key.
type partKey struct {
	kind string
	key  any
}

// cachedJSON returns the JSON of the value build makes for kind and key
// (comparable), encoding it once.
func cachedJSON(kind string, key any, build func() any) string {
	k := partKey{kind, key}
	if v, ok := optionParts.Load(k); ok {
		return v.(string)
	}
	data, err := json.Marshal(build())
	if err != nil {
		panic(err) // option types always encode
	}
	optionParts.Store(k, string(data))
	return string(data)
}

// writeString writes s as a JSON string with <, > and & escaped, as
// json.Marshal writes it; the common string that needs no escape is
// written as it is.
func writeString(b *bytes.Buffer, s string) {
	if jsonPlain(s) {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	data, _ := json.Marshal(s)
	b.Write(data)
}

// jsonPlain reports whether json.Marshal writes s unchanged between
// quotes: valid UTF-8 without control characters, quotes, backslashes,
// <, >, & or the line and paragraph separators.
func jsonPlain(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			ascii = false
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return ascii || utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}

func writeStrings(b *bytes.Buffer, ss []string) {
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, s)
	}
	b.WriteByte(']')
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

// setChart draws spec as the block's chart.
// The option is written with the page; a value it cannot carry fails
// here, while the page is built.
func (b *block) setChart(spec chartSpec) error {
	percent := spec.unit == metrics.UnitShare
	for _, s := range spec.series {
		for _, v := range s.values {
			if v == nil {
				continue
			}
			x := *v
			if percent {
				x *= 100
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("dashboards: chart %s: value %v", spec.id, x)
			}
		}
	}
	b.ChartID, b.chart, b.ChartClass, b.ValuesOn = spec.id, &spec, spec.sizeClass(), spec.valuesOn()
	return nil
}
