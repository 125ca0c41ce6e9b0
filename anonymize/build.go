package anonymize

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/internal/probe"
)

// builders turns each ingest batch into a register batch and a microdata
// batch. Columns released unchanged are shared with the input batch, not
// copied.
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

// build makes the register and microdata batches of one ingest batch whose
// first row is row offset of the whole release.
func (b *builders) build(r arrow.Record, offset int) (register, microdata arrow.Record) {
	n := int(r.NumRows())
	quarter := b.constant(b.opts.Quarter.String(), n)
	defer quarter.Release()
	classes := make([]arrow.Array, len(b.classOf))
	microClasses := make([]arrow.Array, len(b.classOf))
	for i, cc := range b.classOf {
		classes[i] = b.classes(r.Column(cc.input), cc.class)
		defer classes[i].Release()
		microClasses[i] = classes[i]
		if cc.sensitive && !b.res.Feasible {
			microClasses[i] = b.withheld(classes[i])
			defer microClasses[i].Release()
		}
	}

	// Register: quarter, partner, the columns kept in it, classes.
	regCols := []arrow.Array{quarter, r.Column(0)}
	for i, c := range b.f.Columns {
		if inRegister(c) {
			regCols = append(regCols, r.Column(i+1))
		}
	}
	regCols = append(regCols, classes...)
	register = array.NewRecord(b.regSchema, regCols, int64(n))

	// Microdata: quarter, pseudonym, generalised partner and
	// quasi-identifiers, published attributes, classes.
	var owned []arrow.Array
	own := func(a arrow.Array) arrow.Array { owned = append(owned, a); return a }
	var pseudonyms arrow.Array
	b.opts.Probe.Step(probe.Pseudonymise, func() error {
		pseudonyms = b.pseudonyms(r)
		b.opts.Probe.Count(probe.Pseudonymise, n)
		return nil
	})
	micCols := []arrow.Array{quarter, own(pseudonyms), own(b.generalised(0, offset, n))}
	q := 1
	for i, c := range b.f.Columns {
		if c.Publish == nil || c.Role == config.RoleIdentifier {
			continue
		}
		dc, derived := b.derived[i+1]
		switch {
		case c.Role == config.RoleQuasiIdentifier:
			micCols = append(micCols, own(b.generalised(q, offset, n)))
			q++
		case derived:
			micCols = append(micCols, own(b.derivedValues(r.Column(i+1), dc, offset)))
		case b.sensitive[i+1] && !b.res.Feasible:
			micCols = append(micCols, own(b.withheld(r.Column(i+1))))
		default:
			micCols = append(micCols, r.Column(i+1))
		}
	}
	micCols = append(micCols, microClasses...)
	microdata = array.NewRecord(b.micSchema, micCols, int64(n))
	for _, a := range owned {
		a.Release()
	}
	return register, microdata
}

func (b *builders) constant(v string, n int) arrow.Array {
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	sb.Reserve(n)
	for range n {
		sb.Append(v)
	}
	return sb.NewArray()
}

func (b *builders) pseudonyms(r arrow.Record) arrow.Array {
	partners := r.Column(0).(*array.String)
	ids := r.Column(b.keyInput).(*array.String)
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	for i := range int(r.NumRows()) {
		sb.Append(b.pseudo.Pseudonym(partners.Value(i), ids.Value(i)))
	}
	return sb.NewArray()
}

// generalised returns quasi-identifier q of rows offset..offset+n at the
// chosen level, * for suppressed rows and null for unknown values.
func (b *builders) generalised(q, offset, n int) arrow.Array {
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	level := b.res.Levels[q]
	for i := offset; i < offset+n; i++ {
		switch v := b.t.Value(q, level, i); {
		case b.res.Suppressed[i]:
			sb.Append(Suppressed)
		case v == "":
			sb.AppendNull()
		default:
			sb.Append(v)
		}
	}
	return sb.NewArray()
}

// derivedValues derives an attribute and, when it is linked to
// quasi-identifiers, generalises it with them.
func (b *builders) derivedValues(a arrow.Array, dc derivedColumn, offset int) arrow.Array {
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	for i := range a.Len() {
		v := dc.derive(a, i)
		if dc.linked {
			if b.res.Suppressed[offset+i] {
				v = Suppressed
			} else if v != "" {
				v = dc.hier.Generalize(v, dc.level)
			}
		}
		if v != "" {
			sb.Append(v)
		} else {
			sb.AppendNull()
		}
	}
	return sb.NewArray()
}

// withheld replaces a sensitive column when no generalisation satisfies
// the privacy model: * where a value was known (null for a column that is
// not text).
func (b *builders) withheld(a arrow.Array) arrow.Array {
	if a.DataType().ID() != arrow.STRING {
		return array.MakeArrayOfNull(b.mem, a.DataType(), a.Len())
	}
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	for i := range a.Len() {
		if a.IsNull(i) {
			sb.AppendNull()
		} else {
			sb.Append(Suppressed)
		}
	}
	return sb.NewArray()
}

func (b *builders) classes(a arrow.Array, class map[string]string) arrow.Array {
	codes := a.(*array.String)
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	for i := range codes.Len() {
		if c, ok := class[codes.Value(i)]; ok && codes.IsValid(i) {
			sb.Append(c)
		} else {
			sb.AppendNull()
		}
	}
	return sb.NewArray()
}
