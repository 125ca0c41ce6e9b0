package dashboards

import (
	"html/template"
	"strings"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// page is what the page template renders.
type page struct {
	Lang, Title, SiteTitle, Root, Generated, SuppressedNote string
	// T holds the ui.* texts of the page's language by short key.
	T          map[string]string
	Twins      []navLink
	Quarters   []navLink
	Demo       bool
	KeyFigures []keyFigure
	Blocks     []block
}

type navLink struct {
	Href, Lang, Label string
	Current           bool
}

type keyFigure struct{ Value, Label string }

// block is a chart with its table.
type block struct {
	ID, Title, Description string
	ChartID                string
	Option                 template.JS
	Table                  table
	CSVHref                string
	DownloadLabel          string
}

// newPage fills the parts every page shares: texts, language twins and
// the quarter picker. Pages live at <lang>/<quarter>/<name>.
func newPage(in Input, lang string, q period.Quarter, name, title string) *page {
	t := map[string]string{}
	for _, key := range in.Translations.Keys("ui.") {
		t[strings.TrimPrefix(key, "ui.")] = in.Translations.Text(lang, key, nil)
	}
	p := &page{Lang: lang, Title: title, Root: "../../", T: t, Demo: in.Demo,
		SiteTitle: t["site_title"],
		Generated: in.Translations.Text(lang, "ui.generated", map[string]string{"date": in.Generated}),
		SuppressedNote: in.Translations.Text(lang, "ui.suppressed_note",
			map[string]string{"threshold": itoa(in.Policy.Threshold)}),
	}
	for _, l := range config.Languages {
		p.Twins = append(p.Twins, navLink{Href: "../../" + l + "/" + q.String() + "/" + name, Lang: l,
			Label: strings.ToUpper(l), Current: l == lang})
	}
	for _, other := range in.Quarters {
		p.Quarters = append(p.Quarters, navLink{Href: "../" + other.String() + "/" + name,
			Label: other.String(), Current: other == q})
	}
	return p
}

func itoa(n int) string { return formatFor("en").number(float64(n), 0) }
