package audit

import (
	"context"
	"errors"
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
// send, and takes the key column of every row, valid or not.
func CaseIDs(ctx context.Context, cfg *config.Config) ([]string, int, error) {
	type source struct {
		path, partner string
		q             period.Quarter
	}
	var files []source
	inbox, _, err := ingest.ScanInbox(cfg.Paths.Inbox)
	if err != nil {
		return nil, 0, err
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
			return nil, 0, err
		}
	}
	countries, err := cfg.Countries()
	if err != nil {
		return nil, 0, err
	}
	seen := map[string]bool{}
	var ids []string
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
			return nil, 0, err
		}
		data, err := os.ReadFile(f.path)
		if err != nil {
			return nil, 0, err
		}
		s, err := ingest.ReadBytes(ctx, data, f.path, ingest.Options{Format: prog.Format, Labels: prog.LabelsFor(p),
			Countries: countries, Partner: f.partner, Quarter: f.q, Policy: cfg.PolicyFor(f.partner),
			OnKey: func(raw string) {
				if raw != "" && !seen[raw] {
					seen[raw] = true
					ids = append(ids, raw)
				}
			}})
		if err != nil {
			return nil, 0, err
		}
		s.Release()
	}
	return ids, len(files), nil
}
