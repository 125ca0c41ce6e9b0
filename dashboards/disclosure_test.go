package dashboards

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"doorstroom/disclosure"
	"doorstroom/metrics"
)

// TestPagesLeakNoSuppressedCount builds sites from registers full of
// small counts and reads them back as an attacker would: every outflow
// table of every page (the network's partner × class table with its total
// column and network row, the network's and each partner's type tables,
// each partner's class table). It checks that
//   - a number shown is the true one, and never below the threshold;
//   - "<5" is shown only for counts below the threshold;
//   - the same cell reads the same on every page;
//   - with every relation between the shown tables (the network as the
//     sum of the partners, the total column as the sum of the classes, a
//     class as the sum of its types), no withheld cell can be worked out.
func TestPagesLeakNoSuppressedCount(t *testing.T) {
	for seed := uint64(10); seed < 16; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			in := fixture{partners: 4, quarters: 2, seed: seed, small: true}.input(t)
			dir := build(t, in)
			l := newLang("en", in.Translations, in.Policy.Threshold, in.Quarters)
			for _, q := range in.Quarters {
				checkQuarterLeaks(t, in, l, dir, q.String())
			}
		})
	}
}

type shownCell struct{ metric, entity, breakdown string }

func checkQuarterLeaks(t *testing.T, in Input, l *lang, dir, q string) {
	t.Helper()
	truth := map[shownCell]float64{}
	present := map[string]bool{}
	for _, r := range in.Metrics {
		if r.Quarter == q {
			truth[shownCell{r.Metric, r.Partner, r.Breakdown}] = r.Value.Float64
			present[r.Partner] = true
		}
	}
	codeOf := map[string]shownCell{} // label -> breakdown of exits_by_type / exits_by_class
	for _, c := range []string{"legal_residence", "voluntary_return", "onward_migration", "forced_return", "new_asylum_application",
		"medical_postponement", "stopped_no_cooperation", "lost_contact", "not_eligible", "deceased", "other"} {
		codeOf["type|"+l.valueLabel("type", c)] = shownCell{"exits_by_type", "", "type=" + c}
	}
	for class := range in.Classes["outflow_type"] {
		codeOf["class|"+l.valueLabel("class", class)] = shownCell{"exits_by_class", "", "class=" + class}
	}
	entityOf := map[string]string{l.T["network"]: metrics.NetworkPartner}
	for _, p := range in.Partners {
		entityOf[p.Name] = p.Code
	}
	shown := map[shownCell]string{}
	record := func(where string, c shownCell, text string) {
		if prev, ok := shown[c]; ok && prev != text {
			t.Errorf("%s %v reads %q here and %q elsewhere", where, c, text, prev)
		}
		shown[c] = text
	}
	// Network page: partner × class with total column; types × network.
	page := readPage(t, dir, "en/"+q+"/outflow.html")
	classTable := func(where string, rows [][]string) {
		for _, r := range rows[1:] {
			for j, h := range rows[0][1:] {
				c := codeOf["class|"+h]
				if h == l.T["total"] {
					c = shownCell{"exits_by_class", "", totalBreakdown}
				}
				c.entity = entityOf[r[0]]
				record(where, c, r[j+1])
			}
		}
	}
	typeTable := func(where string, rows [][]string) {
		for _, r := range rows[1:] {
			for j, h := range rows[0][1:] {
				c := codeOf["type|"+r[0]]
				c.entity = entityOf[h]
				record(where, c, r[j+1])
			}
		}
	}
	classTable("network class table", tableCSV(t, page, "exits-by-class"))
	typeTable("network type table", tableCSV(t, page, "exits-by-type"))
	for _, p := range in.Partners {
		pp := readPage(t, dir, "en/"+q+"/partner/"+p.Code+"/outflow.html")
		classTable(p.Code+" class table", tableCSV(t, pp, "exits-by-class"))
		typeTable(p.Code+" type table", tableCSV(t, pp, "exits-by-type"))
	}

	// The attacker's table.
	tab := &disclosure.Table{}
	var status []disclosure.Status
	index := map[shownCell]int{}
	keys := make([]shownCell, 0, len(shown))
	for c := range shown {
		keys = append(keys, c)
	}
	slices.SortFunc(keys, func(a, b shownCell) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	for _, c := range keys {
		text := shown[c]
		if c.entity != metrics.NetworkPartner && !present[c.entity] {
			continue
		}
		v := truth[c]
		if c.breakdown == totalBreakdown {
			v = 0
			for k, x := range truth {
				if k.metric == c.metric && k.entity == c.entity && strings.HasPrefix(k.breakdown, "class=") {
					v += x
				}
			}
		}
		var s disclosure.Status
		switch text {
		case "<5":
			s = disclosure.BelowThreshold
			if v >= 5 {
				t.Errorf("%v shows <5 but is %v", c, v)
			}
		case l.T["mark_protecting"]:
			s = disclosure.Protecting
		default:
			n, err := strconv.ParseFloat(strings.ReplaceAll(text, ",", ""), 64)
			if err != nil {
				t.Errorf("%v shows %q", c, text)
				continue
			}
			if n != v {
				t.Errorf("%v shows %v, true value %v", c, n, v)
			}
			if n < 5 {
				t.Errorf("%v shows %v, below the threshold", c, n)
			}
		}
		index[c] = tab.Add(disclosure.Cell{Value: v, Marked: true})
		status = append(status, s)
	}
	relate := func(total shownCell, parts []shownCell) {
		ti, ok := index[total]
		if !ok {
			return
		}
		var ps []int
		for _, p := range parts {
			if i, ok := index[p]; ok {
				ps = append(ps, i)
			}
		}
		if err := tab.Relate(disclosure.Sum(ti, ps...)); err != nil {
			t.Fatalf("%v: %v", total, err)
		}
	}
	entities := []string{metrics.NetworkPartner}
	for _, p := range in.Partners {
		if present[p.Code] {
			entities = append(entities, p.Code)
		}
	}
	breakdowns := map[string]bool{}
	for c := range index {
		breakdowns[c.metric+"|"+c.breakdown] = true
	}
	for mb := range breakdowns {
		metric, b, _ := strings.Cut(mb, "|")
		var parts []shownCell
		for _, e := range entities[1:] {
			parts = append(parts, shownCell{metric, e, b})
		}
		relate(shownCell{metric, metrics.NetworkPartner, b}, parts)
	}
	for _, e := range entities {
		var classes []shownCell
		for class, types := range in.Classes["outflow_type"] {
			classes = append(classes, shownCell{"exits_by_class", e, "class=" + class})
			var parts []shownCell
			for _, ty := range types {
				parts = append(parts, shownCell{"exits_by_type", e, "type=" + ty})
			}
			relate(shownCell{"exits_by_class", e, "class=" + class}, parts)
		}
		relate(shownCell{"exits_by_class", e, totalBreakdown}, classes)
	}
	rec, err := in.Policy.Recoverable(tab, status)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range rec {
		for c, j := range index {
			if i == j {
				t.Errorf("%s: %v (%s) can be worked out from the pages", q, c, shown[c])
			}
		}
	}
	withheld := 0
	for _, s := range status {
		if s.Withheld() {
			withheld++
		}
	}
	if withheld == 0 {
		t.Errorf("%s: nothing withheld: the fixture does not tempt", q)
	}
}

// TestSharesOnSmallCountsAreHidden checks that a share whose numerator or
// rest is a small count shows the hidden mark, never a percentage, and
// that a shown share is the true one.
func TestSharesOnSmallCountsAreHidden(t *testing.T) {
	in := fixture{partners: 6, quarters: 1, seed: 21, small: true}.input(t)
	dir := build(t, in)
	l := newLang("en", in.Translations, in.Policy.Threshold, in.Quarters)
	page := readPage(t, dir, "en/2024Q1/engagement.html")
	rows := tableCSV(t, page, "dvz-talk-share")
	name := map[string]string{metrics.NetworkPartner: l.T["network"]}
	for _, p := range in.Partners {
		name[p.Code] = p.Name
	}
	hidden, shownN := 0, 0
	for _, r := range in.Metrics {
		if r.Metric != "dvz_talk_share" {
			continue
		}
		var text string
		for _, row := range rows[1:] {
			if row[0] == name[r.Partner] {
				text = row[1]
			}
		}
		if !in.Policy.ShareOK(r.Numerator.Float64, r.Denominator.Float64) {
			hidden++
			if text != l.T["mark_hidden"] {
				t.Errorf("%s: share on %v of %v shows %q", r.Partner, r.Numerator.Float64, r.Denominator.Float64, text)
			}
			continue
		}
		if text != l.T["mark_hidden"] {
			shownN++
			if want := l.nf.percent(r.Value.Float64); text != want {
				t.Errorf("%s: share shows %q, want %q", r.Partner, text, want)
			}
		}
	}
	if hidden == 0 || shownN == 0 {
		t.Errorf("fixture shows %d hidden and %d shown shares: it tests nothing", hidden, shownN)
	}
}

// TestProtectRowsMatchesPages checks that the rows ProtectRows publishes
// (for the snapshot) withhold exactly what the pages withhold.
func TestProtectRowsMatchesPages(t *testing.T) {
	in := fixture{partners: 5, quarters: 1, seed: 31, small: true}.input(t)
	rows, err := ProtectRows(in.Quarters[0], in.Metrics, in.Catalogue, in.Classes, in.Policy)
	if err != nil {
		t.Fatal(err)
	}
	data, ready := prepareQuarters(t.Context(), &in, func(err error) { t.Fatal(err) })
	<-ready[0]
	d := data[0]
	secondary := 0
	for i, r := range rows {
		f := d.figure(r.Metric, r.Partner, normBreakdown(r.Breakdown))
		withheld := f.st != shown && f.st != nodata
		if r.Suppressed != withheld {
			t.Errorf("%s %s %s: row suppressed=%v, page state %d", r.Metric, r.Partner, r.Breakdown, r.Suppressed, f.st)
		}
		if r.Suppressed && r.Value.Valid {
			t.Errorf("%s %s %s: suppressed row keeps its value", r.Metric, r.Partner, r.Breakdown)
		}
		if r.Suppressed && !in.Metrics[i].Suppressed {
			secondary++
		}
	}
	if secondary == 0 {
		t.Error("no secondary suppression in the fixture: the test shows nothing")
	}
}
