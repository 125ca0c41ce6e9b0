package ingest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// settled looks at a file as Settle's second look does, at the time given.
func settled(t *testing.T, path string, at time.Time) SettledFile {
	t.Helper()
	l, err := lookAt(path)
	if err != nil {
		t.Fatal(err)
	}
	return SettledFile{InboxFile: InboxFile{Path: path}, Look: l, LookedAt: at}
}

func TestStampOf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("file identity is read on Linux only")
	}
	path := filepath.Join(t.TempDir(), "2026Q1.csv")
	if err := os.WriteFile(path, []byte("a;b\n1;2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		// Changed a moment ago: a write in the same clock tick could
		// leave the same times, so the look vouches for nothing.
		{"just written", now, false},
		{"changed less than the margin before", now.Add(StampMargin / 2), false},
		{"changed the margin before", now.Add(StampMargin + 10*time.Millisecond), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok := StampOf(settled(t, path, tc.at))
			if ok != tc.want {
				t.Errorf("stamped %v, want %v", ok, tc.want)
			}
		})
	}
	t.Run("no identity on the platform", func(t *testing.T) {
		f := settled(t, path, now.Add(time.Hour))
		f.Look.Inode, f.Look.Changed = 0, 0
		if _, ok := StampOf(f); ok {
			t.Error("a look without identity was stamped")
		}
	})
}

// TestStampVouches: a stamp vouches for a file only as long as no write,
// no new times and no file put in its place have touched it.
func TestStampVouches(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("file identity is read on Linux only")
	}
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	write := func(t *testing.T, path string, data string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, path string)
		want   bool
	}{
		{"untouched", func(*testing.T, string) {}, true},
		{"read again", func(t *testing.T, path string) { os.ReadFile(path) }, true},
		// Same size, same modification time: only the inode's change
		// time tells.
		{"rewritten in place, times set back", func(t *testing.T, path string) { write(t, path, "a;b\n9;9\n") }, false},
		{"times changed", func(t *testing.T, path string) {
			if err := os.Chtimes(path, old.Add(time.Minute), old.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"another file renamed over it, times set back", func(t *testing.T, path string) {
			other := path + ".new"
			write(t, other, "a;b\n9;9\n")
			if err := os.Rename(other, path); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".csv")
			write(t, path, "a;b\n1;2\n")
			stamp, ok := StampOf(settled(t, path, time.Now().Add(StampMargin+time.Second)))
			if !ok {
				t.Fatal("no stamp")
			}
			// The file system's clock moves in ticks: let one pass, so
			// that a change below gets a time of its own.
			time.Sleep(20 * time.Millisecond)
			tc.change(t, path)
			if got := stamp.Vouches(settled(t, path, time.Now()).Look); got != tc.want {
				t.Errorf("vouches %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("no stamp", func(t *testing.T) {
		var stamp *Stamp
		path := filepath.Join(dir, "no-stamp.csv")
		write(t, path, "a;b\n")
		if stamp.Vouches(settled(t, path, time.Now()).Look) {
			t.Error("a nil stamp vouched")
		}
	})
}
