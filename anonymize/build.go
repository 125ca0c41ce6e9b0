package anonymize

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
)

// builders turns the ingest batches into the register, a batch for each
// (register), and the microdata, in the order it is published
// (microdata.go). The register shares the columns it keeps with the
// input; the microdata is built anew, row by row in its order.
type builders struct {
	f         *config.Format
	opts      Options
	t         *Table
	res       *Result
	mem       memory.Allocator
	pseudo    *Pseudonymizer
	regSchema *arrow.Schema
	micSchema *arrow.Schema
	keyInput  int
	classOf   []classColumn
	// derived are published attributes that are derived (dates to the
	// month) and, when they share a hierarchy with quasi-identifiers,
	// generalised with them; by ingest field index.
	derived map[int]derivedColumn
	// sensitive marks the ingest fields of sensitive columns.
	sensitive map[int]bool
}

type classColumn struct {
	input     int
	class     map[string]string
	sensitive bool
}

// of is the class of the code in row of the grouped column (its input):
// false, a null, for a null or a code no class holds.
func (cc classColumn) of(codes *array.String, row int) (string, bool) {
	c, ok := cc.class[codes.Value(row)]
	return c, ok && codes.IsValid(row)
}

// derivedColumn is a published attribute derived from its input. An
// attribute whose publish.hierarchy is also the hierarchy of a
// quasi-identifier (the other dates, next to the intake and outflow months)
// is generalised to the coarsest level chosen for those quasi-identifiers
// and suppressed with the record: a date to the month next to an intake
// generalised to the quarter would otherwise narrow the intake down again
// (dates are ordered), and a suppressed record's dates would point to its
// intake.
type derivedColumn struct {
	derive deriver
	hier   Hierarchy
	level  int
	linked bool
}

func newBuilders(f *config.Format, opts Options, t *Table, qis []qi, res *Result) *builders {
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	b := &builders{f: f, opts: opts, t: t, res: res, mem: mem,
		pseudo:    NewPseudonymizer(opts.Key, opts.ReleaseID),
		regSchema: RegisterSchema(f), micSchema: MicrodataSchema(f),
		keyInput: f.ColumnIndex(f.Key) + 1, derived: map[int]derivedColumn{}, sensitive: map[int]bool{}}
	for _, g := range groupings(f) {
		col, _ := f.Column(g)
		cc := classColumn{input: f.ColumnIndex(g) + 1, class: map[string]string{}, sensitive: col.Role == config.RoleSensitive}
		for class, codes := range f.Classes[g] {
			for _, code := range codes {
				cc.class[code] = class
			}
		}
		b.classOf = append(b.classOf, cc)
	}
	for i, c := range f.Columns {
		if c.Role == config.RoleSensitive {
			b.sensitive[i+1] = true
		}
		if c.Publish == nil || c.Role == config.RoleQuasiIdentifier || c.Role == config.RoleIdentifier || c.Publish.Derive == deriveNone {
			continue
		}
		d, err := newDeriver(c, opts.Quarter)
		if err != nil {
			continue // MicrodataSchema publishes it as text; quasiIdentifiers checked the QIs
		}
		dc := derivedColumn{derive: d}
		if h, ok := opts.Hierarchies[c.Publish.Hierarchy]; ok {
			for q, x := range qis {
				if x.hierName == c.Publish.Hierarchy {
					dc.hier, dc.linked = h, true
					dc.level = max(dc.level, res.Levels[q])
				}
			}
		}
		b.derived[i+1] = dc
	}
	return b
}

// register makes the register batch of one ingest batch: quarter,
// partner, the columns kept in it (shared with the input, not copied) and
// a class column per grouping.
func (b *builders) register(r arrow.Record) arrow.Record {
	n := int(r.NumRows())
	quarter := b.constant(b.opts.Quarter.String(), n)
	defer quarter.Release()
	cols := []arrow.Array{quarter, r.Column(0)}
	for i, c := range b.f.Columns {
		if inRegister(c) {
			cols = append(cols, r.Column(i+1))
		}
	}
	for _, cc := range b.classOf {
		codes := r.Column(cc.input).(*array.String)
		class := b.textArray(n, func(k int) (string, bool) { return cc.of(codes, k) })
		defer class.Release()
		cols = append(cols, class)
	}
	return array.NewRecord(b.regSchema, cols, int64(n))
}

// constant is a text column of n copies of v.
func (b *builders) constant(v string, n int) arrow.Array {
	return b.textArray(n, func(int) (string, bool) { return v, true })
}

// textArray builds a text column of n values: value gives the k-th, and
// false for a null.
func (b *builders) textArray(n int, value func(k int) (string, bool)) arrow.Array {
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	sb.Reserve(n)
	for k := range n {
		if v, ok := value(k); ok {
			sb.Append(v)
		} else {
			sb.AppendNull()
		}
	}
	return sb.NewArray()
}
