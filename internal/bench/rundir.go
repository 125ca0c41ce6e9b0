package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"doorstroom/internal/runlock"
)

// removeRunDir removes a folder a measured job ran in (its work folder:
// outbox, quarantine, out and state, as demogen's configuration lays
// them out), unless a job still runs there. A job holds its run lock,
// <work>/state/run.lock, while it runs; removing the folder would delete
// the lock file with it, and a new job would lock a new file and share
// the warehouse's working copy with the old one, each removing the
// other's files (DuckDB then stops with "Could not remove file
// …warehouse.duckdb.work.wal"). That happened when a benchmark was
// started while the job of an interrupted one still ran.
func removeRunDir(dir, work string) error {
	lockPath := filepath.Join(work, "state", "run.lock")
	if _, err := os.Stat(lockPath); err == nil {
		lock, err := runlock.Acquire(lockPath)
		if err != nil {
			return fmt.Errorf("bench: %s is in use, not removed: %w", dir, err)
		}
		defer lock.Release()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("bench: %w", err)
	}
	return os.RemoveAll(dir)
}
