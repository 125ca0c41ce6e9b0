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
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := newFlags("run", "run [--config FILE] [--quarter YYYYQn]", stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration file (default: the built-in defaults); DOORSTROOM_* variables override it")
	fs.StringVar(&o.Quarter, "quarter", "", "reporting quarter, e.g. 2026Q3 (default: the configured one, else the latest in the inbox)")
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
	_, err = pipeline.Run(ctx, cfg, pipeline.Options{Quarter: o.Quarter, Log: stdout})
	return err
}
