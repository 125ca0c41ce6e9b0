package dashboards

import (
	"math"
	"strconv"
	"strings"
)

// numberFormat writes numbers the way a language's readers expect:
// 1.234,5 in Dutch and French, 1,234.5 in English.
type numberFormat struct {
	thousands, decimal string
	percentSpace       string
}

var formats = map[string]numberFormat{
	"nl": {thousands: ".", decimal: ",", percentSpace: ""},
	"fr": {thousands: "\u202f", decimal: ",", percentSpace: "\u202f"},
	"en": {thousands: ",", decimal: ".", percentSpace: ""},
}

func formatFor(lang string) numberFormat {
	if f, ok := formats[lang]; ok {
		return f
	}
	return formats["en"]
}

// number formats v with the given number of decimals.
func (f numberFormat) number(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && s != strings.Repeat("0", len(intPart)) {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(f.thousands)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(f.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// percent formats a share (0..1) as a percentage with one decimal.
func (f numberFormat) percent(share float64) string {
	return f.number(share*100, 1) + f.percentSpace + "%"
}
