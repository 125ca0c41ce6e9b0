package dashboards

import (
	"strconv"
	"time"

	"doorstroom/metrics"
)

// Delivery is one partner's delivery for one quarter, as the inbox
// manifest records it (the warehouse's completeness table). It is about
// organisations, not people: disclosure control does not apply.
type Delivery struct {
	Quarter, Partner             string
	Expected, Received, Accepted bool
	// OnTime is nil when no file is in force.
	OnTime *bool
	// ReceivedAt is when the file in force arrived; nil when none.
	ReceivedAt *time.Time
	Deadline   time.Time
	// Files counts every file seen for the quarter, Superseded those a
	// newer file replaced.
	Files, Superseded int
}

// Delivery statuses, in the order the page lists them.
var deliveryStatuses = []string{"on_time", "late", "rejected", "missing"}

// status is the delivery's one-word state; "" when nothing was expected
// and nothing came.
func (d Delivery) status() string {
	switch {
	case d.Accepted && d.OnTime != nil && *d.OnTime:
		return "on_time"
	case d.Accepted:
		return "late"
	case d.Received:
		return "rejected"
	case d.Expected:
		return "missing"
	}
	return ""
}

// completenessPage shows which partners delivered, on time or late: on
// the network's page every partner for the quarter and the statuses over
// the quarters; on a partner's page its deliveries quarter by quarter.
func (v *view) completenessPage() (*page, error) {
	l := v.l
	p := v.newPage(kindCompleteness, l.T["pages.completeness"])
	byKey := v.sh.deliveries
	header := []string{"", l.T["delivery_status"], l.T["delivery_received"], l.T["delivery_deadline"], l.T["delivery_files"], l.T["delivery_superseded"]}
	row := func(label string, d Delivery, ok bool) []cell {
		if !ok || d.status() == "" {
			return []cell{{Text: label}, {Text: l.T["delivery.not_expected"], State: nodata}, {}, {}, {}, {}}
		}
		received := ""
		if d.ReceivedAt != nil {
			received = l.date(*d.ReceivedAt)
		}
		return []cell{{Text: label}, {Text: l.T["delivery."+d.status()]}, {Text: received},
			{Text: l.date(d.Deadline)}, {Text: strconv.Itoa(d.Files)}, {Text: strconv.Itoa(d.Superseded)}}
	}
	if len(v.in.Deliveries) == 0 {
		p.Intro = append(p.Intro, l.T["no_deliveries"])
		return v.withCatalogueBlocks(p)
	}
	if v.partner != nil {
		b := block{ID: "deliveries", Title: l.textf("ui.deliveries_of", "partner", v.partner.Name)}
		b.Table.Text = true
		b.Table.Header = header
		b.Table.Header[0] = l.T["quarter"]
		for i := v.qi; i >= 0; i-- {
			q := v.in.Quarters[i].String()
			d, ok := byKey[[2]string{q, v.partner.Code}]
			b.Table.Rows = append(b.Table.Rows, row(l.quarter(v.in.Quarters[i]), d, ok))
		}
		p.Blocks = append(p.Blocks, b)
	} else {
		b := block{ID: "deliveries", Title: l.textf("ui.deliveries_in", "quarter", l.quarter(v.q))}
		b.Table.Text = true
		b.Table.Header = header
		b.Table.Header[0] = l.T["partner"]
		for _, ent := range v.partnerRows() {
			if ent.code == metrics.NetworkPartner {
				continue
			}
			d, ok := byKey[[2]string{v.q.String(), ent.code}]
			b.Table.Rows = append(b.Table.Rows, row(ent.name, d, ok))
		}
		p.Blocks = append(p.Blocks, b)
		trend, err := v.deliveryTrend()
		if err != nil {
			return nil, err
		}
		p.Blocks = append(p.Blocks, trend)
	}
	return v.withCatalogueBlocks(p)
}

// withCatalogueBlocks adds the catalogue's completeness metrics, if any,
// after the delivery tables.
func (v *view) withCatalogueBlocks(p *page) (*page, error) {
	var extra page
	if err := v.metricBlocks(&extra, kindCompleteness); err != nil {
		return nil, err
	}
	p.Blocks = append(p.Blocks, extra.Blocks...)
	return p, nil
}

// deliveryTrend counts the partners by delivery status per quarter.
func (v *view) deliveryTrend() (block, error) {
	l := v.l
	b := block{ID: "delivery-trend", Title: l.T["deliveries_trend"], Unit: metrics.UnitCount}
	b.Table.Header = []string{l.T["quarter"]}
	spec := chartSpec{id: "chart-delivery-trend", kind: "stacked", unit: metrics.UnitCount}
	counts := make([][]float64, len(deliveryStatuses))
	for si, s := range deliveryStatuses {
		b.Table.Header = append(b.Table.Header, l.T["delivery."+s])
		counts[si] = make([]float64, v.qi+1)
	}
	for i := 0; i <= v.qi; i++ {
		q := v.in.Quarters[i]
		spec.categories = append(spec.categories, l.quarter(q))
		for _, d := range v.sh.byQuarter[q.String()] {
			for si, s := range deliveryStatuses {
				if d.status() == s {
					counts[si][i]++
				}
			}
		}
		row := []cell{{Text: l.quarter(q)}}
		for si := range deliveryStatuses {
			row = append(row, cell{Text: l.nf.number(counts[si][i], 0)})
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	for si, s := range deliveryStatuses {
		ser := series{name: l.T["delivery."+s]}
		for i := range counts[si] {
			x := counts[si][i]
			ser.values = append(ser.values, &x)
		}
		spec.series = append(spec.series, ser)
	}
	spec.description = l.textf("ui.aria_chart", "title", b.Title)
	return b, b.setChart(spec)
}
