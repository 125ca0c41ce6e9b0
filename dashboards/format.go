package dashboards

import (
	"bytes"
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
	var buf [48]byte
	return string(f.appendNumber(buf[:0], v, decimals))
}

// appendNumber appends number(v, decimals) to b.
func (f numberFormat) appendNumber(b []byte, v float64, decimals int) []byte {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], math.Abs(v), 'f', decimals, 64)
	intPart, frac := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	// A negative number that rounds to zero without decimals is 0, not -0.
	if v < 0 && (frac != nil || strings.Trim(string(intPart), "0") != "") {
		b = append(b, '-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b = append(b, f.thousands...)
		}
		b = append(b, c)
	}
	if len(frac) > 0 {
		b = append(b, f.decimal...)
		b = append(b, frac...)
	}
	return b
}

// percent formats a share (0..1) as a percentage with one decimal.
func (f numberFormat) percent(share float64) string {
	var buf [48]byte
	b := f.appendNumber(buf[:0], share*100, 1)
	b = append(b, f.percentSpace...)
	return string(append(b, '%'))
}
