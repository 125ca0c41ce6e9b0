// Package dashboards renders the static HTML site the learning network
// meets around: per quarter and language, charts drawn by ECharts from
// options built with go-echarts, a data table and CSV download beside every
// chart, and every number passed through disclosure control first.
//
// The site is self-contained: ECharts and the stylesheet are served from
// its own assets/ folder, pages carry a Content-Security-Policy that
// forbids every other origin, and it works from file:// as from any static
// web server.
package dashboards

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"doorstroom/config"
	"doorstroom/disclosure"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// EChartsAsset is the ECharts build the Makefile copies from the npm
// package into assets/ before building (it is not committed).
const EChartsAsset = "assets/echarts.min.js"

// pages holds the templates, parsed once.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
}).ParseFS(templateFS, "templates/*.html"))

// Input is everything a site is built from.
type Input struct {
	Programme string
	Catalogue *metrics.Catalogue
	// Metrics are the published rows (metrics.Publish already applied) of
	// every released quarter.
	Metrics      []metrics.Row
	Quarters     []period.Quarter
	Partners     []config.Partner
	Translations *config.Translations
	Policy       disclosure.Policy
	Demo         bool
	// Generated is shown in every page's footer.
	Generated string
}

// Stats count what Build wrote.
type Stats struct {
	Pages, Tables int
}

// Build writes the site into dir (which the caller publishes atomically).
func Build(ctx context.Context, in Input, dir string) (Stats, error) {
	var st Stats
	if len(in.Quarters) == 0 {
		return st, fmt.Errorf("dashboards: no released quarter to show")
	}
	if err := copyAssets(dir); err != nil {
		return st, err
	}
	idx := indexRows(in.Metrics)
	latest := in.Quarters[len(in.Quarters)-1]
	for _, lang := range config.Languages {
		for _, q := range in.Quarters {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			p, err := overviewPage(in, idx, lang, q)
			if err != nil {
				return st, err
			}
			pageDir := filepath.Join(dir, lang, q.String())
			if err := writePage(pageDir, "index.html", p); err != nil {
				return st, err
			}
			for _, b := range p.Blocks {
				data, err := b.Table.csvBytes()
				if err != nil {
					return st, err
				}
				if err := writeFile(filepath.Join(pageDir, b.ID+".csv"), data); err != nil {
					return st, err
				}
				st.Tables++
			}
			st.Pages++
		}
	}
	if err := writeIndex(dir, latest); err != nil {
		return st, err
	}
	return st, nil
}

func writePage(dir, name string, p *page) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "page", p); err != nil {
		return fmt.Errorf("dashboards: %s: %w", name, err)
	}
	return writeFile(filepath.Join(dir, name), buf.Bytes())
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	return nil
}

// writeIndex writes the site's entry page, which forwards to the latest
// quarter's overview and links every language.
func writeIndex(dir string, latest period.Quarter) error {
	type link struct{ Href, Lang, Label string }
	labels := map[string]string{"nl": "Nederlands", "fr": "Français", "en": "English"}
	var links []link
	for _, lang := range config.Languages {
		links = append(links, link{Href: lang + "/" + latest.String() + "/index.html", Lang: lang, Label: labels[lang]})
	}
	var buf bytes.Buffer
	err := pages.ExecuteTemplate(&buf, "index.html", map[string]any{"Default": links[0].Href, "Links": links})
	if err != nil {
		return fmt.Errorf("dashboards: index: %w", err)
	}
	return writeFile(filepath.Join(dir, "index.html"), buf.Bytes())
}

// copyAssets copies the embedded stylesheet, chart script and ECharts into
// dir/assets. A build without ECharts (go build without make) fails here
// with the command that fixes it.
func copyAssets(dir string) error {
	if _, err := fs.Stat(assetFS, EChartsAsset); err != nil {
		return fmt.Errorf("dashboards: this doorstroom was built without ECharts (%s); build it with `make build`", EChartsAsset)
	}
	return fs.WalkDir(assetFS, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assetFS.ReadFile(path)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, path), data)
	})
}
