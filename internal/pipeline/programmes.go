package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"doorstroom/config"
	"doorstroom/dashboards"
	"doorstroom/ingest"
	"doorstroom/internal/runlock"
)

// runProgrammes runs a network of several programmes: each programme in
// turn through the same stages, with its own partners and folders
// (config.ForProgramme), and then the network's site index, which links
// each programme's section (<site>/<programme>/). A programme whose inbox
// holds no export yet is skipped and said so.
func runProgrammes(ctx context.Context, cfg *config.Config, opts Options) (*Summary, error) {
	lock, err := runlock.Acquire(filepath.Join(cfg.Paths.State, "run.lock"))
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	sum := &Summary{}
	var shown []string
	for _, name := range cfg.Programmes {
		pc, err := cfg.ForProgramme(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "programme %s: inbox %s, %d partners\n", name, pc.Paths.Inbox, len(pc.Partners))
		if files, _, err := ingest.ScanInbox(pc.Paths.Inbox); errors.Is(err, fs.ErrNotExist) || err == nil && len(files) == 0 {
			fmt.Fprintf(log, "programme %s: no export in %s yet; skipped\n", name, pc.Paths.Inbox)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(pc.Paths.Site), 0o755); err != nil {
			return nil, err
		}
		s, err := Run(ctx, pc, opts)
		if err != nil {
			return nil, fmt.Errorf("programme %s: %w", name, err)
		}
		sum.Programmes = append(sum.Programmes, s)
		sum.Reporting, sum.Quarters, sum.Stages, sum.DemoKey = s.Reporting, s.Quarters, s.Stages, s.DemoKey
		shown = append(shown, name)
	}
	if len(shown) == 0 {
		return nil, fmt.Errorf("no programme of %v has an export in its inbox", cfg.Programmes)
	}
	tr, err := cfg.Translations()
	if err != nil {
		return nil, err
	}
	sum.Site = cfg.SitePath()
	if err := dashboards.NetworkIndex(sum.Site, shown, tr); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "open %s\n", filepath.Join(sum.Site, "index.html"))
	return sum, nil
}
