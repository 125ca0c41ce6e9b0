package warehouse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// loadQuarter loads rows as a quarter's own table of table.
func (f *fixture) loadQuarter(table, quarter string, rows []testRow) {
	f.t.Helper()
	rec := record(f.t, quarter, rows)
	defer rec.Release()
	if err := f.w.LoadQuarter(context.Background(), table, quarter, testSchema, []arrow.Record{rec}); err != nil {
		f.t.Fatal(err)
	}
}

// columnTypes is a table's columns as name type, in order.
func columnTypes(t *testing.T, w *Warehouse, schema, table string) []string {
	t.Helper()
	var out []string
	for _, r := range warehouseRows(t, w, fmt.Sprintf("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = %s AND table_name = %s ORDER BY column_index",
		Literal(schema), Literal(table))) {
		out = append(out, strings.TrimPrefix(r[0], "s:")+" "+strings.TrimPrefix(r[1], "s:"))
	}
	return out
}

// TestLoadQuarterKeepsEveryValue loads two quarters as tables of their
// own and reads them through the view exactly as the same rows loaded
// into one table: every value, NULL and type. The quarters' text columns
// of few values are ENUMs; the pseudonym, with more values than
// MaxEnumValues, is not (it is stored with FSST); the view and the
// snapshot query show text.
func TestLoadQuarterKeepsEveryValue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rows := sampleRows(MaxEnumValues + 200)
	for _, q := range []string{"2026Q2", "2026Q3"} {
		f.loadQuarter("cases", q, rows)
		rec := record(t, q, rows)
		if err := f.w.ReplaceQuarter(ctx, "whole", q, testSchema, []arrow.Record{rec}); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	got := warehouseRows(t, f.w, "SELECT * FROM cases ORDER BY quarter, pseudonym")
	want := warehouseRows(t, f.w, "SELECT * FROM whole ORDER BY quarter, pseudonym")
	if len(got) != 2*len(rows) || !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("the view holds %d rows, not those loaded (%d); first %v, want %v", len(got), len(want), got[0], want[0])
	}
	types := columnTypes(t, f.w, QuarterSchema, "cases_2026Q3")
	wantTypes := []string{`quarter ENUM('2026Q3')`, "pseudonym VARCHAR", `partner ENUM('brussel', 'gent', 'liège')`,
		`age ENUM('', '*', '80+')`, "dvz_talks INTEGER", "shelter BOOLEAN", "share DOUBLE", "intake DATE"}
	if !slices.Equal(types, wantTypes) {
		t.Errorf("quarters.cases_2026Q3 has columns\n%v, want\n%v", types, wantTypes)
	}
	// The pseudonym, all different, is stored with FSST alone.
	if err := f.w.exec(ctx, "CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	comp := warehouseRows(t, f.w, "SELECT DISTINCT compression FROM pragma_storage_info('"+QuarterSchema+".cases_2026Q3') WHERE column_name = 'pseudonym' AND segment_type = 'VARCHAR'")
	if len(comp) != 1 || comp[0][0] != "s:FSST" {
		t.Errorf("the pseudonym is stored with %v, want FSST", comp)
	}
	if types := columnTypes(t, f.w, "main", "cases"); !slices.Equal(types, columnTypes(t, f.w, "main", "whole")) {
		t.Errorf("the view has columns %v, the table loaded whole %v", types, columnTypes(t, f.w, "main", "whole"))
	}
	query, err := f.w.QuarterQuery(ctx, "cases", "2026Q3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(query, QuarterSchema+`"."cases_2026Q3"`) {
		t.Errorf("the quarter's query %q does not read its own table", query)
	}
	cols, err := f.w.Columns(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	wholeCols, _ := f.w.Columns(ctx, "SELECT * EXCLUDE (quarter) FROM whole WHERE quarter = '2026Q3'")
	if !slices.Equal(cols, wholeCols) {
		t.Errorf("the quarter's query has columns %v, the table loaded whole %v", cols, wholeCols)
	}
}

// TestEnumOrderIsTextOrder sorts a quarter's ENUM column as its text
// sorts: a release written again sorted keeps its order.
func TestEnumOrderIsTextOrder(t *testing.T) {
	f := newFixture(t)
	rows := sampleRows(40)
	names := []string{"Zele", "aalst", "Éghezée", "liège", "Liège", "gent", "10", "9"}
	for i := range rows {
		rows[i].partner = names[i%len(names)]
	}
	f.loadQuarter("cases", "2026Q3", rows)
	got := warehouseRows(t, f.w, `SELECT partner FROM quarters.cases_2026Q3 ORDER BY partner, pseudonym`)
	want := warehouseRows(t, f.w, `SELECT CAST(partner AS VARCHAR) AS p FROM quarters.cases_2026Q3 ORDER BY p, pseudonym`)
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("ENUM order %v, text order %v", got, want)
	}
}

// TestLoadQuarterReplacesOneQuarter loads a quarter again with fewer rows
// and another with a column the first lacks: each quarter is its own
// table, the view shows the added column (NULL where a quarter lacks it)
// and the other quarter's rows are untouched.
func TestLoadQuarterReplacesOneQuarter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.loadQuarter("cases", "2026Q2", sampleRows(30))
	f.loadQuarter("cases", "2026Q3", sampleRows(20))
	f.loadQuarter("cases", "2026Q2", sampleRows(10))

	wide := arrow.NewSchema(append(testSchema.Fields(), arrow.Field{Name: "region", Type: arrow.BinaryTypes.String, Nullable: true}), nil)
	rec := record(t, "2026Q4", sampleRows(5))
	region := array.NewStringBuilder(memory.DefaultAllocator)
	for range 5 {
		region.Append("flanders")
	}
	regions := region.NewArray()
	wideRec := array.NewRecord(wide, append(slices.Clone(rec.Columns()), regions), 5)
	rec.Release()
	regions.Release()
	region.Release()
	defer wideRec.Release()
	if err := f.w.LoadQuarter(ctx, "cases", "2026Q4", wide, []arrow.Record{wideRec}); err != nil {
		t.Fatal(err)
	}
	got := warehouseRows(t, f.w, "SELECT quarter, count(*), count(region), min(region) FROM cases GROUP BY ALL ORDER BY quarter")
	want := [][]string{
		{"s:2026Q2", "int64:10", "int64:0", "NULL"},
		{"s:2026Q3", "int64:20", "int64:0", "NULL"},
		{"s:2026Q4", "int64:5", "int64:5", "s:flanders"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("per quarter %v, want %v", got, want)
	}
	for q, n := range map[string]int64{"2026Q2": 10, "2026Q3": 20, "2026Q4": 5, "2027Q1": 0} {
		if got, err := f.w.Count(ctx, "cases", q); err != nil || got != n {
			t.Errorf("Count(%s) = %d, %v; want %d", q, got, err, n)
		}
	}
}

// TestLoadQuarterSplitsAWholeTable opens a warehouse whose table holds
// every quarter in one, as before LoadQuarter: loading a quarter moves
// the others into tables of their own, unchanged, and the table's name
// becomes the view.
func TestLoadQuarterSplitsAWholeTable(t *testing.T) {
	f := newFixture(t)
	f.load("2026Q1", sampleRows(12))
	f.load("2026Q2", sampleRows(8))
	before := warehouseRows(t, f.w, "SELECT * FROM cases ORDER BY quarter, pseudonym")
	f.loadQuarter("cases", "2026Q3", sampleRows(5))
	after := warehouseRows(t, f.w, "SELECT * FROM cases WHERE quarter < '2026Q3' ORDER BY quarter, pseudonym")
	if !slices.EqualFunc(before, after, slices.Equal) {
		t.Errorf("the quarters moved changed: %d rows before, %d after", len(before), len(after))
	}
	kinds := warehouseRows(t, f.w, "SELECT schema_name, table_name FROM duckdb_tables() UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1, 2")
	want := [][]string{{"s:main", "s:cases"}, {"s:quarters", "s:cases_2026Q1"}, {"s:quarters", "s:cases_2026Q2"}, {"s:quarters", "s:cases_2026Q3"}}
	var tables [][]string
	for _, k := range kinds {
		if k[1] == "s:cases" || strings.HasPrefix(k[1], "s:cases_") {
			tables = append(tables, k)
		}
	}
	if !slices.EqualFunc(tables, want, slices.Equal) {
		t.Errorf("tables and views %v, want %v", tables, want)
	}
	if n := warehouseRows(t, f.w, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'cases'"); n[0][0] != "int64:1" {
		t.Errorf("cases is not a view: %v", n)
	}
}

// TestLoadQuarterRefusesAnOddQuarter refuses a quarter that cannot name a
// table unambiguously, before anything is written.
func TestLoadQuarterRefusesAnOddQuarter(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"", "2026Q5", "2026q3", "26Q3", "2026Q3; DROP TABLE x", "2026_Q3"} {
		t.Run(q, func(t *testing.T) {
			rec := record(t, q, sampleRows(2))
			defer rec.Release()
			err := f.w.LoadQuarter(context.Background(), "cases", q, testSchema, []arrow.Record{rec})
			if err == nil || !strings.Contains(err.Error(), "is not of the form 2026Q3") {
				t.Errorf("LoadQuarter(%q) = %v", q, err)
			}
		})
	}
}

// TestLoadQuarterKeepsTablesApart loads a table whose name begins with
// another's (cases and cases_extra): each view shows its own quarters'
// rows only, and each quarter's snapshot query reads its own table.
func TestLoadQuarterKeepsTablesApart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.loadQuarter("cases", "2026Q3", sampleRows(7))
	f.loadQuarter("cases_extra", "2026Q3", sampleRows(3))
	f.loadQuarter("cases", "2026Q4", sampleRows(2))
	for table, want := range map[string]string{"cases": "int64:9", "cases_extra": "int64:3"} {
		if got := warehouseRows(t, f.w, "SELECT count(*) FROM "+Ident(table)); got[0][0] != want {
			t.Errorf("%s holds %s rows, want %s", table, got[0][0], want)
		}
	}
	query, err := f.w.QuarterQuery(ctx, "cases_extra", "2026Q3")
	if err != nil || !strings.Contains(query, `"cases_extra_2026Q3"`) {
		t.Errorf("QuarterQuery(cases_extra) = %q, %v", query, err)
	}
	query, err = f.w.QuarterQuery(ctx, "cases", "2027Q1")
	if err != nil || !strings.Contains(query, `WHERE "quarter" = '2027Q1'`) {
		t.Errorf("QuarterQuery of a quarter without a table = %q, %v; want the filter of the view", query, err)
	}
}
