package crashpoint

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestHitKillsAtTheNamedHit runs this test binary as a child that passes
// the point "p" three times, with each setting of EnvCrashAt.
func TestHitKillsAtTheNamedHit(t *testing.T) {
	if os.Getenv("CRASHPOINT_CHILD") != "" {
		for i := 1; i <= 3; i++ {
			Hit("p")
			fmt.Println("passed", i)
		}
		os.Exit(0)
	}
	for _, tc := range []struct {
		at     string
		passed int
		killed bool
	}{
		{"p", 0, true},
		{"p#2", 1, true},
		{"p#4", 3, false},
		{"q", 3, false},
		{"", 3, false},
	} {
		t.Run(tc.at, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHitKillsAtTheNamedHit$")
			cmd.Env = append(os.Environ(), "CRASHPOINT_CHILD=1", EnvCrashAt+"="+tc.at)
			out, err := cmd.Output()
			var ee *exec.ExitError
			killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
			if passed := strings.Count(string(out), "passed"); passed != tc.passed || killed != tc.killed {
				t.Errorf("passed %d times, killed %v (%v); want %d, %v", passed, killed, err, tc.passed, tc.killed)
			}
		})
	}
}
