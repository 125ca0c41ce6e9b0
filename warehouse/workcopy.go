package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"doorstroom/internal/atomicfile"
	"doorstroom/internal/crashpoint"
)

// workingCopy is a private copy of the warehouse file that a run changes;
// the warehouse file itself is replaced only by Commit, by rename, so a
// crash or an error at any point of a run leaves it byte for byte as the
// last complete run left it.
type workingCopy struct {
	target    string
	committed bool
	path      string
}

// OpenWorkingCopy copies the warehouse at path (if there is one) to work,
// which must be on the same file system, and opens the copy. Changes reach
// path only through Commit; Close without Commit discards them.
func OpenWorkingCopy(ctx context.Context, path, work string) (*Warehouse, error) {
	wc := &workingCopy{target: path, path: work}
	wc.remove() // left by an interrupted run
	if err := os.MkdirAll(filepath.Dir(work), 0o750); err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	for _, suffix := range []string{"", ".wal"} {
		if err := copyFile(path+suffix, work+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			wc.remove()
			return nil, fmt.Errorf("warehouse: copying %s: %w", path+suffix, err)
		}
	}
	w, err := Open(ctx, work)
	if err != nil {
		wc.remove()
		return nil, err
	}
	w.work = wc
	return w, nil
}

// Checkpoint writes everything the run changed into the working copy's
// file, so that a full disk shows before anything is published, not while
// committing.
func (w *Warehouse) Checkpoint(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	return nil
}

// Commit checkpoints and closes the working copy and renames it over the
// warehouse file. After Commit the warehouse is closed.
func (w *Warehouse) Commit() error {
	if w.work == nil {
		return errors.New("warehouse: Commit of a warehouse that is not a working copy")
	}
	w.work.committed = true
	if err := w.Close(); err != nil {
		w.work.remove()
		return fmt.Errorf("warehouse: %w", err)
	}
	crashpoint.Hit("warehouse.before-commit")
	if err := syncFile(w.work.path); err != nil {
		w.work.remove()
		return err
	}
	if err := os.Rename(w.work.path, w.work.target); err != nil {
		w.work.remove()
		return fmt.Errorf("warehouse: %w", err)
	}
	// The checkpoint emptied the log; an old one beside the target would
	// be replayed into the new file.
	os.Remove(w.work.target + ".wal")
	os.Remove(w.work.path + ".wal")
	return atomicfile.SyncDir(filepath.Dir(w.work.target))
}

func (wc *workingCopy) remove() {
	os.Remove(wc.path)
	os.Remove(wc.path + ".wal")
}

// copyFile copies src to a new file dst of mode 0600, as a reflink when
// the file system can share the blocks (btrfs, XFS), else byte by byte.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if unix.IoctlFileClone(int(out.Fd()), int(in.Fd())) != nil {
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}
