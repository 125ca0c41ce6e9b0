package anonymize

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
)

// builders turns the ingest batches into the microdata, in the order it
// is published (microdata.go), built anew, row by row in its order. (The
// register is made apart from it: register.go.)
type builders struct {
	f         *config.Format
	opts      Options
	t         *Table
	res       *Result
	mem       memory.Allocator
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
	b := &builders{f: f, opts: opts, t: t, res: res, mem: allocator(opts),
		micSchema: MicrodataSchema(f), classOf: classColumns(f),
		keyInput: f.ColumnIndex(f.Key) + 1, derived: map[int]derivedColumn{}, sensitive: map[int]bool{}}
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
