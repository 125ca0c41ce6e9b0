package probe

import (
	"sync"
	"time"
)

// Parallel measures a step whose calls run on several goroutines at once,
// such as files parsed on both cores while the pipeline's own goroutine
// answers and archives the ones before them. Summing the calls' durations
// would count the same second of wall time once per core and make the
// steps of a run add up to more than the run; so a Parallel step counts
// the wall time during which at least one of its calls was running (the
// union of their intervals), once. Rows and calls are summed as usual.
//
// Its calls (Do, Count) are safe for concurrent use and never touch the
// Probe, which is not; Done hands the totals to the Probe, on the Probe's
// goroutine, inside the step that encloses the parallel work: that step's
// own time then leaves out the wall time counted here, as for a nested
// step. A nil *Parallel (from a nil Probe) measures nothing.
type Parallel struct {
	p    *Probe
	name string
	now  func() time.Time
	cpu  func() time.Duration

	mu       sync.Mutex
	active   int           // calls running now
	since    time.Time     // when active last went from 0 to 1
	sinceCPU time.Duration // the process's CPU time then
	wall     time.Duration
	cpuTime  time.Duration
	calls    int
	rows     int
}

// Parallel starts measuring the step name run concurrently; call Done
// once its calls have all returned.
func (p *Probe) Parallel(name string) *Parallel {
	if p == nil {
		return nil
	}
	return &Parallel{p: p, name: name, now: p.now, cpu: p.cpu}
}

// Do runs f as one call of the step.
func (w *Parallel) Do(f func() error) error {
	if w == nil {
		return f()
	}
	w.mu.Lock()
	if w.active == 0 {
		w.since, w.sinceCPU = w.now(), w.cpu()
	}
	w.active++
	w.calls++
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.active--
		if w.active == 0 {
			w.wall += w.now().Sub(w.since)
			w.cpuTime += w.cpu() - w.sinceCPU
		}
		w.mu.Unlock()
	}()
	return f()
}

// Count adds rows to the step.
func (w *Parallel) Count(rows int) {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.rows += rows
	w.mu.Unlock()
}

// Done adds the step's wall time, calls and rows to the Probe and takes
// the wall time out of the enclosing step's own time. Its peak memory is
// the process's high-water mark when Done is called: the kernel keeps one
// mark per process, which cannot be reset per goroutine, so it is the
// peak since the enclosing step (or the last nested step) began, which
// includes the parallel calls. Calls still running are not counted.
func (w *Parallel) Done() {
	if w == nil {
		return
	}
	w.mu.Lock()
	wall, cpu, calls, rows := w.wall, w.cpuTime, w.calls, w.rows
	w.wall, w.cpuTime, w.calls, w.rows = 0, 0, 0, 0
	w.mu.Unlock()
	if calls == 0 {
		return
	}
	p := w.p
	var peak int64
	if p.memory {
		peak = highWater()
	}
	r := p.result(w.name)
	r.Calls += calls
	r.Rows += rows
	r.Elapsed += wall
	r.CPU += cpu
	r.PeakRSS = max(r.PeakRSS, peak)
	if len(p.stack) > 0 {
		top := &p.stack[len(p.stack)-1]
		top.inner += wall
		top.innerCPU += cpu
		top.peak = max(top.peak, peak)
	}
}
