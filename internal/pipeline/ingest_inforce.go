package pipeline

import (
	"context"
	"fmt"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
	"doorstroom/internal/probe"
)

// inForceFile is the file in force for one partner's quarter, and whether
// it is the new file taken in this run (its submission is in fresh).
type inForceFile struct {
	partner config.Partner
	content *ingest.Entry
	fresh   bool
}

// readInForceAll appends to subs the submission in force of each partner
// of the quarter, in the partners' order: the new file when it was
// accepted (taken out of fresh), else the partner's last accepted file,
// read from its archived copy. The archived copies are read and parsed
// ahead on the free cores (readahead.go), as takeFiles does with the
// inbox; the first error in the partners' order stops it.
func (e *env) readInForceAll(ctx context.Context, q period.Quarter, fresh map[string]*ingest.Submission, subs *[]*ingest.Submission) error {
	m := e.inbox.manifest
	var files, archived []inForceFile
	for _, p := range e.cfg.Partners {
		in := m.InForce(p.Code, q.String())
		if in == nil {
			continue
		}
		f := inForceFile{partner: p, content: m.Content(in)}
		s := fresh[p.Code]
		f.fresh = s != nil && s.SHA256 == f.content.SHA256
		files = append(files, f)
		if !f.fresh {
			archived = append(archived, f)
		}
	}
	parse := e.opts.Probe.Parallel(probe.ReadValidate)
	defer parse.Done()
	ahead := startReadAhead(ctx, len(archived), func(ctx context.Context, i int) fileRead {
		return e.readArchived(ctx, q, archived[i], parse)
	}, fileRead.release)
	defer ahead.Stop()
	for _, f := range files {
		if f.fresh {
			*subs = append(*subs, fresh[f.partner.Code])
			delete(fresh, f.partner.Code)
			continue
		}
		s, err := e.keepInForce(q, f, ahead.Next(), parse)
		if err != nil {
			return err
		}
		if s != nil {
			*subs = append(*subs, s)
		}
	}
	return nil
}

// readArchived reads and parses the archived copy of a file in force. It
// runs on a read-ahead goroutine: it only reads.
func (e *env) readArchived(ctx context.Context, q period.Quarter, f inForceFile, parse *probe.Parallel) fileRead {
	data, err := ingest.ReadArchived(e.cfg.Paths.State, f.content)
	if err != nil {
		return fileRead{err: err}
	}
	// ReadArchived checked the bytes against the recorded SHA-256.
	s, err := e.parse(ctx, parse, data, f.content.SHA256, f.content.Name, e.readOptions(f.partner, q))
	return fileRead{parsed: true, sub: s, subErr: err}
}

// keepInForce returns the submission of a file in force read from its
// archived copy. A file that no longer passes under the current
// configuration is left out, and the run says so.
func (e *env) keepInForce(q period.Quarter, f inForceFile, rd fileRead, parse *probe.Parallel) (*ingest.Submission, error) {
	if rd.err != nil {
		return nil, rd.err
	}
	s, err := counted(parse, rd.sub, rd.subErr)
	if err != nil {
		return nil, err
	}
	if s.Status != ingest.Accepted {
		fmt.Fprintf(e.log, "inbox: %s (received %s, in force) is %s under the current configuration; left out of %s\n",
			f.content.Name, f.content.ReceivedAt.Format("2006-01-02"), s.Status, q)
		s.Release()
		return nil, nil
	}
	return s, nil
}
