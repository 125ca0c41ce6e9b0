package metrics

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Schema is the tidy metrics table: the stable interface evaluators query.
var Schema = arrow.NewSchema([]arrow.Field{
	{Name: "metric", Type: arrow.BinaryTypes.String},
	{Name: "quarter", Type: arrow.BinaryTypes.String},
	{Name: "partner", Type: arrow.BinaryTypes.String},
	{Name: "breakdown", Type: arrow.BinaryTypes.String},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "numerator", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "denominator", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "suppressed", Type: arrow.FixedWidthTypes.Boolean},
}, nil)

// Record turns rows into one Arrow record in Schema.
func Record(mem memory.Allocator, rows []Row) arrow.Record {
	b := array.NewRecordBuilder(mem, Schema)
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.StringBuilder).Append(r.Metric)
		b.Field(1).(*array.StringBuilder).Append(r.Quarter)
		b.Field(2).(*array.StringBuilder).Append(r.Partner)
		b.Field(3).(*array.StringBuilder).Append(r.Breakdown)
		for i, v := range []struct {
			f  float64
			ok bool
		}{{r.Value.Float64, r.Value.Valid}, {r.Numerator.Float64, r.Numerator.Valid}, {r.Denominator.Float64, r.Denominator.Valid}} {
			fb := b.Field(4 + i).(*array.Float64Builder)
			if v.ok {
				fb.Append(v.f)
			} else {
				fb.AppendNull()
			}
		}
		b.Field(7).(*array.BooleanBuilder).Append(r.Suppressed)
	}
	return b.NewRecord()
}
