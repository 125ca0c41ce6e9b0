package dashboards

import (
	"path"
	"testing"
)

// Every link between two pages, followed from the first page's folder,
// must arrive at the second.
func TestHrefResolves(t *testing.T) {
	var locs []loc
	for _, lang := range []string{"nl", "en"} {
		for _, q := range []string{"2026Q1", "2026Q2"} {
			for _, partner := range []string{"", "a", "b-2"} {
				for _, kind := range []string{kindOverview, kindOutflow} {
					locs = append(locs, loc{lang: lang, q: q, partner: partner, kind: kind})
				}
			}
		}
	}
	for _, from := range locs {
		for _, to := range locs {
			t.Run(from.path()+"→"+to.path(), func(t *testing.T) {
				h := from.href(to)
				if got := path.Join(from.dir(), h); got != to.path() {
					t.Errorf("href %q leads to %s", h, got)
				}
			})
		}
	}
}
