package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"doorstroom/internal/bench"
	"doorstroom/internal/demogen"
)

func init() {
	register(command{name: "bench", summary: "measure the job and each stage on generated networks of growing size, against DuckDB", run: cmdBench})
}

// benchOptions are the options of doorstroom bench.
type benchOptions struct {
	bench.Options
	Sizes string
	// Job and Report run one measured job (the child process bench starts
	// for each size); CPUProfile is then the profile's file.
	Job, Report string
}

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o benchOptions
	fs := newFlags("bench", "bench [--sizes 10k,100k,1M] [--quarters Q] [--dir DIR] [--cpuprofile DIR] [--no-duckdb] [--no-quarterly] [--repeat N] [--against BINARY [--rounds N]]", stderr)
	fs.StringVar(&o.Sizes, "sizes", "10k,100k,1M", "network sizes in trajectories, comma-separated (add 5M for the national scale)")
	fs.IntVar(&o.Quarters, "quarters", 8, "quarterly files per partner")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed of the generated networks")
	fs.StringVar(&o.Dir, "dir", "state/bench", "folder caching the generated networks and holding the runs (raw synthetic inboxes: never under out/, which holds only what is published)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "folder to write a CPU profile of each job into (cpu-<size>.prof)")
	noLimit := fs.Bool("no-duckdb", false, "leave out the DuckDB read_csv + COPY measurement")
	fs.BoolVar(&o.SkipQuarterly, "no-quarterly", false, "leave out the quarterly run (the last quarter's files added to a network that published the others)")
	fs.IntVar(&o.Repeat, "repeat", 3, "make the quarterly run this many times from the same state, each followed by DuckDB's measurement, and show the median (the machine's speed drifts)")
	fs.StringVar(&o.Against, "against", "", "another doorstroom binary (an earlier build, say) to compare with: each size's cold run is made by each binary in turn, --rounds times, instead of the tables")
	fs.IntVar(&o.Rounds, "rounds", 3, "with --against, the rounds of one cold run by each binary")
	fs.StringVar(&o.Job, "job", "", "(internal) run one measured job on this network configuration")
	fs.StringVar(&o.Report, "report", "", "(internal) where the measured job writes its report")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if o.Job != "" {
		return bench.Job(ctx, o.Job, o.Report, o.CPUProfile, stdout)
	}
	o.SkipLimit = *noLimit
	if o.Against != "" {
		if o.Rounds < 1 {
			return usageError{"--rounds: at least 1"}
		}
		abs, err := filepath.Abs(o.Against)
		if err != nil {
			return err
		}
		if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
			return usageError{"--against: " + o.Against + " is not a doorstroom binary (no such file)"}
		}
		o.Against = abs
	}
	for _, s := range strings.Split(o.Sizes, ",") {
		n, err := demogen.ParseSize(s)
		if err != nil {
			return usageError{"--sizes: " + err.Error()}
		}
		o.Options.Sizes = append(o.Options.Sizes, n)
	}
	return runBench(ctx, o, stdout)
}

func runBench(ctx context.Context, o benchOptions, stdout io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Exe, o.Out = exe, stdout
	if o.CPUProfile != "" {
		if err := os.MkdirAll(o.CPUProfile, 0o750); err != nil {
			return err
		}
	}
	return bench.Run(ctx, o.Options)
}
