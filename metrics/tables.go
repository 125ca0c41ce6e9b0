package metrics

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Table is one metric's rows as a warehouse table, metric_<id>, with a
// column per breakdown key, so an evaluator can write
// SELECT * FROM metric_cumulative_incidence WHERE class = 'durable' AND months = '12'
// instead of parsing breakdowns. It holds the computed numbers, before
// disclosure control, like the metrics table: the warehouse is not
// published; its published form is metrics_published.
type Table struct {
	Name   string
	Schema *arrow.Schema
	Record arrow.Record
}

// TableName is the warehouse table of a metric.
func TableName(id string) string { return "metric_" + id }

// TableSchema is the schema of a metric's table: quarter, partner, one
// text column per breakdown key, value, numerator and denominator.
func TableSchema(e Entry) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "quarter", Type: arrow.BinaryTypes.String},
		{Name: "partner", Type: arrow.BinaryTypes.String},
	}
	for _, k := range e.Breakdown {
		fields = append(fields, arrow.Field{Name: k, Type: arrow.BinaryTypes.String})
	}
	for _, n := range []string{"value", "numerator", "denominator"} {
		fields = append(fields, arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

// Tables splits rows into one table per metric of the catalogue, in
// catalogue order; a metric without rows gets an empty table, so loading
// a quarter replaces its earlier rows. The caller releases the records.
func Tables(mem memory.Allocator, c *Catalogue, rows []Row) []Table {
	byMetric := map[string][]Row{}
	for _, r := range rows {
		byMetric[r.Metric] = append(byMetric[r.Metric], r)
	}
	out := make([]Table, 0, len(c.Metrics))
	for _, e := range c.Metrics {
		schema := TableSchema(e)
		b := array.NewRecordBuilder(mem, schema)
		nk := len(e.Breakdown)
		for _, r := range byMetric[e.ID] {
			b.Field(0).(*array.StringBuilder).Append(r.Quarter)
			b.Field(1).(*array.StringBuilder).Append(r.Partner)
			for i, k := range e.Breakdown {
				b.Field(2 + i).(*array.StringBuilder).Append(BreakdownValue(r.Breakdown, k))
			}
			for i, v := range []struct {
				f  float64
				ok bool
			}{{r.Value.Float64, r.Value.Valid}, {r.Numerator.Float64, r.Numerator.Valid}, {r.Denominator.Float64, r.Denominator.Valid}} {
				fb := b.Field(2 + nk + i).(*array.Float64Builder)
				if v.ok {
					fb.Append(v.f)
				} else {
					fb.AppendNull()
				}
			}
		}
		out = append(out, Table{Name: TableName(e.ID), Schema: schema, Record: b.NewRecord()})
		b.Release()
	}
	return out
}
