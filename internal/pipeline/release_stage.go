package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// releaseQuarter makes a quarter's release from its accepted submissions.
func (e *env) releaseQuarter(ctx context.Context, q period.Quarter, subs []*ingest.Submission, st *stageClock) (*anonymize.Release, error) {
	var recs []arrow.Record
	var sums []string
	for _, s := range subs {
		recs = append(recs, s.Records...)
		sums = append(sums, s.SHA256)
	}
	digest, err := e.configDigest()
	if err != nil {
		return nil, err
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
		return nil, err
	}
	return rel, nil
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
