package config

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Translations holds every user-facing sentence in nl, fr and en, read from
// translations/<lang>.yaml and, per programme, programmes/<p>/translations/
// <lang>.yaml. Go code refers to sentences by key only, so wording can be
// fixed without touching code.
type Translations struct {
	text map[string]map[string]string // lang -> dotted key -> text
}

// Translations loads the translation files of the configured programmes.
// Every key must exist in every language; a missing one is a configuration
// error, not an English word on a French page.
func (c *Config) Translations() (*Translations, error) {
	t := &Translations{text: map[string]map[string]string{}}
	dirs := []string{"translations"}
	for _, p := range c.Programmes {
		dirs = append(dirs, path.Join("programmes", p, "translations"))
	}
	for _, lang := range Languages {
		t.text[lang] = map[string]string{}
		for _, dir := range dirs {
			var tree map[string]any
			err := readYAML(c.FS, path.Join(dir, lang+".yaml"), &tree)
			if isNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			flatten("", tree, t.text[lang])
		}
	}
	var missing []string
	for key := range t.text["en"] {
		for _, lang := range Languages {
			if _, ok := t.text[lang][key]; !ok {
				missing = append(missing, lang+":"+key)
			}
		}
	}
	for _, lang := range Languages {
		for key := range t.text[lang] {
			if _, ok := t.text["en"][key]; !ok {
				missing = append(missing, "en:"+key)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("config: translations missing: %s", strings.Join(missing, ", "))
	}
	return t, nil
}

func flatten(prefix string, tree map[string]any, out map[string]string) {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case map[string]any:
			flatten(key, v, out)
		default:
			out[key] = fmt.Sprint(v)
		}
	}
}

// Has reports whether a key is translated.
func (t *Translations) Has(key string) bool {
	_, ok := t.text["en"][key]
	return ok
}

// Text returns the sentence for key in lang with each {name} replaced by
// args[name]. An unknown language falls back to English; an unknown key
// returns the key itself, so a gap is visible rather than blank.
func (t *Translations) Text(lang, key string, args map[string]string) string {
	m, ok := t.text[lang]
	if !ok {
		m = t.text["en"]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	for name, val := range args {
		s = strings.ReplaceAll(s, "{"+name+"}", val)
	}
	return s
}

// Keys returns every translated key under a prefix, sorted; pages use it
// to list, for example, every code of a column.
func (t *Translations) Keys(prefix string) []string {
	var keys []string
	for k := range t.text["en"] {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
