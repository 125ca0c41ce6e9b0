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
			l := newLang("en", in.Translations, in.Catalogue, in.Policy.Threshold, in.Quarters)
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
	classLabel := map[string]string{} // label -> class
	typeLabel := map[string]string{}  // label -> type
	classOfType := map[string]string{}
	for class, types := range in.Classes["outflow_type"] {
		classLabel[l.valueLabel("class", class)] = class
		for _, ty := range types {
			typeLabel[l.valueLabel("type", ty)] = ty
			classOfType[ty] = class
		}
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
	// The class table: partners (or the partner and the network) by class,
	// with a total column.
	classTable := func(where string, rows [][]string) {
		for _, r := range rows[1:] {
			for j, h := range rows[0][1:] {
				c := shownCell{"exits_by_class", entityOf[r[0]], "class=" + classLabel[h]}
				if h == l.T["total"] {
					c.breakdown = totalBreakdown
				}
				record(where, c, r[j+1])
			}
		}
	}
	// The type table: types by class, for the network (columns "class") or
	// for the partner and the network (columns "class · entity"); a type
	// has a number only in its own class's column.
	typeTable := func(where string, rows [][]string) {
		for _, r := range rows[1:] {
			ty := typeLabel[r[0]]
			for j, h := range rows[0][1:] {
				class, ent, _ := strings.Cut(h, " · ")
				entity := metrics.NetworkPartner
				if ent != "" {
					entity = entityOf[ent]
				}
				if classLabel[class] != classOfType[ty] {
					if r[j+1] != l.T["mark_nodata"] {
						t.Errorf("%s: type %s shows %q under class %s", where, ty, r[j+1], class)
					}
					continue
				}
				record(where, shownCell{"exits_by_type", entity, "class=" + classOfType[ty] + ";type=" + ty}, r[j+1])
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
		// A zero is not protected (the rows a query does not return tell
		// it): the pages and metrics.Publish hold the same rule.
		index[c] = tab.Add(disclosure.Cell{Value: v, Marked: true, Incidental: v == 0})
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
				parts = append(parts, shownCell{"exits_by_type", e, "class=" + class + ";type=" + ty})
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
	in := fixture{partners: 12, quarters: 1, seed: 21, small: true}.input(t)
	dir := build(t, in)
	l := newLang("en", in.Translations, in.Catalogue, in.Policy.Threshold, in.Quarters)
	page := readPage(t, dir, "en/2024Q1/engagement.html")
	rows := tableCSV(t, page, "engagement-shares") // grouped in the catalogue
	e, _ := in.Catalogue.Entry("dvz_talk_share")
	col := slices.Index(rows[0], e.Title["en"])
	if col < 0 {
		t.Fatalf("no column %q in %v", e.Title["en"], rows[0])
	}
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
				text = row[col]
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
