package metrics

import (
	"fmt"
	"slices"
	"strings"
)

// Pair is one key=value part of a breakdown.
type Pair struct{ Key, Value string }

// ParseBreakdown splits a breakdown ("class=durable;months=6") into its
// pairs; the empty breakdown has none.
func ParseBreakdown(s string) ([]Pair, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	out := make([]Pair, 0, len(parts))
	for _, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("breakdown %q: %q is not key=value", s, p)
		}
		out = append(out, Pair{k, v})
	}
	return out, nil
}

// FormatBreakdown writes pairs as a breakdown, in the order given.
func FormatBreakdown(pairs ...Pair) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.Key + "=" + p.Value
	}
	return strings.Join(parts, ";")
}

// BreakdownValue returns the value of key in a breakdown, or "".
func BreakdownValue(breakdown, key string) string {
	for _, p := range strings.Split(breakdown, ";") {
		if k, v, ok := strings.Cut(p, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// checkKeys reports whether a row's breakdown has exactly the declared
// keys, in order.
func checkKeys(breakdown string, keys []string) error {
	pairs, err := ParseBreakdown(breakdown)
	if err != nil {
		return err
	}
	got := make([]string, len(pairs))
	for i, p := range pairs {
		got[i] = p.Key
	}
	if !slices.Equal(got, keys) && !(len(got) == 0 && len(keys) == 0) {
		return fmt.Errorf("breakdown %q has keys %v; the catalogue declares %v", breakdown, got, keys)
	}
	return nil
}

// pattern matches breakdowns in identities: "class={class};type=*" matches
// every breakdown with exactly the keys class and type, binding the class
// to the variable class and taking any type. A value may be a literal, *
// or {variable}.
type pattern []patternPart

type patternPart struct {
	key, literal, variable string
	any                    bool
}

func compilePattern(s string) (pattern, error) {
	pairs, err := ParseBreakdown(s)
	if err != nil {
		return nil, err
	}
	p := make(pattern, len(pairs))
	for i, kv := range pairs {
		part := patternPart{key: kv.Key}
		switch {
		case kv.Value == "*":
			part.any = true
		case strings.HasPrefix(kv.Value, "{") && strings.HasSuffix(kv.Value, "}"):
			part.variable = kv.Value[1 : len(kv.Value)-1]
		default:
			part.literal = kv.Value
		}
		p[i] = part
	}
	return p, nil
}

func (p pattern) keys() []string {
	out := make([]string, len(p))
	for i, part := range p {
		out[i] = part.key
	}
	return out
}

// match reports whether a breakdown matches the pattern under the bound
// variables; variables not in bound are free and their values are stored
// in found (when found is not nil).
//
// Identities try every row against every binding, so match reads the
// breakdown in place rather than parsing it into pairs.
func (p pattern) match(breakdown string, bound, found map[string]string) bool {
	if !wellFormed(breakdown, len(p)) {
		return false
	}
	rest := breakdown
	for _, part := range p {
		var kv string
		kv, rest, _ = strings.Cut(rest, ";")
		key, value, _ := strings.Cut(kv, "=")
		if key != part.key {
			return false
		}
		switch {
		case part.any:
		case part.variable != "":
			if v, ok := bound[part.variable]; ok {
				if v != value {
					return false
				}
			} else if found != nil {
				found[part.variable] = value
			}
		default:
			if value != part.literal {
				return false
			}
		}
	}
	return true
}

// wellFormed reports whether ParseBreakdown accepts s and finds n pairs
// in it, without making them.
func wellFormed(s string, n int) bool {
	if s == "" {
		return n == 0
	}
	for {
		part, rest, more := strings.Cut(s, ";")
		if k, v, ok := strings.Cut(part, "="); !ok || k == "" || v == "" {
			return false
		}
		n--
		if !more {
			return n == 0
		}
		s = rest
	}
}
