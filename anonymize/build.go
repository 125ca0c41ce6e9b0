package anonymize

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
)

// builders turns each ingest batch into a register batch and a microdata
// batch. Columns released unchanged are shared with the input batch, not
// copied.
type builders struct {
	f          *config.Format
	opts       Options
	t          *qiTable
	levels     node
	suppressed []bool
	mem        memory.Allocator
	pseudo     *Pseudonymizer
	regSchema  *arrow.Schema
	micSchema  *arrow.Schema
	keyInput   int
	classOf    []classColumn
	monthDeriv map[int]deriver
}

type classColumn struct {
	input int
	class map[string]string
}

func newBuilders(f *config.Format, opts Options, t *qiTable, levels node, suppressed []bool) *builders {
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	b := &builders{f: f, opts: opts, t: t, levels: levels, suppressed: suppressed, mem: mem,
		pseudo:    NewPseudonymizer(opts.Key, opts.ReleaseID),
		regSchema: RegisterSchema(f), micSchema: MicrodataSchema(f),
		keyInput: f.ColumnIndex(f.Key) + 1, monthDeriv: map[int]deriver{}}
	for _, g := range groupings(f) {
		cc := classColumn{input: f.ColumnIndex(g) + 1, class: map[string]string{}}
		for class, codes := range f.Classes[g] {
			for _, code := range codes {
				cc.class[code] = class
			}
		}
		b.classOf = append(b.classOf, cc)
	}
	for i, c := range f.Columns {
		if c.Publish != nil && c.Publish.Derive == DeriveMonth && c.Role != config.RoleQuasiIdentifier {
			d, _ := newDeriver(c, opts.Quarter)
			b.monthDeriv[i+1] = d
		}
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
	for i, cc := range b.classOf {
		classes[i] = b.classes(r.Column(cc.input), cc.class)
		defer classes[i].Release()
	}

	// Register: quarter, partner, attribute and sensitive columns, classes.
	regCols := []arrow.Array{quarter, r.Column(0)}
	for i, c := range b.f.Columns {
		if c.Role == config.RoleAttribute || c.Role == config.RoleSensitive {
			regCols = append(regCols, r.Column(i+1))
		}
	}
	regCols = append(regCols, classes...)
	register = array.NewRecord(b.regSchema, regCols, int64(n))

	// Microdata: quarter, pseudonym, generalised partner and
	// quasi-identifiers, published attributes, classes.
	var owned []arrow.Array
	own := func(a arrow.Array) arrow.Array { owned = append(owned, a); return a }
	micCols := []arrow.Array{quarter, own(b.pseudonyms(r)), own(b.generalised(0, offset, n))}
	q := 1
	for i, c := range b.f.Columns {
		if c.Publish == nil || c.Role == config.RoleIdentifier {
			continue
		}
		switch {
		case c.Role == config.RoleQuasiIdentifier:
			micCols = append(micCols, own(b.generalised(q, offset, n)))
			q++
		case b.monthDeriv[i+1] != nil:
			micCols = append(micCols, own(b.derived(r.Column(i+1), b.monthDeriv[i+1])))
		default:
			micCols = append(micCols, r.Column(i+1))
		}
	}
	micCols = append(micCols, classes...)
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
	for i := offset; i < offset+n; i++ {
		switch v := b.t.value(q, b.levels[q], i); {
		case b.suppressed[i]:
			sb.Append(Suppressed)
		case v == "":
			sb.AppendNull()
		default:
			sb.Append(v)
		}
	}
	return sb.NewArray()
}

func (b *builders) derived(a arrow.Array, d deriver) arrow.Array {
	sb := array.NewStringBuilder(b.mem)
	defer sb.Release()
	for i := range a.Len() {
		if v := d(a, i); v != "" {
			sb.Append(v)
		} else {
			sb.AppendNull()
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
