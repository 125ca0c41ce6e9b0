package bench

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// A measured run is one job and DuckDB's read and write of the same
// files, measured right after it. The machine a benchmark runs on may
// be shared and its speed drifts (by ±20 % on the one docs/performance.md
// was measured on), so the quarterly run is repeated, each time paired
// with its own DuckDB measurement, and the pair with the median ratio is
// shown: one slow moment on either side no longer decides the ratio.
type measured struct {
	rep *Report
	lim *Limit
}

// ingestThroughSnapshot is the time of the steps from reading the files
// to publishing the snapshots.
func ingestThroughSnapshot(rep *Report) (elapsed, cpu time.Duration) {
	for _, name := range ingestToSnapshot {
		s := rep.step(name)
		elapsed += s.Elapsed
		cpu += s.CPU
	}
	return elapsed, cpu
}

// ratio is a run's ingest through snapshot over DuckDB's read and write;
// without a DuckDB measurement, the seconds themselves.
func (m measured) ratio() float64 {
	its, _ := ingestThroughSnapshot(m.rep)
	if m.lim == nil || m.lim.Elapsed <= 0 {
		return its.Seconds()
	}
	return its.Seconds() / m.lim.Elapsed.Seconds()
}

// medianRun is the run whose ratio is the median (of an even number, the
// lower of the two middle ones).
func medianRun(runs []measured) measured {
	sorted := append([]measured(nil), runs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ratio() < sorted[j].ratio() })
	return sorted[(len(sorted)-1)/2]
}

// printRepeats is the line under a repeated run's table: every run's
// ingest through snapshot, DuckDB's time after it, and their ratio.
func printRepeats(w io.Writer, runs []measured) {
	var its, lims, ratios []string
	for _, m := range runs {
		t, _ := ingestThroughSnapshot(m.rep)
		its = append(its, fmt.Sprintf("%.2f", t.Seconds()))
		if m.lim != nil {
			lims = append(lims, fmt.Sprintf("%.2f", m.lim.Elapsed.Seconds()))
			ratios = append(ratios, fmt.Sprintf("%.2f×", m.ratio()))
		}
	}
	if len(lims) == 0 {
		fmt.Fprintf(w, "%d runs, ingest through snapshot %s s; the table is the median run\n", len(runs), strings.Join(its, " / "))
		return
	}
	fmt.Fprintf(w, "%d runs, each followed by DuckDB's: ingest through snapshot %s s against %s s = %s; the table is the median run\n",
		len(runs), strings.Join(its, " / "), strings.Join(lims, " / "), strings.Join(ratios, " / "))
}

// flushWrites has the kernel write out every file written so far before
// a run is timed, so that no run shares the disk and a core with the
// write-back of the state's copy (some 500 MB at 1M trajectories). The
// first of the three runs, right after the earlier quarters' run and
// the copy, was the slowest in three of five benchmarks without it.
func flushWrites() { syscall.Sync() }

// copyTree copies the folder src to dst, which must not exist, so that a
// run can start again from the state src holds. Files are copied, not
// linked: the pipeline overwrites some of its outputs in place (the
// site's pages), which must not reach the saved state.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		default:
			return fmt.Errorf("bench: %s is neither a folder nor a file; the run's state cannot be copied", path)
		}
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
