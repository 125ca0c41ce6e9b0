// Package probe measures the steps of a run: time, rows and peak memory
// per named step, so `doorstroom bench` can say which stage costs what.
// A nil *Probe measures nothing and costs nothing, which is how ordinary
// runs use it.
//
// Steps may nest (pseudonymisation inside the building of a release): a
// step's time is its own, without the time of the steps inside it, so the
// steps of a run add up to the run. So is its CPU time, the process's
// over the step (every thread, DuckDB's too): beside the wall time it
// tells how many cores a step kept busy. Its peak memory includes the
// steps inside it.
package probe

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"time"

	"doorstroom/internal/cputime"
)

// Probe accumulates the measurements of a run's steps. It is not safe for
// concurrent use: the pipeline runs its stages one after another, and a
// step whose calls run on several goroutines is measured through a
// Parallel (parallel.go), which is.
type Probe struct {
	memory  bool
	order   []string
	results map[string]*Result
	stack   []frame
	now     func() time.Time
	cpu     func() time.Duration
}

// Result is what one named step cost over a run, summed over its calls.
type Result struct {
	Name  string
	Calls int
	// Rows is what the step's calls counted (Count).
	Rows int
	// Elapsed is the step's own time, without nested steps.
	Elapsed time.Duration
	// CPU is the process's CPU time (user and system, all threads) over
	// the step's own time: CPU/Elapsed is the cores it kept busy.
	CPU time.Duration
	// PeakRSS is the highest resident set size, in bytes, seen while the
	// step ran (0 when memory is not measured).
	PeakRSS int64
}

type frame struct {
	name     string
	start    time.Time
	startCPU time.Duration
	inner    time.Duration // time of nested steps
	innerCPU time.Duration // their CPU time
	peak     int64
}

// New returns a probe; with memory set it also measures peak resident
// memory per step, by resetting the kernel's high-water mark
// (/proc/self/clear_refs) when a step starts and reading it (VmHWM) when
// it ends. That works on Linux only; elsewhere PeakRSS stays 0.
func New(memory bool) *Probe {
	return &Probe{memory: memory, results: map[string]*Result{}, now: time.Now, cpu: cputime.Process}
}

// Step runs f as the step name and adds its cost.
func (p *Probe) Step(name string, f func() error) error {
	if p == nil {
		return f()
	}
	if p.memory && len(p.stack) > 0 {
		// Fold what the enclosing step reached so far into it before the
		// mark is reset for this one.
		top := &p.stack[len(p.stack)-1]
		top.peak = max(top.peak, highWater())
	}
	resetHighWater(p.memory)
	p.stack = append(p.stack, frame{name: name, start: p.now(), startCPU: p.cpu()})
	err := f()
	fr := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	total, totalCPU := p.now().Sub(fr.start), p.cpu()-fr.startCPU
	if p.memory {
		fr.peak = max(fr.peak, highWater())
	}
	r := p.result(name)
	r.Calls++
	r.Elapsed += total - fr.inner
	r.CPU += totalCPU - fr.innerCPU
	r.PeakRSS = max(r.PeakRSS, fr.peak)
	if len(p.stack) > 0 {
		top := &p.stack[len(p.stack)-1]
		top.inner += total
		top.innerCPU += totalCPU
		top.peak = max(top.peak, fr.peak)
	}
	return err
}

// Count adds rows to the step name.
func (p *Probe) Count(name string, rows int) {
	if p == nil {
		return
	}
	p.result(name).Rows += rows
}

// Results are the steps measured, in the order they first ran.
func (p *Probe) Results() []Result {
	if p == nil {
		return nil
	}
	out := make([]Result, 0, len(p.order))
	for _, n := range p.order {
		out = append(out, *p.results[n])
	}
	return out
}

func (p *Probe) result(name string) *Result {
	r, ok := p.results[name]
	if !ok {
		r = &Result{Name: name}
		p.results[name] = r
		p.order = append(p.order, name)
	}
	return r
}

// resetHighWater sets the kernel's peak-RSS mark of this process back to
// its current RSS (Linux 4.0 and later).
func resetHighWater(on bool) {
	if on {
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	}
}

// highWater is the process's peak resident set size since the last reset,
// in bytes, from VmHWM in /proc/self/status; 0 when unknown.
func highWater() int64 {
	return StatusBytes("VmHWM")
}

// StatusBytes reads a memory field of /proc/self/status (VmHWM, VmRSS) in
// bytes; 0 when the field or the file is missing.
func StatusBytes(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	prefix := []byte(field + ":")
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		f := bytes.Fields(line[len(prefix):])
		if len(f) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// Names of the steps measured inside the pipeline's stages; the stages
// themselves are measured under their own names (ingest, anonymize,
// warehouse, metrics, snapshots, dashboards).
const (
	// ReadValidate is decoding, parsing and validating one partner file.
	ReadValidate = "read+validate"
	// Search is encoding a release's quasi-identifiers and searching the
	// generalisation lattice.
	Search = "anonymisation search"
	// Apply is building the release's register and microdata batches
	// (the register apart from the release, before the search).
	Apply = "apply"
	// Pseudonymise is computing the keyed pseudonyms of a batch.
	Pseudonymise = "pseudonymise"
)
