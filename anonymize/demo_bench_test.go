package anonymize

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/cputime"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
	"doorstroom/internal/probe"
)

// demoQuarters is how many quarters the generated networks span, as in
// doorstroom bench: a register that has grown over two years holds
// longer trajectories and more intake and outflow months than a first
// quarter's, and its release costs the search more.
const demoQuarters = 8

// demoRelease reads the last quarter of a generated network of about n
// trajectories, in the canonical dialect: the input of one release at
// the scale of the benchmark (doorstroom bench), with the atn format's
// hierarchies and privacy model.
func demoRelease(b *testing.B, n int) ([]arrow.Record, Options) {
	b.Helper()
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	shape := demogen.Shape(n, demoQuarters)
	shape.Last, shape.Seed, shape.Canonical = period.Quarter{Year: 2026, Q: 3}, 1, true
	cfg.Partners = nil
	for _, p := range demogen.Partners(shape.Partners) {
		cfg.Partners = append(cfg.Partners, config.Partner{Code: p.Code, Region: p.Region})
	}
	dir := b.TempDir()
	if _, err := demogen.Generate(shape, dir); err != nil {
		b.Fatal(err)
	}
	prog, err := cfg.Programme("atn")
	if err != nil {
		b.Fatal(err)
	}
	countries, err := cfg.Countries()
	if err != nil {
		b.Fatal(err)
	}
	hiers, err := LoadHierarchies(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var recs []arrow.Record
	for _, p := range cfg.Partners {
		data, err := os.ReadFile(filepath.Join(dir, "inbox", p.Code, shape.Last.String()+".csv"))
		if err != nil {
			b.Fatal(err)
		}
		s, err := ingest.ReadBytes(context.Background(), data, p.Code, ingest.Options{Format: prog.Format,
			Labels: prog.LabelsFor(p), Countries: countries, Partner: p.Code, Quarter: shape.Last})
		if err != nil || s.Status != ingest.Accepted {
			b.Fatalf("%s: %v %v", p.Code, err, s.Issues)
		}
		recs = append(recs, s.Records...)
	}
	b.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	key, err := config.KeySpec{Demo: "a-benchmark-key-that-is-at-least-32-bytes"}.LoadKey()
	if err != nil {
		b.Fatal(err)
	}
	p := Privacy{K: 5, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor}.ForFormat(prog.Format)
	return recs, Options{Format: prog.Format, Hierarchies: hiers, Quarter: shape.Last, ReleaseID: "bench",
		Key: key, Privacy: p, Mem: memory.DefaultAllocator}
}

// BenchmarkAnonymizeDemo makes one release of a generated network, the
// pipeline's anonymize stage: encoding, the optimal search, and building
// the register and the microdata with their pseudonyms. cpu-s/op is its
// CPU time on all cores, steadier than the wall time on a shared machine;
// search-s/op is the time of the step doorstroom bench calls the
// anonymisation search (encoding and the search, without the apply).
func BenchmarkAnonymizeDemo(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(demogen.FormatSize(n), func(b *testing.B) {
			recs, opts := demoRelease(b, n)
			rows := 0
			var rel *Release
			var cpu, search time.Duration
			for b.Loop() {
				var err error
				before := cputime.Process()
				opts.Probe = probe.New(false)
				if rel, err = Anonymize(context.Background(), recs, opts); err != nil {
					b.Fatal(err)
				}
				cpu += cputime.Process() - before
				for _, r := range opts.Probe.Results() {
					if r.Name == probe.Search {
						search += r.Elapsed
					}
				}
				rows += rel.Rows()
				b.StopTimer()
				rel.Free()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(rel.Risk.Search.Checked), "checked")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(search.Seconds()/float64(b.N), "search-s/op")
		})
	}
}

// BenchmarkGeneraliseAndCount counts the equivalence classes of a
// generated release at a middle node of its lattice, from the rows' distinct
// tuples: the step the search repeats for every node it checks.
func BenchmarkGeneraliseAndCount(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(demogen.FormatSize(n), func(b *testing.B) {
			recs, opts := demoRelease(b, n)
			t := releaseTable(b, recs, opts)
			g := newGrouper(t, nil)
			levels := make([]int, len(t.qis))
			for q, c := range t.qis {
				levels[q] = c.hier.Height() / 2
			}
			mapping := make([]int32, g.bottom.len())
			var cls *classTable
			for b.Loop() {
				cls = g.rollUp(g.bottom, levels, mapping, int(^uint(0)>>1))
			}
			b.ReportMetric(float64(g.bottom.len())*float64(b.N)/b.Elapsed().Seconds(), "tuples/s")
			b.ReportMetric(float64(cls.len()), "classes")
		})
	}
}

// releaseTable encodes the quasi-identifiers and sensitive values of a
// release's input the way Anonymize does, ready for the grouper.
func releaseTable(b *testing.B, recs []arrow.Record, opts Options) *Table {
	b.Helper()
	qis, err := quasiIdentifiers(opts.Format, opts)
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, len(qis))
	hiers := make([]Hierarchy, len(qis))
	for i, q := range qis {
		names[i], hiers[i] = q.name, q.hier
	}
	t := NewTable(names, hiers, nil)
	for _, r := range recs {
		for i := range int(r.NumRows()) {
			for j, q := range qis {
				t.qis[j].add(q.derive(r.Column(q.input), i))
			}
			t.rows++
		}
	}
	if err := t.prepare(); err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkPseudonym computes keyed pseudonyms (HMAC-SHA-256), one per
// record of every release.
func BenchmarkPseudonym(b *testing.B) {
	key, err := config.KeySpec{Demo: "a-benchmark-key-that-is-at-least-32-bytes"}.LoadKey()
	if err != nil {
		b.Fatal(err)
	}
	p := NewPseudonymizer(key, "2026Q3-0123456789abcdef")
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = fmt.Sprintf("ANT-2025-%05d", i)
	}
	i := 0
	for b.Loop() {
		_ = p.Pseudonym("antwerpen", ids[i%len(ids)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pseudonyms/s")
}
