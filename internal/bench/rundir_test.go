package bench

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"doorstroom/internal/runlock"
)

// TestClearRunDirSparesARunningJob refuses to move a work folder whose
// run lock a job holds, and moves it into the trash, whole, once the job
// has ended (or when no job ever locked it); emptying the trash removes
// it.
func TestClearRunDirSparesARunningJob(t *testing.T) {
	for _, tc := range []struct {
		name   string
		locked bool
	}{{"a job runs in it", true}, {"no job ran in it", false}} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tr := &trash{dir: filepath.Join(root, "trash")}
			dir := filepath.Join(root, "run-1M")
			if err := os.MkdirAll(filepath.Join(dir, "out"), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "out", "page.html"), []byte("<p>"), 0o640); err != nil {
				t.Fatal(err)
			}
			if tc.locked {
				lock, err := runlock.Acquire(filepath.Join(dir, "state", "run.lock"))
				if err != nil {
					t.Fatal(err)
				}
				err = clearRunDir(tr, dir, dir)
				if !errors.Is(err, runlock.ErrBusy) {
					t.Errorf("clearRunDir with the job running = %v, want ErrBusy", err)
				}
				if _, err := os.Stat(filepath.Join(dir, "out", "page.html")); err != nil {
					t.Errorf("the running job's folder was touched: %v", err)
				}
				lock.Release()
			}
			if err := clearRunDir(tr, dir, dir); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the folder is still there: %v", err)
			}
			moved, err := filepath.Glob(filepath.Join(tr.dir, "run-1M-*", "out", "page.html"))
			if err != nil || len(moved) != 1 {
				t.Errorf("the trash holds %v (%v), want the folder with its page", moved, err)
			}
			if err := tr.empty(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(tr.dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the trash is still there: %v", err)
			}
		})
	}
}

// TestTrashPutTwice keeps two folders of one name apart, and leaves a
// path that does not exist alone.
func TestTrashPutTwice(t *testing.T) {
	root := t.TempDir()
	tr := &trash{dir: filepath.Join(root, "trash")}
	work := filepath.Join(root, "work")
	for i := range 2 {
		if err := os.MkdirAll(work, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := tr.put(work); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	if err := tr.put(filepath.Join(root, "never-made")); err != nil {
		t.Errorf("put of a missing path = %v, want nil", err)
	}
	entries, err := os.ReadDir(tr.dir)
	if err != nil || len(entries) != 2 {
		t.Errorf("the trash holds %d entries (%v), want 2", len(entries), err)
	}
}
