package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/disclosure"
	"doorstroom/ingest"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
	"doorstroom/metrics"
	"doorstroom/warehouse"
)

// SnapshotDir is where a quarter's release is published:
// <out>/snapshots/quarter=<q>, the hive-partitioned layout query engines read.
func SnapshotDir(out string, q period.Quarter) string {
	return filepath.Join(out, "snapshots", "quarter="+q.String())
}

// runQuarter ingests a quarter's files, makes its release, loads it, writes
// its snapshot and computes its metrics.
func (e *env) runQuarter(ctx context.Context, q period.Quarter, files []ingest.InboxFile, st *stageClock) error {
	var subs []*ingest.Submission
	defer func() {
		for _, s := range subs {
			s.Release()
		}
	}()
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
	if err != nil || len(subs) == 0 {
		return err
	}

	var recs []arrow.Record
	var sums []string
	for _, s := range subs {
		recs = append(recs, s.Records...)
		sums = append(sums, s.SHA256)
	}
	digest, err := e.configDigest()
	if err != nil {
		return err
	}
	f := e.prog.Format
	id := anonymize.ReleaseID(f.Programme, f.Version, q, e.cfg.Privacy.K, e.cfg.Privacy.Suppression, append(sums, digest))

	var rel *anonymize.Release
	err = st.time("anonymize", func() error {
		var err error
		rel, err = anonymize.Anonymize(ctx, recs, anonymize.Options{
			Format: f, Hierarchies: e.hierarchies, Quarter: q, ReleaseID: id, Key: e.key,
			K: e.cfg.Privacy.K, Suppression: e.cfg.Privacy.Suppression, Mem: memory.DefaultAllocator,
		})
		if err != nil {
			return err
		}
		st.add("anonymize", "releases", 1)
		st.add("anonymize", "records", rel.Rows())
		st.add("anonymize", "suppressed", rel.Risk.Suppressed)
		return nil
	})
	st.describe("anonymize", func(c map[string]int) string {
		return fmt.Sprintf("%d releases · %d records, k=%d: quasi-identifiers generalised, %d records suppressed",
			c["releases"], c["records"], e.cfg.Privacy.K, c["suppressed"])
	})
	if err != nil {
		return err
	}
	defer rel.Free()

	snap := SnapshotDir(e.cfg.Paths.Out, q)
	err = st.time("warehouse", func() error {
		if err := e.wh.ReplaceQuarter(ctx, "register", q.String(), anonymize.RegisterSchema(f), rel.Register); err != nil {
			return err
		}
		if err := e.wh.ReplaceQuarter(ctx, "trajectories", q.String(), anonymize.MicrodataSchema(f), rel.Microdata); err != nil {
			return err
		}
		query := fmt.Sprintf("SELECT * FROM trajectories WHERE quarter = %s ORDER BY partner, pseudonym", warehouse.Literal(q.String()))
		if err := e.wh.ExportParquet(ctx, query, filepath.Join(snap, "trajectories.parquet")); err != nil {
			return err
		}
		risk, err := json.MarshalIndent(rel.Risk, "", "  ")
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(snap, "risk.json"), append(risk, '\n'), 0o640); err != nil {
			return err
		}
		st.add("warehouse", "rows", 2*rel.Rows())
		st.add("warehouse", "snapshots", 1)
		return nil
	})
	st.describe("warehouse", func(c map[string]int) string {
		return fmt.Sprintf("%d rows loaded into %s · %d snapshots in %s",
			c["rows"], e.wh.Path(), c["snapshots"], filepath.Join(e.cfg.Paths.Out, "snapshots"))
	})
	if err != nil {
		return err
	}

	err = st.time("metrics", func() error {
		rows, err := metrics.Compute(ctx, e.wh.DB(), e.catalogue, q)
		if err != nil {
			return err
		}
		raw := metrics.Record(memory.DefaultAllocator, rows)
		defer raw.Release()
		if err := e.wh.ReplaceQuarter(ctx, "metrics", q.String(), metrics.Schema, []arrow.Record{raw}); err != nil {
			return err
		}
		pub := metrics.Record(memory.DefaultAllocator, metrics.Publish(rows, e.catalogue, e.policy()))
		defer pub.Release()
		if err := e.wh.ReplaceQuarter(ctx, "metrics_published", q.String(), metrics.Schema, []arrow.Record{pub}); err != nil {
			return err
		}
		query := fmt.Sprintf("SELECT * FROM metrics_published WHERE quarter = %s ORDER BY metric, partner, breakdown", warehouse.Literal(q.String()))
		if err := e.wh.ExportParquet(ctx, query, filepath.Join(snap, "metrics.parquet")); err != nil {
			return err
		}
		st.add("metrics", "values", len(rows))
		st.add("metrics", "quarters", 1)
		return nil
	})
	st.describe("metrics", func(c map[string]int) string {
		return fmt.Sprintf("%d metrics · %d values over %d quarters", len(e.catalogue.Metrics), c["values"], c["quarters"])
	})
	return err
}

func (e *env) policy() disclosure.Policy {
	return disclosure.Policy{Threshold: e.cfg.Privacy.Threshold}
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

// configDigest fingerprints the configuration that shapes a release: the
// programme's format, the hierarchies and their tables, and the partners'
// regions. It goes into the release id, so a change of any of them makes a
// new release.
func (e *env) configDigest() (string, error) {
	h := sha256.New()
	for _, name := range []string{"programmes/" + e.prog.Name + "/format.yaml", "hierarchies.yaml", config.CountryTable} {
		data, err := fs.ReadFile(e.cfg.FS, name)
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	for _, p := range e.cfg.Partners {
		fmt.Fprintf(h, "\x00%s=%s", p.Code, p.Region)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
