package pipeline

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"doorstroom/ingest"
)

// TestStampedFilesAreNotReadAgain: a run reads only the inbox files that
// changed since the run before, as their manifest stamps tell, and still
// takes in a file rewritten in place with its old size and times, or
// touched (read again, found unchanged, stamped anew).
func TestStampedFilesAreNotReadAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline several times")
	}
	if runtime.GOOS != "linux" {
		t.Skip("file identity is read on Linux only")
	}
	// The files are written a moment before each run: stamp them anyway.
	margin := ingest.StampMargin
	ingest.StampMargin = 0
	t.Cleanup(func() { ingest.StampMargin = margin })
	var mu sync.Mutex
	var read []string
	readSettled = func(f ingest.SettledFile) ([]byte, error) {
		mu.Lock()
		read = append(read, f.Name)
		mu.Unlock()
		return ingest.ReadSettled(f)
	}
	t.Cleanup(func() { readSettled = ingest.ReadSettled })
	n := newInboxNet(t, "")
	run := func() (string, []string) {
		t.Helper()
		read = nil
		// The file system's clock moves in ticks: a change after this
		// run gets a time of its own.
		time.Sleep(20 * time.Millisecond)
		return n.run(), read
	}

	if _, got := run(); len(got) != 4 {
		t.Fatalf("first run read %v, want the 4 files", got)
	}
	for _, e := range n.manifest().Files {
		if e.Stamp == nil {
			t.Fatalf("%s has no stamp", e.Name)
		}
	}
	if log, got := run(); len(got) != 0 || !strings.Contains(log, "(0 new)") {
		t.Fatalf("a run of unchanged files read %v:\n%s", got, log)
	}

	const name = "antwerpen/2026Q1.csv"
	original := n.read(name)
	info, err := os.Stat(n.path(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("rewritten in place, same size and times", func(t *testing.T) {
		changed := bytes.Replace(original, []byte("2026-01-"), []byte("2026-02-"), 1)
		if bytes.Equal(changed, original) || len(changed) != len(original) {
			t.Fatal("the test's change changed nothing or the size")
		}
		n.drop(name, changed)
		os.Chtimes(n.path(name), info.ModTime(), info.ModTime())
		entries := len(n.manifest().Files)
		log, got := run()
		if strings.Join(got, " ") != name || len(n.manifest().Files) != entries+1 {
			t.Errorf("read %v, manifest %d entries after %d: the change was not taken in\n%s", got, len(n.manifest().Files), entries, log)
		}
	})
	t.Run("touched: read, unchanged, stamped anew", func(t *testing.T) {
		later := time.Now().Add(-30 * time.Second)
		os.Chtimes(n.path(name), later, later)
		entries := len(n.manifest().Files)
		if _, got := run(); strings.Join(got, " ") != name || len(n.manifest().Files) != entries {
			t.Errorf("read %v, manifest %d entries after %d", got, len(n.manifest().Files), entries)
		}
		if _, got := run(); len(got) != 0 {
			t.Errorf("the touched file, stamped anew, was read again: %v", got)
		}
	})
}
