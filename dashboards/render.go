package dashboards

import (
	"bytes"
	"html"
	"html/template"
	"net/url"
	"strings"
)

// The parts of a page that repeat most (data tables, the navigation with
// one link per partner and quarter) are written here rather than by the
// template: the site has thousands of pages, and html/template's
// per-action escaping dominated the build. Every text goes through esc,
// so partner-supplied strings are escaped exactly as the template would.

// contentSecurityPolicy forbids every origin but the site's own, and any
// inline script or style: charts are drawn by assets/charts.js from JSON
// data blocks. Checked in Chromium from file:// (cmd/doorstroom's browser
// test), where 'self' admits the site's own files.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"

// esc escapes text for HTML element content and quoted attribute values.
func esc(s string) string { return html.EscapeString(s) }

// tableHTML writes a block's data table, with the CSV download link in
// its caption.
func (b *block) tableHTML(csv []byte, csvName, download string) template.HTML {
	t := &b.Table
	var sb strings.Builder
	sb.Grow(256 + 64*len(t.Rows)*(len(t.Header)+1))
	sb.WriteString("<table")
	if t.Text {
		sb.WriteString(` class="text"`)
	}
	sb.WriteString(">\n<caption><span class=\"visually-hidden\">")
	sb.WriteString(esc(b.Title))
	sb.WriteString(". </span><a class=\"download\" href=\"")
	sb.WriteString(esc(dataURI(csv)))
	sb.WriteString(`" download="`)
	sb.WriteString(esc(csvName))
	sb.WriteString(`">`)
	sb.WriteString(esc(download))
	sb.WriteString("</a></caption>\n<thead><tr>")
	for _, h := range t.Header {
		sb.WriteString(`<th scope="col">`)
		sb.WriteString(esc(h))
		sb.WriteString("</th>")
	}
	sb.WriteString("</tr></thead>\n<tbody>\n")
	for i, r := range t.Rows {
		if t.TotalRow && i == len(t.Rows)-1 {
			sb.WriteString(`<tr class="total">`)
		} else {
			sb.WriteString("<tr>")
		}
		for j, c := range r {
			if j == 0 {
				sb.WriteString(`<th scope="row">`)
				sb.WriteString(esc(c.Text))
				sb.WriteString("</th>")
				continue
			}
			if class := c.Class(); class != "" {
				sb.WriteString(`<td class="`)
				sb.WriteString(class)
				sb.WriteString(`">`)
			} else {
				sb.WriteString("<td>")
			}
			sb.WriteString(esc(c.Text))
			sb.WriteString("</td>")
		}
		sb.WriteString("</tr>\n")
	}
	sb.WriteString("</tbody>\n</table>")
	return template.HTML(sb.String())
}

// dataURI carries a CSV inside the page, so every table's download works
// offline from file:// and from any static server, without one file per
// table. Downloads are not subject to the page's Content-Security-Policy.
func dataURI(csv []byte) string {
	return "data:text/csv;charset=utf-8," + url.PathEscape(string(csv))
}

// navHTML writes the page's header, page navigation and pickers.
func (p *page) navHTML() template.HTML {
	var sb strings.Builder
	sb.Grow(4096)
	list := func(links []navLink, withLang bool) {
		sb.WriteString("<ul>")
		for _, l := range links {
			sb.WriteString(`<li><a href="`)
			sb.WriteString(esc(l.Href))
			sb.WriteByte('"')
			if withLang {
				sb.WriteString(` hreflang="`)
				sb.WriteString(esc(l.Lang))
				sb.WriteString(`" lang="`)
				sb.WriteString(esc(l.Lang))
				sb.WriteByte('"')
			}
			if l.Current {
				sb.WriteString(` aria-current="page"`)
			}
			sb.WriteByte('>')
			sb.WriteString(esc(l.Label))
			sb.WriteString("</a></li>")
		}
		sb.WriteString("</ul>")
	}
	sb.WriteString(`<header class="site">` + "\n" + `<div class="brand"><p class="site-title">`)
	sb.WriteString(esc(p.SiteTitle))
	sb.WriteString(`</p><p class="programme">`)
	sb.WriteString(esc(p.Programme))
	sb.WriteString("</p></div>\n<nav class=\"langs\" aria-label=\"")
	sb.WriteString(esc(p.T["language"]))
	sb.WriteString(`">`)
	list(p.Twins, true)
	sb.WriteString("</nav>\n</header>\n<nav class=\"pages\" aria-label=\"")
	sb.WriteString(esc(p.T["pages_nav"]))
	sb.WriteString(`">`)
	list(p.Pages, false)
	sb.WriteString("</nav>\n<div class=\"pickers\">\n<details class=\"picker\"><summary>")
	sb.WriteString(esc(p.T["quarter"]))
	sb.WriteString(": <strong>")
	sb.WriteString(esc(p.Quarter))
	sb.WriteString("</strong></summary>")
	list(p.Quarters, false)
	sb.WriteString("</details>\n<details class=\"picker\"><summary>")
	sb.WriteString(esc(p.T["scope"]))
	sb.WriteString(": <strong>")
	sb.WriteString(esc(p.Scope))
	sb.WriteString("</strong></summary>")
	list(p.Scopes, false)
	sb.WriteString("</details>\n</div>")
	return template.HTML(sb.String())
}

// bodyHTML writes the page's key figures and blocks.
func (p *page) bodyHTML() template.HTML {
	var sb strings.Builder
	sb.Grow(16384)
	if len(p.KeyFigures) > 0 {
		sb.WriteString(`<section class="keyfigures" aria-label="`)
		sb.WriteString(esc(p.T["key_figures"]))
		sb.WriteString("\">\n")
		for _, k := range p.KeyFigures {
			sb.WriteString(`<a class="keyfigure" href="#`)
			sb.WriteString(esc(k.Trend))
			sb.WriteString(`"><span class="value">`)
			sb.WriteString(esc(k.Value))
			sb.WriteString(`</span><span class="label">`)
			sb.WriteString(esc(k.Label))
			sb.WriteString("</span>")
			if k.Change != "" {
				sb.WriteString(`<span class="change">`)
				sb.WriteString(esc(k.Change))
				sb.WriteString("</span>")
			}
			if k.Network != "" {
				sb.WriteString(`<span class="network">`)
				sb.WriteString(esc(k.Network))
				sb.WriteString("</span>")
			}
			sb.WriteString("</a>\n")
		}
		sb.WriteString("</section>\n")
	}
	for i := range p.Blocks {
		p.Blocks[i].writeHTML(&sb)
	}
	return template.HTML(sb.String())
}

// writeHTML writes one block: its heading, texts, chart and table.
func (b *block) writeHTML(sb *strings.Builder) {
	id := esc(b.ID)
	sb.WriteString(`<section class="block" id="`)
	sb.WriteString(id)
	sb.WriteString(`" aria-labelledby="`)
	sb.WriteString(id)
	sb.WriteString(`-title">` + "\n" + `<h2 id="`)
	sb.WriteString(id)
	sb.WriteString(`-title">`)
	sb.WriteString(esc(b.Title))
	sb.WriteString("</h2>\n")
	if b.Description != "" {
		sb.WriteString(`<p class="desc">`)
		sb.WriteString(esc(b.Description))
		sb.WriteString("</p>\n")
	}
	for _, n := range b.Notes {
		sb.WriteString(`<p class="note">`)
		sb.WriteString(esc(n))
		sb.WriteString("</p>\n")
	}
	layout := "pair"
	switch {
	case b.ChartID == "":
		layout = "single"
	case b.Wide():
		layout = "stack"
	}
	sb.WriteString(`<div class="` + layout + `">` + "\n")
	if b.ChartID != "" {
		cid := esc(b.ChartID)
		sb.WriteString(`<div class="chart`)
		if b.ChartClass != "" {
			sb.WriteString(" " + esc(b.ChartClass))
		}
		sb.WriteString(`" id="` + cid + `" data-chart="` + cid + `" data-unit="` + esc(b.Unit) +
			`" data-values-on="` + esc(b.ValuesOn) + `" role="img" aria-label="`)
		sb.WriteString(esc(b.Title))
		sb.WriteString(`"></div>` + "\n" + `<script type="application/json" id="` + cid + `-option">`)
		// The option is JSON with <, > and & escaped (json.HTMLEscape):
		// it cannot end the script element.
		sb.WriteString(string(b.Option))
		sb.WriteString("</script>\n")
	}
	sb.WriteString("<div class=\"table-wrap\">\n")
	sb.WriteString(string(b.TableHTML))
	sb.WriteString("\n</div>\n</div>\n</section>\n")
}

// writeHTML writes the whole page.
func (p *page) writeHTML(sb *bytes.Buffer) error {
	w := func(parts ...string) {
		for _, s := range parts {
			sb.WriteString(s)
		}
	}
	w("<!DOCTYPE html>\n<html lang=\"", esc(p.Lang), "\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		"<meta http-equiv=\"Content-Security-Policy\" content=\"", esc(contentSecurityPolicy), "\">\n",
		"<meta name=\"referrer\" content=\"no-referrer\">\n",
		// An empty icon, so no browser asks a server for /favicon.ico.
		"<link rel=\"icon\" href=\"data:,\">\n",
		"<title>", esc(p.Title), " · ", esc(p.SiteTitle), "</title>\n",
		"<link rel=\"stylesheet\" href=\"", esc(p.Root), "assets/style.css\">\n")
	for _, t := range p.Twins {
		if !t.Current {
			w("<link rel=\"alternate\" hreflang=\"", esc(t.Lang), "\" href=\"", esc(t.Href), "\">\n")
		}
	}
	w("</head>\n<body>\n<a class=\"skip\" href=\"#main\">", esc(p.T["skip"]), "</a>\n", string(p.navHTML()), "\n",
		"<main id=\"main\">\n<h1>", esc(p.Heading), " <span class=\"sub\">", esc(p.Scope), " · ", esc(p.Quarter), "</span></h1>\n")
	if p.Latest != nil {
		w("<p class=\"notice\"><a href=\"", esc(p.Latest.Href), "\">", esc(p.Latest.Label), "</a></p>\n")
	}
	if p.Demo {
		w("<p class=\"notice\">", esc(p.T["demo_warning"]), "</p>\n")
	}
	for _, t := range p.Intro {
		w("<p class=\"intro\">", esc(t), "</p>\n")
	}
	if p.Method != nil {
		if err := templates.ExecuteTemplate(sb, "method", p); err != nil {
			return err
		}
	}
	w(string(p.bodyHTML()), "<section class=\"legend\" aria-labelledby=\"legend-title\">\n<h2 id=\"legend-title\">",
		esc(p.T["legend"]), "</h2>\n<ul>")
	for _, l := range p.Legend {
		w("<li>", esc(l), "</li>")
	}
	w("</ul>\n</section>\n</main>\n<footer>doorstroom · ", esc(p.Generated), "</footer>\n",
		"<script src=\"", esc(p.Root), "assets/echarts.min.js\"></script>\n",
		"<script src=\"", esc(p.Root), "assets/charts.js\"></script>\n</body>\n</html>\n")
	return nil
}
