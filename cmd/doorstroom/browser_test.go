//go:build browser

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserDemoSite runs the demo quarter job (as TestEndToEndDemoQuarter
// does) and loads every page of the site it writes in Debian's Chromium,
// headless, from file://, with every request to a network origin blocked.
// On every page it asserts:
//   - no console error, no uncaught exception, no Content-Security-Policy
//     violation (also after hovering a chart, which draws its tooltip);
//   - no request for anything but the site's own files;
//   - every chart has a drawn canvas of non-zero size;
//   - every link (the language twins, the quarter and partner pickers,
//     the pages) and every script and stylesheet resolves to a file.
//
// It saves a full-page screenshot of each page kind under
// DOORSTROOM_E2E_OUT (default out/e2e) and checks that a CSV download
// arrives. Run it with `make e2e` (build tag browser); DOORSTROOM_CHROMIUM
// names the browser (default /usr/bin/chromium).
func TestBrowserDemoSite(t *testing.T) {
	chromium := os.Getenv("DOORSTROOM_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no Chromium at %s (make e2e installs it): %v", chromium, err)
	}
	shots := os.Getenv("DOORSTROOM_E2E_OUT")
	if shots == "" {
		shots = "../../out/e2e"
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	site := runDemoSite(t)

	var pages []string
	filepath.WalkDir(site, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") {
			pages = append(pages, path)
		}
		return err
	})
	sort.Strings(pages)
	if len(pages) < 100 {
		t.Fatalf("only %d pages", len(pages))
	}

	start := time.Now()
	browserCtx, stop := startChromium(t, chromium)
	defer stop()

	kinds := screenshotPages(site)
	const tabs = 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked := 0
	for i := 0; i < tabs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tab := newTab(t, browserCtx, site)
			defer tab.cancel()
			for j := i; j < len(pages); j += tabs {
				shot := kinds[pages[j]]
				tab.check(t, pages[j], shot, shots)
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	t.Logf("%d pages checked in Chromium in %s", checked, time.Since(start).Round(time.Millisecond))

	t.Run("static web server", func(t *testing.T) {
		// The same checks on one page of each kind served over HTTP, where
		// the CSP's 'self' is the server's origin.
		srv := httptest.NewServer(http.FileServer(http.Dir(site)))
		defer srv.Close()
		tab := newServedTab(t, browserCtx, site, srv.URL)
		defer tab.cancel()
		for page := range kinds {
			tab.check(t, page, "", "")
		}
	})

	t.Run("csv download", func(t *testing.T) {
		tab := newTab(t, browserCtx, site)
		defer tab.cancel()
		dl := t.TempDir()
		err := chromedp.Run(tab.ctx,
			browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dl).WithEventsEnabled(true),
			chromedp.Navigate(fileURL(filepath.Join(site, "fr", "2026Q3", "outflow.html"))),
			chromedp.Click(`#exits-by-class a.download`, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatal(err)
		}
		var data []byte
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if data, _ = os.ReadFile(filepath.Join(dl, "outflow-exits-by-class.csv")); len(data) > 0 {
				break
			}
		}
		if !bytes.HasPrefix(data, []byte("\ufeffPartenaire;")) {
			t.Errorf("downloaded CSV starts %q", data[:min(len(data), 40)])
		}
	})
}

// startChromium starts headless Chromium with the network closed. A
// browser that dies while starting (as happens on a busy machine) is
// started again, up to three times.
func startChromium(t *testing.T, chromium string) (context.Context, func()) {
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromium),
			chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.DisableGPU,
			chromedp.UserDataDir(t.TempDir()),
			chromedp.WindowSize(1280, 900),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			// No host resolves, whatever asks; 127.0.0.1 is the test's
			// own static web server.
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		)
		browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
		if err = chromedp.Run(browserCtx); err == nil {
			return browserCtx, func() { cancelBrowser(); cancelAlloc() }
		}
		cancelBrowser()
		cancelAlloc()
		t.Logf("starting Chromium, attempt %d: %v", attempt, err)
		time.Sleep(time.Second)
	}
	t.Fatalf("starting Chromium: %v", err)
	return nil, nil
}

// runDemoSite runs the quarterly job on the committed demo inbox into a
// temporary folder and returns its site.
func runDemoSite(t *testing.T) string {
	t.Helper()
	work := t.TempDir()
	inbox, _ := filepath.Abs(filepath.Join(demoDir, "inbox"))
	demoCfg, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(work, "network.yaml")
	paths := fmt.Sprintf("\npaths:\n  inbox: %s\n  outbox: %s\n  quarantine: %s\n  out: %s\n  state: %s\n",
		inbox, filepath.Join(work, "outbox"), filepath.Join(work, "quarantine"), filepath.Join(work, "out"), filepath.Join(work, "state"))
	if err := os.WriteFile(cfg, append(stripPaths(demoCfg), paths...), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch(context.Background(), []string{"run", "--config", cfg}, &stdout, &stderr); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr.String())
	}
	return filepath.Join(work, "out", "site")
}

// screenshotPages names one page of each kind (English, latest quarter)
// to photograph: every network page, and a partner's.
func screenshotPages(site string) map[string]string {
	out := map[string]string{}
	latest := ""
	entries, _ := os.ReadDir(filepath.Join(site, "en"))
	for _, e := range entries {
		if e.IsDir() && e.Name() > latest {
			latest = e.Name()
		}
	}
	for _, kind := range []string{"index", "engagement", "outflow", "durations", "completeness", "privacy", "methodology"} {
		out[filepath.Join(site, "en", latest, kind+".html")] = "network-" + kind
	}
	partners, _ := os.ReadDir(filepath.Join(site, "en", latest, "partner"))
	if len(partners) > 0 {
		p := partners[0].Name()
		for _, kind := range []string{"index", "outflow"} {
			out[filepath.Join(site, "en", latest, "partner", p, kind+".html")] = "partner-" + kind
		}
		out[filepath.Join(site, "nl", latest, "partner", p, "index.html")] = "partner-index-nl"
	}
	return out
}

// tab is one browser tab with its listeners: what the current page logs
// and requests is collected until the next page.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	site   string
	// server, when set, is the origin of a static web server serving the
	// site: the one network origin the tab may reach.
	server string

	mu       sync.Mutex
	errors   []string
	requests []string
}

func newTab(t *testing.T, parent context.Context, site string) *tab {
	return newServedTab(t, parent, site, "")
}

func newServedTab(t *testing.T, parent context.Context, site, server string) *tab {
	ctx, cancel := chromedp.NewContext(parent)
	tb := &tab{ctx: ctx, cancel: cancel, site: site, server: server}
	chromedp.ListenTarget(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				tb.errors = append(tb.errors, "console: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			tb.errors = append(tb.errors, "exception: "+ev.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				tb.errors = append(tb.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			tb.requests = append(tb.requests, ev.Request.URL)
		case *fetch.EventRequestPaused:
			// Only network origins are intercepted (see below): refuse
			// them, but the site's own server.
			tb.requests = append(tb.requests, ev.Request.URL)
			if tb.server != "" && strings.HasPrefix(ev.Request.URL, tb.server+"/") {
				go chromedp.Run(ctx, fetch.ContinueRequest(ev.RequestID))
			} else {
				go chromedp.Run(ctx, fetch.FailRequest(ev.RequestID, network.ErrorReasonBlockedByClient))
			}
		}
	})
	err := chromedp.Run(ctx,
		runtime.Enable(), cdplog.Enable(), network.Enable(),
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "http*"}, {URLPattern: "ws*"}, {URLPattern: "ftp*"}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// pageReport is what the page script finds on a loaded page.
type pageReport struct {
	Lang      string   `json:"lang"`
	Charts    int      `json:"charts"`
	Drawn     string   `json:"drawn"`
	Bad       []string `json:"bad"`
	Links     []string `json:"links"`
	LangLinks []string `json:"langLinks"`
}

const inspect = `(() => {
  const out = {lang: document.documentElement.lang, charts: 0, bad: [], links: [], langLinks: [],
    drawn: document.documentElement.getAttribute("data-charts-drawn") || ""};
  document.querySelectorAll("[data-chart]").forEach(el => {
    out.charts++;
    const c = el.querySelector("canvas, svg");
    const r = c ? c.getBoundingClientRect() : null;
    if (!r || r.width < 1 || r.height < 1) { out.bad.push(el.id); }
  });
  document.querySelectorAll("a[href], link[href], script[src]").forEach(a => {
    const h = a.href || a.src;
    if (!h.startsWith("data:")) { out.links.push(h); }
  });
  document.querySelectorAll("nav.langs a").forEach(a => out.langLinks.push(a.href));
  return out;
})()`

// check loads one page and asserts everything the test promises.
func (tb *tab) check(t *testing.T, path, shot, shots string) {
	tb.mu.Lock()
	tb.errors, tb.requests = nil, nil
	tb.mu.Unlock()
	rel, _ := filepath.Rel(tb.site, path)
	isIndex := filepath.Base(path) == "index.html" && (rel == "index.html" || len(strings.Split(rel, string(filepath.Separator))) == 2)
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	var rep pageReport
	actions := []chromedp.Action{chromedp.Navigate(tb.url(path))}
	if isIndex {
		// The site's and each language's index forward to the latest
		// quarter's overview.
		actions = append(actions, chromedp.WaitReady("html[data-charts-drawn]", chromedp.ByQuery))
	}
	actions = append(actions, chromedp.Evaluate(inspect, &rep))
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Errorf("%s: %v", rel, err)
		return
	}
	if !isIndex {
		if want := strings.Split(filepath.ToSlash(rel), "/")[0]; rep.Lang != want {
			t.Errorf("%s: <html lang=%q>", rel, rep.Lang)
		}
		if len(rep.LangLinks) != 3 {
			t.Errorf("%s: %d language links", rel, len(rep.LangLinks))
		}
	}
	if rep.Drawn != fmt.Sprint(rep.Charts) {
		t.Errorf("%s: %d charts, the chart script drew %q", rel, rep.Charts, rep.Drawn)
	}
	if len(rep.Bad) > 0 {
		t.Errorf("%s: charts without a drawn canvas: %v", rel, rep.Bad)
	}
	for _, l := range append(rep.Links, rep.LangLinks...) {
		if p, ok := tb.sitePath(l); !ok {
			t.Errorf("%s: link outside the site: %s", rel, l)
		} else if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: link %s does not resolve", rel, l)
		}
	}
	if shot != "" && rep.Charts > 0 {
		// Hovering a chart draws its tooltip; it must not break the CSP.
		var centre []float64
		err := chromedp.Run(ctx, chromedp.ScrollIntoView("[data-chart]", chromedp.ByQuery),
			chromedp.Evaluate(`(() => { const b = document.querySelector("[data-chart]").getBoundingClientRect(); return [b.left + b.width/2, b.top + b.height/2]; })()`, &centre),
		)
		if err == nil && len(centre) == 2 {
			err = chromedp.Run(ctx, input.DispatchMouseEvent(input.MouseMoved, centre[0], centre[1]), chromedp.Sleep(300*time.Millisecond))
		}
		if err != nil {
			t.Errorf("%s: hovering a chart: %v", rel, err)
		}
		chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, 0)`, nil))
	}
	if shot != "" {
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Errorf("%s: screenshot: %v", rel, err)
		} else if err := os.WriteFile(filepath.Join(shots, shot+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		t.Errorf("%s: %s", rel, e)
	}
	for _, r := range tb.requests {
		if _, ok := tb.sitePath(r); !ok {
			t.Errorf("%s: requested %s", rel, r)
		}
	}
}

// url is where the tab loads a page of the site: its file:// URL, or its
// URL on the server.
func (tb *tab) url(path string) string {
	if tb.server == "" {
		return fileURL(path)
	}
	rel, _ := filepath.Rel(tb.site, path)
	return tb.server + "/" + filepath.ToSlash(rel)
}

// sitePath turns a URL inside the site (file://, or on the site's server)
// into its path.
func (tb *tab) sitePath(u string) (string, bool) {
	parsed, err := url.Parse(u)
	if err != nil {
		return "", false
	}
	var p string
	switch {
	case parsed.Scheme == "file" && tb.server == "":
		p = filepath.Clean(parsed.Path)
	case tb.server != "" && strings.HasPrefix(u, tb.server+"/"):
		p = filepath.Join(tb.site, filepath.FromSlash(parsed.Path))
	default:
		return "", false
	}
	if !strings.HasPrefix(p, tb.site+string(filepath.Separator)) {
		return "", false
	}
	return p, true
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: path}).String()
}
