package ingest

import (
	"sort"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/internal/period"
)

// Completeness is one partner's delivery for one quarter, as DHIS2 reports
// reporting completeness: expected or not, received or missing, a file in
// force or not, on time or late, and how many files were superseded. It
// is a row of the warehouse table completeness (warehouse/tables.sql).
type Completeness struct {
	Quarter    string
	Partner    string
	Expected   bool
	Received   bool
	Accepted   bool
	OnTime     *bool      // nil when no file is in force
	ReceivedAt *time.Time // when the file in force arrived; nil when none
	Deadline   time.Time  // the quarter's last day + deadline days
	Files      int        // files seen for the quarter, every status
	Superseded int
}

// Deadline is the day a quarter's file is due: its last day plus the
// configured number of days. A file received on that day is on time.
func Deadline(q period.Quarter, days int) time.Time { return q.End().AddDate(0, 0, days) }

// CompletenessOf returns a row for every partner that is expected in the
// quarter or delivered for it, sorted by partner code. expected says
// whether a configured partner is expected in the quarter.
func CompletenessOf(m *Manifest, q period.Quarter, partners []string, expected func(partner string, q period.Quarter) bool, deadlineDays int) []Completeness {
	deadline := Deadline(q, deadlineDays)
	codes := map[string]bool{}
	for _, p := range partners {
		codes[p] = true
	}
	for _, e := range m.Files {
		if e.Quarter == q.String() {
			codes[e.Partner] = true
		}
	}
	var out []Completeness
	for p := range codes {
		es := m.For(p, q.String())
		c := Completeness{Quarter: q.String(), Partner: p, Expected: expected(p, q), Received: len(es) > 0,
			Deadline: deadline, Files: len(es)}
		if !c.Expected && !c.Received {
			continue
		}
		for _, e := range es {
			if e.Status == Superseded {
				c.Superseded++
			}
		}
		if at, ok := m.Arrived(p, q.String()); ok {
			onTime := at.Before(deadline.AddDate(0, 0, 1))
			c.Accepted, c.ReceivedAt, c.OnTime = true, &at, &onTime
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partner < out[j].Partner })
	return out
}

// CompletenessSchema is the Arrow schema of the completeness table; its
// columns and types are those of warehouse/tables.sql.
var CompletenessSchema = arrow.NewSchema([]arrow.Field{
	{Name: "quarter", Type: arrow.BinaryTypes.String},
	{Name: "partner", Type: arrow.BinaryTypes.String},
	{Name: "expected", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "received", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "accepted", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "on_time", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "received_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "deadline", Type: arrow.FixedWidthTypes.Date32},
	{Name: "files", Type: arrow.PrimitiveTypes.Int32},
	{Name: "superseded", Type: arrow.PrimitiveTypes.Int32},
}, nil)

// CompletenessRecord builds the Arrow record of completeness rows (mem nil:
// the Go allocator).
func CompletenessRecord(mem memory.Allocator, rows []Completeness) arrow.Record {
	b := array.NewRecordBuilder(orDefault(mem), CompletenessSchema)
	defer b.Release()
	for _, c := range rows {
		b.Field(0).(*array.StringBuilder).Append(c.Quarter)
		b.Field(1).(*array.StringBuilder).Append(c.Partner)
		b.Field(2).(*array.BooleanBuilder).Append(c.Expected)
		b.Field(3).(*array.BooleanBuilder).Append(c.Received)
		b.Field(4).(*array.BooleanBuilder).Append(c.Accepted)
		if c.OnTime != nil {
			b.Field(5).(*array.BooleanBuilder).Append(*c.OnTime)
			b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(c.ReceivedAt.UnixMicro()))
		} else {
			b.Field(5).AppendNull()
			b.Field(6).AppendNull()
		}
		b.Field(7).(*array.Date32Builder).Append(arrow.Date32FromTime(c.Deadline))
		b.Field(8).(*array.Int32Builder).Append(int32(c.Files))
		b.Field(9).(*array.Int32Builder).Append(int32(c.Superseded))
	}
	return b.NewRecord()
}

// SubmissionsSchema is the Arrow schema of the warehouse table
// submissions: one row per inbox file seen for a quarter, with its status,
// the policy it was judged under and its row counts, so the dashboards can
// say when a partner's figures leave out rows (policy drop_rows). It holds
// no file name, hash or content.
var SubmissionsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "quarter", Type: arrow.BinaryTypes.String},
	{Name: "partner", Type: arrow.BinaryTypes.String},
	{Name: "file", Type: arrow.PrimitiveTypes.Int32},
	{Name: "status", Type: arrow.BinaryTypes.String},
	{Name: "in_force", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "policy", Type: arrow.BinaryTypes.String},
	{Name: "received_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
	{Name: "rows", Type: arrow.PrimitiveTypes.Int32},
	{Name: "accepted_rows", Type: arrow.PrimitiveTypes.Int32},
	{Name: "dropped_rows", Type: arrow.PrimitiveTypes.Int32},
	{Name: "errors", Type: arrow.PrimitiveTypes.Int32},
	{Name: "warnings", Type: arrow.PrimitiveTypes.Int32},
}, nil)

// SubmissionsRecord builds the submissions rows of a quarter from the
// manifest; file is the manifest entry's id.
func SubmissionsRecord(mem memory.Allocator, m *Manifest, q period.Quarter) arrow.Record {
	b := array.NewRecordBuilder(orDefault(mem), SubmissionsSchema)
	defer b.Release()
	for _, e := range m.Files {
		if e.Quarter != q.String() {
			continue
		}
		b.Field(0).(*array.StringBuilder).Append(e.Quarter)
		b.Field(1).(*array.StringBuilder).Append(e.Partner)
		b.Field(2).(*array.Int32Builder).Append(int32(e.ID))
		b.Field(3).(*array.StringBuilder).Append(string(e.Status))
		b.Field(4).(*array.BooleanBuilder).Append(e.InForce)
		b.Field(5).(*array.StringBuilder).Append(e.Policy)
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(e.ReceivedAt.UnixMicro()))
		for i, n := range []int{e.Rows, e.Accepted, e.Dropped, e.Errors, e.Warnings} {
			b.Field(7 + i).(*array.Int32Builder).Append(int32(n))
		}
	}
	return b.NewRecord()
}

func orDefault(mem memory.Allocator) memory.Allocator {
	if mem == nil {
		return memory.DefaultAllocator
	}
	return mem
}
