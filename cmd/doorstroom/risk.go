package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"doorstroom/anonymize"
	"doorstroom/internal/period"
	"doorstroom/internal/pipeline"
)

func init() {
	register(command{name: "risk", summary: "print a release's risk report, or anonymise any CSV file and report (ARX-layout hierarchies)", run: cmdRisk})
}

// riskOptions are the options of doorstroom risk.
type riskOptions struct {
	// A release's report.
	Config    string
	Programme string
	Quarter   string
	Snapshot  string

	// Analysis of a CSV file.
	Data            string
	Hierarchies     string
	HierarchyPrefix string
	QI              string
	Sensitive       string
	Diversity       string
	Weights         string
	Levels          string
	Separator       string
	Privacy         anonymize.Privacy
}

func cmdRisk(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o riskOptions
	fs := newFlags("risk", "risk [--config FILE [--programme P]] [--quarter YYYYQn | --snapshot DIR]\n"+
		"       doorstroom risk --data FILE --hierarchies DIR [--qi a,b,...] [--k 5] [--suppression 0.05] [--metric loss] ...", stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration file, to find a quarter's snapshot (default: the built-in defaults)")
	fs.StringVar(&o.Programme, "programme", "", "in a network of several programmes, the one whose release to report (default: the first)")
	fs.StringVar(&o.Quarter, "quarter", "", "the release's quarter, e.g. 2026Q3 (default: the configured one, else the latest snapshot)")
	fs.StringVar(&o.Snapshot, "snapshot", "", "a snapshot folder (out/snapshots/quarter=2026Q3) whose risk.json to print")
	fs.StringVar(&o.Data, "data", "", "a CSV file (; or , separated, header row) to anonymise and report on")
	fs.StringVar(&o.Hierarchies, "hierarchies", "", "folder of ARX-layout hierarchy files <prefix><attribute>.csv (with --data)")
	fs.StringVar(&o.HierarchyPrefix, "hierarchy-prefix", "", "hierarchy file name prefix (default: the data file's name and _hierarchy_, as ARX names them)")
	fs.StringVar(&o.QI, "qi", "", "comma-separated quasi-identifiers (default: every column with a hierarchy file)")
	fs.StringVar(&o.Sensitive, "sensitive", "", "comma-separated sensitive attributes (reported; see --l-diversity)")
	fs.StringVar(&o.Diversity, "l-diversity", "", "l-diversity rules, e.g. occupation=entropy:5,salary=distinct:2")
	fs.StringVar(&o.Weights, "weights", "", "attribute weights in the loss, precision and entropy metrics, e.g. age=1,sex=0.5 (default 1 each; relative)")
	fs.StringVar(&o.Privacy.Aggregate, "aggregate", "", "how per-attribute losses combine: "+strings.Join(anonymize.Aggregates, ", ")+" (default: ARX's for the metric)")
	fs.StringVar(&o.Levels, "levels", "", "allowed generalisation levels, attribute=min:max, e.g. age=1:3,zip=:2 (a missing bound: 0 or the top)")
	fs.StringVar(&o.Separator, "sep", "", "field separator ; or , (default: detected from the header)")
	fs.IntVar(&o.Privacy.K, "k", 5, "k of k-anonymity")
	fs.Float64Var(&o.Privacy.Suppression, "suppression", 0.05, "largest share of records that may be suppressed")
	fs.StringVar(&o.Privacy.Metric, "metric", anonymize.MetricLoss, "information-loss metric to minimise: "+strings.Join(anonymize.Metrics, ", "))
	fs.Float64Var(&o.Privacy.GSFactor, "gs-factor", anonymize.DefaultGSFactor, "ARX's weighting of generalisation against suppression, 0..1")
	fs.BoolVar(&o.Privacy.ARXSuppression, "arx", false, "treat suppressed records as removed, as ARX does, instead of requiring them to form a k-anonymous class")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if o.Data == "" {
		if o.Hierarchies != "" || o.QI != "" || o.Sensitive != "" || o.Diversity != "" || o.Weights != "" || o.Levels != "" || o.Privacy.Aggregate != "" {
			return usageError{"--hierarchies, --qi, --sensitive, --l-diversity, --weights, --levels and --aggregate go with --data"}
		}
		if o.Snapshot != "" && o.Quarter != "" {
			return usageError{"give --snapshot or --quarter, not both"}
		}
		return runRiskReport(o, stdout)
	}
	if o.Snapshot != "" || o.Quarter != "" {
		return usageError{"--data analyses a file; --snapshot and --quarter print a release's report"}
	}
	if o.Hierarchies == "" {
		return usageError{"--data needs --hierarchies DIR"}
	}
	if o.Separator != "" && o.Separator != ";" && o.Separator != "," {
		return usageError{fmt.Sprintf("--sep %q: use ; or ,", o.Separator)}
	}
	rules, err := parseDiversity(o.Diversity)
	if err != nil {
		return usageError{"--l-diversity: " + err.Error()}
	}
	o.Privacy.Diversity = rules
	if o.Privacy.Weights, err = parseWeights(o.Weights); err != nil {
		return usageError{"--weights: " + err.Error()}
	}
	if o.Privacy.MinLevels, o.Privacy.MaxLevels, err = parseLevels(o.Levels); err != nil {
		return usageError{"--levels: " + err.Error()}
	}
	return runRiskAnalysis(ctx, o, stdout, stderr)
}

// runRiskReport prints the risk report of a published release.
func runRiskReport(o riskOptions, stdout io.Writer) error {
	dir := o.Snapshot
	if dir == "" {
		cfg, err := loadProgramme(o.Config, o.Programme)
		if err != nil {
			return err
		}
		quarter := o.Quarter
		if quarter == "" {
			quarter = cfg.Quarter
		}
		if quarter == "" {
			if quarter, err = latestSnapshot(cfg.Paths.Out); err != nil {
				return err
			}
		}
		q, err := period.Parse(quarter)
		if err != nil {
			return usageError{"--quarter: " + err.Error()}
		}
		dir = pipeline.SnapshotDir(cfg.Paths.Out, q)
	}
	data, err := os.ReadFile(filepath.Join(dir, "risk.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s has no risk report: run doorstroom run first, or check the quarter", dir)
	}
	if err != nil {
		return err
	}
	var rep anonymize.RiskReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "risk.json"), err)
	}
	return writeJSON(stdout, rep)
}

// latestSnapshot finds the latest quarter with a snapshot under out.
func latestSnapshot(out string) (string, error) {
	dirs, _ := filepath.Glob(filepath.Join(out, "snapshots", "quarter=*"))
	var qs []string
	for _, d := range dirs {
		q := strings.TrimPrefix(filepath.Base(d), "quarter=")
		if _, err := period.Parse(q); err == nil {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return "", fmt.Errorf("no snapshot in %s: run doorstroom run first", filepath.Join(out, "snapshots"))
	}
	sort.Strings(qs)
	return qs[len(qs)-1], nil
}

// runRiskAnalysis anonymises a CSV file and prints the report; the time
// the search took goes to stderr, so stdout stays the same on every run.
func runRiskAnalysis(ctx context.Context, o riskOptions, stdout, stderr io.Writer) error {
	prefix := o.HierarchyPrefix
	if prefix == "" {
		prefix = strings.TrimSuffix(filepath.Base(o.Data), filepath.Ext(o.Data)) + "_hierarchy_"
	}
	qis, sens := splitList(o.QI), splitList(o.Sensitive)
	for _, r := range o.Privacy.Diversity {
		if !slices.Contains(sens, r.Attribute) {
			sens = append(sens, r.Attribute)
		}
	}
	hiers, err := anonymize.LoadARXHierarchies(o.Hierarchies, prefix, qis)
	if err != nil {
		return err
	}
	f, err := os.Open(o.Data)
	if err != nil {
		return err
	}
	defer f.Close()
	var sep rune
	if o.Separator != "" {
		sep = rune(o.Separator[0])
	}
	t, err := anonymize.ReadCSV(f, o.Data, anonymize.CSVSpec{QuasiIdentifiers: qis, Hierarchies: hiers, Sensitive: sens, Separator: sep})
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := anonymize.Analyze(ctx, t, o.Privacy)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := writeJSON(stdout, res.Report); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "risk: %d records, %d lattice nodes, %d checked, %.3f s\n",
		t.Rows(), res.Report.Search.Nodes, res.Report.Search.Checked, elapsed.Seconds())
	for _, n := range res.Report.Notes {
		fmt.Fprintf(stderr, "risk: %s\n", n)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseDiversity reads rules like occupation=entropy:5,salary=distinct:2.
func parseDiversity(s string) ([]anonymize.DiversityRule, error) {
	var out []anonymize.DiversityRule
	for _, item := range splitList(s) {
		attr, spec, ok := strings.Cut(item, "=")
		measure, l, ok2 := strings.Cut(spec, ":")
		if !ok || !ok2 {
			return nil, fmt.Errorf("%q: write attribute=measure:l, e.g. occupation=entropy:5", item)
		}
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			return nil, fmt.Errorf("%q: l %q is not a number", item, l)
		}
		out = append(out, anonymize.DiversityRule{Attribute: strings.TrimSpace(attr), Measure: strings.TrimSpace(measure), L: v})
	}
	return out, nil
}

// parseWeights reads weights like age=2,sex=0.5.
func parseWeights(s string) (map[string]float64, error) {
	var out map[string]float64
	for _, item := range splitList(s) {
		attr, w, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("%q: write attribute=weight, e.g. age=2", item)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
		if err != nil {
			return nil, fmt.Errorf("%q: weight %q is not a number", item, w)
		}
		if out == nil {
			out = map[string]float64{}
		}
		out[strings.TrimSpace(attr)] = v
	}
	return out, nil
}

// parseLevels reads level limits like age=1:3,zip=:2,sex=1: into minimum
// and maximum levels.
func parseLevels(s string) (lo, hi map[string]int, err error) {
	for _, item := range splitList(s) {
		attr, spec, ok := strings.Cut(item, "=")
		min, max, ok2 := strings.Cut(spec, ":")
		if !ok || !ok2 {
			return nil, nil, fmt.Errorf("%q: write attribute=min:max, e.g. age=1:3 or zip=:2", item)
		}
		attr = strings.TrimSpace(attr)
		for _, b := range []struct {
			text string
			into *map[string]int
		}{{min, &lo}, {max, &hi}} {
			if b.text = strings.TrimSpace(b.text); b.text == "" {
				continue
			}
			v, err := strconv.Atoi(b.text)
			if err != nil {
				return nil, nil, fmt.Errorf("%q: level %q is not a whole number", item, b.text)
			}
			if *b.into == nil {
				*b.into = map[string]int{}
			}
			(*b.into)[attr] = v
		}
	}
	return lo, hi, nil
}
