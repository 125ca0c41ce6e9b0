package anonymize

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// Options configure one release.
type Options struct {
	// Format is the programme's export format; its roles and publish
	// entries decide what is released and how.
	Format *config.Format
	// Hierarchies are the generalisation hierarchies by name; the partner
	// hierarchy is named "partner".
	Hierarchies map[string]Hierarchy
	Quarter     period.Quarter
	// ReleaseID identifies the release; it salts the pseudonyms.
	ReleaseID string
	Key       config.Key
	// K and Suppression are the privacy model: every published record
	// shares its quasi-identifiers with at least K-1 others, and at most
	// Suppression (a share) of the records is suppressed to get there.
	K           int
	Suppression float64
	Mem         memory.Allocator
}

// Release is the output of Anonymize. Free releases its Arrow memory.
type Release struct {
	ID        string
	Quarter   period.Quarter
	Register  []arrow.Record
	Microdata []arrow.Record
	Risk      *RiskReport
}

// Free releases the Arrow records of the release.
func (r *Release) Free() {
	for _, rec := range append(r.Register, r.Microdata...) {
		rec.Release()
	}
	r.Register, r.Microdata = nil, nil
}

// Rows counts the records of the release.
func (r *Release) Rows() int {
	n := 0
	for _, rec := range r.Microdata {
		n += int(rec.NumRows())
	}
	return n
}

// qi is a quasi-identifier of the release: where its input is and how it
// is derived and generalised.
type qi struct {
	name   string // published name
	input  int    // field index in the ingest schema
	derive deriver
	hier   Hierarchy
}

// Anonymize makes a quarter's release from the accepted rows of every
// partner (records in ingest.Schema of opts.Format).
func Anonymize(ctx context.Context, recs []arrow.Record, opts Options) (*Release, error) {
	f := opts.Format
	in := ingest.Schema(f)
	for _, r := range recs {
		if !r.Schema().Equal(in) {
			return nil, fmt.Errorf("anonymize: input batch does not have the ingest schema of %s v%d", f.Programme, f.Version)
		}
	}
	if opts.K < 2 {
		return nil, fmt.Errorf("anonymize: k must be at least 2")
	}
	qis, err := quasiIdentifiers(f, in, opts)
	if err != nil {
		return nil, err
	}
	rows := 0
	for _, r := range recs {
		rows += int(r.NumRows())
	}

	// Pass 1: the quasi-identifier values of every row, dictionary-encoded.
	t := &qiTable{rows: rows}
	for _, q := range qis {
		t.cols = append(t.cols, newQIColumn(q.name, q.hier, rows))
	}
	for _, r := range recs {
		for i := range int(r.NumRows()) {
			for j, q := range qis {
				t.cols[j].add(q.derive(r.Column(q.input), i))
			}
		}
	}
	for _, c := range t.cols {
		c.prepare()
	}

	// The search, then which rows are suppressed at the chosen node.
	maxSupp := int(math.Floor(opts.Suppression * float64(rows)))
	res, err := search(ctx, t, opts.K, maxSupp)
	if err != nil {
		return nil, err
	}
	keys, counts, err := t.classKeys(res.levels, nil)
	if err != nil {
		return nil, err
	}
	suppressed := make([]bool, rows)
	for i, key := range keys {
		suppressed[i] = !res.feasible || int(counts[key]) < opts.K
	}

	rel := &Release{ID: opts.ReleaseID, Quarter: opts.Quarter}
	rel.Risk = riskReport(t, res, counts, opts)

	// Pass 2: the register and the microdata, batch by batch.
	b := newBuilders(f, opts, t, res.levels, suppressed)
	offset := 0
	for _, r := range recs {
		reg, mic := b.build(r, offset)
		rel.Register = append(rel.Register, reg)
		rel.Microdata = append(rel.Microdata, mic)
		offset += int(r.NumRows())
	}
	return rel, nil
}

// quasiIdentifiers lists the release's quasi-identifiers: the partner,
// then every format column with role quasi_identifier, in format order.
func quasiIdentifiers(f *config.Format, in *arrow.Schema, opts Options) ([]qi, error) {
	ph, ok := opts.Hierarchies["partner"]
	if !ok {
		return nil, fmt.Errorf("anonymize: no hierarchy named partner")
	}
	out := []qi{{name: PartnerField, input: 0, hier: ph, derive: func(a arrow.Array, i int) string {
		return a.(*array.String).Value(i)
	}}}
	for i, c := range f.Columns {
		if c.Role != config.RoleQuasiIdentifier {
			continue
		}
		if c.Publish == nil || c.Publish.Hierarchy == "" {
			return nil, fmt.Errorf("anonymize: quasi-identifier %s needs publish.hierarchy", c.Name)
		}
		h, ok := opts.Hierarchies[c.Publish.Hierarchy]
		if !ok {
			return nil, fmt.Errorf("anonymize: column %s: no hierarchy named %s", c.Name, c.Publish.Hierarchy)
		}
		d, err := newDeriver(c, opts.Quarter)
		if err != nil {
			return nil, fmt.Errorf("anonymize: %w", err)
		}
		out = append(out, qi{name: c.Publish.Name, input: i + 1, derive: d, hier: h})
	}
	return out, nil
}

func riskReport(t *qiTable, res searchResult, after map[uint64]int32, opts Options) *RiskReport {
	zero := make(node, len(t.cols))
	_, before, _ := t.classKeys(zero, nil)
	rep := &RiskReport{
		Release: opts.ReleaseID, Quarter: opts.Quarter.String(), K: opts.K,
		SuppressionLimit: opts.Suppression, Suppressed: res.suppressed,
		NodesChecked: res.nodesChecked, Feasible: res.feasible,
	}
	for q, c := range t.cols {
		rep.QuasiIdentifiers = append(rep.QuasiIdentifiers, c.name)
		rep.Levels = append(rep.Levels, LevelChoice{Attribute: c.name, Level: res.levels[q], Height: c.hier.Height()})
	}
	rep.Before = measure(before, opts.K, func(int32) bool { return false })
	rep.After = measure(after, opts.K, func(size int32) bool { return !res.feasible || int(size) < opts.K })
	return rep
}
