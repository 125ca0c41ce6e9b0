// Package crashpoint lets tests kill a run at a named point, to prove that
// a crash anywhere leaves every published output as it was. The pipeline
// calls Hit at the points where a crash would hurt most (between writing
// and publishing, between moving the old release aside and the new one
// in); in production the environment variables are unset and Hit costs a
// string comparison.
package crashpoint

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// EnvCrashAt names the point at which Hit kills the process with SIGKILL,
// as a power cut or the OOM killer would: no deferred function, no flush.
// "name" crashes at the point's first hit, "name#3" at its third (points
// inside a quarter's stages are hit once per quarter).
const EnvCrashAt = "DOORSTROOM_TEST_CRASH_AT"

// EnvTrace names a file to which Hit appends every point reached, one per
// line as name#n (its n-th hit), so that a test can list the points a run passes (the heavy crash
// test crashes at each of them).
const EnvTrace = "DOORSTROOM_TEST_CRASH_TRACE"

var (
	crashAt = os.Getenv(EnvCrashAt)
	trace   = os.Getenv(EnvTrace)
	mu      sync.Mutex
	hits    = map[string]int{}
)

// Hit is a crash point: it kills the process at once when EnvCrashAt
// equals name, and records name in the EnvTrace file when one is set.
func Hit(name string) {
	if crashAt == "" && trace == "" {
		return
	}
	mu.Lock()
	hits[name]++
	nth := name + "#" + strconv.Itoa(hits[name])
	if trace != "" {
		if f, err := os.OpenFile(trace, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
			fmt.Fprintln(f, nth)
			f.Close()
		}
	}
	fire := crashAt == nth || crashAt == name && hits[name] == 1
	mu.Unlock()
	if fire {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way; never go on
	}
}
