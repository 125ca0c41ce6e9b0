package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"doorstroom/dashboards"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// buildSite renders the dashboards of every released quarter in the
// warehouse into a staging folder and then swaps it in for out/site, so
// readers never see half a site.
func (e *env) buildSite(ctx context.Context, st *stageClock) (string, error) {
	site := e.cfg.SitePath()
	err := st.time("dashboards", func() error {
		rows, quarters, err := siteMetrics(ctx, e.wh.DB())
		if err != nil {
			return err
		}
		deliveries, err := siteDeliveries(ctx, e.wh.DB())
		if err != nil {
			return err
		}
		risk := map[string][]byte{}
		for _, q := range quarters {
			data, err := os.ReadFile(filepath.Join(SnapshotDir(e.cfg.Paths.Out, q), "risk.json"))
			if err == nil {
				risk[q.String()] = data
			} else if !os.IsNotExist(err) {
				return fmt.Errorf("dashboards: %w", err)
			}
		}
		if err := cleanSiteStaging(e.cfg.Paths.Out, site); err != nil {
			return err
		}
		// The site is built in the folder of the site it replaces, which
		// the last publication left there: overwriting pages costs a
		// fraction of creating them (dashboards.Build removes the rest).
		staging := filepath.Join(e.cfg.Paths.Out, siteBuildDir)
		if err := os.MkdirAll(staging, 0o755); err != nil {
			return err
		}
		stats, err := dashboards.Build(ctx, dashboards.Input{
			Programme: e.prog.Name, Catalogue: e.catalogue, Metrics: rows, Quarters: quarters,
			Partners: e.cfg.Partners, Classes: e.prog.Format.Classes, Translations: e.tr, Policy: e.policy(),
			K: e.cfg.Privacy.K, SuppressionLimit: e.cfg.Privacy.Suppression, FormatVersion: e.prog.Format.Version,
			DeadlineDays: e.cfg.Ingest.DeadlineDays, Deliveries: deliveries, Risk: risk,
			Demo: e.key.Demo, Generated: e.opts.Now(),
		}, staging)
		if err != nil {
			return err
		}
		if err := os.Chmod(staging, 0o755); err != nil {
			return err
		}
		crashpoint.Hit("dashboards.staged")
		if err := atomicfile.ExchangeDir(staging, site); err != nil {
			return fmt.Errorf("dashboards: publishing %s: %w", site, err)
		}
		for _, w := range stats.Warnings {
			fmt.Fprintln(e.log, "dashboards:", w)
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

// siteBuildDir is the folder a site is built in before it is swapped in;
// after the swap it holds the previous site until the next build reuses
// it. A build interrupted there leaves nothing a reader sees.
const siteBuildDir = ".site-build"

// siteStagingPrefix names the folders earlier versions built a site in;
// what an interrupted run of theirs left is removed.
const siteStagingPrefix = ".site-staging-"

// cleanSiteStaging removes what an interrupted run left of a site build
// and puts back a site an interrupted swap moved aside.
func cleanSiteStaging(out, site string) error {
	stale, _ := filepath.Glob(filepath.Join(out, siteStagingPrefix+"*"))
	for _, d := range stale {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
	}
	if err := atomicfile.RecoverSwap(site); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	return nil
}

// siteMetrics reads the metrics of every quarter in the warehouse with
// their true values and the primary decision of metrics.Publish, and the
// quarters, oldest first. The dashboards need the true values to choose
// and check secondary suppression; they never show a withheld one.
func siteMetrics(ctx context.Context, db *sql.DB) ([]metrics.Row, []period.Quarter, error) {
	rs, err := db.QueryContext(ctx, `SELECT m.metric, m.quarter, m.partner, m.breakdown, m.value, m.numerator, m.denominator,
			coalesce(p.suppressed, true)
		FROM metrics m LEFT JOIN metrics_published p USING (metric, quarter, partner, breakdown)
		ORDER BY m.quarter, m.metric, m.partner, m.breakdown`)
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

// siteDeliveries reads the completeness table (the inbox manifest per
// partner and quarter).
func siteDeliveries(ctx context.Context, db *sql.DB) ([]dashboards.Delivery, error) {
	rs, err := db.QueryContext(ctx, `SELECT quarter, partner, expected, received, accepted, on_time, received_at,
			deadline, files, superseded FROM completeness ORDER BY quarter, partner`)
	if err != nil {
		return nil, fmt.Errorf("dashboards: reading completeness: %w", err)
	}
	defer rs.Close()
	var out []dashboards.Delivery
	for rs.Next() {
		var d dashboards.Delivery
		var onTime sql.NullBool
		var receivedAt sql.NullTime
		if err := rs.Scan(&d.Quarter, &d.Partner, &d.Expected, &d.Received, &d.Accepted, &onTime, &receivedAt,
			&d.Deadline, &d.Files, &d.Superseded); err != nil {
			return nil, fmt.Errorf("dashboards: reading completeness: %w", err)
		}
		if onTime.Valid {
			d.OnTime = &onTime.Bool
		}
		if receivedAt.Valid {
			d.ReceivedAt = &receivedAt.Time
		}
		out = append(out, d)
	}
	return out, rs.Err()
}
