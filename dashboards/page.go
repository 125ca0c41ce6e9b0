package dashboards

import (
	"strings"

	"doorstroom/config"
)

// Page kinds. The network has them all; each partner has the first five,
// and its privacy and methodology links lead to the network's pages.
const (
	kindOverview     = "overview"
	kindEngagement   = "engagement"
	kindOutflow      = "outflow"
	kindDurations    = "durations"
	kindCompleteness = "completeness"
	kindPrivacy      = "privacy"
	kindMethodology  = "methodology"
)

var (
	networkKinds = []string{kindOverview, kindEngagement, kindOutflow, kindDurations, kindCompleteness, kindPrivacy, kindMethodology}
	partnerKinds = networkKinds[:5]
)

// loc is where a page lives: <lang>/<quarter>/<page>.html for the
// network, <lang>/<quarter>/partner/<code>/<page>.html for a partner.
type loc struct {
	lang    string
	q       string // 2026Q3
	partner string // "" for the network
	kind    string
}

// file is the page's file name within its folder.
func (l loc) file() string {
	if l.kind == kindOverview {
		return "index.html"
	}
	return l.kind + ".html"
}

// dir is the page's folder relative to the site root.
func (l loc) dir() string {
	d := l.lang + "/" + l.q
	if l.partner != "" {
		d += "/partner/" + l.partner
	}
	return d
}

func (l loc) path() string { return l.dir() + "/" + l.file() }

// root is the relative path from the page back to the site root.
func (l loc) root() string {
	if l.partner != "" {
		return "../../../../"
	}
	return "../../"
}

// href is the shortest relative link from this page to another: up to
// the folder both share, then down.
func (l loc) href(to loc) string { return string(l.appendHref(nil, to)) }

// appendHref appends href(to) to b.
func (l loc) appendHref(b []byte, to loc) []byte {
	switch {
	case l.lang != to.lang:
		b = append(b, l.root()...)
		b = append(b, to.lang...)
		b = append(b, '/')
		b = append(b, to.q...)
		if to.partner != "" {
			b = append(b, "/partner/"...)
			b = append(b, to.partner...)
		}
		b = append(b, '/')
	case l.q != to.q:
		if l.partner != "" {
			b = append(b, "../../../"...)
		} else {
			b = append(b, "../"...)
		}
		b = append(b, to.q...)
		b = append(b, '/')
		b = to.appendSub(b)
	case l.partner == to.partner:
	case l.partner == "":
		b = to.appendSub(b)
	case to.partner == "":
		b = append(b, "../../"...)
	default:
		b = append(b, "../"...)
		b = append(b, to.partner...)
		b = append(b, '/')
	}
	if to.kind == kindOverview {
		return append(b, "index.html"...)
	}
	b = append(b, to.kind...)
	return append(b, ".html"...)
}

// appendSub appends the page's folder below its quarter's: "" or
// partner/<code>/.
func (l loc) appendSub(b []byte) []byte {
	if l.partner == "" {
		return b
	}
	b = append(b, "partner/"...)
	b = append(b, l.partner...)
	return append(b, '/')
}

// page is what the page template renders.
type page struct {
	Lang, Title, Heading, SiteTitle, Programme, Root string
	// here is the page's location, which its navigation links start from.
	here loc
	// T holds the ui.* texts of the page's language by short key.
	T          map[string]string
	Twins      []navLink
	Pages      []navLink
	Quarters   []navLink
	Scopes     []navLink
	Quarter    string // the page's quarter, as the language writes it
	Scope      string // the network, or the partner's name
	Latest     *navLink
	Demo       bool
	Intro      []string
	KeyFigures []keyFigure
	Blocks     []block
	Method     *methodology
	Legend     []string
	Generated  string
}

// navLink is a link of a page's navigation. Href is set, or else the
// link goes from the page to another (here.href(to)), written only when
// the page is: a site has hundreds of thousands of them.
type navLink struct {
	Href, Lang, Label string
	Current           bool
	to                loc
}

// block is a chart with its table, or a table alone.
type block struct {
	ID, Title, Description string
	ChartID                string
	// chart is what the chart shows; its option is written with the page.
	chart                *chartSpec
	ChartClass, ValuesOn string
	Unit                 string
	Table                table
	Notes                []string
}

// newPage fills the parts every page shares: texts, navigation between
// pages, quarters, partners and languages.
func (v *view) newPage(kind, heading string) *page {
	l, in := v.l, v.in
	here := v.loc(kind)
	p := &page{here: here, Lang: l.code, Heading: heading, Root: here.root(), T: l.T, Demo: in.Demo,
		SiteTitle: l.T["site_title"], Programme: l.text("programme." + in.Programme),
		Quarter: l.quarter(v.q), Scope: v.scopeName(),
		Generated: l.footer,
	}
	p.Title = heading + " · " + p.Scope + " · " + p.Quarter
	p.Twins = make([]navLink, 0, len(config.Languages))
	p.Pages = make([]navLink, 0, len(networkKinds))
	p.Quarters = make([]navLink, 0, len(in.Quarters))
	p.Scopes = make([]navLink, 0, 1+len(in.Partners))
	for _, other := range config.Languages {
		to := here
		to.lang = other
		p.Twins = append(p.Twins, navLink{to: to, Lang: other,
			Label: strings.ToUpper(other), Current: other == l.code})
	}
	kinds := networkKinds
	for _, k := range kinds {
		to := here
		to.kind = k
		if v.partner != nil && (k == kindPrivacy || k == kindMethodology) {
			to.partner = ""
		}
		p.Pages = append(p.Pages, navLink{to: to, Label: l.T["pages."+k], Current: k == kind})
	}
	for i := len(in.Quarters) - 1; i >= 0; i-- {
		to := here
		to.q = in.Quarters[i].String()
		p.Quarters = append(p.Quarters, navLink{to: to, Label: l.quarter(in.Quarters[i]), Current: i == v.qi})
	}
	net := here
	net.partner = ""
	p.Scopes = append(p.Scopes, navLink{to: net, Label: l.T["network"], Current: v.partner == nil})
	if kind != kindPrivacy && kind != kindMethodology {
		for _, pt := range in.Partners {
			to := here
			to.partner = pt.Code
			p.Scopes = append(p.Scopes, navLink{to: to, Label: pt.Name,
				Current: v.partner != nil && v.partner.Code == pt.Code})
		}
	}
	if latest := in.Quarters[len(in.Quarters)-1]; latest != v.q {
		to := here
		to.q = latest.String()
		p.Latest = &navLink{Href: here.href(to), Label: l.textf("ui.not_latest", "quarter", l.quarter(latest))}
	}
	p.Legend = l.legend
	return p
}

func itoa(n int) string { return formatFor("en").number(float64(n), 0) }

// Wide reports whether the block's table has too many columns to sit
// beside its chart; the two are then stacked.
func (b block) Wide() bool { return len(b.Table.Header) > 4 }
