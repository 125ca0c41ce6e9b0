package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// keptCopy names a copy in the archive or quarantine:
// <partner>/<YYYY>Q<n>-<sha prefix>.csv.
var keptCopy = regexp.MustCompile(`^(\d{4}Q[1-4])-[0-9a-f]+\.csv$`)

// CaseIDs reads the raw case numbers of every partner file the network
// has: the inbox, the archived copies of accepted files (partners
// overwrite their inbox file) and the quarantined copies. It reads them
// with the inbox's own reader, in every dialect and encoding a partner may
// send, and takes the key column of every row, valid or not. In a network
// of several programmes it reads every programme's own folders.
func CaseIDs(ctx context.Context, cfg *config.Config) ([]string, int, error) {
	seen := map[string]bool{}
	var ids []string
	files := 0
	for _, name := range cfg.Programmes {
		pc, err := cfg.ForProgramme(name)
		if err != nil {
			return nil, 0, err
		}
		n, err := programmeCaseIDs(ctx, pc, cfg.MultiProgramme(), func(raw string) {
			if raw != "" && !seen[raw] {
				seen[raw] = true
				ids = append(ids, raw)
			}
		})
		if err != nil {
			return nil, 0, fmt.Errorf("programme %s: %w", name, err)
		}
		files += n
	}
	return ids, files, nil
}

// programmeCaseIDs passes the key of every row of one programme's partner
// files to onKey and returns the number of files read. In a network of
// several programmes, one whose inbox does not exist yet has no case
// numbers; a single programme's missing inbox is a mistake in the
// configuration and an error.
func programmeCaseIDs(ctx context.Context, cfg *config.Config, optional bool, onKey func(string)) (int, error) {
	type source struct {
		path, partner string
		q             period.Quarter
	}
	var files []source
	inbox, _, err := ingest.ScanInbox(cfg.Paths.Inbox)
	if err != nil && !(optional && errors.Is(err, fs.ErrNotExist)) {
		return 0, err
	}
	for _, f := range inbox {
		files = append(files, source{f.Path, f.Partner, f.Quarter})
	}
	for _, dir := range []string{filepath.Join(cfg.Paths.State, ingest.ArchiveDir), cfg.Paths.Quarantine} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			m := keptCopy.FindStringSubmatch(d.Name())
			partner := filepath.Base(filepath.Dir(path))
			if m == nil || !config.ValidCode(partner) {
				return nil
			}
			q, _ := period.Parse(m[1])
			files = append(files, source{path, partner, q})
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
	}
	countries, err := cfg.Countries()
	if err != nil {
		return 0, err
	}
	for _, f := range files {
		p, known := cfg.Partner(f.partner)
		if !known {
			p = config.Partner{Code: f.partner}
		}
		name := p.Programme
		if name == "" {
			name = cfg.Programmes[0]
		}
		prog, err := cfg.Programme(name)
		if err != nil {
			return 0, err
		}
		data, err := os.ReadFile(f.path)
		if err != nil {
			return 0, err
		}
		opts := ingest.OptionsFor(cfg, prog, p, f.q, countries)
		opts.OnKey = onKey
		s, err := ingest.ReadBytes(ctx, data, f.path, opts)
		if err != nil {
			return 0, err
		}
		s.Release()
	}
	return len(files), nil
}
