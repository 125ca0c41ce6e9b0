// Package pipeline runs the quarterly job: it wires the stages ingest →
// anonymize → warehouse and snapshots → metrics → dashboards together,
// quarter by quarter, and reports one line per stage.
//
// It holds no stage logic of its own: every decision about data lives in
// the stage packages, every partner fact in config.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
	"doorstroom/internal/probe"
	"doorstroom/internal/runlock"
	"doorstroom/metrics"
	"doorstroom/warehouse"
)

// Options configure a run.
type Options struct {
	// Quarter overrides the configured reporting quarter.
	Quarter string
	// Log receives the run's stage lines; nil discards them.
	Log io.Writer
	// Now stamps the site; nil means time.Now.
	Now func() time.Time
	// Probe, when set, measures time, rows and memory per stage and step
	// (doorstroom bench); nil in ordinary runs.
	Probe *probe.Probe
	// Full makes every quarter's release again, even those whose inputs,
	// key, code and settings are unchanged since their release was made
	// and whose outputs are all there (reuse.go): doorstroom run --full.
	Full bool
}

// Summary is what a run did, stage by stage.
type Summary struct {
	Reporting period.Quarter
	Quarters  []period.Quarter
	Stages    []Stage
	Site      string
	DemoKey   bool
	// Programmes holds each programme's own summary when the network has
	// several (programmes.go); the fields above are then the last one's.
	Programmes []*Summary

	// Reused are the quarters whose outputs the run reused as they were.
	Reused []period.Quarter
}

// Stage is one stage's line of the run summary.
type Stage struct {
	Name    string
	Detail  string
	Elapsed time.Duration
}

// env is what every stage of a run shares, loaded once.
type env struct {
	cfg         *config.Config
	opts        Options
	key         config.Key
	prog        *config.Programme
	countries   map[string]string
	tr          *config.Translations
	hierarchies map[string]anonymize.Hierarchy
	catalogue   *metrics.Catalogue
	wh          *warehouse.Warehouse
	log         io.Writer
	inbox       *inboxRun // the inbox's manifest and settled files (ingest_stage.go)

	reuse    *reuseRun             // the quarters reused and why the others were made (reuse.go)
	settings string                // settingsDigest, computed once
	lastRisk *anonymize.RiskReport // the last release's risk report, for the anonymize line
}

// Run runs the quarterly job as configured.
func Run(ctx context.Context, cfg *config.Config, opts Options) (sum *Summary, err error) {
	if cfg.MultiProgramme() {
		return runProgrammes(ctx, cfg, opts)
	}
	lock, err := runlock.Acquire(filepath.Join(cfg.Paths.State, "run.lock"))
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	e, err := newEnv(cfg, opts)
	if err != nil {
		return nil, err
	}
	sum = &Summary{DemoKey: e.key.Demo}
	if e.key.Demo {
		fmt.Fprintln(e.log, "doorstroom: using the DEMO pseudonymisation key from the configuration: it is published, so this run is for synthetic demo data only")
	}

	files, skipped, err := ingest.ScanInbox(cfg.Paths.Inbox)
	if err != nil {
		return nil, err
	}
	for _, s := range skipped {
		fmt.Fprintf(e.log, "inbox: %s left alone: %s\n", s.Name, s.Reason)
	}
	quarters, reporting, err := quartersToRun(files, cfg.Quarter, opts.Quarter)
	if err != nil {
		return nil, err
	}
	sum.Reporting, sum.Quarters = reporting, quarters
	if err := e.openInbox(files, quarters); err != nil {
		return nil, err
	}

	crashpoint.Hit("run.started")
	// The run changes a copy of the warehouse and commits it at the end:
	// a failed or killed run leaves the warehouse file as it was.
	e.wh, err = warehouse.OpenWorkingCopy(ctx, filepath.Join(cfg.Paths.Out, "warehouse.duckdb"),
		filepath.Join(cfg.Paths.Out, ".staging", "warehouse.duckdb.work"))
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := e.wh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("warehouse: %w", cerr)
		}
	}()

	st := newStageClock(opts.Probe)
	for _, q := range quarters {
		if err := e.runQuarter(ctx, q, files, st); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := e.closeInbox(ctx, quarters, reporting, st); err != nil {
		return nil, err
	}
	if err := e.finishReuse(); err != nil {
		return nil, err
	}
	// Everything the warehouse holds is written before the site is
	// published: a full disk stops the run here, with nothing published.
	if err := e.wh.Checkpoint(ctx); err != nil {
		return nil, err
	}
	site, err := e.buildSite(ctx, st)
	if err != nil {
		return nil, err
	}
	if err := e.wh.Commit(); err != nil {
		return nil, err
	}
	sum.Site, sum.Reused = site, e.reuse.reused
	sum.Stages = st.stages()
	for _, s := range sum.Stages {
		fmt.Fprintf(e.log, "%-10s %s · %.2f s\n", s.Name, s.Detail, s.Elapsed.Seconds())
	}
	fmt.Fprintf(e.log, "open %s\n", filepath.Join(site, "index.html"))
	return sum, nil
}

func newEnv(cfg *config.Config, opts Options) (*env, error) {
	e := &env{cfg: cfg, opts: opts, log: opts.Log, reuse: &reuseRun{made: map[string][]period.Quarter{}}}
	if e.log == nil {
		e.log = io.Discard
	}
	if e.opts.Now == nil {
		e.opts.Now = time.Now
	}
	var err error
	if e.key, err = cfg.Key.LoadKey(); err != nil {
		return nil, err
	}
	if len(cfg.Programmes) != 1 {
		return nil, fmt.Errorf("this doorstroom runs one programme per network; configured: %v", cfg.Programmes)
	}
	if e.prog, err = cfg.Programme(cfg.Programmes[0]); err != nil {
		return nil, err
	}
	if e.countries, err = cfg.Countries(); err != nil {
		return nil, err
	}
	if e.tr, err = cfg.Translations(); err != nil {
		return nil, err
	}
	if e.hierarchies, err = anonymize.LoadHierarchies(cfg); err != nil {
		return nil, err
	}
	if e.catalogue, err = metrics.LoadCatalogue(e.prog.Name); err != nil {
		return nil, err
	}
	if len(cfg.Partners) == 0 {
		return nil, fmt.Errorf("config: no partners configured")
	}
	return e, nil
}

// quartersToRun picks the reporting quarter (the override, else the
// configured one, else the latest quarter in the inbox) and every quarter
// of the inbox up to it, oldest first.
func quartersToRun(files []ingest.InboxFile, configured, override string) ([]period.Quarter, period.Quarter, error) {
	var reporting period.Quarter
	for _, s := range []string{override, configured} {
		if s != "" {
			q, err := period.Parse(s)
			if err != nil {
				return nil, reporting, fmt.Errorf("reporting quarter: %w", err)
			}
			reporting = q
			break
		}
	}
	seen := map[period.Quarter]bool{}
	var qs []period.Quarter
	for _, f := range files {
		if !seen[f.Quarter] && (reporting.IsZero() || !reporting.Before(f.Quarter)) {
			seen[f.Quarter] = true
			qs = append(qs, f.Quarter)
		}
	}
	if len(qs) == 0 {
		return nil, reporting, fmt.Errorf("the inbox holds no export for the reporting quarter or before it")
	}
	sortQuarters(qs)
	if reporting.IsZero() {
		reporting = qs[len(qs)-1]
	}
	return qs, reporting, nil
}

func sortQuarters(qs []period.Quarter) {
	for i := 1; i < len(qs); i++ {
		for j := i; j > 0 && qs[j].Before(qs[j-1]); j-- {
			qs[j], qs[j-1] = qs[j-1], qs[j]
		}
	}
}
