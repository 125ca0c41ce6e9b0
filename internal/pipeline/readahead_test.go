package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// withReadWorkers runs the test body with n read-ahead workers on at least
// n cores, so that the read-ahead is exercised on a machine of one core
// too.
func withReadWorkers(t *testing.T, n int) {
	t.Helper()
	old, procs := readWorkers, runtime.GOMAXPROCS(0)
	readWorkers = n
	runtime.GOMAXPROCS(max(procs, n))
	t.Cleanup(func() {
		readWorkers = old
		runtime.GOMAXPROCS(procs)
	})
}

// tally records which results were computed and which released.
type tally struct {
	mu                sync.Mutex
	started, released map[int]int
}

func newTally() *tally { return &tally{started: map[int]int{}, released: map[int]int{}} }

func (c *tally) work(_ context.Context, i int) int {
	c.mu.Lock()
	c.started[i]++
	c.mu.Unlock()
	return i
}

func (c *tally) release(i int) {
	c.mu.Lock()
	c.released[i]++
	c.mu.Unlock()
}

func TestReadAheadOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			withReadWorkers(t, workers)
			c := newTally()
			a := startReadAhead(context.Background(), 40, c.work, c.release)
			for i := range 40 {
				if got := a.Next(); got != i {
					t.Fatalf("result %d is %d", i, got)
				}
			}
			a.Stop()
			for i := range 40 {
				if c.started[i] != 1 || c.released[i] != 0 {
					t.Fatalf("result %d computed %d times, released %d times", i, c.started[i], c.released[i])
				}
			}
		})
	}
}

// TestReadAheadStop takes some results and stops: every result computed
// and not taken is released once, none taken is, and no more than the
// window (workers+1) was computed beyond what was taken.
func TestReadAheadStop(t *testing.T) {
	for _, taken := range []int{0, 3, 19, 20} {
		t.Run(fmt.Sprintf("%d taken", taken), func(t *testing.T) {
			withReadWorkers(t, 2)
			c := newTally()
			var computing atomic.Int32
			a := startReadAhead(context.Background(), 20, func(ctx context.Context, i int) int {
				computing.Add(1)
				defer computing.Add(-1)
				return c.work(ctx, i)
			}, c.release)
			for range taken {
				a.Next()
			}
			// Let the workers fill the window before stopping.
			for computing.Load() > 0 || len(a.window) < min(3, 20-taken) {
				runtime.Gosched()
			}
			a.Stop()
			if n := len(c.started); n > taken+3 {
				t.Errorf("%d computed with %d taken, want at most %d", n, taken, taken+3)
			}
			for i, n := range c.started {
				want := 0
				if i >= taken {
					want = 1
				}
				if n != 1 || c.released[i] != want {
					t.Errorf("result %d: computed %d times, released %d times, want once and %d", i, n, c.released[i], want)
				}
			}
		})
	}
}

// TestReadAheadCancel: the results after a cancelled context are still
// handed out in order, and their work sees the cancellation.
func TestReadAheadCancel(t *testing.T) {
	withReadWorkers(t, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := startReadAhead(ctx, 5, func(ctx context.Context, i int) error { return ctx.Err() }, func(error) {})
	defer a.Stop()
	for i := range 5 {
		if err := a.Next(); err == nil {
			t.Fatalf("result %d did not see the cancellation", i)
		}
	}
}
