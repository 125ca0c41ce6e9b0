package bench

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"doorstroom/internal/runlock"
)

// TestRemoveRunDirSparesARunningJob refuses to remove a work folder whose
// run lock a job holds, and removes it once the job has ended (or when
// no job ever locked it).
func TestRemoveRunDirSparesARunningJob(t *testing.T) {
	for _, tc := range []struct {
		name   string
		locked bool
	}{{"a job runs in it", true}, {"no job ran in it", false}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run-1M")
			if err := os.MkdirAll(filepath.Join(dir, "out"), 0o750); err != nil {
				t.Fatal(err)
			}
			if tc.locked {
				lock, err := runlock.Acquire(filepath.Join(dir, "state", "run.lock"))
				if err != nil {
					t.Fatal(err)
				}
				err = removeRunDir(dir, dir)
				if !errors.Is(err, runlock.ErrBusy) {
					t.Errorf("removeRunDir with the job running = %v, want ErrBusy", err)
				}
				if _, err := os.Stat(filepath.Join(dir, "out")); err != nil {
					t.Errorf("the running job's folder was touched: %v", err)
				}
				lock.Release()
			}
			if err := removeRunDir(dir, dir); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the folder is still there: %v", err)
			}
		})
	}
}
