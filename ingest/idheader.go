package ingest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"doorstroom/config"
)

// idHeaders recognises header names that mean a direct identifier, from
// the configured names per kind (labels.yaml, identifiers:).
type idHeaders struct {
	patterns []idPattern
}

// idPattern is one configured name, split into words; a word may carry a
// leading or trailing * wildcard.
type idPattern struct {
	kind  string
	words []string
	score int // letters that must match exactly: the most specific name wins
}

func newIDHeaders(ids map[string][]string) idHeaders {
	var h idHeaders
	kinds := make([]string, 0, len(ids))
	for k := range ids {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		for _, name := range ids[kind] {
			ws := words(config.Fold(name))
			if len(ws) == 0 {
				continue
			}
			score := 0
			for _, w := range ws {
				score += len(strings.Trim(w, "*"))
			}
			h.patterns = append(h.patterns, idPattern{kind: kind, words: ws, score: score})
		}
	}
	return h
}

// kind returns the kind of identifier a header means, or "".
func (h idHeaders) kind(header string) string {
	hw := words(config.Fold(header))
	best, bestScore := "", 0
	for _, p := range h.patterns {
		if p.score > bestScore && containsWords(hw, p.words) {
			best, bestScore = p.kind, p.score
		}
	}
	return best
}

// words splits folded text into words of letters and digits; * is kept as
// part of a word for wildcards.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '*')
	})
}

// containsWords reports whether pattern occurs in ws as consecutive words.
func containsWords(ws, pattern []string) bool {
	for i := 0; i+len(pattern) <= len(ws); i++ {
		ok := true
		for j, p := range pattern {
			if !wordMatch(ws[i+j], p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func wordMatch(w, p string) bool {
	switch {
	case len(p) > 1 && p[0] == '*' && p[len(p)-1] == '*':
		return strings.Contains(w, p[1:len(p)-1])
	case p[0] == '*':
		return strings.HasSuffix(w, p[1:])
	case p[len(p)-1] == '*':
		return strings.HasPrefix(w, p[:len(p)-1])
	}
	return w == p
}

// CheckIdentifierKinds makes sure every kind of identifier header named in
// the labels has its sentence in the translations, so a partner is never
// answered with a bare rule id. Run it when the configuration loads.
func CheckIdentifierKinds(l config.Labels, tr *config.Translations) error {
	for kind := range l.Identifiers {
		if key := "rules." + ruleIdentifierColumn + kind; !tr.Has(key) {
			return fmt.Errorf("config: labels: identifiers: kind %q has no sentence %s in the translations", kind, key)
		}
	}
	return nil
}
