package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Comparing two builds. The machine docs/performance.md was measured on
// drifts by a fifth within the hour and by half between hours: the same
// binary's cold run at 1M took 26.8-31.5 s within one hour and 35 s in
// another. A build's cold run set beside another's made an hour earlier
// shows the hour, not the change. So a comparison alternates the two
// binaries' cold runs on the same network, round after round, the first
// of each round taking turns, and prints every round and each stage's
// median: a change is shown when it wins round after round, by more than
// the rounds differ among themselves.

// pairPause is the rest before each run of a comparison, after the
// kernel has written out the files of the one before (flushWrites): the
// runs should not share the disk's write-back or a core with each other.
const pairPause = 15 * time.Second

// compareBuilds makes o.Rounds rounds of one cold run of o.Exe (A) and one
// of o.Against (B) on the network, and prints them. B is run through the
// same internal job command (bench --job), which every doorstroom since
// the benchmark's CPU seconds (0e32d1c) answers with the same report. It
// runs on the network configuration this build writes: a build from
// before a change to that configuration's form fails with its own error
// (its log is the run folder's cold.log).
func compareBuilds(ctx context.Context, o Options, net *network) error {
	bins := [2]string{o.Exe, o.Against}
	var runs [2][]*Report
	for r := range max(o.Rounds, 1) {
		for _, b := range roundOrder(r) {
			flushWrites()
			if err := pause(ctx, pairPause); err != nil {
				return err
			}
			if err := clearRunDir(o.trash, net.work, net.work); err != nil {
				return err
			}
			bo := o
			bo.Exe, bo.CPUProfile = bins[b], ""
			rep, err := runJob(ctx, bo, net.config, net.work, "cold", "")
			if err != nil {
				return err
			}
			runs[b] = append(runs[b], rep)
		}
	}
	printHeader(o.Out, net)
	printComparison(o.Out, bins, runs[0], runs[1])
	return nil
}

// roundOrder is which binary runs first in round r: A in even rounds, B
// in odd ones, so neither always follows the other's write-back.
func roundOrder(r int) [2]int {
	if r%2 == 1 {
		return [2]int{1, 0}
	}
	return [2]int{0, 1}
}

// printComparison prints the rounds of a comparison (whole job and CPU
// seconds of each side, and B − A), then the median of each stage for
// each side, and in how many rounds B was the faster.
func printComparison(w io.Writer, bins [2]string, a, b []*Report) {
	fmt.Fprintf(w, "cold runs compared, %d rounds: A = %s, B = %s\n", len(a), bins[0], bins[1])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tfirst\tA s\tA cpu s\tB s\tB cpu s\tB − A s\t")
	faster := 0
	for r := range min(len(a), len(b)) {
		first := "A"
		if roundOrder(r)[0] == 1 {
			first = "B"
		}
		d := b[r].Elapsed - a[r].Elapsed
		if d < 0 {
			faster++
		}
		fmt.Fprintf(tw, "%d\t%s\t%.2f\t%s\t%.2f\t%s\t%+.2f\t\n", r+1, first,
			a[r].Elapsed.Seconds(), cpuSeconds(a[r].CPU), b[r].Elapsed.Seconds(), cpuSeconds(b[r].CPU), d.Seconds())
	}
	tw.Flush()
	fmt.Fprintln(w, "median of the rounds")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tA s\tB s\tB − A s\tA cpu s\tB cpu s\t")
	for _, r := range tableRows {
		sa, ca := medianStep(a, r.step)
		sb, cb := medianStep(b, r.step)
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%+.2f\t%s\t%s\t\n", r.label, sa.Seconds(), sb.Seconds(), (sb - sa).Seconds(), cpuSeconds(ca), cpuSeconds(cb))
	}
	ea, eb := median(a, func(r *Report) time.Duration { return r.Elapsed }), median(b, func(r *Report) time.Duration { return r.Elapsed })
	fmt.Fprintf(tw, "whole job\t%.2f\t%.2f\t%+.2f\t%s\t%s\t\n", ea.Seconds(), eb.Seconds(), (eb - ea).Seconds(),
		cpuSeconds(median(a, func(r *Report) time.Duration { return r.CPU })), cpuSeconds(median(b, func(r *Report) time.Duration { return r.CPU })))
	tw.Flush()
	peak := func(r *Report) time.Duration { return time.Duration(r.PeakRSS) }
	fmt.Fprintf(w, "B faster than A in %d of %d rounds; peak RSS (median) A %s MiB, B %s MiB\n",
		faster, min(len(a), len(b)), mib(int64(median(a, peak))), mib(int64(median(b, peak))))
}

// medianStep is the median of a step's seconds and, separately, of its
// CPU seconds over the runs; zero for a step no run has.
func medianStep(runs []*Report, step string) (elapsed, cpu time.Duration) {
	return median(runs, func(r *Report) time.Duration { return r.step(step).Elapsed }),
		median(runs, func(r *Report) time.Duration { return r.step(step).CPU })
}

// median is the median of a measure over the runs (of an even number,
// the mean of the two middle ones); zero without runs.
func median(runs []*Report, of func(*Report) time.Duration) time.Duration {
	if len(runs) == 0 {
		return 0
	}
	v := make([]time.Duration, len(runs))
	for i, r := range runs {
		v[i] = of(r)
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
