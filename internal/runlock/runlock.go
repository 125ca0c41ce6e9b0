// Package runlock keeps two doorstroom runs from working on the same
// folders at once. It takes an exclusive flock(2) on a lock file: the
// kernel releases it when the process ends, however it ends, so a lock
// left by a killed run is never stale; the file only tells the next run
// who held it last.
package runlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Lock is a held run lock.
type Lock struct {
	f *os.File
}

// ErrBusy means another run holds the lock.
var ErrBusy = errors.New("another doorstroom run is in progress")

// Acquire takes the lock file at path (creating it and its directory) or
// returns an error wrapping ErrBusy that names the holder.
func Acquire(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s); wait for it to finish (the lock frees itself when that run ends, even if it is killed)", ErrBusy, holder)
		}
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	// Record the holder for the message a concurrent run prints.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d since %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
		f.Sync()
	}
	return &Lock{f: f}, nil
}

func readHolder(f *os.File) string {
	buf := make([]byte, 128)
	n, _ := f.ReadAt(buf, 0)
	s := strings.TrimSpace(string(buf[:n]))
	if s == "" {
		return "holder unknown"
	}
	if pid, ok := strings.CutPrefix(s, "pid "); ok {
		if n, err := strconv.Atoi(strings.Fields(pid)[0]); err == nil {
			return fmt.Sprintf("process %d, %s", n, s)
		}
	}
	return s
}

// Release frees the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}
