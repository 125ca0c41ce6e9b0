package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// The fault tests run the real binary as a separate process (it is
// killed, or runs out of space), built once per test binary.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func doorstroomBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "doorstroom-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "doorstroom")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// smallNetwork is a two-quarter demo network of five partners (about 150
// trajectories each, so a run takes about a second) with its own folders
// under dir. inbox/ holds seed 1's files; gent's 2026Q2 file from seed 2
// is at replacement, to be dropped over the original as a correction.
type smallNetwork struct {
	dir, replacement string
}

func newSmallNetwork(t *testing.T, dir string) *smallNetwork {
	t.Helper()
	last, _ := period.Parse("2026Q3")
	o := demogen.Options{Partners: 5, Quarters: 2, Last: last, Seed: 1, Trajectories: 150}
	if _, err := demogen.Generate(o, dir); err != nil {
		t.Fatal(err)
	}
	o.Seed = 2
	other := filepath.Join(dir, "seed2")
	if _, err := demogen.Generate(o, other); err != nil {
		t.Fatal(err)
	}
	return &smallNetwork{dir: dir, replacement: filepath.Join(other, "inbox", "gent", "2026Q2.csv")}
}

// config writes the network's configuration with its runtime folders
// under state (a folder of its own per scenario) and returns its path.
func (n *smallNetwork) config(t *testing.T, state, extra string) string {
	t.Helper()
	demoCfg, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := fmt.Sprintf("\npaths:\n  inbox: %s\n  outbox: %s\n  quarantine: %s\n  out: %s\n  state: %s\n",
		filepath.Join(n.dir, "inbox"), filepath.Join(state, "outbox"), filepath.Join(state, "quarantine"),
		filepath.Join(state, "out"), filepath.Join(state, "state"))
	cfg := append(stripPaths(demoCfg), paths...)
	cfg = append(cfg, extra...)
	path := filepath.Join(state, "network.yaml")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runResult is how a doorstroom process ended.
type runResult struct {
	stdout, stderr string
	code           int
	killed         bool // by SIGKILL
}

func runBinary(t *testing.T, env []string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(doorstroomBinary(t), args...)
	cmd.Env = append(append(os.Environ(), "DOORSTROOM_INGEST_SETTLE=0s"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := runResult{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	default:
		t.Fatal(err)
	}
	return r
}

// copyTree copies a folder with its files' modes (cp -a).
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v\n%s", from, to, err, out)
	}
}

// treeSums maps every file under dir (relative path) to its SHA-256;
// a missing dir is an empty map.
func treeSums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			out[rel] = sha256.Sum256([]byte("symlink to " + target))
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[rel] = sha256.Sum256(data)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

// diffSums names the first few files that differ between two trees.
func diffSums(want, got map[string][32]byte) string {
	var d []string
	for k, v := range want {
		if g, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		} else if g != v {
			d = append(d, "changed "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "new "+k)
		}
	}
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("… %d more", len(d)-5))
	}
	return strings.Join(d, ", ")
}
