package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"doorstroom/internal/runlock"
)

// trash holds the folders a benchmark is done with (an earlier run's work
// folder, DuckDB's copies and files) until every job of the benchmark has
// been measured, and then removes them.
//
// Removing them when they are done with, just before the next job, made
// the jobs slower in a way no real run is: on ext4 without a journal (this
// machine's disk, /proc/fs/jbd2 empty) a new file's inode is not taken
// from among those freed in the last minute or more, and finding one
// reads past each of them. A cold run at 1M creates some 10,000 files
// (the site's pages, the answers and copies of the inbox) right after
// the run before it was removed: in runs made back to back its
// dashboards step took 1.5-2.3 s, and the whole job 7.8-13.6 s of system
// time, against 0.8-1.3 s and 6.3-7.1 s with the earlier run moved
// aside instead (docs/performance.md, eleventh round). A network's first
// run does not follow the removal of ten thousand files, and a quarterly
// run writes its site over the last one's pages.
type trash struct {
	dir string
	n   int // folders put so far, which keeps their names apart
}

// put moves path into the trash: a rename, which frees no inode. A path
// that does not exist is left as it is.
func (t *trash) put(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(t.dir, 0o750); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	t.n++
	to := filepath.Join(t.dir, fmt.Sprintf("%s-%d-%d", filepath.Base(path), time.Now().UnixNano(), t.n))
	if err := os.Rename(path, to); err != nil {
		return fmt.Errorf("bench: moving %s aside: %w", path, err)
	}
	return nil
}

// empty removes the trash and all it holds.
func (t *trash) empty() error {
	if err := os.RemoveAll(t.dir); err != nil {
		return fmt.Errorf("bench: emptying %s: %w", t.dir, err)
	}
	return nil
}

// clearRunDir moves a folder a measured job ran in (its work folder:
// outbox, quarantine, out and state, as demogen's configuration lays
// them out) into the trash, unless a job still runs there. A job holds its
// run lock, <work>/state/run.lock, while it runs; moving the folder would
// take the lock file with it, and a new job would lock a new file and
// share the warehouse's working copy with the old one, each removing the
// other's files (DuckDB then stops with "Could not remove file
// …warehouse.duckdb.work.wal"). That happened when a benchmark was
// started while the job of an interrupted one still ran.
func clearRunDir(tr *trash, dir, work string) error {
	lockPath := filepath.Join(work, "state", "run.lock")
	if _, err := os.Stat(lockPath); err == nil {
		lock, err := runlock.Acquire(lockPath)
		if err != nil {
			return fmt.Errorf("bench: %s is in use, not moved aside: %w", dir, err)
		}
		defer lock.Release()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("bench: %w", err)
	}
	return tr.put(dir)
}
