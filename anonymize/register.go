package anonymize

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/arrowtext"
	"doorstroom/internal/probe"
)

// Register makes the register of a quarter's release from the accepted
// rows of every partner (records in ingest.Schema of opts.Format), a
// batch for each input batch, in input order: quarter, partner, the
// columns kept in it (shared with the input, not copied) and a class
// column per grouping. The metrics are computed on it.
//
// It does not depend on the anonymisation search, so it is made apart
// from Anonymize: the pipeline loads it into the warehouse while the
// search runs. The caller releases the batches.
func Register(recs []arrow.Record, opts Options) ([]arrow.Record, error) {
	if err := checkInput(opts.Format, recs); err != nil {
		return nil, err
	}
	var reg []arrow.Record
	opts.Probe.Step(probe.Apply, func() error {
		b := newRegisterBuilder(opts)
		for _, r := range recs {
			reg = append(reg, b.batch(r))
		}
		return nil
	})
	return reg, nil
}

// checkInput refuses batches that are not in the ingest schema of the
// format.
func checkInput(f *config.Format, recs []arrow.Record) error {
	in := ingest.Schema(f)
	for _, r := range recs {
		if !r.Schema().Equal(in) {
			return fmt.Errorf("anonymize: input batch does not have the ingest schema of %s v%d", f.Programme, f.Version)
		}
	}
	return nil
}

// registerBuilder makes the register's batches.
type registerBuilder struct {
	f       *config.Format
	quarter string
	mem     memory.Allocator
	schema  *arrow.Schema
	classOf []classColumn
}

func newRegisterBuilder(opts Options) *registerBuilder {
	return &registerBuilder{f: opts.Format, quarter: opts.Quarter.String(), mem: allocator(opts),
		schema: RegisterSchema(opts.Format), classOf: classColumns(opts.Format)}
}

// batch makes the register batch of one ingest batch.
func (b *registerBuilder) batch(r arrow.Record) arrow.Record {
	n := int(r.NumRows())
	quarter := constantText(b.mem, b.quarter, n)
	defer quarter.Release()
	cols := []arrow.Array{quarter, r.Column(0)}
	for i, c := range b.f.Columns {
		if inRegister(c) {
			cols = append(cols, r.Column(i+1))
		}
	}
	for _, cc := range b.classOf {
		codes := r.Column(cc.input).(*array.String)
		class := arrowtext.Build(b.mem, n, func(k int) (string, bool) { return cc.of(codes, k) })
		defer class.Release()
		cols = append(cols, class)
	}
	return array.NewRecord(b.schema, cols, int64(n))
}

// classColumns are the format's groupings, each with the class of every
// code it groups, in the order of the register's class columns.
func classColumns(f *config.Format) []classColumn {
	var out []classColumn
	for _, g := range groupings(f) {
		col, _ := f.Column(g)
		cc := classColumn{input: f.ColumnIndex(g) + 1, class: map[string]string{}, sensitive: col.Role == config.RoleSensitive}
		for class, codes := range f.Classes[g] {
			for _, code := range codes {
				cc.class[code] = class
			}
		}
		out = append(out, cc)
	}
	return out
}

// allocator is the options' allocator, Go's by default.
func allocator(opts Options) memory.Allocator {
	if opts.Mem == nil {
		return memory.DefaultAllocator
	}
	return opts.Mem
}

// constantText is a text column of n copies of v.
func constantText(mem memory.Allocator, v string, n int) arrow.Array {
	return arrowtext.Build(mem, n, func(int) (string, bool) { return v, true })
}
