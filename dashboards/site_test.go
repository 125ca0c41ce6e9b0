package dashboards

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doorstroom/config"
	"doorstroom/metrics"
)

// build renders a fixture's site into a temporary folder.
func build(t *testing.T, in Input) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), in, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readPage(t *testing.T, dir, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var (
	hrefRe     = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	optionRe   = regexp.MustCompile(`<script type="application/json" id="[^"]*">([^<]*)</script>`)
	downloadRe = regexp.MustCompile(`<section class="block" id="([^"]+)"[\s\S]*?href="(data:text/csv[^"]*)"`)
)

// tableCSV returns the CSV download of a page's block, decoded as a
// spreadsheet would read it.
func tableCSV(t *testing.T, page, blockID string) [][]string {
	t.Helper()
	for _, m := range downloadRe.FindAllStringSubmatch(page, -1) {
		if m[1] != blockID {
			continue
		}
		raw := strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`, "&lt;", "<", "&gt;", ">").Replace(m[2])
		text, err := url.PathUnescape(strings.TrimPrefix(raw, "data:text/csv;charset=utf-8,"))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff")))
		if strings.Contains(text, ";") && !strings.Contains(strings.SplitN(text, "\n", 2)[0], ",") {
			r.Comma = ';'
		}
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	t.Fatalf("no block %s with a CSV download", blockID)
	return nil
}

// TestBuildEveryPageAndLink builds a small site and checks that every page
// of every language, quarter and partner exists, declares its language,
// and that every link and script on it resolves to a file of the site.
func TestBuildEveryPageAndLink(t *testing.T) {
	in := fixture{partners: 3, quarters: 3, seed: 2}.input(t)
	dir := filepath.Join(t.TempDir(), "site")
	if keep := os.Getenv("DOORSTROOM_FIXTURE_SITE"); keep != "" {
		// Keep the site to look at it in a browser.
		dir = keep
		os.RemoveAll(dir)
	}
	st, err := Build(context.Background(), in, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := len(config.Languages) * len(in.Quarters) * (len(networkKinds) + len(in.Partners)*len(partnerKinds))
	if st.Pages != want {
		t.Errorf("%d pages, want %d", st.Pages, want)
	}
	pages, options := 0, 0
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		pages++
		data, _ := os.ReadFile(path)
		page := string(data)
		rel, _ := filepath.Rel(dir, path)
		lang := strings.Split(filepath.ToSlash(rel), "/")[0]
		if rel == "index.html" {
			lang = config.Languages[0]
		}
		if !strings.Contains(page, `<html lang="`+lang+`">`) {
			t.Errorf("%s does not declare lang %s", rel, lang)
		}
		for _, m := range optionRe.FindAllStringSubmatch(page, -1) {
			options++
			if !json.Valid([]byte(m[1])) {
				t.Errorf("%s: a chart option is not JSON: %.200s", rel, m[1])
			}
		}
		for _, m := range hrefRe.FindAllStringSubmatch(page, -1) {
			href := m[1]
			if strings.HasPrefix(href, "data:") || strings.HasPrefix(href, "#") {
				continue
			}
			if strings.Contains(href, "//") {
				t.Errorf("%s links outside the site: %s", rel, href)
				continue
			}
			target := filepath.Join(filepath.Dir(path), filepath.FromSlash(strings.SplitN(href, "#", 2)[0]))
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: link %s does not resolve", rel, href)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if options == 0 {
		t.Error("no chart option found on any page")
	}
	if pages != want+1+len(config.Languages) {
		t.Errorf("%d HTML files, want %d pages and %d indexes", pages, want, 1+len(config.Languages))
	}
	if !strings.Contains(readPage(t, dir, "index.html"), "url=nl/2024Q3/index.html") {
		t.Error("the site's index does not forward to the latest quarter")
	}
}

// TestPartnerStringsAreEscaped puts markup in a partner's name and in a
// breakdown value no translation labels, and checks that every page shows
// it as text, every chart option carries it escaped, and the CSV
// neutralises a formula.
func TestPartnerStringsAreEscaped(t *testing.T) {
	in := fixture{partners: 2, quarters: 2, seed: 3}.input(t)
	evil := `<script>alert("partner")</script>`
	in.Partners[0].Name = evil
	formula := `=HYPERLINK("http://x.example","y")`
	for _, p := range []string{in.Partners[0].Code, in.Partners[1].Code, metrics.NetworkPartner} {
		in.Metrics = append(in.Metrics,
			metrics.Row{Metric: "exits_by_type", Quarter: "2024Q2", Partner: p, Breakdown: "class=other;type=<img src=x onerror=alert(1)>",
				Value: num(6), Numerator: num(6)},
			metrics.Row{Metric: "exits_by_type", Quarter: "2024Q2", Partner: p, Breakdown: "class=other;type=" + formula,
				Value: num(7), Numerator: num(7)})
	}
	dir := build(t, in)
	var checked int
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		data, _ := os.ReadFile(path)
		page := string(data)
		for _, raw := range []string{evil, "<img src=x", "alert(1)>"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s contains %q unescaped", path, raw)
			}
		}
		if strings.Contains(page, "&lt;script&gt;alert(&#34;partner&#34;)&lt;/script&gt;") {
			checked++
		}
		return nil
	})
	if checked == 0 {
		t.Error("the partner's name appears on no page as escaped text")
	}
	page := readPage(t, dir, "en/2024Q2/outflow.html")
	if !strings.Contains(page, `\u003cimg src=x onerror=alert(1)\u003e`) {
		t.Error("the chart option does not carry the label JSON-escaped")
	}
	found := false
	for _, row := range tableCSV(t, page, "exits-by-type") {
		if strings.Contains(row[0], "HYPERLINK") {
			found = true
			if !strings.HasPrefix(row[0], "'=") {
				t.Errorf("CSV cell %q is not neutralised", row[0])
			}
		}
	}
	if !found {
		t.Error("the formula label is not in the CSV")
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{"+31 6", "'+31 6"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"－1", "'－1"},
		{"-12", "-12"},
		{"-1,5", "-1,5"},
		{"Gent", "Gent"},
		{"<5", "<5"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := neutralise(tt.in); got != tt.want {
				t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLocaleFormats checks numbers and dates on pages per language.
func TestLocaleFormats(t *testing.T) {
	in := fixture{partners: 2, quarters: 2, seed: 4}.input(t)
	for i, r := range in.Metrics {
		if r.Metric == "participants_active" && r.Quarter == "2024Q2" {
			in.Metrics[i].Value, in.Metrics[i].Numerator = num(1234), num(1234)
		}
	}
	dir := build(t, in)
	tests := []struct{ lang, number, date, quarter string }{
		{"nl", "1.234", "1 november 2026", "K2 2024"},
		{"fr", "1\u202f234", "1 novembre 2026", "T2 2024"},
		{"en", "1,234", "1 November 2026", "2024 Q2"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			page := readPage(t, dir, tt.lang+"/2024Q2/index.html")
			for _, want := range []string{tt.number, tt.date, tt.quarter} {
				if !strings.Contains(page, want) {
					t.Errorf("%s overview lacks %q", tt.lang, want)
				}
			}
		})
	}
}

// TestPrivacyPageRendersAnyRiskReport gives the privacy page a risk report
// with fields it does not know (as a richer anonymiser writes) and checks
// they are shown.
func TestPrivacyPageRendersAnyRiskReport(t *testing.T) {
	in := fixture{partners: 2, quarters: 2, seed: 5}.input(t)
	in.Risk["2024Q2"] = []byte(`{"release":"r1","k":5,"suppression_limit":0.05,"quasi_identifiers":["age","sex"],
		"before":{"records":10,"prosecutor_risk_max":1},"after":{"records":9,"prosecutor_risk_max":0.2,"journalist_risk":0.125},
		"levels":[{"attribute":"age","level":1,"height":4}],"records_suppressed":1,
		"loss":{"granularity":0.4213,"discernibility":1234},
		"l_diversity":[{"attribute":"outflow_type","l":3},{"attribute":"procedure","l":2}],
		"recursive":{"deep":{"x":1}}}`)
	dir := build(t, in)
	page := readPage(t, dir, "en/2024Q2/privacy.html")
	for _, want := range []string{"granularity", "0.421", "Discernibility", "1,234", "l-diversity", "outflow_type", "journalist risk",
		"generalised (level 1 of 3)", "Highest re-identification risk", "20.0%"} {
		if !strings.Contains(page, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
	if page := readPage(t, dir, "en/2024Q1/privacy.html"); strings.Contains(page, "r1") || !strings.Contains(page, "2024Q1-x") {
		t.Error("each quarter's privacy page should show its own release")
	}
}

// TestCompletenessPage checks the delivery statuses on the network's and a
// partner's page.
func TestCompletenessPage(t *testing.T) {
	in := fixture{partners: 8, quarters: 2, seed: 6}.input(t)
	dir := build(t, in)
	page := readPage(t, dir, "en/2024Q2/completeness.html")
	rows := tableCSV(t, page, "deliveries")
	status := map[string]string{}
	for _, r := range rows[1:] {
		status[r[0]] = r[1]
	}
	// The fixture: partner 3 sent nothing, partner 5 sent a rejected
	// file, quarter 2024Q2 (index 1) is on time.
	for name, want := range map[string]string{"Partner 3": "missing", "Partner 5": "received, not accepted", "Partner 0": "on time"} {
		if status[name] != want {
			t.Errorf("%s: status %q, want %q", name, status[name], want)
		}
	}
	if p := readPage(t, dir, "en/2024Q2/partner/p00/completeness.html"); !strings.Contains(p, "Deliveries of Partner 0") {
		t.Error("partner completeness page lacks its deliveries")
	}
}

// TestStepCharts checks that survival and cumulative incidence, declared
// in the catalogue as step charts over months, are drawn as step lines on
// a numeric axis, one series per class.
func TestStepCharts(t *testing.T) {
	in := fixture{partners: 8, quarters: 1, seed: 7}.input(t)
	dir := build(t, in)
	page := readPage(t, dir, "en/2024Q1/durations.html")
	for _, id := range []string{"chart-survival-in-trajectory-option", "chart-cumulative-incidence-option"} {
		i := strings.Index(page, id)
		if i < 0 {
			t.Fatalf("no %s", id)
		}
		opt := page[i : i+strings.Index(page[i:], "</script>")]
		for _, want := range []string{`"xAxis":[{"type":"value"`, `"step":"end"`, `[3,`, `[24,`} {
			if !strings.Contains(opt, want) {
				t.Errorf("%s lacks %s", id, want)
			}
		}
	}
	if !strings.Contains(page, "semi-durable") {
		t.Error("cumulative incidence has no series per class")
	}
}

// TestPrivacyPageNewerReport renders a risk report that lists levels,
// heights, weights and losses per quasi-identifier and l-diversity before
// and after, as anonymize writes it now.
func TestPrivacyPageNewerReport(t *testing.T) {
	in := fixture{partners: 2, quarters: 1, seed: 5}.input(t)
	in.Risk["2024Q1"] = []byte(`{"release":"r2","k":5,"suppression_limit":0.05,"metric":"loss","aggregate":"arithmetic_mean",
		"quasi_identifiers":["age","sex","partner"],"sensitive_attributes":["procedure"],
		"levels":[1,1,0],"heights":[5,2,3],"weights":[0.5,0.125,1],"min_levels":[0,0,0],"max_levels":[4,1,2],
		"before":{"records":10,"prosecutor_risk_max":1,"l_diversity":[{"attribute":"procedure","distinct_l":1,"entropy_l":1}]},
		"after":{"records":9,"prosecutor_risk_max":0.2,"l_diversity":[{"attribute":"procedure","distinct_l":2,"entropy_l":1.417}]},
		"loss":{"loss":0.677,"loss_per_attribute":[1,0.331,0]},"search":{"nodes":120,"nodes_checked":24}}`)
	dir := build(t, in)
	page := readPage(t, dir, "en/2024Q1/privacy.html")
	levels := tableCSV(t, page, "generalisation")
	want := [][]string{
		{"Quasi-identifier", "Published as", "Loss", "Highest level allowed", "Lowest level allowed", "Weight"},
		{"age", "generalised (level 1 of 4)", "1", "4", "0", "0.5"},
		{"sex", "withheld", "0.331", "1", "0", "0.125"},
		{"partner", "as reported", "0", "2", "0", "1"},
	}
	if fmt.Sprint(levels) != fmt.Sprint(want) {
		t.Errorf("per quasi-identifier:\n got %v\nwant %v", levels, want)
	}
	ld := tableCSV(t, page, "risk-l-diversity")
	if fmt.Sprint(ld[1]) != "[procedure 1 2 1 1.417]" {
		t.Errorf("l-diversity row %v", ld[1])
	}
	for _, w := range []string{"Sensitive attributes (l-diversity)", "arithmetic_mean", "Generalisations in the lattice"} {
		if !strings.Contains(page, w) {
			t.Errorf("privacy page lacks %q", w)
		}
	}
	if strings.Contains(page, "map[") {
		t.Error("a nested object is printed as Go text")
	}
}
