package bench

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"doorstroom/internal/probe"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		secs []float64
		want time.Duration
	}{
		{"none", nil, 0},
		{"one", []float64{3}, 3 * time.Second},
		{"odd, unsorted", []float64{9, 1, 4}, 4 * time.Second},
		{"even: the mean of the middle two", []float64{8, 1, 2, 30}, 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var runs []*Report
			for _, s := range tc.secs {
				runs = append(runs, &Report{Elapsed: time.Duration(s * float64(time.Second))})
			}
			if got := median(runs, func(r *Report) time.Duration { return r.Elapsed }); got != tc.want {
				t.Errorf("median %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRoundOrder(t *testing.T) {
	firsts := ""
	for r := range 4 {
		o := roundOrder(r)
		if o[0] == o[1] {
			t.Fatalf("round %d runs one binary twice: %v", r, o)
		}
		firsts += string("AB"[o[0]])
	}
	if firsts != "ABAB" {
		t.Errorf("first runs %s, want the binaries taking turns (ABAB)", firsts)
	}
}

// coldRun is a report of a cold run whose search took search seconds (and
// as many CPU seconds), in a job of whole seconds.
func coldRun(whole, search, cpu float64, peakMiB int64) *Report {
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	return &Report{Elapsed: sec(whole), CPU: sec(cpu), PeakRSS: peakMiB << 20, Steps: []probe.Result{
		{Name: probe.Search, Elapsed: sec(search), CPU: sec(search)},
	}}
}

func TestPrintComparison(t *testing.T) {
	a := []*Report{coldRun(30, 8, 50, 1400), coldRun(28, 7, 47, 1500), coldRun(33, 9, 55, 1450)}
	b := []*Report{coldRun(29, 7, 48, 1300), coldRun(28.5, 6, 47.5, 1350), coldRun(31, 6.5, 52, 1320)}
	var out bytes.Buffer
	printComparison(&out, [2]string{"/new/doorstroom", "/old/doorstroom"}, a, b)
	for _, want := range []string{
		"cold runs compared, 3 rounds: A = /new/doorstroom, B = /old/doorstroom",
		// The first run of each round alternates; B − A per round.
		"1 A 30.00 50.00 29.00 48.00 -1.00",
		"2 B 28.00 47.00 28.50 47.50 +0.50",
		"3 A 33.00 55.00 31.00 52.00 -2.00",
		// Medians: search 8 against 6.5, whole job 30 against 29.
		"anonymisation search 8.00 6.50 -1.50 8.00 6.50",
		"whole job 30.00 29.00 -1.00 50.00 48.00",
		"B faster than A in 2 of 3 rounds; peak RSS (median) A 1450 MiB, B 1320 MiB",
	} {
		re := regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(want)), `\s+`))
		if !re.MatchString(out.String()) {
			t.Errorf("comparison lacks %q:\n%s", want, out.String())
		}
	}
}
