package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"doorstroom/ingest"
	"doorstroom/internal/probe"
)

// fileRead is the pure part of taking in one inbox file, done ahead of its
// turn (readahead.go): its bytes, their SHA-256 and, when the file is
// read, the parsed submission. What becomes of the file is decided when
// its turn comes, by takeFile.
type fileRead struct {
	data []byte
	sha  string
	err  error // from reading the bytes (ingest.ErrChanged among others)
	// stamped says the file was not read: its manifest entry's stamp
	// vouches that it holds the bytes of sha (ingest/stamp.go).
	stamped bool
	// parsed says sub and subErr are ingest.ReadBytes's answer.
	parsed bool
	sub    *ingest.Submission
	subErr error
}

// release frees the submission when it is not handed on.
func (r fileRead) release() {
	if r.sub != nil {
		r.sub.Release()
	}
}

// readSettled is ingest.ReadSettled, in a variable so that a test can make
// a file change while it is read, which no test can time.
var readSettled = ingest.ReadSettled

// takeFiles takes in a quarter's settled inbox files in order (takeFile),
// reading and parsing them ahead on the free cores, and adds the accepted
// ones to fresh. The first error in file order stops it; files read ahead
// of it are let go. Whether a file needs parsing is decided from the
// manifest as it was before the loop: a file with the same bytes as the
// last one at its path is not processed again, and it is the common case
// of every run, so it is never parsed speculatively. A file whose
// manifest stamp vouches for those bytes is not even read.
func (e *env) takeFiles(ctx context.Context, files []ingest.SettledFile, fresh map[string]*ingest.Submission) error {
	parse := e.opts.Probe.Parallel(probe.ReadValidate)
	defer parse.Done()
	latest := map[string]string{}
	stamped := map[string]bool{}
	for _, f := range files {
		if en := e.inbox.manifest.Latest(f.Name); en != nil {
			latest[f.Name] = en.SHA256
			stamped[f.Name] = en.Stamp.Vouches(f.Look)
		}
	}
	ahead := startReadAhead(ctx, len(files), func(ctx context.Context, i int) fileRead {
		if name := files[i].Name; stamped[name] {
			return fileRead{sha: latest[name], stamped: true}
		}
		return e.readFile(ctx, files[i], latest[files[i].Name], parse)
	}, fileRead.release)
	defer ahead.Stop()
	for _, f := range files {
		s, err := e.takeFile(ctx, f, ahead.Next(), parse)
		if err != nil {
			return err
		}
		if s != nil {
			fresh[f.Partner] = s
		}
	}
	return nil
}

// readFile reads a settled file's bytes and hashes them, and parses them
// unless they are those of latest (the SHA-256 of the last file at its
// path). It runs on a read-ahead goroutine: it only reads.
func (e *env) readFile(ctx context.Context, f ingest.SettledFile, latest string, parse *probe.Parallel) fileRead {
	data, err := readSettled(f)
	if err != nil {
		return fileRead{err: err}
	}
	sum := sha256.Sum256(data)
	r := fileRead{data: data, sha: hex.EncodeToString(sum[:])}
	if r.sha == latest {
		return r
	}
	p, _ := e.cfg.Partner(f.Partner)
	r.parsed = true
	r.sub, r.subErr = e.parse(ctx, parse, data, r.sha, f.Name, e.readOptions(p, f.Quarter))
	return r
}

// parse reads and validates one file, whose SHA-256 is sha, as a call of
// the run's read+validate step. The step runs on the read-ahead goroutines, so it is measured as
// a probe.Parallel: the wall time during which at least one file was being
// parsed, once, however many were parsed at the same time; the ingest
// stage's own time is what is left of it. Its rows are counted by the
// caller that uses the submission (counted), so a speculative parse that
// is let go adds its time but not its rows, as in the sequential order,
// where it was not parsed at all.
func (e *env) parse(ctx context.Context, w *probe.Parallel, data []byte, sha, name string, o ingest.Options) (s *ingest.Submission, err error) {
	err = w.Do(func() error {
		s, err = ingest.ReadHashed(ctx, data, sha, name, o)
		return err
	})
	return s, err
}

// counted adds a parsed submission's rows to the read+validate step as it
// is used, and returns it.
func counted(w *probe.Parallel, s *ingest.Submission, err error) (*ingest.Submission, error) {
	if s != nil {
		w.Count(s.Rows)
	}
	if err != nil && s != nil {
		s.Release()
		s = nil
	}
	return s, err
}
