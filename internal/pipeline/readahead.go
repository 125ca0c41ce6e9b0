package pipeline

import (
	"context"
	"runtime"
	"sync"
)

// readWorkers is how many goroutines read a quarter's files ahead of the
// run's own goroutine (bounded by GOMAXPROCS). Parsing a partner file is
// CPU-bound and files are independent, so two cores parse two files at
// once; what follows a file's parse (answers, copies, the manifest, the
// log) stays on the run's goroutine, in file order. With 1 each file is
// read when its turn comes, on the run's goroutine: the sequential order,
// which the tests compare the read-ahead against.
var readWorkers = 2

// readAhead computes work(0), work(1), … work(n-1) on up to readWorkers
// goroutines and hands the results out in order (Next). work must be pure:
// no side effect, nothing another work call or the consumer writes. At
// most workers+1 results are being computed or waiting to be taken, so a
// run holds a few parsed files beyond the one it is answering, not the
// inbox.
type readAhead[T any] struct {
	n       int
	next    int
	work    func(ctx context.Context, i int) T
	release func(T)
	ctx     context.Context
	cancel  context.CancelFunc

	// Set only when reading ahead (more than one worker).
	results []chan T      // results[i] receives work(i)'s result
	window  chan struct{} // a token per result started and not yet taken
	quit    chan struct{} // closed by Stop
	wg      sync.WaitGroup
}

// startReadAhead starts computing the n results. release frees a result
// that is never taken (Stop); Stop must be called once the consumer is
// done, after an error too.
func startReadAhead[T any](ctx context.Context, n int, work func(ctx context.Context, i int) T, release func(T)) *readAhead[T] {
	a := &readAhead[T]{n: n, work: work, release: release}
	a.ctx, a.cancel = context.WithCancel(ctx)
	workers := min(readWorkers, runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		return a
	}
	a.results = make([]chan T, n)
	for i := range a.results {
		a.results[i] = make(chan T, 1)
	}
	a.window = make(chan struct{}, workers+1)
	a.quit = make(chan struct{})
	jobs := make(chan int)
	a.wg.Add(1 + workers)
	go a.feed(jobs)
	for range workers {
		go func() {
			defer a.wg.Done()
			for i := range jobs {
				a.results[i] <- a.work(a.ctx, i)
			}
		}()
	}
	return a
}

// feed hands out the indexes in order, each once a place in the window
// is free, until all are handed out or Stop is called.
func (a *readAhead[T]) feed(jobs chan<- int) {
	defer a.wg.Done()
	defer close(jobs)
	for i := range a.n {
		select {
		case a.window <- struct{}{}:
		case <-a.quit:
			return
		}
		select {
		case jobs <- i:
		case <-a.quit:
			return
		}
	}
}

// Next returns the next result in order, waiting for it if need be. A
// cancelled context does not stop the results: work sees it and says so in
// its result, as it would when run in turn.
func (a *readAhead[T]) Next() T {
	i := a.next
	a.next++
	if a.results == nil {
		return a.work(a.ctx, i)
	}
	r := <-a.results[i]
	<-a.window
	return r
}

// Stop cancels the work not yet done, waits for the workers and releases
// the results computed and not taken.
func (a *readAhead[T]) Stop() {
	a.cancel()
	if a.results == nil {
		return
	}
	close(a.quit)
	a.wg.Wait()
	for _, c := range a.results[a.next:] {
		select {
		case r := <-c:
			a.release(r)
		default:
		}
	}
}
