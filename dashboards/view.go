package dashboards

import (
	"slices"
	"strings"

	"doorstroom/config"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// view is what the pages of one language, quarter and scope need; one
// worker builds them and nothing else writes to it.
type view struct {
	in  *Input
	l   *lang
	qi  int
	q   period.Quarter
	d   *quarterData
	all []*quarterData // every quarter, oldest first (all[qi] == d)
	// partner is the partner whose pages these are; nil for the network.
	partner *config.Partner
	sh      *shared
}

// shared is what Build prepares once for every page.
type shared struct {
	// deliveries by quarter and partner, and by quarter.
	deliveries map[[2]string]Delivery
	byQuarter  map[string][]Delivery
}

func newShared(in *Input) *shared {
	sh := &shared{deliveries: map[[2]string]Delivery{}, byQuarter: map[string][]Delivery{}}
	for _, d := range in.Deliveries {
		sh.deliveries[[2]string{d.Quarter, d.Partner}] = d
		sh.byQuarter[d.Quarter] = append(sh.byQuarter[d.Quarter], d)
	}
	return sh
}

// entity is a partner or the network, as rows and series name them.
type entity struct{ code, name string }

func (v *view) loc(kind string) loc {
	l := loc{lang: v.l.code, q: v.d.qs, kind: kind}
	if v.partner != nil {
		l.partner = v.partner.Code
	}
	return l
}

func (v *view) network() entity { return entity{metrics.NetworkPartner, v.l.T["network"]} }

// scopeName is the network's name or the partner's.
func (v *view) scopeName() string {
	if v.partner != nil {
		return v.partner.Name
	}
	return v.l.T["network"]
}

// scopeEntities are the entities a page's figures are about: the network,
// or the partner beside the network.
func (v *view) scopeEntities() []entity {
	if v.partner != nil {
		return []entity{{v.partner.Code, v.partner.Name}, v.network()}
	}
	return []entity{v.network()}
}

// partnerRows are the rows of a per-partner table: on the network's pages
// every configured partner (and any other partner in the data), then the
// network as their total; on a partner's pages the partner and the
// network.
func (v *view) partnerRows() []entity {
	if v.partner != nil {
		return v.scopeEntities()
	}
	var rows []entity
	for _, p := range v.in.Partners {
		rows = append(rows, entity{p.Code, p.Name})
	}
	var extra []string
	for code := range v.d.present {
		if !slices.ContainsFunc(v.in.Partners, func(p config.Partner) bool { return p.Code == code }) {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		rows = append(rows, entity{code, code})
	}
	return append(rows, v.network())
}

// safeID keeps the characters of s that are safe in a file name and an
// HTML id.
func safeID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		} else if r == '_' || r == ' ' || r == '.' {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "block"
	}
	return b.String()
}
