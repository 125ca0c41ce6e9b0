package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"doorstroom/dashboards"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// buildSite renders the dashboards of every released quarter in the
// warehouse into a staging folder and then swaps it in for out/site, so
// readers never see half a site.
func (e *env) buildSite(ctx context.Context, st *stageClock) (string, error) {
	site := filepath.Join(e.cfg.Paths.Out, "site")
	err := st.time("dashboards", func() error {
		rows, quarters, err := publishedMetrics(ctx, e.wh.DB())
		if err != nil {
			return err
		}
		staging, err := os.MkdirTemp(e.cfg.Paths.Out, ".site-staging-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(staging)
		stats, err := dashboards.Build(ctx, dashboards.Input{
			Programme: e.prog.Name, Catalogue: e.catalogue, Metrics: rows, Quarters: quarters,
			Partners: e.cfg.Partners, Translations: e.tr, Policy: e.policy(), Demo: e.key.Demo,
			Generated: e.opts.Now().UTC().Format(time.DateOnly),
		}, staging)
		if err != nil {
			return err
		}
		if err := os.Chmod(staging, 0o755); err != nil {
			return err
		}
		if err := swapDir(staging, site); err != nil {
			return err
		}
		st.add("dashboards", "pages", stats.Pages)
		st.add("dashboards", "tables", stats.Tables)
		return nil
	})
	st.describe("dashboards", func(c map[string]int) string {
		return fmt.Sprintf("%d pages, %d tables with CSV downloads in %s", c["pages"], c["tables"], site)
	})
	return site, err
}

// swapDir replaces dst by src: the old dst is moved aside, src renamed in,
// and the old one removed. At every moment either the old or the new site
// is complete at dst or beside it.
func swapDir(src, dst string) error {
	old := dst + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dst, old); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.RemoveAll(old)
}

// publishedMetrics reads the published metrics of every quarter in the
// warehouse, and the quarters, oldest first.
func publishedMetrics(ctx context.Context, db *sql.DB) ([]metrics.Row, []period.Quarter, error) {
	rs, err := db.QueryContext(ctx, `SELECT metric, quarter, partner, breakdown, value, numerator, denominator, suppressed
		FROM metrics_published ORDER BY quarter, metric, partner, breakdown`)
	if err != nil {
		return nil, nil, fmt.Errorf("dashboards: reading metrics: %w", err)
	}
	defer rs.Close()
	var rows []metrics.Row
	var quarters []period.Quarter
	for rs.Next() {
		var r metrics.Row
		if err := rs.Scan(&r.Metric, &r.Quarter, &r.Partner, &r.Breakdown, &r.Value, &r.Numerator, &r.Denominator, &r.Suppressed); err != nil {
			return nil, nil, err
		}
		if len(quarters) == 0 || quarters[len(quarters)-1].String() != r.Quarter {
			q, err := period.Parse(r.Quarter)
			if err != nil {
				return nil, nil, err
			}
			quarters = append(quarters, q)
		}
		rows = append(rows, r)
	}
	return rows, quarters, rs.Err()
}
