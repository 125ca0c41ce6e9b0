// Package bench measures the pipeline at scale: it generates synthetic
// networks of growing size (internal/demogen), runs the whole quarterly
// job on each in a child process, and prints per stage the rows, seconds,
// rows per second and peak memory, next to what DuckDB itself needs to
// read the same files and write them as Parquet, the in-process limit for
// parsing and columnar writing. `doorstroom bench` and `make bench` run
// it; docs/performance.md keeps its results.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"doorstroom/internal/cputime"
	"doorstroom/internal/demogen"
	"doorstroom/internal/probe"
)

// Options configure a benchmark.
type Options struct {
	// Sizes are the networks to measure, in trajectories.
	Sizes []int
	// Quarters is the number of quarterly files per partner.
	Quarters int
	// Seed makes the networks reproducible.
	Seed uint64
	// Dir caches the generated networks and holds the runs.
	Dir string
	// Exe is the doorstroom binary the job runs in (a child process, so
	// each size's peak memory is its own).
	Exe string
	// CPUProfile, when set, is a folder that receives a CPU profile of
	// each job (cpu-<size>.prof).
	CPUProfile string
	// SkipLimit leaves out the DuckDB measurement.
	SkipLimit bool
	// SkipQuarterly leaves out the quarterly run (quarterly.go).
	SkipQuarterly bool
	// Repeat is how many times the quarterly run is made, each from the
	// same state and followed by DuckDB's read and write of its files;
	// the table shows the run with the median ratio (repeat.go). The
	// cold run, far longer, is made once.
	Repeat int
	// Against, when set, is another doorstroom binary (an earlier build,
	// say): instead of the benchmark's tables, each size's cold run is
	// made Rounds times by each binary, alternating, and compared
	// (against.go).
	Against string
	// Rounds is the number of rounds of a comparison.
	Rounds int
	// Out receives the tables.
	Out io.Writer

	// trash holds what the jobs are done with until the last is measured
	// (rundir.go).
	trash *trash
}

// Report is what one job measured; the child process writes it as JSON.
type Report struct {
	Steps   []probe.Result `json:"steps"`
	Elapsed time.Duration  `json:"elapsed"`
	// PeakRSS is the job's peak resident set size in bytes, from the
	// child's resource usage (set by the parent).
	PeakRSS int64 `json:"peak_rss"`
	// CPU is the job's CPU time (user and system, every thread), from
	// the child's resource usage (set by the parent).
	CPU time.Duration `json:"cpu"`
	// Quarters and Reused are the quarters the run went through and
	// those of them it reused unchanged.
	Quarters int `json:"quarters"`
	Reused   int `json:"reused"`
}

// Run measures every size and prints a table per size.
func Run(ctx context.Context, o Options) (err error) {
	if o.Quarters < 1 {
		o.Quarters = 8
	}
	// A trash an interrupted benchmark left is emptied first; this one's
	// once every job is measured.
	o.trash = &trash{dir: filepath.Join(o.Dir, "trash")}
	if err := o.trash.empty(); err != nil {
		return err
	}
	defer func() {
		if terr := o.trash.empty(); err == nil {
			err = terr
		}
	}()
	fmt.Fprintf(o.Out, "doorstroom bench: %d quarters per partner, seed %d, %d CPUs (GOMAXPROCS %d), load %s\n",
		o.Quarters, o.Seed, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	for _, n := range o.Sizes {
		net, err := ensureNetwork(o, n)
		if err != nil {
			return err
		}
		if o.Against != "" {
			if err := compareBuilds(ctx, o, net); err != nil {
				return err
			}
			continue
		}
		if err := clearRunDir(o.trash, net.work, net.work); err != nil {
			return err
		}
		rep, err := runJob(ctx, o, net.config, net.work, "cold", demogen.FormatSize(n))
		if err != nil {
			return err
		}
		var lim *Limit
		if !o.SkipLimit {
			if lim, err = measureLimit(ctx, net, nil, o.trash); err != nil {
				return err
			}
		}
		printHeader(o.Out, net)
		printTable(o.Out, fmt.Sprintf("cold run (%d quarters)", rep.Quarters), net.rows, rep, lim)
		if !o.SkipQuarterly && o.Quarters > 1 {
			if err := quarterlyRun(ctx, o, net); err != nil {
				return err
			}
		}
	}
	return nil
}

// network is a generated network on disk.
type network struct {
	size                        int
	shape                       demogen.Options
	dir, config, work           string
	partners, files, rows, traj int
	bytes                       int64
	generated                   time.Duration // 0 when it came from the cache
}

// ensureNetwork generates the network of n trajectories unless the cache
// holds it already (its demo.json is written last, so its presence means
// a complete network).
func ensureNetwork(o Options, n int) (*network, error) {
	shape := demogen.Shape(n, o.Quarters)
	shape.Seed, shape.Last, shape.Flaws = o.Seed, lastQuarter, true
	name := fmt.Sprintf("net-%s-q%d-seed%d", demogen.FormatSize(n), o.Quarters, o.Seed)
	net := &network{size: n, shape: shape, dir: filepath.Join(o.Dir, name), work: filepath.Join(o.Dir, "run-"+demogen.FormatSize(n)),
		partners: shape.Partners}
	net.config = filepath.Join(net.dir, demogen.ConfigFile)
	stats := filepath.Join(net.dir, "stats.json")
	var st demogen.Stats
	if data, err := os.ReadFile(stats); err == nil && json.Unmarshal(data, &st) == nil {
		net.files, net.rows, net.traj = st.Files, st.Rows, st.Trajectories
		net.bytes = inboxBytes(net.dir)
		return net, demogen.WriteConfig(net.dir, net.work, shape)
	}
	if err := os.RemoveAll(net.dir); err != nil {
		return nil, err
	}
	start := time.Now()
	st, err := demogen.Generate(shape, net.dir)
	if err != nil {
		return nil, err
	}
	net.generated = time.Since(start)
	net.files, net.rows, net.traj = st.Files, st.Rows, st.Trajectories
	net.bytes = inboxBytes(net.dir)
	if err := demogen.WriteConfig(net.dir, net.work, shape); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(st)
	return net, os.WriteFile(stats, data, 0o644)
}

func inboxBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(filepath.Join(dir, "inbox"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// runJob runs the whole job on the network configured in cfg in a fresh
// child process, with work as its folder for the report and the log (each
// named after the run), and returns what it measured, with the child's
// peak memory from its resource usage. A CPU profile, when asked for, is
// cpu-<profile>.prof.
func runJob(ctx context.Context, o Options, cfg, work, name, profile string) (*Report, error) {
	if err := os.MkdirAll(work, 0o750); err != nil {
		return nil, err
	}
	report := filepath.Join(work, "report-"+name+".json")
	args := []string{"bench", "--job", cfg, "--report", report}
	if o.CPUProfile != "" && profile != "" {
		args = append(args, "--cpuprofile", filepath.Join(o.CPUProfile, "cpu-"+profile+".prof"))
	}
	logf, err := os.Create(filepath.Join(work, name+".log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, o.Exe, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: the %s run in %s failed (%w); see %s", name, work, err, logf.Name())
	}
	data, err := os.ReadFile(report)
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("bench: %s: %w", report, err)
	}
	// The probe resets the kernel's high-water mark at every step, which
	// resets the child's maxrss too: the job's peak is the highest of the
	// steps' peaks and what the resource usage kept.
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rep.PeakRSS = ru.Maxrss * 1024 // kilobytes on Linux
		rep.CPU = cputime.Of(ru)
	}
	for _, s := range rep.Steps {
		rep.PeakRSS = max(rep.PeakRSS, s.PeakRSS)
	}
	return &rep, nil
}

// step is what the job measured of one probe step (the probe adds up a
// step's calls under its name); zero for a step the job did not make.
func (r *Report) step(name string) probe.Result {
	for _, s := range r.Steps {
		if s.Name == name {
			return s
		}
	}
	return probe.Result{}
}

// pause waits d, or until ctx is done.
func pause(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// loadAverage is the 1, 5 and 15 minute load of the machine, as uptime
// shows it; the machine may be shared.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	var a, b, c string
	fmt.Sscan(string(data), &a, &b, &c)
	return a + " " + b + " " + c
}
