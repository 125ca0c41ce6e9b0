package dashboards

import (
	"bytes"
	"encoding/csv"
	"html"
)

// Pages are written here rather than by the template: the site has
// thousands of pages, and html/template's per-action escaping dominated
// the build. Every text goes through esc or escTo, so partner-supplied
// strings are escaped exactly as the template would. A worker writes each
// page, its tables, CSV downloads and chart options straight into one
// buffer it reuses (pageWriter), so a page costs few allocations.

// contentSecurityPolicy forbids every origin but the site's own, and any
// inline script or style: charts are drawn by assets/charts.js from JSON
// data blocks. Checked in Chromium from file:// (cmd/doorstroom's browser
// test), where 'self' admits the site's own files.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"

// esc escapes text for HTML element content and quoted attribute values.
func esc(s string) string { return html.EscapeString(s) }

// escTo writes s to b escaped exactly as esc escapes it, without making
// the escaped string.
func escTo(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !htmlSpecial[s[i]] {
			continue
		}
		b.WriteString(s[last:i])
		last = i + 1
		switch s[i] {
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		}
	}
	b.WriteString(s[last:])
}

// htmlSpecial marks the bytes esc replaces.
var htmlSpecial = [256]bool{'&': true, '\'': true, '<': true, '>': true, '"': true}

// pageWriter writes pages into one buffer it reuses, with the scratch
// buffer and CSV writer every table's download goes through: a worker
// keeps one, so a page costs few allocations.
type pageWriter struct {
	out     bytes.Buffer
	csv     bytes.Buffer
	cw      *csv.Writer
	scratch []byte
}

// writeHref writes a link's href, escaped.
func (w *pageWriter) writeHref(p *page, l *navLink) {
	if l.Href != "" {
		escTo(&w.out, l.Href)
		return
	}
	w.scratch = p.here.appendHref(w.scratch[:0], l.to)
	if bytes.ContainsAny(w.scratch, "&'<>\"") {
		escTo(&w.out, string(w.scratch))
		return
	}
	w.out.Write(w.scratch)
}

func newPageWriter() *pageWriter {
	w := &pageWriter{}
	w.cw = csv.NewWriter(&w.csv)
	return w
}

// writeTable writes a block's data table, with the CSV download link in
// its caption.
func (w *pageWriter) writeTable(b *block, l *lang, csvName string) error {
	if err := b.Table.writeCSV(w.cw, &w.csv, l); err != nil {
		return err
	}
	t := &b.Table
	o := &w.out
	o.WriteString("<table")
	if t.Text {
		o.WriteString(` class="text"`)
	}
	o.WriteString(">\n<caption><span class=\"visually-hidden\">")
	escTo(o, b.Title)
	o.WriteString(". </span><a class=\"download\" href=\"")
	writeDataURI(o, w.csv.Bytes())
	o.WriteString(`" download="`)
	escTo(o, csvName)
	o.WriteString(`">`)
	escTo(o, l.T["download_csv"])
	o.WriteString("</a></caption>\n<thead><tr>")
	for _, h := range t.Header {
		o.WriteString(`<th scope="col">`)
		escTo(o, h)
		o.WriteString("</th>")
	}
	o.WriteString("</tr></thead>\n<tbody>\n")
	for i, r := range t.Rows {
		if t.TotalRow && i == len(t.Rows)-1 {
			o.WriteString(`<tr class="total">`)
		} else {
			o.WriteString("<tr>")
		}
		for j, c := range r {
			if j == 0 {
				o.WriteString(`<th scope="row">`)
				escTo(o, c.Text)
				o.WriteString("</th>")
				continue
			}
			if class := c.Class(); class != "" {
				o.WriteString(`<td class="`)
				o.WriteString(class)
				o.WriteString(`">`)
			} else {
				o.WriteString("<td>")
			}
			escTo(o, c.Text)
			o.WriteString("</td>")
		}
		o.WriteString("</tr>\n")
	}
	o.WriteString("</tbody>\n</table>")
	return nil
}

// writeDataURI writes a CSV as a data: URI in an HTML attribute, so every
// table's download works offline from file:// and from any static
// server, without one file per table. Downloads are not subject to the
// page's Content-Security-Policy. The bytes are those of
// esc("data:text/csv;charset=utf-8," + url.PathEscape(csv)).
func writeDataURI(o *bytes.Buffer, csv []byte) {
	const hex = "0123456789ABCDEF"
	o.WriteString("data:text/csv;charset=utf-8,")
	last := 0
	for i, c := range csv {
		if uriVerbatim[c] {
			continue
		}
		o.Write(csv[last:i])
		last = i + 1
		if c == '&' {
			o.WriteString("&amp;") // left alone by PathEscape, escaped by esc
			continue
		}
		o.WriteByte('%')
		o.WriteByte(hex[c>>4])
		o.WriteByte(hex[c&15])
	}
	o.Write(csv[last:])
}

// uriVerbatim marks the bytes writeDataURI copies as they are: those
// url.PathEscape leaves alone, but for &, which esc escapes.
var uriVerbatim = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = pathSegmentSafe(byte(c)) && c != '&'
	}
	return t
}()

// pathSegmentSafe reports whether url.PathEscape leaves c as it is.
func pathSegmentSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', '~', '$', '&', '+', ':', '=', '@':
		return true
	}
	return false
}

// writeNav writes the page's header, page navigation and pickers.
func (w *pageWriter) writeNav(p *page) {
	o := &w.out
	list := func(links []navLink, withLang bool) {
		o.WriteString("<ul>")
		for i := range links {
			l := &links[i]
			o.WriteString(`<li><a href="`)
			w.writeHref(p, l)
			o.WriteByte('"')
			if withLang {
				o.WriteString(` hreflang="`)
				escTo(o, l.Lang)
				o.WriteString(`" lang="`)
				escTo(o, l.Lang)
				o.WriteByte('"')
			}
			if l.Current {
				o.WriteString(` aria-current="page"`)
			}
			o.WriteByte('>')
			escTo(o, l.Label)
			o.WriteString("</a></li>")
		}
		o.WriteString("</ul>")
	}
	o.WriteString(`<header class="site">` + "\n" + `<div class="brand"><p class="site-title">`)
	escTo(o, p.SiteTitle)
	o.WriteString(`</p><p class="programme">`)
	escTo(o, p.Programme)
	o.WriteString("</p></div>\n<nav class=\"langs\" aria-label=\"")
	escTo(o, p.T["language"])
	o.WriteString(`">`)
	list(p.Twins, true)
	o.WriteString("</nav>\n</header>\n<nav class=\"pages\" aria-label=\"")
	escTo(o, p.T["pages_nav"])
	o.WriteString(`">`)
	list(p.Pages, false)
	o.WriteString("</nav>\n<div class=\"pickers\">\n<details class=\"picker\"><summary>")
	escTo(o, p.T["quarter"])
	o.WriteString(": <strong>")
	escTo(o, p.Quarter)
	o.WriteString("</strong></summary>")
	list(p.Quarters, false)
	o.WriteString("</details>\n<details class=\"picker\"><summary>")
	escTo(o, p.T["scope"])
	o.WriteString(": <strong>")
	escTo(o, p.Scope)
	o.WriteString("</strong></summary>")
	list(p.Scopes, false)
	o.WriteString("</details>\n</div>")
}

// writeBody writes the page's key figures and blocks; each block's table
// is named base-<block id>.csv for download.
func (w *pageWriter) writeBody(p *page, l *lang, base string) error {
	o := &w.out
	if len(p.KeyFigures) > 0 {
		o.WriteString(`<section class="keyfigures" aria-label="`)
		escTo(o, p.T["key_figures"])
		o.WriteString("\">\n")
		for _, k := range p.KeyFigures {
			o.WriteString(`<a class="keyfigure" href="#`)
			escTo(o, k.Trend)
			o.WriteString(`"><span class="value">`)
			escTo(o, k.Value)
			o.WriteString(`</span><span class="label">`)
			escTo(o, k.Label)
			o.WriteString("</span>")
			if k.Change != "" {
				o.WriteString(`<span class="change">`)
				escTo(o, k.Change)
				o.WriteString("</span>")
			}
			if k.Network != "" {
				o.WriteString(`<span class="network">`)
				escTo(o, k.Network)
				o.WriteString("</span>")
			}
			o.WriteString("</a>\n")
		}
		o.WriteString("</section>\n")
	}
	for i := range p.Blocks {
		if err := w.writeBlock(&p.Blocks[i], l, base+"-"+p.Blocks[i].ID+".csv"); err != nil {
			return err
		}
	}
	return nil
}

// writeBlock writes one block: its heading, texts, chart and table.
func (w *pageWriter) writeBlock(b *block, l *lang, csvName string) error {
	o := &w.out
	id := esc(b.ID)
	o.WriteString(`<section class="block" id="`)
	o.WriteString(id)
	o.WriteString(`" aria-labelledby="`)
	o.WriteString(id)
	o.WriteString(`-title">` + "\n" + `<h2 id="`)
	o.WriteString(id)
	o.WriteString(`-title">`)
	escTo(o, b.Title)
	o.WriteString("</h2>\n")
	if b.Description != "" {
		o.WriteString(`<p class="desc">`)
		escTo(o, b.Description)
		o.WriteString("</p>\n")
	}
	for _, n := range b.Notes {
		o.WriteString(`<p class="note">`)
		escTo(o, n)
		o.WriteString("</p>\n")
	}
	layout := "pair"
	switch {
	case b.ChartID == "":
		layout = "single"
	case b.Wide():
		layout = "stack"
	}
	o.WriteString(`<div class="` + layout + `">` + "\n")
	if b.ChartID != "" {
		cid := esc(b.ChartID)
		o.WriteString(`<div class="chart`)
		if b.ChartClass != "" {
			o.WriteString(" ")
			escTo(o, b.ChartClass)
		}
		o.WriteString(`" id="`)
		o.WriteString(cid)
		o.WriteString(`" data-chart="`)
		o.WriteString(cid)
		o.WriteString(`" data-unit="`)
		escTo(o, b.Unit)
		o.WriteString(`" data-values-on="`)
		escTo(o, b.ValuesOn)
		o.WriteString(`" role="img" aria-label="`)
		escTo(o, b.Title)
		o.WriteString(`"></div>` + "\n" + `<script type="application/json" id="`)
		o.WriteString(cid)
		o.WriteString(`-option">`)
		// The option is JSON with <, > and & escaped (json.HTMLEscape):
		// it cannot end the script element.
		writeOption(o, b.chart)
		o.WriteString("</script>\n")
	}
	o.WriteString("<div class=\"table-wrap\">\n")
	if err := w.writeTable(b, l, csvName); err != nil {
		return err
	}
	o.WriteString("\n</div>\n</div>\n</section>\n")
	return nil
}

// writePage writes the whole page into w.out (emptied first); its tables'
// downloads are named base-<block id>.csv.
func (w *pageWriter) writePage(p *page, l *lang, base string) error {
	o := &w.out
	o.Reset()
	s := o.WriteString
	s("<!DOCTYPE html>\n<html lang=\"")
	escTo(o, p.Lang)
	s("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta http-equiv=\"Content-Security-Policy\" content=\"")
	escTo(o, contentSecurityPolicy)
	s("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n" +
		// An empty icon, so no browser asks a server for /favicon.ico.
		"<link rel=\"icon\" href=\"data:,\">\n<title>")
	escTo(o, p.Title)
	s(" · ")
	escTo(o, p.SiteTitle)
	s("</title>\n<link rel=\"stylesheet\" href=\"")
	escTo(o, p.Root)
	s("assets/style.css\">\n")
	for i := range p.Twins {
		if t := &p.Twins[i]; !t.Current {
			s("<link rel=\"alternate\" hreflang=\"")
			escTo(o, t.Lang)
			s("\" href=\"")
			w.writeHref(p, t)
			s("\">\n")
		}
	}
	s("</head>\n<body>\n<a class=\"skip\" href=\"#main\">")
	escTo(o, p.T["skip"])
	s("</a>\n")
	w.writeNav(p)
	s("\n<main id=\"main\">\n<h1>")
	escTo(o, p.Heading)
	s(" <span class=\"sub\">")
	escTo(o, p.Scope)
	s(" · ")
	escTo(o, p.Quarter)
	s("</span></h1>\n")
	if p.Latest != nil {
		s("<p class=\"notice\"><a href=\"")
		escTo(o, p.Latest.Href)
		s("\">")
		escTo(o, p.Latest.Label)
		s("</a></p>\n")
	}
	if p.Demo {
		s("<p class=\"notice\">")
		escTo(o, p.T["demo_warning"])
		s("</p>\n")
	}
	for _, t := range p.Intro {
		s("<p class=\"intro\">")
		escTo(o, t)
		s("</p>\n")
	}
	if p.Method != nil {
		if err := templates.ExecuteTemplate(o, "method", p); err != nil {
			return err
		}
	}
	if err := w.writeBody(p, l, base); err != nil {
		return err
	}
	s("<section class=\"legend\" aria-labelledby=\"legend-title\">\n<h2 id=\"legend-title\">")
	escTo(o, p.T["legend"])
	s("</h2>\n<ul>")
	for _, t := range p.Legend {
		s("<li>")
		escTo(o, t)
		s("</li>")
	}
	s("</ul>\n</section>\n</main>\n<footer>doorstroom · ")
	escTo(o, p.Generated)
	s("</footer>\n<script src=\"")
	escTo(o, p.Root)
	s("assets/echarts.min.js\"></script>\n<script src=\"")
	escTo(o, p.Root)
	s("assets/charts.js\"></script>\n</body>\n</html>\n")
	return nil
}
