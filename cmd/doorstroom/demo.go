package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"doorstroom/config"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

func init() {
	register(command{name: "demo", summary: "generate a synthetic partner network (inbox of quarterly exports)", run: cmdDemo})
}

// demoOptions are the options of doorstroom demo.
type demoOptions struct {
	demogen.Options
	Last string
	Out  string
	// Programme, when set, generates that programme's network from its
	// demo.yaml (programmes/<p>/demo.yaml of Config's tree); SizeSet says
	// whether --size overrides the specification's size.
	Programme string
	Config    string
	SizeSet   bool
	// Total, when set, is the number of trajectories of the whole network:
	// it chooses the partners and their size (demogen.Shape) and a network
	// configuration is written beside the inbox.
	Total string
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o demoOptions
	fs := newFlags("demo", "demo [--programme NAME [--config FILE]] [--partners N] [--quarters Q] [--seed S] [--size N | --trajectories 10k|100k|1M|5M] --out DIR", stderr)
	fs.StringVar(&o.Programme, "programme", "", "generate this programme's demo network from its demo.yaml (default: the built-in atn network)")
	fs.StringVar(&o.Config, "config", "", "network configuration whose programme tree holds the demo.yaml (with --programme)")
	fs.IntVar(&o.Partners, "partners", 5, "number of partners (the first five are the Belgian demo cities; not with --programme)")
	fs.IntVar(&o.Quarters, "quarters", 8, "number of quarterly files per partner")
	fs.StringVar(&o.Last, "last", "2026Q3", "the last quarter generated")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed; the same seed gives the same files")
	fs.IntVar(&o.Trajectories, "size", 300, "approximate trajectories per partner in the last quarter (with --programme: rows per partner, default the demo.yaml's)")
	fs.BoolVar(&o.Canonical, "canonical", false, "write every file in the canonical dialect (English, comma, UTF-8, ISO dates)")
	fs.BoolVar(&o.Flaws, "flaws", true, "include the demo's deliberately flawed file")
	fs.BoolVar(&o.Gaps, "gaps", false, "leave out one partner's file of one earlier quarter (a missing delivery, for completeness)")
	fs.StringVar(&o.Out, "out", "", "directory to write inbox/ and demo.json into (required)")
	fs.StringVar(&o.Total, "trajectories", "", "trajectories in the whole network (10k, 100k, 1M, 5M or a number): sets --partners and --size, and writes "+demogen.ConfigFile+" to run it with")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) { o.SizeSet = o.SizeSet || f.Name == "size" })
	if o.Out == "" {
		return usageError{"--out is required"}
	}
	q, err := period.Parse(o.Last)
	if err != nil {
		return usageError{"--last: " + err.Error()}
	}
	o.Options.Last = q
	if o.Total != "" && o.Programme != "" {
		return usageError{"--trajectories sizes the atn network; with --programme use --size"}
	}
	if o.Total != "" {
		n, err := demogen.ParseSize(o.Total)
		if err != nil {
			return usageError{"--trajectories: " + err.Error()}
		}
		shape := demogen.Shape(n, o.Quarters)
		o.Partners, o.Trajectories = shape.Partners, shape.Trajectories
	}
	return runDemo(ctx, o, stdout)
}

func runDemo(ctx context.Context, o demoOptions, stdout io.Writer) error {
	if o.Programme != "" {
		return runProgrammeDemo(o, stdout)
	}
	st, err := demogen.Generate(o.Options, o.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo: %d partners, %d files, %d rows, %d trajectories in %s/inbox (seed %d); arrival dates in %s/%s\n",
		o.Partners, st.Files, st.Rows, st.Trajectories, o.Out, o.Seed, o.Out, demogen.ReceivedFile)
	if o.Total == "" {
		return nil
	}
	if err := demogen.WriteConfig(o.Out, o.Out, o.Options); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "run it: doorstroom run --config %s\n", filepath.Join(o.Out, demogen.ConfigFile))
	return nil
}

// runProgrammeDemo generates a programme's network from its demo.yaml.
func runProgrammeDemo(o demoOptions, stdout io.Writer) error {
	cfg, err := config.Load(o.Config)
	if err != nil {
		return err
	}
	prog, err := cfg.Programme(o.Programme)
	if err != nil {
		return err
	}
	spec, err := cfg.DemoSpec(o.Programme, prog.Format)
	if err != nil {
		return err
	}
	so := demogen.SpecOptions{Quarters: o.Quarters, Last: o.Options.Last, Seed: o.Seed}
	if o.SizeSet {
		so.Size = o.Trajectories
	}
	st, err := demogen.GenerateSpec(spec, prog.Format, prog.Labels, so, o.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo %s: %d partners, %d files, %d rows, %d records (unit: %s) in %s/inbox (seed %d); arrival dates in %s/%s\n",
		o.Programme, len(spec.Partners), st.Files, st.Rows, st.Trajectories, prog.Format.Unit, o.Out, o.Seed, o.Out, demogen.ReceivedFile)
	return nil
}
