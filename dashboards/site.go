// Package dashboards renders the static HTML site the learning network
// meets around: for every released quarter and in every language, the
// network's pages (overview, engagement, outflow, durations, reporting
// completeness, privacy, methodology) and each partner's pages beside the
// network, with charts drawn by ECharts from options built with
// go-echarts, and a data table and CSV download beside every chart.
//
// What a page shows is decided from the metrics catalogue alone (each
// metric's page and chart), so a new metric or programme needs no
// dashboard code. Every number goes through one disclosure plan per
// quarter (protect.go): counts below the threshold show as "<5", shares
// built on them are hidden, and secondary suppression withholds enough
// further cells that none can be worked out from totals.
//
// The site is self-contained: ECharts, the chart script and the
// stylesheet are served from its own assets/ folder, pages carry a
// Content-Security-Policy that forbids every other origin and every
// inline script and style, and it works from file:// as from any static
// web server.
package dashboards

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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

// templates holds the page templates, parsed once.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"islast": func(i, n int) bool { return i == n-1 },
}).ParseFS(templateFS, "templates/*.html"))

// Input is everything a site is built from.
type Input struct {
	Programme string
	Catalogue *metrics.Catalogue
	// Metrics are the computed rows of every released quarter with their
	// true values; Suppressed marks the rows metrics.Publish withheld.
	// Build applies primary and secondary suppression itself before any
	// number reaches a page; true values of withheld cells never do.
	Metrics  []metrics.Row
	Quarters []period.Quarter
	Partners []config.Partner
	// Classes are the programme format's groupings of codes (outflow
	// classes of outflow types), for the relations between metrics and
	// the methodology page.
	Classes      map[string]map[string][]string
	Translations *config.Translations
	Policy       disclosure.Policy
	// K and SuppressionLimit are the release's anonymisation parameters,
	// FormatVersion the version of the partners' export format, and
	// DeadlineDays the days after a quarter's end a file is due: the
	// methodology page states them.
	K                int
	SuppressionLimit float64
	FormatVersion    int
	DeadlineDays     int
	// Deliveries are the inbox's completeness records (partner × quarter).
	Deliveries []Delivery
	// Risk holds each quarter's risk report (risk.json) as written by
	// anonymize; the privacy page renders whatever fields it has.
	Risk map[string][]byte
	Demo bool
	// Generated is shown in every page's footer.
	Generated time.Time
}

func (in *Input) generated(l *lang) string {
	if in.Generated.IsZero() {
		return ""
	}
	return l.date(in.Generated)
}

// Stats count what Build wrote.
type Stats struct {
	Pages, Tables int
	// Warnings name the quarters whose pages withhold more than their
	// snapshot, because the release's suppression left a number that the
	// pages' audit could work out.
	Warnings []string
}

// Build writes the site into dir (which the caller publishes atomically).
// dir may hold an earlier site: its files are overwritten in place and
// those the new site lacks are removed, which on a real disk is several
// times faster than creating every file anew (see writtenSet).
// Quarters are prepared in the background while pages are rendered by
// two workers per CPU (writing files waits on the disk).
func Build(ctx context.Context, in Input, dir string) (Stats, error) {
	var st Stats
	if len(in.Quarters) == 0 {
		return st, fmt.Errorf("dashboards: no released quarter to show")
	}
	for _, p := range in.Partners {
		if !config.ValidCode(p.Code) || p.Code == metrics.NetworkPartner {
			return st, fmt.Errorf("dashboards: partner code %q cannot name a folder of the site", p.Code)
		}
	}
	written := newWrittenSet()
	if err := copyAssets(dir, written); err != nil {
		return st, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var firstErr error
	var once sync.Once
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel() })
	}
	// Quarters are prepared (indexed, disclosure decided) in the
	// background, oldest first; a page waits only for the quarters it
	// shows (its own and the earlier ones, for trends).
	data, ready := prepareQuarters(ctx, &in, fail)
	langs := map[string]*lang{}
	for _, code := range config.Languages {
		langs[code] = newLang(code, in.Translations, in.Catalogue, in.Policy.Threshold, in.Quarters)
		langs[code].footer = langs[code].textf("ui.generated", "date", in.generated(langs[code]))
	}

	sh := newShared(&in)
	type job struct {
		l       *lang
		qi      int
		partner *config.Partner
	}
	jobs := make(chan job)
	var pagesN, tablesN atomic.Int64
	var wg sync.WaitGroup
	// Writing files waits on the disk: more workers than CPUs keep both busy.
	for w := 0; w < 2*runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := newPageWriter()
			for j := range jobs {
				if !waitQuarters(ctx, ready[:j.qi+1]) {
					continue
				}
				v := &view{in: &in, l: j.l, qi: j.qi, q: in.Quarters[j.qi], d: data[j.qi], all: data, partner: j.partner, sh: sh}
				np, nt, err := v.render(dir, pw, written)
				if err != nil {
					fail(err)
					continue
				}
				pagesN.Add(int64(np))
				tablesN.Add(int64(nt))
			}
		}()
	}
feed:
	for qi := range in.Quarters {
		for _, code := range config.Languages {
			for pi := -1; pi < len(in.Partners); pi++ {
				j := job{l: langs[code], qi: qi}
				if pi >= 0 {
					j.partner = &in.Partners[pi]
				}
				select {
				case jobs <- j:
				case <-ctx.Done():
					break feed
				}
			}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	st.Pages, st.Tables = int(pagesN.Load()), int(tablesN.Load())
	for _, d := range data {
		if d.plan.warning != "" {
			st.Warnings = append(st.Warnings, d.plan.warning)
		}
	}
	if err := writeIndexes(dir, in.Quarters[len(in.Quarters)-1], written); err != nil {
		return st, err
	}
	return st, written.prune(dir)
}

// prepareQuarters indexes each quarter's rows and takes its disclosure
// decisions in the background, one goroutine per CPU, oldest quarter
// first. ready[i] is closed when data[i] is complete; a failure goes to
// fail and leaves ready[i] open.
func prepareQuarters(ctx context.Context, in *Input, fail func(error)) (data []*quarterData, ready []chan struct{}) {
	byQuarter := map[string][]metrics.Row{}
	for _, r := range in.Metrics {
		byQuarter[r.Quarter] = append(byQuarter[r.Quarter], r)
	}
	data = make([]*quarterData, len(in.Quarters))
	ready = make([]chan struct{}, len(in.Quarters))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	next := make(chan int, len(in.Quarters))
	for i := range in.Quarters {
		next <- i
	}
	close(next)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		go func() {
			for i := range next {
				if ctx.Err() != nil {
					return
				}
				d := newQuarterData(in.Quarters[i], byQuarter[in.Quarters[i].String()], func(m string) bool {
					e, _ := in.Catalogue.Entry(m)
					return e.Rule() != metrics.RuleNone
				})
				for _, e := range in.Catalogue.Metrics {
					d.countMetric[e.ID] = e.Unit == metrics.UnitCount
				}
				plan, err := buildPlan(d, in)
				if err != nil {
					fail(err)
					return
				}
				d.plan = plan
				data[i] = d
				close(ready[i])
			}
		}()
	}
	return data, ready
}

// waitQuarters waits until every given quarter is ready; false when the
// build was cancelled first.
func waitQuarters(ctx context.Context, ready []chan struct{}) bool {
	for _, r := range ready {
		select {
		case <-r:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// render writes the pages of one language, quarter and scope (the network
// or one partner), with the CSV of every table.
func (v *view) render(dir string, w *pageWriter, written *writtenSet) (pages, tables int, err error) {
	kinds := networkKinds
	if v.partner != nil {
		kinds = partnerKinds
	}
	outDir := filepath.Join(dir, filepath.FromSlash(v.loc(kindOverview).dir()))
	for _, kind := range kinds {
		p, err := v.build(kind)
		if err != nil {
			return pages, tables, err
		}
		base := strings.TrimSuffix(v.loc(kind).file(), ".html")
		if err := w.writePage(p, v.l, base); err != nil {
			return pages, tables, fmt.Errorf("dashboards: %s: %w", v.loc(kind).path(), err)
		}
		tables += len(p.Blocks)
		if err := written.writeFile(filepath.Join(outDir, v.loc(kind).file()), w.out.Bytes()); err != nil {
			return pages, tables, err
		}
		pages++
	}
	return pages, tables, nil
}

// build makes one page.
func (v *view) build(kind string) (*page, error) {
	switch kind {
	case kindOverview:
		return v.overviewPage()
	case kindCompleteness:
		return v.completenessPage()
	case kindPrivacy:
		return v.privacyPage()
	case kindMethodology:
		return v.methodologyPage()
	}
	p := v.newPage(kind, v.l.T["pages."+kind])
	if err := v.metricBlocks(p, kind); err != nil {
		return nil, err
	}
	return p, nil
}

// writeIndexes writes the site's entry page and one per language, which
// forward to the latest quarter's overview: the latest is the default.
func writeIndexes(dir string, latest period.Quarter, written *writtenSet) error {
	type link struct{ Href, Lang, Label string }
	labels := map[string]string{"nl": "Nederlands", "fr": "Français", "en": "English"}
	var links []link
	for _, lang := range config.Languages {
		links = append(links, link{Href: lang + "/" + latest.String() + "/index.html", Lang: lang, Label: labels[lang]})
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "index.html", map[string]any{"CSP": contentSecurityPolicy, "Lang": config.Languages[0], "Default": links[0].Href, "Links": links, "Root": ""}); err != nil {
		return fmt.Errorf("dashboards: index: %w", err)
	}
	if err := written.writeFile(filepath.Join(dir, "index.html"), buf.Bytes()); err != nil {
		return err
	}
	for _, l := range links {
		buf.Reset()
		one := []link{{Href: latest.String() + "/index.html", Lang: l.Lang, Label: l.Label}}
		if err := templates.ExecuteTemplate(&buf, "index.html", map[string]any{"CSP": contentSecurityPolicy, "Lang": l.Lang, "Default": one[0].Href, "Links": one, "Root": "../"}); err != nil {
			return fmt.Errorf("dashboards: index: %w", err)
		}
		if err := written.writeFile(filepath.Join(dir, l.Lang, "index.html"), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// copyAssets copies the embedded stylesheet, chart script and ECharts into
// dir/assets. A build without ECharts (go build without make) fails here
// with the command that fixes it.
func copyAssets(dir string, written *writtenSet) error {
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
		return written.writeFile(filepath.Join(dir, path), data)
	})
}
