package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"doorstroom/internal/demogen"
	"doorstroom/internal/probe"
)

// rowsOf are the benchmark's table rows: a label and the probe steps
// whose time they add up. Each step's time is its own (probe), so the
// rows add up to the job; "other" is what no step covers (configuration,
// inbox scan, the warehouse opening and closing).
var tableRows = []struct{ label, step, unit string }{
	{"read+validate", probe.ReadValidate, "rows"},
	{"ingest: answers, archive, inbox tables", "ingest", ""},
	{"pseudonymise", probe.Pseudonymise, "rows"},
	{"anonymisation search", probe.Search, "rows"},
	{"apply", probe.Apply, "rows"},
	{"load", "warehouse", "rows"},
	{"snapshot", "snapshots", "rows"},
	{"metrics", "metrics", "values"},
	{"dashboards", "dashboards", "pages"},
}

// ingestToSnapshot are the steps from reading the files to publishing the
// snapshots: everything but the metrics and the dashboards.
var ingestToSnapshot = []string{probe.ReadValidate, "ingest", probe.Pseudonymise, probe.Search, probe.Apply, "warehouse", "snapshots"}

// printHeader is the line that introduces a network's tables.
func printHeader(w io.Writer, net *network) {
	gen := "cached"
	if net.generated > 0 {
		gen = fmt.Sprintf("generated in %.1f s", net.generated.Seconds())
	}
	fmt.Fprintf(w, "\n%s trajectories (%d): %d partners, %d files, %d rows, %.0f MiB (%s), load %s\n",
		demogen.FormatSize(net.size), net.traj, net.partners, net.files, net.rows, float64(net.bytes)/(1<<20), gen, loadAverage())
}

// printTable prints one run of a network under its title: per stage the
// rows, seconds, CPU seconds (over seconds: the cores the stage kept
// busy), rows per second and peak memory, the whole job (rows is
// what the run read), ingest through snapshot, and DuckDB's read and
// write of the same files when lim is set.
func printTable(w io.Writer, title string, rows int, rep *Report, lim *Limit) {
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\trows\tseconds\tcpu s\trows/s\tpeak RSS MiB\t")
	var covered, coveredCPU time.Duration
	for _, r := range tableRows {
		s := rep.step(r.step)
		covered += s.Elapsed
		coveredCPU += s.CPU
		rows, rate := "", ""
		if r.unit != "" {
			rows = fmt.Sprintf("%d %s", s.Rows, r.unit)
			rate = perSecond(s.Rows, s.Elapsed)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\t%s\t\n", r.label, rows, s.Elapsed.Seconds(), cpuSeconds(s.CPU), rate, mib(s.PeakRSS))
	}
	fmt.Fprintf(tw, "other\t\t%.2f\t%s\t\t\t\n", (rep.Elapsed - covered).Seconds(), cpuSeconds(rep.CPU-coveredCPU))
	fmt.Fprintf(tw, "whole job\t%d rows\t%.2f\t%s\t%s\t%s\t\n", rows, rep.Elapsed.Seconds(), cpuSeconds(rep.CPU), perSecond(rows, rep.Elapsed), mib(rep.PeakRSS))
	its, itsCPU := ingestThroughSnapshot(rep)
	fmt.Fprintf(tw, "ingest through snapshot\t%d rows\t%.2f\t%s\t%s\t\t\n", rows, its.Seconds(), cpuSeconds(itsCPU), perSecond(rows, its))
	if lim != nil {
		fmt.Fprintf(tw, "duckdb read_csv + COPY parquet\t%d rows\t%.2f\t%s\t%s\t\t\n", lim.Rows, lim.Elapsed.Seconds(), cpuSeconds(lim.CPU), perSecond(lim.Rows, lim.Elapsed))
	}
	tw.Flush()
	if lim != nil && lim.Elapsed > 0 {
		fmt.Fprintf(w, "ingest through snapshot / duckdb read+write = %.2f×\n", measured{rep, lim}.ratio())
	}
}

func perSecond(n int, d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f", float64(n)/d.Seconds())
}

// cpuSeconds is a CPU time in seconds, empty when not measured (a report
// from before the probe measured it, or a platform without it).
func cpuSeconds(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", d.Seconds())
}

func mib(b int64) string {
	if b <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f", float64(b)/(1<<20))
}
