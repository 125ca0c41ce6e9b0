package config

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Labels maps the words partners use to the format's canonical names:
// Headers from canonical column to the header names that mean it, and
// Codes from column to canonical code to the labels that mean it.
// Identifiers maps a kind of direct identifier (name, email, …) to the
// header names that mean it; a file with such a column is quarantined.
type Labels struct {
	Headers     map[string][]string            `mapstructure:"headers"`
	Codes       map[string]map[string][]string `mapstructure:"codes"`
	Identifiers map[string][]string            `mapstructure:"identifiers"`
}

// Merge returns the labels of l with those of more added; more wins where
// both give the same label a different meaning.
func (l Labels) Merge(more Labels) Labels {
	out := Labels{Headers: map[string][]string{}, Codes: map[string]map[string][]string{}, Identifiers: map[string][]string{}}
	for _, src := range []Labels{l, more} {
		for col, names := range src.Headers {
			out.Headers[col] = append(out.Headers[col], names...)
		}
		for kind, names := range src.Identifiers {
			out.Identifiers[kind] = append(out.Identifiers[kind], names...)
		}
		for col, codes := range src.Codes {
			if out.Codes[col] == nil {
				out.Codes[col] = map[string][]string{}
			}
			for code, labels := range codes {
				out.Codes[col][code] = append(out.Codes[col][code], labels...)
			}
		}
	}
	return out
}

// Fold reduces a header name or label to the form labels are compared in:
// lower case, accents removed, runs of space, _ and - made one space, and
// surrounding space trimmed. "Numéro_de  Dossier" folds to "numero de dossier".
func Fold(s string) string {
	folded := stripAccents(s)
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(folded) {
		if r == ' ' || r == '_' || r == '-' || unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// stripAccents removes the combining marks of s (é becomes e). ASCII has
// none and is its own normal form, so it is returned as it is: the
// Unicode transforms allocate their buffers on every call, and reading
// each of a quarter's 400 files folded the format's codes and labels
// anew (2 % of a cold run's page faults, 1 % of its CPU).
func stripAccents(s string) string {
	if isASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	stripped, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return stripped
}

// isASCII reports whether s holds only 7-bit characters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
