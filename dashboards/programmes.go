package dashboards

import (
	"bytes"
	"path/filepath"
	"strings"

	"doorstroom/config"
	"doorstroom/internal/atomicfile"
)

// NetworkIndex writes the entry page of a network of several programmes
// into dir: one section per programme, linking to its site in every
// language. Each programme's own site is built by Build into
// dir/<programme>/, so the whole folder is one site that works offline.
// A programme's name is its translation programme.<name>.
func NetworkIndex(dir string, programmes []string, tr *config.Translations) error {
	type link struct{ Href, Lang, Label string }
	type section struct {
		Title string
		Links []link
	}
	var sections []section
	for _, p := range programmes {
		s := section{Title: tr.Text("en", "programme."+p, nil)}
		for _, lang := range config.Languages {
			s.Links = append(s.Links, link{Href: p + "/" + lang + "/index.html", Lang: lang,
				Label: strings.ToUpper(lang) + " · " + tr.Text(lang, "programme."+p, nil)})
		}
		sections = append(sections, s)
	}
	// The page is written atomically; the assets are the embedded files,
	// the same on every run.
	if err := copyAssets(dir); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "programmes.html", map[string]any{
		"CSP": contentSecurityPolicy, "Lang": config.Languages[0], "Programmes": sections}); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}
