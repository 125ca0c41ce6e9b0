package bench

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"doorstroom/config"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/pipeline"
	"doorstroom/internal/probe"
)

// Job runs the quarterly job of the network configured in cfgPath with a
// probe on every stage and writes the Report as JSON to report; with
// cpuProfile set it also writes a CPU profile there. It is the child
// process of Run.
func Job(ctx context.Context, cfgPath, report, cpuProfile string, log io.Writer) error {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	p := probe.New(true)
	start := time.Now()
	sum, err := pipeline.Run(ctx, cfg, pipeline.Options{Log: log, Probe: p})
	if err != nil {
		return err
	}
	rep := Report{Steps: p.Results(), Elapsed: time.Since(start), Quarters: len(sum.Quarters), Reused: len(sum.Reused)}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(report, data, 0o644)
}
