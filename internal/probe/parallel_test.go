package probe

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallelWallOnce runs two calls of a parallel step at the same time
// for 10 ms of (fake) wall time: the step counts 10 ms, not 20, its rows
// and calls are summed, and the enclosing step's own time leaves the 10 ms
// out, so the two still add up to the enclosing step's 15 ms.
func TestParallelWallOnce(t *testing.T) {
	p := New(false)
	var clock atomic.Int64
	p.now = func() time.Time { return time.Unix(0, clock.Load()) }
	p.cpu = func() time.Duration { return 2 * time.Duration(clock.Load()) }
	sleep := func(d time.Duration) { clock.Add(int64(d)) }
	err := p.Step("ingest", func() error {
		sleep(time.Millisecond)
		w := p.Parallel("read")
		var in sync.WaitGroup
		in.Add(2)
		advanced := make(chan struct{})
		var done sync.WaitGroup
		for id := range 2 {
			done.Add(1)
			go func() {
				defer done.Done()
				w.Do(func() error {
					in.Done()
					in.Wait() // both calls are running
					if id == 0 {
						sleep(10 * time.Millisecond)
						close(advanced)
					}
					<-advanced
					w.Count(5)
					return nil
				})
			}()
		}
		done.Wait()
		sleep(4 * time.Millisecond)
		w.Done()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res := p.Results()
	// A step is listed when it first ends, the inner one first.
	if len(res) != 2 || res[0].Name != "read" || res[1].Name != "ingest" {
		t.Fatalf("results %+v", res)
	}
	for _, tc := range []struct {
		r           Result
		calls, rows int
		elapsed     time.Duration
	}{{res[1], 1, 0, 5 * time.Millisecond}, {res[0], 2, 10, 10 * time.Millisecond}} {
		t.Run(tc.r.Name, func(t *testing.T) {
			// The CPU time, at twice the wall clock, is split as the wall
			// time is.
			if tc.r.Calls != tc.calls || tc.r.Rows != tc.rows || tc.r.Elapsed != tc.elapsed || tc.r.CPU != 2*tc.elapsed {
				t.Fatalf("%+v, want %d calls, %d rows, %v, CPU twice that", tc.r, tc.calls, tc.rows, tc.elapsed)
			}
		})
	}
}

// TestParallelGaps counts the time between two calls that do not overlap
// as no one's: only the calls' own intervals are the step's.
func TestParallelGaps(t *testing.T) {
	p := New(false)
	var clock time.Time
	p.now = func() time.Time { return clock }
	p.cpu = func() time.Duration { return clock.Sub(time.Time{}) }
	sleep := func(d time.Duration) { clock = clock.Add(d) }
	w := p.Parallel("read")
	for _, d := range []time.Duration{3 * time.Millisecond, 7 * time.Millisecond} {
		w.Do(func() error { sleep(d); return nil })
		sleep(100 * time.Millisecond)
	}
	w.Done()
	w.Done() // a second Done adds nothing
	if r := p.Results(); len(r) != 1 || r[0].Elapsed != 10*time.Millisecond || r[0].CPU != 10*time.Millisecond || r[0].Calls != 2 {
		t.Fatalf("results %+v", r)
	}
}

func TestNilParallel(t *testing.T) {
	var p *Probe
	w := p.Parallel("x")
	ran := false
	if err := w.Do(func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatal("a nil parallel step must run its call")
	}
	w.Count(1)
	w.Done()
}
