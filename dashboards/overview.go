package dashboards

import (
	"math"

	"doorstroom/metrics"
)

// keyFigure is one of the overview's headline numbers: its value, its
// change since the previous released quarter, and on a partner's page the
// network's value beside it.
type keyFigure struct {
	Label, Value, Change, Network string
	// Trend is the fragment of the figure's trend block on the page.
	Trend string
}

// overviewPage is the quarter's key figures with their change, the
// metrics the catalogue puts on the overview, and every key figure's
// trend over the released quarters up to this one.
func (v *view) overviewPage() (*page, error) {
	l := v.l
	p := v.newPage(kindOverview, l.T["pages.overview"])
	if err := v.metricBlocks(p, kindOverview); err != nil {
		return nil, err
	}
	p.Intro = nil // the key figures speak for an empty overview
	ent := v.scopeEntities()[0]
	for _, e := range v.in.Catalogue.Metrics {
		if !e.KeyFigure {
			continue
		}
		bk := normBreakdown(e.Chart.Filter)
		f := v.d.figure(e.ID, ent.code, bk)
		kf := keyFigure{Label: e.Title[l.code], Value: l.format(e.Unit, f)}
		if v.qi > 0 {
			prev := v.all[v.qi-1]
			if pf := prev.figure(e.ID, ent.code, bk); f.st == shown && pf.st == shown {
				kf.Change = l.textf("ui.change_since", "change", v.change(e.Unit, f.v-pf.v), "quarter", l.quarter(prev.q))
			}
		}
		if v.partner != nil {
			nf := v.d.figure(e.ID, metrics.NetworkPartner, bk)
			kf.Network = l.textf("ui.network_value", "value", l.format(e.Unit, nf))
		}
		// A trend block, unless the metric already draws itself over the
		// quarters on this page.
		if !(e.Page == kindOverview && e.Chart.X == "quarter") {
			c := metrics.Chart{Kind: "line", X: "quarter", Filter: e.Chart.Filter}
			b, err := v.metricBlock([]metrics.Entry{e}, c, "-trend")
			if err != nil {
				return nil, err
			}
			b.Title = l.textf("ui.trend_of", "title", e.Title[l.code])
			p.Blocks = append(p.Blocks, b)
			kf.Trend = b.ID
		} else {
			kf.Trend = safeID(e.ID)
		}
		p.KeyFigures = append(p.KeyFigures, kf)
	}
	return p, nil
}

// change writes a difference between two quarters: signed, in percentage
// points for shares.
func (v *view) change(unit string, d float64) string {
	l := v.l
	sign := "+"
	if d < 0 {
		sign = "\u2212"
	}
	switch unit {
	case metrics.UnitShare:
		pp := math.Abs(d) * 100
		return l.textf("ui.pp", "value", sign+l.nf.number(pp, 1))
	case metrics.UnitCount, metrics.UnitDays, metrics.UnitEuro:
		if math.Round(math.Abs(d)) == 0 {
			return "±0"
		}
		return sign + l.nf.number(math.Abs(d), 0)
	}
	return sign + l.nf.number(math.Abs(d), 1)
}
