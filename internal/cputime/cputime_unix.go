//go:build unix

// Package cputime tells how much CPU time the process has used, for
// benchmarks: on a shared machine the wall time of a step says as much
// about the neighbours as about the step, its CPU time does not.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time (user and system, every thread) the process has
// used so far.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return Of(&ru)
}

// Of is the CPU time (user and system) a resource usage records: the
// process's own, or a child's once it has exited.
func Of(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
