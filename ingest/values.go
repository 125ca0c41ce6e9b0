package ingest

import (
	"strconv"
	"strings"

	"doorstroom/config"
)

// value is one parsed cell. Dates are days since 1970-01-01 (Arrow's
// date32), years and counts plain integers, yes/no 1 or 0; text, codes and
// countries are in s, in canonical form.
type value struct {
	set bool
	s   string
	n   int64
}

// parser turns the text of one cell into a value of its column's type, or
// says which rule it breaks. The quarter bounds plausible years and dates.
type parser struct {
	codes     map[string]map[string]string // column -> folded label -> code
	countries map[string]string            // upper-case alpha-2/alpha-3 -> alpha-2
	endDays   int64                        // quarter end, days since epoch
	endYear   int
	// labels caches the code and yes/no labels already folded, per column
	// (by its index in the format): folding is the slow part of reading a
	// label and files repeat them.
	labels []map[string]labelResult
}

type labelResult struct {
	v  value
	ok bool
}

// maxCachedLabels bounds the cache per column, so a hostile file of
// millions of distinct labels costs time, not memory.
const maxCachedLabels = 4096

// problem is a rule broken by a cell, with the sentence's arguments.
type problem struct {
	rule string
	args map[string]string
}

func (p *parser) parse(ci int, col *config.Column, raw string) (value, *problem) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return value{}, nil
	}
	switch col.Type {
	case config.TypeText:
		return value{set: true, s: raw}, nil
	case config.TypeYear:
		y, err := strconv.Atoi(raw)
		if err != nil || len(raw) != 4 {
			return value{}, &problem{"value_year", map[string]string{"value": raw}}
		}
		if y < 1900 || y > p.endYear {
			return value{}, &problem{"value_year_range", map[string]string{
				"value": raw, "min": "1900", "max": strconv.Itoa(p.endYear)}}
		}
		return value{set: true, n: int64(y)}, nil
	case config.TypeCount:
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 100000 || raw[0] == '+' {
			return value{}, &problem{"value_count", map[string]string{"value": raw}}
		}
		return value{set: true, n: int64(n)}, nil
	case config.TypeDate:
		days, rule := parseDate(raw)
		if rule != "" {
			return value{}, &problem{rule, map[string]string{"value": raw}}
		}
		if days > p.endDays {
			return value{}, &problem{"value_after_quarter_end", map[string]string{
				"value": raw, "end": epochDay(p.endDays)}}
		}
		if y := yearOf(days); y < 1900 {
			return value{}, &problem{"value_year_range", map[string]string{
				"value": strconv.Itoa(y), "min": "1900", "max": strconv.Itoa(p.endYear)}}
		}
		return value{set: true, n: days}, nil
	case config.TypeYesNo, config.TypeCode:
		cache := p.labels[ci]
		if r, ok := cache[raw]; ok {
			return p.labelOutcome(col, raw, r)
		}
		r := p.lookupLabel(col, raw)
		if cache == nil {
			cache = map[string]labelResult{}
			p.labels[ci] = cache
		}
		if len(cache) < maxCachedLabels {
			cache[raw] = r
		}
		return p.labelOutcome(col, raw, r)
	case config.TypeCountry:
		if a2, ok := p.countries[strings.ToUpper(raw)]; ok {
			return value{set: true, s: a2}, nil
		}
		return value{}, &problem{"value_country", map[string]string{"value": raw}}
	}
	return value{set: true, s: raw}, nil
}

// lookupLabel reads a yes/no or code label, by its folded form.
func (p *parser) lookupLabel(col *config.Column, raw string) labelResult {
	folded := config.Fold(raw)
	if col.Type == config.TypeYesNo {
		switch folded {
		case "yes", "y", "ja", "j", "oui", "o", "1", "true", "waar", "vrai":
			return labelResult{value{set: true, n: 1}, true}
		case "no", "n", "nee", "non", "0", "false", "onwaar", "faux":
			return labelResult{value{set: true, n: 0}, true}
		}
		return labelResult{}
	}
	if code, ok := p.codes[col.Name][folded]; ok {
		return labelResult{value{set: true, s: code}, true}
	}
	return labelResult{}
}

func (p *parser) labelOutcome(col *config.Column, raw string, r labelResult) (value, *problem) {
	if r.ok {
		return r.v, nil
	}
	if col.Type == config.TypeYesNo {
		return value{}, &problem{"value_yesno", map[string]string{"value": raw}}
	}
	return value{}, &problem{"value_code", map[string]string{
		"value": raw, "allowed": strings.Join(col.Codes, ", ")}}
}

// yearOf is the year of a date read (days since 1970-01-01, from the year
// 1 on: parseDate reads no earlier one).
func yearOf(days int64) int { return civilYear(days) }

// codeLookup builds, per code column, the map from folded label to code:
// every code is its own label, then the programme's and the partner's
// labels are added. Viper folds YAML map keys to lower case, so label keys
// are matched back to the format's codes by their folded form.
func codeLookup(f *config.Format, labels config.Labels) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, col := range f.Columns {
		if col.Type != config.TypeCode {
			continue
		}
		m := map[string]string{}
		byFold := map[string]string{}
		for _, code := range col.Codes {
			m[config.Fold(code)] = code
			byFold[config.Fold(code)] = code
		}
		for key, ls := range labels.Codes[col.Name] {
			code, ok := byFold[config.Fold(key)]
			if !ok {
				continue
			}
			for _, l := range ls {
				m[config.Fold(l)] = code
			}
		}
		out[col.Name] = m
	}
	return out
}

// addMonths returns the epoch day that lies n calendar months after the
// epoch day d, as time.AddDate counts them (31 January + 1 month is
// 3 March, never a day that does not exist).
func addMonths(d int64, n int) int64 {
	t := epochTime(d).AddDate(0, n, 0)
	return t.Unix() / 86400
}
