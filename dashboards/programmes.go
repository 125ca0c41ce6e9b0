package dashboards

import (
	"bytes"
	"fmt"
	"os"
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
	// The folder is live, not staged: every file is written atomically,
	// into folders a web server can read.
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	style, err := assetFS.ReadFile("assets/style.css")
	if err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "assets", "style.css"), style, 0o644); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "programmes.html", map[string]any{
		"CSP": contentSecurityPolicy, "Lang": config.Languages[0], "Programmes": sections}); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}
