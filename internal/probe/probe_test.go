package probe

import (
	"errors"
	"testing"
	"time"
)

func TestStepNesting(t *testing.T) {
	p := New(false)
	var clock time.Time
	p.now = func() time.Time { return clock }
	// Both cores busy throughout: CPU time runs at twice the wall clock.
	p.cpu = func() time.Duration { return 2 * clock.Sub(time.Time{}) }
	sleep := func(d time.Duration) { clock = clock.Add(d) }
	boom := errors.New("boom")
	err := p.Step("outer", func() error {
		sleep(2 * time.Millisecond)
		p.Count("outer", 10)
		if err := p.Step("inner", func() error { sleep(20 * time.Millisecond); return nil }); err != nil {
			return err
		}
		return p.Step("inner", func() error { p.Count("inner", 3); return boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	res := p.Results()
	if len(res) != 2 || res[0].Name != "outer" || res[1].Name != "inner" {
		t.Fatalf("results %+v", res)
	}
	for _, tc := range []struct {
		r           Result
		calls, rows int
		elapsed     time.Duration
	}{{res[0], 1, 10, 2 * time.Millisecond}, {res[1], 2, 3, 20 * time.Millisecond}} {
		t.Run(tc.r.Name, func(t *testing.T) {
			if tc.r.Calls != tc.calls || tc.r.Rows != tc.rows {
				t.Fatalf("%+v", tc.r)
			}
			// The outer step's own time leaves out the inner 20 ms, and
			// its CPU time the inner 40 ms.
			if tc.r.Elapsed != tc.elapsed || tc.r.CPU != 2*tc.elapsed {
				t.Fatalf("%s elapsed %v, CPU %v", tc.r.Name, tc.r.Elapsed, tc.r.CPU)
			}
		})
	}
}

func TestNilProbe(t *testing.T) {
	var p *Probe
	ran := false
	if err := p.Step("x", func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatal("a nil probe must run the step")
	}
	p.Count("x", 1)
	if p.Results() != nil {
		t.Fatal("a nil probe has no results")
	}
}

func TestMemory(t *testing.T) {
	p := New(true)
	var keep []byte
	p.Step("alloc", func() error {
		keep = make([]byte, 64<<20)
		for i := range keep {
			keep[i] = 1
		}
		return nil
	})
	_ = keep
	if r := p.Results()[0]; StatusBytes("VmRSS") > 0 && r.PeakRSS < 64<<20 {
		t.Fatalf("peak %d, want at least 64 MiB", r.PeakRSS)
	}
}
