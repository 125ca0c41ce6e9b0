package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"doorstroom/anonymize"
	"doorstroom/ingest"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// A quarterly run adds one quarter to an inbox of years. Making every
// quarter's release again costs what a first run costs, and gives the
// same outputs when nothing that makes them changed. So a quarter whose
// inputs, key, code and settings are those its published release was made
// from, and whose warehouse rows and snapshot are all there, is reused:
// its in-force files are not read, and it is neither anonymised, loaded,
// measured nor published again. Its metrics, which read only the
// quarter's own register and completeness rows, are in the warehouse,
// where the dashboards read every quarter. Options.Full turns this off.

// reuseRun is what the run reused and what it made again, and why.
type reuseRun struct {
	reused []period.Quarter
	// made lists the quarters processed, per reason, in the order the
	// reasons first came.
	made    map[string][]period.Quarter
	reasons []string
}

// quarterInputs is the state a quarter's outputs would be made from now:
// everything but the content and rows, which only making them gives. It
// returns false when no file is in force for the quarter.
func (e *env) quarterInputs(q period.Quarter, deliveries []ingest.Completeness) (quarterState, bool, error) {
	s := quarterState{Quarter: q.String(), Key: keyFingerprint(e.key), Code: codeFingerprint()}
	var sums []string
	m := e.inbox.manifest
	for _, p := range e.cfg.Partners {
		if in := m.InForce(p.Code, q.String()); in != nil {
			sums = append(sums, m.Content(in).SHA256)
		}
	}
	if len(sums) == 0 {
		return s, false, nil
	}
	digest, err := e.configDigest()
	if err != nil {
		return s, false, err
	}
	f := e.prog.Format
	s.Inputs = anonymize.ReleaseID(f.Programme, f.Version, q, e.privacy(), append(sums, digest))
	if e.settings == "" {
		if e.settings, err = e.settingsDigest(); err != nil {
			return s, false, err
		}
	}
	s.Settings = e.settings
	rows, err := json.Marshal(deliveries)
	if err != nil {
		return s, false, err
	}
	sum := sha256.Sum256(rows)
	s.Completeness = hex.EncodeToString(sum[:])
	return s, true, nil
}

// reuseQuarter reuses the quarter's outputs when they can be: then it
// counts the quarter as reused in the run's lines and returns true.
// Otherwise it notes why the quarter is made again.
func (e *env) reuseQuarter(ctx context.Context, q period.Quarter, now quarterState, st *stageClock) (bool, error) {
	why, err := e.whyNotReuse(ctx, q, now)
	if err != nil {
		return false, err
	}
	r := e.reuse
	if why != "" {
		if _, ok := r.made[why]; !ok {
			r.reasons = append(r.reasons, why)
		}
		r.made[why] = append(r.made[why], q)
		return false, nil
	}
	r.reused = append(r.reused, q)
	if data, err := os.ReadFile(filepath.Join(SnapshotDir(e.cfg.Paths.Out, q), riskFile)); err == nil {
		var risk anonymize.RiskReport
		if json.Unmarshal(data, &risk) == nil {
			e.lastRisk = &risk
		}
	}
	for _, s := range []struct {
		stage    string
		describe func(map[string]int) string
	}{
		{"anonymize", e.describeAnonymize}, {"warehouse", e.describeLoad},
		{"metrics", e.describeMetrics}, {"snapshots", e.describeSnapshots},
	} {
		st.note(s.stage, "reused", 1)
		st.describe(s.stage, s.describe)
	}
	return true, nil
}

// whyNotReuse says why a quarter's outputs cannot be reused, or "" when
// they can: the run is a full one, the code cannot be fingerprinted, no
// state is recorded, something that makes the outputs changed, or the
// outputs are not all there as they were made (rows of the quarter's
// tables, or the published snapshot: its release, its content digest and
// every file as its manifest lists it).
func (e *env) whyNotReuse(ctx context.Context, q period.Quarter, now quarterState) (string, error) {
	if e.opts.Full {
		return "--full", nil
	}
	if now.Code == "" {
		return "the executable could not be fingerprinted", nil
	}
	prev, ok, err := e.readQuarterState(ctx, q)
	if err != nil || !ok {
		return "not made before", err
	}
	if why := now.sameMaking(prev); why != "" {
		return why, nil
	}
	if rows, err := e.quarterRows(ctx, q.String()); err != nil || rows != prev.Rows {
		return "its warehouse rows are incomplete", nil
	}
	dir := SnapshotDir(e.cfg.Paths.Out, q)
	m, err := warehouse.ReadManifest(dir)
	if err != nil || m.Release != prev.Release || m.ContentSHA256 != prev.Content {
		return "its snapshot is missing or another release", nil
	}
	if err := warehouse.VerifyRelease(dir); err != nil {
		return "its snapshot differs from its manifest", nil
	}
	return "", nil
}

// finishReuse rewrites the data dictionary when every quarter was reused
// (publishing a release rewrites it otherwise), so that a dictionary
// removed since is back, and says what the run reused and why it made the
// other quarters.
func (e *env) finishReuse() error {
	r := e.reuse
	if len(r.reused) > 0 && len(r.reasons) == 0 {
		dict, err := e.cfg.Dictionary(e.prog.Name)
		if err != nil {
			return err
		}
		if err := e.writeDictionary(dict); err != nil {
			return err
		}
	}
	var made []string
	for _, why := range r.reasons {
		made = append(made, fmt.Sprintf("%s (%s)", quarterList(r.made[why]), why))
	}
	fmt.Fprintf(e.log, "reuse: %d quarters unchanged since their release, reused; made: %s\n",
		len(r.reused), listOrNone(made))
	return nil
}

// quarterList names quarters, a run of three or more as first–last.
func quarterList(qs []period.Quarter) string {
	var out []string
	for i := 0; i < len(qs); {
		j := i
		for j+1 < len(qs) && qs[j].Next() == qs[j+1] {
			j++
		}
		switch {
		case j-i >= 2:
			out = append(out, fmt.Sprintf("%s–%s", qs[i], qs[j]))
		case j > i:
			out = append(out, qs[i].String(), qs[j].String())
		default:
			out = append(out, qs[i].String())
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}

// reusedNote is the part of a stage's line about the quarters reused.
func reusedNote(c map[string]int, verb string) string {
	if c["reused"] == 0 {
		return ""
	}
	return fmt.Sprintf(" · %d quarters unchanged, %s", c["reused"], verb)
}
