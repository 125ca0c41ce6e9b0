package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/crashpoint"
	"doorstroom/internal/period"
	"doorstroom/internal/probe"
)

// inboxRun is the inbox as one run sees it: the manifest of every file
// seen before, the replayed arrival dates, and the files of the run's
// quarters that kept still between two looks.
type inboxRun struct {
	manifest *ingest.Manifest
	received ingest.Received
	files    map[period.Quarter][]ingest.SettledFile
	// considered are the manifest entries of the inbox files read this
	// run; fresh counts those that were new.
	considered []*ingest.Entry
	fresh      int
	moving     int
	// loaded holds the completeness rows of the quarters whose inbox
	// tables are in the warehouse already.
	loaded map[period.Quarter][]ingest.Completeness
}

// openInbox loads the manifest and the replayed arrival dates, and settles
// the files of the run's quarters: a file of an unknown partner, a second
// file for the same partner and quarter, or a file still being written is
// left alone and said so.
func (e *env) openInbox(files []ingest.InboxFile, quarters []period.Quarter) error {
	r := &inboxRun{files: map[period.Quarter][]ingest.SettledFile{}, loaded: map[period.Quarter][]ingest.Completeness{}}
	var err error
	if r.manifest, err = ingest.LoadManifest(e.cfg.Paths.State); err != nil {
		return err
	}
	if path := e.cfg.Ingest.Received; path != "" {
		// A replay file describes a historic inbox: a relative path is
		// taken in the folder that holds the inbox.
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(filepath.Clean(e.cfg.Paths.Inbox)), path)
		}
		if r.received, err = ingest.ReadReceived(path); err != nil {
			return err
		}
	}
	if err := ingest.CheckIdentifierKinds(e.prog.Labels, e.tr); err != nil {
		return err
	}
	for _, p := range e.cfg.Partners {
		if err := ingest.CheckIdentifierKinds(p.Labels, e.tr); err != nil {
			return fmt.Errorf("partner %s: %w", p.Code, err)
		}
	}
	inRun := map[period.Quarter]bool{}
	for _, q := range quarters {
		inRun[q] = true
	}
	perQuarter := map[string]int{}
	for _, f := range files {
		perQuarter[ingest.ReceivedKey(f.Partner, f.Quarter)]++
	}
	var candidates []ingest.InboxFile
	for _, f := range files {
		switch _, known := e.cfg.Partner(f.Partner); {
		case !inRun[f.Quarter]:
		case !known:
			fmt.Fprintf(e.log, "inbox: %s left alone: %s is not a configured partner\n", f.Name, f.Partner)
		case perQuarter[ingest.ReceivedKey(f.Partner, f.Quarter)] > 1:
			fmt.Fprintf(e.log, "inbox: %s left alone: %s has more than one file for %s; keep one\n", f.Name, f.Partner, f.Quarter)
		default:
			candidates = append(candidates, f)
		}
	}
	stable, moving, err := ingest.Settle(candidates, e.cfg.Ingest.Settle, ingest.Clock{})
	if err != nil {
		return err
	}
	for _, f := range moving {
		fmt.Fprintf(e.log, "inbox: %s is still being written (it changed between two looks %s apart); left for the next run\n", f.Name, e.cfg.Ingest.Settle)
	}
	r.moving = len(moving)
	for _, f := range stable {
		r.files[f.Quarter] = append(r.files[f.Quarter], f)
	}
	e.inbox = r
	return nil
}

// ingestQuarter takes in the quarter's new inbox files (answering each
// partner, keeping copies, recording them in the manifest) and loads the
// quarter's completeness and submissions into the warehouse (the
// quarter's metrics read them). It returns the new files that were
// accepted, by partner, which readQuarter uses instead of reading their
// archived copies, and the quarter's completeness rows. Reading the files
// in force is left to readQuarter, so that a quarter whose release can be
// reused (reuse.go) reads none.
func (e *env) ingestQuarter(ctx context.Context, q period.Quarter, _ []ingest.InboxFile, st *stageClock) (map[string]*ingest.Submission, []ingest.Completeness, error) {
	r := e.inbox
	fresh := map[string]*ingest.Submission{}
	var rows []ingest.Completeness
	err := st.time("ingest", func() error {
		if err := e.takeFiles(ctx, r.files[q], fresh); err != nil {
			return err
		}
		if err := r.manifest.Save(e.cfg.Paths.State); err != nil {
			return err
		}
		crashpoint.Hit("ingest.manifest-saved")
		var err error
		rows, err = e.loadInboxTables(ctx, q)
		return err
	})
	st.describe("ingest", e.describeIngest)
	if err != nil {
		releaseSubmissions(fresh)
		return nil, nil, err
	}
	return fresh, rows, nil
}

// readQuarter returns the submission in force for each partner of the
// quarter: the new file when it was accepted (taken out of fresh), else
// the partner's last accepted file, read from its archived copy.
func (e *env) readQuarter(ctx context.Context, q period.Quarter, fresh map[string]*ingest.Submission, st *stageClock) ([]*ingest.Submission, error) {
	var subs []*ingest.Submission
	err := st.time("ingest", func() error {
		return e.readInForceAll(ctx, q, fresh, &subs)
	})
	if err != nil {
		for _, s := range subs {
			s.Release()
		}
		return nil, err
	}
	return subs, nil
}

// releaseSubmissions frees the submissions of a map.
func releaseSubmissions(subs map[string]*ingest.Submission) {
	for _, s := range subs {
		s.Release()
	}
}

// takeFile reads one settled inbox file. An unchanged file (same bytes as
// last time at its path) is not processed again, nor is a duplicate of an
// earlier file of the partner's quarter (it is answered and recorded). A
// new file is read and validated, answered, copied (to the archive when
// accepted, to quarantine when refused) and recorded. It returns the new
// submission when it was accepted. rd is what was read of the file ahead
// of its turn (ingest_read.go); takeFile hands its submission on or
// releases it.
func (e *env) takeFile(ctx context.Context, f ingest.SettledFile, rd fileRead, parse *probe.Parallel) (*ingest.Submission, error) {
	r := e.inbox
	data, err := rd.data, rd.err
	if errors.Is(err, ingest.ErrChanged) {
		fmt.Fprintf(e.log, "inbox: %s changed while it was read; left for the next run\n", f.Name)
		r.moving++
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sha := rd.sha
	if latest := r.manifest.Latest(f.Name); latest != nil && latest.SHA256 == sha {
		rd.release()
		if !rd.stamped {
			latest.Stamp = stampOf(f)
		}
		r.considered = append(r.considered, latest)
		return nil, nil
	}
	p, _ := e.cfg.Partner(f.Partner)
	lang := partnerLanguage(p)
	now := e.opts.Now().UTC()
	entry := &ingest.Entry{Name: f.Name, Path: f.Path, Partner: f.Partner, Quarter: f.Quarter.String(),
		Size: int64(len(data)), SHA256: sha, ReceivedAt: now, FirstSeen: now, Stamp: stampOf(f)}
	if at, ok := r.received[ingest.ReceivedKey(f.Partner, f.Quarter)]; ok {
		entry.ReceivedAt = at
	}
	r.considered = append(r.considered, entry)
	r.fresh++

	if orig := r.manifest.Original(f.Partner, f.Quarter.String(), sha); orig != nil {
		rd.release()
		entry.DuplicateOf, entry.Outcome, entry.Policy = orig.ID, orig.Outcome, orig.Policy
		entry.Rows, entry.Accepted, entry.Dropped, entry.Errors, entry.Warnings = orig.Rows, orig.Accepted, orig.Dropped, orig.Errors, orig.Warnings
		r.manifest.Add(entry)
		answer := ingest.DuplicateAnswer(entry, orig, e.tr, lang)
		e.noteInForce(answer, entry)
		fmt.Fprintf(e.log, "inbox: %s is the same file as the one received on %s; not processed again\n",
			f.Name, orig.ReceivedAt.Format("2006-01-02"))
		return nil, answer.Write(e.cfg.Paths.Outbox)
	}

	if !rd.parsed {
		rd.sub, rd.subErr = e.parse(ctx, parse, data, sha, f.Name, e.readOptions(p, f.Quarter))
	}
	s, err := counted(parse, rd.sub, rd.subErr)
	if err != nil {
		return nil, err
	}
	entry.Outcome, entry.Policy = s.Status, s.Policy
	entry.Rows, entry.Accepted, entry.Dropped = s.Rows, s.Accepted, s.Dropped
	entry.Errors, entry.Warnings = s.Issues.Errors()+s.Omitted, s.Issues.Warnings()
	if s.Status == ingest.Accepted {
		entry.Archive, err = ingest.Archive(e.cfg.Paths.State, s, data)
	} else {
		entry.Kept, err = ingest.Quarantine(e.cfg.Paths.Quarantine, s, data)
	}
	if err != nil {
		s.Release()
		return nil, err
	}
	crashpoint.Hit("ingest.file-kept")
	r.manifest.Add(entry)
	answer := ingest.NewAnswer(s, e.tr, lang)
	e.noteInForce(answer, entry)
	if err := answer.Write(e.cfg.Paths.Outbox); err != nil {
		s.Release()
		return nil, err
	}
	if s.Status != ingest.Accepted {
		fmt.Fprintf(e.log, "inbox: %s %s with %d errors; answer in %s\n", f.Name, s.Status, entry.Errors,
			filepath.Join(e.cfg.Paths.Outbox, f.Partner))
		s.Release()
		return nil, nil
	}
	return s, nil
}

// stampOf is the stamp of a file whose bytes were just read, or nil when
// its look cannot vouch for them next time (ingest.StampOf).
func stampOf(f ingest.SettledFile) *ingest.Stamp {
	if s, ok := ingest.StampOf(f); ok {
		return &s
	}
	return nil
}

// noteInForce tells the partner, in the answer to entry, which earlier
// file stays in use when it is not entry's content.
func (e *env) noteInForce(a *ingest.Answer, entry *ingest.Entry) {
	m := e.inbox.manifest
	in := m.InForce(entry.Partner, entry.Quarter)
	if in == nil || m.Content(in).SHA256 == entry.SHA256 {
		return
	}
	if at, ok := m.Arrived(entry.Partner, entry.Quarter); ok {
		a.Notes = append(a.Notes, ingest.InForceNote(at, e.tr, a.Lang))
	}
}

// readOptions are the reading options of a partner's file for a quarter.
func (e *env) readOptions(p config.Partner, q period.Quarter) ingest.Options {
	return ingest.OptionsFor(e.cfg, e.prog, p, q, e.countries)
}

func partnerLanguage(p config.Partner) string {
	if p.Language == "" {
		return "en"
	}
	return p.Language
}

// describeIngest is the ingest stage's line: the inbox files of the run by
// status, how many were new, and their rows.
func (e *env) describeIngest(map[string]int) string {
	r := e.inbox
	by := map[ingest.Status]int{}
	rows, accepted := 0, 0
	for _, en := range r.considered {
		by[en.Status]++
		rows += en.Rows
		if en.Status == ingest.Accepted || en.Status == ingest.Duplicate && en.Outcome == ingest.Accepted {
			accepted += en.Accepted
		}
	}
	var statuses []string
	for _, s := range []ingest.Status{ingest.Accepted, ingest.Rejected, ingest.Quarantined, ingest.Duplicate} {
		if by[s] > 0 || s == ingest.Accepted || s == ingest.Rejected {
			statuses = append(statuses, fmt.Sprintf("%d %s", by[s], s))
		}
	}
	line := fmt.Sprintf("%d files: %s (%d new)", len(r.considered), strings.Join(statuses, ", "), r.fresh)
	if r.moving > 0 {
		line += fmt.Sprintf(", %d still being written", r.moving)
	}
	return line + fmt.Sprintf(" · %d rows: %d accepted, %d not used · answers in %s", rows, accepted, rows-accepted, e.cfg.Paths.Outbox)
}
