package warehouse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestOrderCheck runs the check over batches of (partner, pseudonym)
// rows, "-" standing for a null.
func TestOrderCheck(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "partner", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int32},
		{Name: "pseudonym", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	batch := func(rows ...[2]string) arrow.Record {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		for i, r := range rows {
			for k, v := range r {
				sb := b.Field(2 * k).(*array.StringBuilder)
				if v == "-" {
					sb.AppendNull()
				} else {
					sb.Append(v)
				}
			}
			b.Field(1).(*array.Int32Builder).Append(int32(i))
		}
		return b.NewRecord()
	}
	row := func(p, s string) [2]string { return [2]string{p, s} }
	// want is the verdict of the check, strict that of the strict one
	// (the order's columns are a key: no ties).
	for _, tc := range []struct {
		name         string
		batches      [][][2]string
		want, strict bool
	}{
		{"ascending", [][][2]string{{row("gent", "a"), row("gent", "b"), row("liege", "a")}}, true, true},
		{"second column out of order", [][][2]string{{row("gent", "b"), row("gent", "a")}}, false, false},
		{"first column decides", [][][2]string{{row("gent", "z"), row("liege", "a")}}, true, true},
		{"first column out of order", [][][2]string{{row("liege", "a"), row("gent", "z")}}, false, false},
		{"ties in either order", [][][2]string{{row("gent", "a"), row("gent", "a")}}, true, false},
		{"null ties", [][][2]string{{row("gent", "-"), row("gent", "-")}}, true, false},
		{"nulls last", [][][2]string{{row("gent", "a"), row("gent", "-"), row("-", "a"), row("-", "-")}}, true, true},
		{"a value after a null", [][][2]string{{row("-", "a"), row("gent", "a")}}, false, false},
		{"byte order, not locale", [][][2]string{{row("Z", "a"), row("a", "a"), row("é", "a")}}, true, true},
		{"across batches", [][][2]string{{row("gent", "a")}, {}, {row("gent", "b"), row("liege", "a")}}, true, true},
		{"out of order across batches", [][][2]string{{row("gent", "a"), row("gent", "c")}, {row("gent", "b")}}, false, false},
		{"a tie across batches", [][][2]string{{row("gent", "a"), row("gent", "c")}, {row("gent", "c")}}, true, false},
	} {
		for _, strict := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/strict=%v", tc.name, strict), func(t *testing.T) {
				c, ok := newOrderCheck(schema, []string{"partner", "pseudonym"})
				if !ok {
					t.Fatal("no check")
				}
				c.strict = strict
				want := tc.want
				if strict {
					want = tc.strict
				}
				got := true
				for _, rows := range tc.batches {
					rec := batch(rows...)
					got = got && c.batch(rec)
					rec.Release()
				}
				if got != want {
					t.Fatalf("in order %v, want %v", got, want)
				}
			})
		}
	}
	for _, order := range [][]string{{"n"}, {"partner", "missing"}} {
		if _, ok := newOrderCheck(schema, order); ok {
			t.Errorf("order %v: a check of a column that is not text, or not there", order)
		}
	}
}

// TestPublishInOrder publishes a table loaded in its order and the same
// rows loaded shuffled, both as InOrder: the first is written as it comes,
// the second is sorted when the check fails, and both give the file and
// rows digest of the table sorted by DuckDB.
func TestPublishInOrder(t *testing.T) {
	f := newFixture(t)
	rows := inKeyOrder(sampleRows(5000))
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	f.load("2026Q1", rows)
	f.load("2026Q2", shuffled)
	f.load("2026Q3", shuffled)
	publish := func(quarter string, inOrder bool) (*PublishResult, ManifestFile, []byte) {
		s := f.snapshot(quarter, created)
		s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = " + Literal(quarter)
		s.Tables[0].Order, s.Tables[0].InOrder = []string{"partner", "pseudonym"}, inOrder
		res := f.publish(s)
		data, err := os.ReadFile(filepath.Join(res.Dir, "cases.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		return res, res.Manifest.Files[0], data
	}
	sortedRes, sorted, sortedFile := publish("2026Q3", false)
	inOrderRes, inOrder, inOrderFile := publish("2026Q1", true)
	resortRes, resort, resortFile := publish("2026Q2", true)
	if len(sortedRes.Resorted) != 0 || len(inOrderRes.Resorted) != 0 || !slices.Equal(resortRes.Resorted, []string{"cases"}) {
		t.Fatalf("resorted: %v, %v, %v; want only the shuffled InOrder table", sortedRes.Resorted, inOrderRes.Resorted, resortRes.Resorted)
	}
	for name, got := range map[string]ManifestFile{"loaded in order": inOrder, "loaded shuffled": resort} {
		if got.RowsSHA256 != sorted.RowsSHA256 || got.Rows != sorted.Rows {
			t.Errorf("%s: rows digest %s (%d rows), sorted by DuckDB %s (%d)", name, got.RowsSHA256, got.Rows, sorted.RowsSHA256, sorted.Rows)
		}
	}
	// Every file holds its rows in order.
	ctx := context.Background()
	for name, data := range map[string][]byte{"loaded in order": inOrderFile, "loaded shuffled": resortFile, "sorted": sortedFile} {
		path := filepath.Join(t.TempDir(), "x.parquet")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := f.w.readDigest(ctx, sorted.Columns, readBack(path), []string{"partner", "pseudonym"})
		if err != nil || !d.inOrder {
			t.Errorf("%s: the file's rows are not in order (%v)", name, err)
		}
	}
}

// TestPublishInOrderAcrossRowGroups loads a quarter of several DuckDB row
// groups in its order through the Arrow path the pipeline uses, with
// another quarter's rows before it, and publishes it InOrder: DuckDB's
// parallel scan of the row groups must hand the rows over in order, so
// nothing is sorted again.
func TestPublishInOrderAcrossRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 300,000 rows")
	}
	f := newFixture(t)
	rows := inKeyOrder(sampleRows(300_000))
	f.load("2026Q2", sampleRows(50_000))
	f.load("2026Q3", rows)
	s := f.snapshot("2026Q3", created)
	s.Tables[0].Query = "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3'"
	s.Tables[0].Order, s.Tables[0].InOrder = []string{"partner", "pseudonym"}, true
	res := f.publish(s)
	if len(res.Resorted) != 0 || res.Manifest.Files[0].Rows != 300_000 {
		t.Fatalf("resorted %v, %d rows: the warehouse did not keep the order of 300,000 rows loaded in it", res.Resorted, res.Manifest.Files[0].Rows)
	}
}
