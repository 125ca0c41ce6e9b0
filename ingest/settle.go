package ingest

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Look is what a glance at an inbox file tells: its size and modification
// time and, where the platform gives them (Linux: look_linux.go), the
// file's identity (device and inode) and the time its inode last changed,
// which every write sets and no program can set back. Two equal looks
// some time apart say the file is no longer being written.
type Look struct {
	Size    int64
	ModTime time.Time
	// Device, Inode and Changed (nanoseconds since 1970) are zero where
	// the platform does not give them.
	Device, Inode uint64
	Changed       int64
}

func lookAt(path string) (Look, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return Look{}, err
	}
	if !fi.Mode().IsRegular() {
		return Look{}, fmt.Errorf("%s is no longer a regular file", path)
	}
	l := Look{Size: fi.Size(), ModTime: fi.ModTime()}
	identify(fi, &l)
	return l, nil
}

// SettledFile is an inbox file that kept its size and time between two
// looks, with the second look and when it began (LookedAt, by the
// system's clock, which the file system's times come from).
type SettledFile struct {
	InboxFile
	Look     Look
	LookedAt time.Time
}

// Clock lets tests drive the settle wait.
type Clock struct {
	Now   func() time.Time
	Sleep func(time.Duration)
}

// Settle looks at the files twice and returns those that did not change in
// between, and those still being written. The second look comes wait
// after the first when any file was modified less than wait before it;
// otherwise at once, so a quiet inbox costs no waiting.
func Settle(files []InboxFile, wait time.Duration, clock Clock) (stable []SettledFile, moving []InboxFile, err error) {
	if clock.Now == nil {
		clock.Now = time.Now
	}
	if clock.Sleep == nil {
		clock.Sleep = time.Sleep
	}
	first := make([]Look, len(files))
	start := clock.Now()
	recent := false
	for i, f := range files {
		if first[i], err = lookAt(f.Path); err != nil {
			return nil, nil, fmt.Errorf("inbox: %w", err)
		}
		if start.Sub(first[i].ModTime) < wait {
			recent = true
		}
	}
	if recent {
		clock.Sleep(wait)
	}
	lookedAt := time.Now()
	for i, f := range files {
		second, err := lookAt(f.Path)
		if err != nil {
			return nil, nil, fmt.Errorf("inbox: %w", err)
		}
		if second != first[i] {
			moving = append(moving, f)
			continue
		}
		stable = append(stable, SettledFile{InboxFile: f, Look: second, LookedAt: lookedAt})
	}
	return stable, moving, nil
}

// ErrChanged says a file changed while it was read; it is left for the
// next run.
var ErrChanged = errors.New("the file changed while it was read")

// ReadSettled reads a settled file and makes sure it still is what the
// second look saw, after reading too.
func ReadSettled(f SettledFile) ([]byte, error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	after, err := lookAt(f.Path)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	if after != f.Look || int64(len(data)) != after.Size {
		return nil, ErrChanged
	}
	return data, nil
}
