package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// ingestQuarter reads every inbox file of a quarter, answers each partner
// and returns the accepted submissions.
func (e *env) ingestQuarter(ctx context.Context, q period.Quarter, files []ingest.InboxFile, st *stageClock) ([]*ingest.Submission, error) {
	var subs []*ingest.Submission
	err := st.time("ingest", func() error {
		for _, f := range files {
			if f.Quarter != q {
				continue
			}
			s, err := e.ingestFile(ctx, f)
			if err != nil {
				return err
			}
			if s == nil {
				continue
			}
			st.add("ingest", "files", 1)
			st.add("ingest", "rows", s.Rows)
			st.add("ingest", "accepted_rows", s.Accepted)
			st.add("ingest", "rejected_rows", s.Rows-s.Accepted)
			if s.Status == ingest.Rejected {
				st.add("ingest", "rejected_files", 1)
				continue
			}
			subs = append(subs, s)
		}
		return nil
	})
	st.describe("ingest", func(c map[string]int) string {
		return fmt.Sprintf("%d files: %d accepted, %d rejected · %d rows: %d accepted, %d rejected · answers in %s",
			c["files"], c["files"]-c["rejected_files"], c["rejected_files"], c["rows"], c["accepted_rows"], c["rejected_rows"], e.cfg.Paths.Outbox)
	})
	return subs, err
}

// ingestFile reads one inbox file, answers the partner, and quarantines the
// file when it is rejected. It returns nil for a file of a partner the
// configuration does not know.
func (e *env) ingestFile(ctx context.Context, f ingest.InboxFile) (*ingest.Submission, error) {
	p, ok := e.cfg.Partner(f.Partner)
	if !ok {
		fmt.Fprintf(e.log, "inbox: %s left alone: %s is not a configured partner\n", f.Name, f.Partner)
		return nil, nil
	}
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	labels := e.prog.LabelsFor(p)
	s, err := ingest.Read(ctx, bytes.NewReader(data), f.Name, ingest.Options{
		Format: e.prog.Format, Labels: labels, Countries: e.countries, Partner: f.Partner,
		Quarter: f.Quarter, Policy: e.cfg.PolicyFor(f.Partner),
	})
	if err != nil {
		return nil, err
	}
	lang := p.Language
	if lang == "" {
		lang = "en"
	}
	if err := ingest.WriteAnswer(e.cfg.Paths.Outbox, s, e.tr, lang); err != nil {
		return nil, err
	}
	if s.Status == ingest.Rejected {
		if _, err := ingest.Quarantine(e.cfg.Paths.Quarantine, s, data); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.log, "inbox: %s rejected with %d errors; answer in %s\n", f.Name, s.Issues.Errors(),
			filepath.Join(e.cfg.Paths.Outbox, f.Partner))
	}
	return s, nil
}
