package main

import (
	"context"
	"io"

	"doorstroom/config"
	"doorstroom/internal/pipeline"
)

func init() {
	register(command{name: "run", summary: "run the quarterly job: ingest, anonymise, load, metrics, dashboards", run: cmdRun})
}

// runOptions are the options of doorstroom run.
type runOptions struct {
	Config  string
	Quarter string
	// Full makes every quarter's release again instead of reusing the
	// unchanged ones.
	Full bool
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := newFlags("run", "run [--config FILE] [--quarter YYYYQn] [--full]", stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration file (default: the built-in defaults); DOORSTROOM_* variables override it")
	fs.StringVar(&o.Quarter, "quarter", "", "reporting quarter, e.g. 2026Q3 (default: the configured one, else the latest in the inbox)")
	fs.BoolVar(&o.Full, "full", false, "make every quarter's release again, even those unchanged since they were made (default: reuse them)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	return runRun(ctx, o, stdout)
}

func runRun(ctx context.Context, o runOptions, stdout io.Writer) error {
	cfg, err := config.Load(o.Config)
	if err != nil {
		return err
	}
	_, err = pipeline.Run(ctx, cfg, pipeline.Options{Quarter: o.Quarter, Log: stdout, Full: o.Full})
	return err
}
