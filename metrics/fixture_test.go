package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/warehouse"
)

// fixtureWarehouse opens a fresh warehouse (with its fixed tables, among
// them completeness) and loads the register of the given CSV files from
// testdata into a register table with the real register schema. Columns
// the CSV lacks stay NULL.
func fixtureWarehouse(t testing.TB, registers ...string) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	prog, err := config.DefaultProgramme("atn")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, f := range anonymize.RegisterSchema(prog.Format).Fields() {
		typ := map[arrow.Type]string{arrow.STRING: "VARCHAR", arrow.DATE32: "DATE", arrow.INT32: "INTEGER", arrow.BOOL: "BOOLEAN"}[f.Type.ID()]
		if typ == "" {
			t.Fatalf("register column %s has type %s", f.Name, f.Type)
		}
		cols = append(cols, warehouse.Ident(f.Name)+" "+typ)
	}
	exec(t, w.DB(), "CREATE TABLE register ("+strings.Join(cols, ", ")+")")
	for _, r := range registers {
		path, _ := filepath.Abs(filepath.Join("testdata", r))
		exec(t, w.DB(), fmt.Sprintf("INSERT INTO register BY NAME SELECT * FROM read_csv(%s, header = true, all_varchar = true)", warehouse.Literal(path)))
	}
	return w
}

func exec(t testing.TB, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// rowMap indexes rows by "metric|partner|breakdown".
func rowMap(rows []Row) map[string]Row {
	m := map[string]Row{}
	for _, r := range rows {
		m[r.Metric+"|"+r.Partner+"|"+r.Breakdown] = r
	}
	return m
}

// want is an expected row: value (NaN for an empty value), numerator and
// denominator (NaN where the metric has none).
type want struct{ value, num, den float64 }

var none = math.NaN()

func checkRow(t *testing.T, got map[string]Row, key string, w want) {
	t.Helper()
	r, ok := got[key]
	if !ok {
		t.Errorf("%s: no row", key)
		return
	}
	for _, f := range []struct {
		name string
		got  sql.NullFloat64
		want float64
	}{{"value", r.Value, w.value}, {"numerator", r.Numerator, w.num}, {"denominator", r.Denominator, w.den}} {
		switch {
		case math.IsNaN(f.want) && f.got.Valid:
			t.Errorf("%s: %s = %v, want empty", key, f.name, f.got.Float64)
		case !math.IsNaN(f.want) && !f.got.Valid:
			t.Errorf("%s: %s is empty, want %v", key, f.name, f.want)
		case !math.IsNaN(f.want) && math.Abs(f.got.Float64-f.want) > 1e-12:
			t.Errorf("%s: %s = %v, want %v", key, f.name, f.got.Float64, f.want)
		}
	}
}
