package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
)

// releaseQuarter makes a quarter's register and release from its accepted
// submissions. The register is made first and loaded into the warehouse
// while the release's search runs (register_load.go); the caller waits
// for that load, also when making the release failed.
func (e *env) releaseQuarter(ctx context.Context, q period.Quarter, subs []*ingest.Submission, st *stageClock) (*anonymize.Release, *registerLoad, error) {
	var recs []arrow.Record
	var sums []string
	for _, s := range subs {
		recs = append(recs, s.Records...)
		sums = append(sums, s.SHA256)
	}
	digest, err := e.configDigest()
	if err != nil {
		return nil, nil, err
	}
	f := e.prog.Format
	p := e.privacy()
	id := anonymize.ReleaseID(f.Programme, f.Version, q, p, append(sums, digest))

	var rel *anonymize.Release
	var load *registerLoad
	err = st.time("anonymize", func() error {
		opts := anonymize.Options{
			Format: f, Hierarchies: e.hierarchies, Quarter: q, ReleaseID: id, Key: e.key,
			Privacy: p, Mem: memory.DefaultAllocator, Probe: e.opts.Probe,
		}
		reg, err := anonymize.Register(recs, opts)
		if err != nil {
			return err
		}
		load = e.startRegisterLoad(ctx, q, reg)
		rel, err = anonymize.Anonymize(ctx, recs, opts)
		if err != nil {
			return err
		}
		crashpoint.Hit("anonymize.done")
		st.add("anonymize", "releases", 1)
		st.add("anonymize", "records", rel.Rows())
		st.add("anonymize", "suppressed", rel.Risk.Suppressed)
		return nil
	})
	if rel != nil {
		e.lastRisk = rel.Risk
	}
	st.describe("anonymize", e.describeAnonymize)
	if err != nil {
		return nil, load, err
	}
	return rel, load, nil
}

// describeAnonymize is the anonymize stage's line: the run's releases,
// the quarters reused, and in detail the last release (the reporting
// quarter's), made or reused.
func (e *env) describeAnonymize(c map[string]int) string {
	line := fmt.Sprintf("%d releases · %d records, k=%d: %d records suppressed",
		c["releases"], c["records"], e.privacy().K, c["suppressed"])
	line += reusedNote(c, "reused")
	if e.lastRisk != nil {
		line += " · " + riskSummary(e.lastRisk)
	}
	return line
}

// configDigest fingerprints the configuration that shapes a release: the
// programme's format, the hierarchies and their tables, and the partners'
// regions. It goes into the release id, so a change of any of them makes a
// new release.
func (e *env) configDigest() (string, error) {
	h := sha256.New()
	for _, name := range []string{"programmes/" + e.prog.Name + "/format.yaml", "hierarchies.yaml", config.CountryTable, config.ProgrammeHierarchies(e.prog.Name)} {
		data, err := fs.ReadFile(e.cfg.FS, name)
		if errors.Is(err, fs.ErrNotExist) && name == config.ProgrammeHierarchies(e.prog.Name) {
			continue // a programme's own hierarchies are optional
		}
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

// privacy is the privacy model of every release: k, suppression and
// metric from the network configuration; l-diversity, weights, level
// limits and the aggregate function from the format.
func (e *env) privacy() anonymize.Privacy {
	p := anonymize.Privacy{K: e.cfg.Privacy.K, Suppression: e.cfg.Privacy.Suppression,
		Metric: e.cfg.Privacy.Metric, GSFactor: anonymize.DefaultGSFactor}
	if p.Metric == "" {
		p.Metric = anonymize.MetricLoss
	}
	return p.ForFormat(e.prog.Format)
}

// riskSummary is one release's risk report in a few words: the chosen
// level per quasi-identifier, what suppression cost, and the risk before
// and after.
func riskSummary(r *anonymize.RiskReport) string {
	if !r.Feasible {
		if len(r.Notes) > 0 {
			return r.Quarter + ": " + r.Notes[0]
		}
		return fmt.Sprintf("%s: no generalisation satisfies the privacy model; all %d records suppressed", r.Quarter, r.Suppressed)
	}
	var levels []string
	for q, name := range r.QuasiIdentifiers {
		levels = append(levels, fmt.Sprintf("%s %d/%d", name, r.Levels[q], r.Heights[q]-1))
	}
	return fmt.Sprintf("%s levels: %s · %d suppressed · unique records %d→%d, max risk %.2f→%.2f · %s %.3f",
		r.Quarter, strings.Join(levels, ", "), r.Suppressed, r.Before.UniqueRecords, r.After.UniqueRecords,
		r.Before.ProsecutorMax, r.After.ProsecutorMax, anonymize.MetricLoss, r.Loss.Loss)
}
