package anonymize

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/internal/period"
	"doorstroom/internal/probe"
)

// Options configure one release.
type Options struct {
	// Format is the programme's export format; its roles and publish
	// entries decide what is released and how, and its publish.diversity
	// entries give the l-diversity rules.
	Format *config.Format
	// Hierarchies are the generalisation hierarchies by name; the partner
	// hierarchy is named "partner".
	Hierarchies map[string]Hierarchy
	Quarter     period.Quarter
	// ReleaseID identifies the release; it salts the pseudonyms.
	ReleaseID string
	Key       config.Key
	// Privacy is the privacy model (k, suppression, metric); its
	// diversity rules, weights, level limits and aggregate function are
	// taken from the format (Privacy.ForFormat).
	Privacy Privacy
	Mem     memory.Allocator
	// Probe, when set, measures the search, the building of the release
	// and the pseudonymisation (doorstroom bench); nil in ordinary runs.
	Probe *probe.Probe
}

// Release is the output of Anonymize: the published records and their
// risk report (the register is made apart: Register). Free releases its
// Arrow memory.
type Release struct {
	ID      string
	Quarter period.Quarter
	// Microdata holds the published records in MicrodataOrder.
	Microdata []arrow.Record
	Risk      *RiskReport
	// records is the number of records, kept for Rows after Free.
	records int
}

// Free releases the Arrow records of the release.
func (r *Release) Free() {
	for _, rec := range r.Microdata {
		rec.Release()
	}
	r.Microdata = nil
}

// Rows is the number of records of the release, also once it is freed.
func (r *Release) Rows() int { return r.records }

// qi is a quasi-identifier of the release: where its input is and how it
// is derived and generalised.
type qi struct {
	name   string // published name
	input  int    // field index in the ingest schema
	derive deriver
	hier   Hierarchy
	// hierName is the hierarchy's name in the configuration.
	hierName string
}

// Anonymize makes a quarter's release from the accepted rows of every
// partner (records in ingest.Schema of opts.Format): the search for the
// generalisation, then the microdata.
func Anonymize(ctx context.Context, recs []arrow.Record, opts Options) (*Release, error) {
	f := opts.Format
	if err := checkInput(f, recs); err != nil {
		return nil, err
	}
	qis, err := quasiIdentifiers(f, opts)
	if err != nil {
		return nil, err
	}
	sens := sensitiveColumns(f)

	// Pass 1: the quasi-identifier and sensitive values of every row,
	// dictionary-encoded.
	names := make([]string, len(qis))
	hiers := make([]Hierarchy, len(qis))
	for i, q := range qis {
		names[i], hiers[i] = q.name, q.hier
	}
	sensNames := make([]string, len(sens))
	for i, s := range sens {
		sensNames[i] = f.Columns[s-1].Publish.Name
	}
	t := NewTable(names, hiers, sensNames)
	var res *Result
	err = opts.Probe.Step(probe.Search, func() error {
		n := 0
		for _, r := range recs {
			n += int(r.NumRows())
		}
		t.grow(n)
		// A column at a time: one dictionary in the caches, and the
		// codes numbered in order of first appearance all the same.
		memos := make([]map[int32]int32, len(qis))
		for j := range memos {
			memos[j] = map[int32]int32{}
		}
		for _, r := range recs {
			rows := int(r.NumRows())
			for j, q := range qis {
				t.qis[j].addDerived(r.Column(q.input), q.derive, memos[j])
			}
			for j, s := range sens {
				col, c := r.Column(s), t.sens[j]
				for i := range rows {
					c.add(valueString(col, i))
				}
			}
			t.rows += rows
		}
		opts.Probe.Count(probe.Search, t.rows)
		var err error
		res, err = Analyze(ctx, t, opts.Privacy.ForFormat(f))
		return err
	})
	if err != nil {
		return nil, err
	}
	rel := &Release{ID: opts.ReleaseID, Quarter: opts.Quarter, Risk: res.Report}
	rel.Risk.Release, rel.Risk.Quarter = opts.ReleaseID, opts.Quarter.String()

	// Pass 2: the microdata in the order it is published.
	opts.Probe.Step(probe.Apply, func() error {
		b := newBuilders(f, opts, t, qis, res)
		rel.Microdata = b.microdata(recs)
		rel.records = t.rows
		opts.Probe.Count(probe.Apply, t.rows)
		return nil
	})
	return rel, nil
}

// quasiIdentifiers lists the release's quasi-identifiers: the partner,
// then every format column with role quasi_identifier, in format order.
func quasiIdentifiers(f *config.Format, opts Options) ([]qi, error) {
	ph, ok := opts.Hierarchies["partner"]
	if !ok {
		return nil, fmt.Errorf("anonymize: no hierarchy named partner")
	}
	out := []qi{{name: PartnerField, input: 0, hier: ph, hierName: "partner", derive: func(a arrow.Array, i int) string {
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
		out = append(out, qi{name: c.Publish.Name, input: i + 1, derive: d, hier: h, hierName: c.Publish.Hierarchy})
	}
	return out, nil
}

// sensitiveColumns lists the ingest field indexes of the published
// sensitive columns.
func sensitiveColumns(f *config.Format) []int {
	var out []int
	for i, c := range f.Columns {
		if c.Role == config.RoleSensitive && c.Publish != nil {
			out = append(out, i+1)
		}
	}
	return out
}

// DiversityRules are the l-diversity rules a format asks for, by
// published column name.
func DiversityRules(f *config.Format) []DiversityRule {
	var out []DiversityRule
	for _, c := range f.Columns {
		if c.Role == config.RoleSensitive && c.Publish != nil && c.Publish.Diversity != nil {
			d := c.Publish.Diversity
			out = append(out, DiversityRule{Attribute: c.Publish.Name, Measure: d.Measure, L: d.L})
		}
	}
	return out
}

// ForFormat returns the privacy model with what the format says about its
// release: the l-diversity rules of its sensitive columns, the weight and
// levels of each quasi-identifier (publish.weight, publish.levels; the
// partner's in release.partner) and the aggregate function
// (release.aggregate). Whatever the format leaves out keeps the defaults:
// weight 1, every level, ARX's aggregate function for the metric.
func (p Privacy) ForFormat(f *config.Format) Privacy {
	p.Diversity = DiversityRules(f)
	p.Weights, p.MinLevels, p.MaxLevels, p.Aggregate = nil, nil, nil, ""
	set := func(name string, g config.Generalisation) {
		if g.Weight != nil {
			if p.Weights == nil {
				p.Weights = map[string]float64{}
			}
			p.Weights[name] = *g.Weight
		}
		if l := g.Levels; l != nil && l.Min != nil {
			if p.MinLevels == nil {
				p.MinLevels = map[string]int{}
			}
			p.MinLevels[name] = *l.Min
		}
		if l := g.Levels; l != nil && l.Max != nil {
			if p.MaxLevels == nil {
				p.MaxLevels = map[string]int{}
			}
			p.MaxLevels[name] = *l.Max
		}
	}
	if r := f.Release; r != nil {
		p.Aggregate = r.Aggregate
		if r.Partner != nil {
			set(PartnerField, *r.Partner)
		}
	}
	for _, c := range f.Columns {
		if c.Role == config.RoleQuasiIdentifier && c.Publish != nil {
			set(c.Publish.Name, c.Publish.Generalisation)
		}
	}
	return p
}

// valueString is a value as text, "" when null.
func valueString(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	return a.ValueStr(i)
}
