package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// testRow is one row of the test table; nil pointers are NULL.
type testRow struct {
	pseudonym, partner string
	age                *string
	talks              *int32
	shelter            *bool
	share              *float64
	intake             *time.Time
}

func ptr[T any](v T) *T { return &v }

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "quarter", Type: arrow.BinaryTypes.String},
	{Name: "pseudonym", Type: arrow.BinaryTypes.String},
	{Name: "partner", Type: arrow.BinaryTypes.String},
	{Name: "age", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "dvz_talks", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "shelter", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "share", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "intake", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

// sampleRows are rows with every type, NULLs and awkward text.
func sampleRows(n int) []testRow {
	rows := make([]testRow, n)
	for i := range rows {
		r := testRow{pseudonym: fmt.Sprintf("p%04d", i), partner: []string{"gent", "liège", "brussel"}[i%3]}
		if i%4 != 0 {
			r.age = ptr([]string{"30-34", "*", "", "80+"}[i%4])
			r.talks = ptr(int32(i % 7))
			r.shelter = ptr(i%2 == 0)
			r.share = ptr(float64(i) / 3)
			r.intake = ptr(time.Date(2026, time.Month(1+i%9), 1+i%27, 0, 0, 0, 0, time.UTC))
		}
		rows[i] = r
	}
	return rows
}

func record(t testing.TB, quarter string, rows []testRow) arrow.Record {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, testSchema)
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.StringBuilder).Append(quarter)
		b.Field(1).(*array.StringBuilder).Append(r.pseudonym)
		b.Field(2).(*array.StringBuilder).Append(r.partner)
		if r.age == nil {
			b.Field(3).AppendNull()
			b.Field(4).AppendNull()
			b.Field(5).AppendNull()
			b.Field(6).AppendNull()
			b.Field(7).AppendNull()
			continue
		}
		b.Field(3).(*array.StringBuilder).Append(*r.age)
		b.Field(4).(*array.Int32Builder).Append(*r.talks)
		b.Field(5).(*array.BooleanBuilder).Append(*r.shelter)
		b.Field(6).(*array.Float64Builder).Append(*r.share)
		b.Field(7).(*array.Date32Builder).Append(arrow.Date32FromTime(*r.intake))
	}
	return b.NewRecord()
}

// fixture is a warehouse and an out/ folder to publish into.
type fixture struct {
	t   testing.TB
	w   *Warehouse
	out string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	out := t.TempDir()
	w, err := Open(context.Background(), filepath.Join(out, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &fixture{t: t, w: w, out: out}
}

// load replaces a quarter of table cases with rows.
func (f *fixture) load(quarter string, rows []testRow) {
	f.t.Helper()
	rec := record(f.t, quarter, rows)
	defer rec.Release()
	if err := f.w.ReplaceQuarter(context.Background(), "cases", quarter, testSchema, []arrow.Record{rec}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) root() string { return filepath.Join(f.out, "snapshots") }

// snapshot is the publication of a quarter of table cases.
func (f *fixture) snapshot(quarter string, created time.Time) Snapshot {
	return Snapshot{
		Root: f.root(), Superseded: filepath.Join(f.out, "superseded"), Staging: filepath.Join(f.out, ".staging"),
		Quarter: quarter, Release: quarter + "-0123456789ab", Programme: "atn", FormatVersion: 1,
		K: 5, SuppressionLimit: 0.05, Threshold: 5, Created: created,
		Tables: []SnapshotTable{{
			Name:        "cases",
			Query:       fmt.Sprintf("SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = %s ORDER BY pseudonym", Literal(quarter)),
			Description: "test cases",
			Columns:     map[string]string{"pseudonym": "the pseudonym", "partner": "the partner", "age": "age band"},
		}},
		Files: []SnapshotFile{{Name: "risk.json", Data: []byte(`{"quarter": "` + quarter + `"}` + "\n")}},
	}
}

func (f *fixture) publish(s Snapshot) *PublishResult {
	f.t.Helper()
	res, err := f.w.Publish(context.Background(), s)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

var created = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

// TestSnapshotEqualsWarehouseRowForRow reads a published Parquet file
// back with Arrow's pqarrow reader (not DuckDB) and compares it with the
// warehouse table, row for row and value for value; it also checks the
// codec and the key-value metadata.
func TestSnapshotEqualsWarehouseRowForRow(t *testing.T) {
	f := newFixture(t)
	rows := sampleRows(1000)
	f.load("2026Q3", rows)
	f.load("2026Q2", sampleRows(10)) // another quarter in the table: must not leak in
	s := f.snapshot("2026Q3", created)
	res := f.publish(s)
	path := filepath.Join(res.Dir, "cases.parquet")

	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	got := arrowRows(t, tbl)
	want := warehouseRows(t, f.w, "SELECT * EXCLUDE (quarter) FROM cases WHERE quarter = '2026Q3' ORDER BY pseudonym")
	if len(got) != len(want) || len(want) != len(rows) {
		t.Fatalf("snapshot has %d rows, warehouse %d, loaded %d", len(got), len(want), len(rows))
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Fatalf("row %d: snapshot %q, warehouse %q", i, got[i], want[i])
		}
	}

	t.Run("no partition column in the file", func(t *testing.T) {
		if idx := tbl.Schema().FieldIndices("quarter"); len(idx) > 0 {
			t.Error("the file holds the partition column quarter")
		}
	})
	t.Run("zstd", func(t *testing.T) {
		md := pf.MetaData()
		for g := 0; g < len(md.RowGroups); g++ {
			for c := 0; c < md.Schema.NumColumns(); c++ {
				cc, err := md.RowGroup(g).ColumnChunk(c)
				if err != nil {
					t.Fatal(err)
				}
				if cc.Compression() != compress.Codecs.Zstd {
					t.Errorf("row group %d column %d is %v, want ZSTD", g, c, cc.Compression())
				}
			}
		}
	})
	t.Run("key-value metadata", func(t *testing.T) {
		kv := pf.MetaData().KeyValueMetadata()
		want := map[string]string{
			"doorstroom.release": s.Release, "doorstroom.quarter": "2026Q3", "doorstroom.k": "5",
			"doorstroom.threshold": "5", "doorstroom.suppression_limit": "0.05", "doorstroom.created": "2026-10-05T09:30:00Z",
			"doorstroom.snapshot_format": strconv.Itoa(SnapshotFormat), "doorstroom.format_version": "1",
			"doorstroom.programme": "atn", "doorstroom.version": "1", "doorstroom.table": "cases",
			"doorstroom.description": "test cases", "doorstroom.column.age": "age band",
		}
		for k, v := range want {
			if got := kv.FindValue(k); got == nil || *got != v {
				t.Errorf("%s = %v, want %q", k, got, v)
			}
		}
	})
}

// arrowRows renders every row of an Arrow table as text.
func arrowRows(t *testing.T, tbl arrow.Table) [][]string {
	t.Helper()
	n := int(tbl.NumRows())
	out := make([][]string, n)
	for c := 0; c < int(tbl.NumCols()); c++ {
		i := 0
		for _, chunk := range tbl.Column(c).Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				out[i] = append(out[i], arrowValue(chunk, j))
				i++
			}
		}
	}
	return out
}

func arrowValue(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch x := a.(type) {
	case *array.String:
		return "s:" + x.Value(i)
	case *array.Int32:
		return "i:" + strconv.Itoa(int(x.Value(i)))
	case *array.Boolean:
		return "b:" + strconv.FormatBool(x.Value(i))
	case *array.Float64:
		return "f:" + strconv.FormatFloat(x.Value(i), 'g', -1, 64)
	case *array.Date32:
		return "d:" + x.Value(i).ToTime().Format(time.DateOnly)
	}
	return fmt.Sprintf("%T:%s", a, a.ValueStr(i))
}

// warehouseRows renders a warehouse query's rows like arrowRows.
func warehouseRows(t *testing.T, w *Warehouse, query string) [][]string {
	t.Helper()
	rs, err := w.DB().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				row[i] = "NULL"
			case string:
				row[i] = "s:" + x
			case int32:
				row[i] = "i:" + strconv.Itoa(int(x))
			case bool:
				row[i] = "b:" + strconv.FormatBool(x)
			case float64:
				row[i] = "f:" + strconv.FormatFloat(x, 'g', -1, 64)
			case time.Time:
				row[i] = "d:" + x.Format(time.DateOnly)
			default:
				row[i] = fmt.Sprintf("%T:%v", x, x)
			}
		}
		out = append(out, row)
	}
	return out
}

// TestManifestHashesCheckOut hashes every file of a release itself and
// compares with the manifest, then shows that VerifyRelease notices a
// changed byte and an extra file.
func TestManifestHashesCheckOut(t *testing.T) {
	f := newFixture(t)
	f.load("2026Q3", sampleRows(50))
	res := f.publish(f.snapshot("2026Q3", created))
	m, err := ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 {
		t.Fatalf("manifest lists %d files, want cases.parquet and risk.json", len(m.Files))
	}
	for _, e := range m.Files {
		data, err := os.ReadFile(filepath.Join(res.Dir, e.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != e.SHA256 || int64(len(data)) != e.Bytes {
			t.Errorf("%s: manifest says %s/%d bytes, file is %x/%d", e.Name, e.SHA256, e.Bytes, sum, len(data))
		}
	}
	if e, _ := m.File("cases.parquet"); e.Rows != 50 || e.Table != "cases" || len(e.Columns) != 7 {
		t.Errorf("cases.parquet entry: %+v", e)
	}
	if m.Release != "2026Q3-0123456789ab" || m.Version != 1 || m.Supersedes != nil || m.K != 5 || m.Created != "2026-10-05T09:30:00Z" {
		t.Errorf("manifest: %+v", m)
	}
	if err := VerifyRelease(res.Dir); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		change func(dir string) error
		want   string
	}{
		{"a changed byte", func(dir string) error {
			p := filepath.Join(dir, "risk.json")
			os.Chmod(p, 0o640)
			return os.WriteFile(p, []byte(`{"quarter": "2026Q4"}`+"\n"), 0o440)
		}, "differs from its manifest"},
		{"an extra file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "extra.parquet"), nil, 0o440)
		}, "not in the release's manifest"},
		{"a missing file", func(dir string) error { return os.Remove(filepath.Join(dir, "cases.parquet")) }, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "quarter=2026Q3")
			copyDir(t, res.Dir, dir)
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			if err := VerifyRelease(dir); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("VerifyRelease = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

// hashTree maps every file under dir to its SHA-256.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(data))
		return nil
	})
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestPublishNeverRewritesARelease runs the life of a quarter: first
// publication, a re-run with the same content (nothing written), a
// correction (the old release kept byte for byte), an interrupted
// correction (restored), and a release that would drop a column (refused).
func TestPublishNeverRewritesARelease(t *testing.T) {
	f := newFixture(t)
	rows := sampleRows(30)
	f.load("2026Q3", rows)
	first := f.publish(f.snapshot("2026Q3", created))
	if first.Outcome != Published || first.Manifest.Version != 1 {
		t.Fatalf("first publication: %s version %d", first.Outcome, first.Manifest.Version)
	}
	v1 := hashTree(t, first.Dir)

	t.Run("same content, later run", func(t *testing.T) {
		res := f.publish(f.snapshot("2026Q3", created.Add(24*time.Hour)))
		if res.Outcome != Unchanged {
			t.Errorf("outcome %s, want unchanged", res.Outcome)
		}
		if !sameTree(v1, hashTree(t, first.Dir)) {
			t.Error("an unchanged release was rewritten")
		}
		if entries, _ := os.ReadDir(filepath.Join(f.out, ".staging")); len(entries) != 0 {
			t.Errorf("staging left behind: %v", entries)
		}
	})

	t.Run("different content is a correction", func(t *testing.T) {
		rows[3].partner = "antwerpen"
		f.load("2026Q3", rows)
		res := f.publish(f.snapshot("2026Q3", created.Add(48*time.Hour)))
		if res.Outcome != Corrected || res.Manifest.Version != 2 {
			t.Fatalf("outcome %s version %d, want corrected version 2", res.Outcome, res.Manifest.Version)
		}
		kept := filepath.Join(f.out, "superseded", "quarter=2026Q3", "version=1")
		if !sameTree(v1, hashTree(t, kept)) {
			t.Error("the superseded release is not byte-identical to what was published")
		}
		sup := res.Manifest.Supersedes
		if sup == nil || sup.Version != 1 || filepath.Join(f.root(), sup.Path) != kept {
			t.Errorf("supersedes = %+v, want version 1 at %s", sup, kept)
		}
		if err := VerifyRelease(res.Dir); err != nil {
			t.Error(err)
		}
	})

	t.Run("an interrupted correction is restored", func(t *testing.T) {
		v2 := hashTree(t, first.Dir)
		// A crash between moving version 2 aside and renaming version 3
		// in leaves the quarter without a release.
		aside := filepath.Join(f.out, "superseded", "quarter=2026Q3", "version=2")
		if err := os.Rename(first.Dir, aside); err != nil {
			t.Fatal(err)
		}
		res := f.publish(f.snapshot("2026Q3", created.Add(72*time.Hour)))
		if res.Outcome != Restored || res.Manifest.Version != 2 {
			t.Errorf("outcome %s version %d, want version 2 restored", res.Outcome, res.Manifest.Version)
		}
		if !sameTree(v2, hashTree(t, first.Dir)) {
			t.Error("the restored release differs from version 2")
		}
	})

	t.Run("an interrupted correction with new content supersedes what was moved aside", func(t *testing.T) {
		aside := filepath.Join(f.out, "superseded", "quarter=2026Q3", "version=2")
		if err := os.Rename(first.Dir, aside); err != nil {
			t.Fatal(err)
		}
		v2 := hashTree(t, aside)
		rows[5].partner = "gent"
		f.load("2026Q3", rows)
		res := f.publish(f.snapshot("2026Q3", created.Add(96*time.Hour)))
		if res.Outcome != Corrected || res.Manifest.Version != 3 {
			t.Fatalf("outcome %s version %d, want corrected version 3", res.Outcome, res.Manifest.Version)
		}
		if sup := res.Manifest.Supersedes; sup == nil || sup.Version != 2 || filepath.Join(f.root(), sup.Path) != aside {
			t.Errorf("supersedes = %+v, want version 2 at %s", sup, aside)
		}
		if !sameTree(v2, hashTree(t, aside)) {
			t.Error("version 2 changed")
		}
	})

	t.Run("a dropped column is refused", func(t *testing.T) {
		s := f.snapshot("2026Q3", created)
		s.Tables[0].Query = "SELECT * EXCLUDE (quarter, age) FROM cases WHERE quarter = '2026Q3' ORDER BY pseudonym"
		before := hashTree(t, f.root())
		_, err := f.w.Publish(context.Background(), s)
		if err == nil || !strings.Contains(err.Error(), "column age") {
			t.Errorf("Publish = %v, want a refusal naming column age", err)
		}
		if !sameTree(before, hashTree(t, f.root())) {
			t.Error("a refused release changed the snapshots")
		}
	})

	t.Run("a retyped column is refused", func(t *testing.T) {
		s := f.snapshot("2026Q4", created)
		s.Tables[0].Query = "SELECT pseudonym, partner, age, CAST(dvz_talks AS BIGINT) AS dvz_talks, shelter, share, intake FROM cases WHERE quarter = '2026Q3'"
		_, err := f.w.Publish(context.Background(), s)
		if err == nil || !strings.Contains(err.Error(), "dvz_talks is BIGINT") {
			t.Errorf("Publish = %v, want a refusal naming dvz_talks", err)
		}
	})

	t.Run("a changed published file is not overwritten", func(t *testing.T) {
		p := filepath.Join(first.Dir, "risk.json")
		os.Chmod(p, 0o640)
		if err := os.WriteFile(p, []byte("{}\n"), 0o640); err != nil {
			t.Fatal(err)
		}
		before := hashTree(t, f.root())
		_, err := f.w.Publish(context.Background(), f.snapshot("2026Q3", created))
		if err == nil || !strings.Contains(err.Error(), "never rewritten") {
			t.Errorf("Publish = %v, want a refusal", err)
		}
		if !sameTree(before, hashTree(t, f.root())) {
			t.Error("the snapshots changed")
		}
	})
}

// TestUnionByNameReadsAnAddedColumn publishes a quarter, adds a column to
// the table (as a new format version would), publishes the next quarter,
// and reads both the way the README tells evaluators to.
func TestUnionByNameReadsAnAddedColumn(t *testing.T) {
	f := newFixture(t)
	f.load("2026Q2", sampleRows(5))
	f.publish(f.snapshot("2026Q2", created))
	if _, err := f.w.DB().Exec("ALTER TABLE cases ADD COLUMN region VARCHAR"); err != nil {
		t.Fatal(err)
	}
	f.load("2026Q3", sampleRows(7))
	if _, err := f.w.DB().Exec("UPDATE cases SET region = 'flanders' WHERE quarter = '2026Q3'"); err != nil {
		t.Fatal(err)
	}
	if res := f.publish(f.snapshot("2026Q3", created)); res.Outcome != Published {
		t.Fatalf("outcome %s", res.Outcome)
	}
	glob := filepath.Join(f.root(), "*", "cases.parquet")
	q := fmt.Sprintf(`SELECT quarter, count(*), count(region), min(region)
		FROM read_parquet(%s, hive_partitioning = true, union_by_name = true) GROUP BY quarter ORDER BY quarter`, Literal(glob))
	got := warehouseRows(t, f.w, q)
	want := [][]string{{"s:2026Q2", "int64:5", "int64:0", "NULL"}, {"s:2026Q3", "int64:7", "int64:7", "s:flanders"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("union_by_name read %v, want %v", got, want)
	}
}

// TestRowsDigest shows the content digest changes with any value, NULL
// or column name, and not with anything else.
func TestRowsDigest(t *testing.T) {
	f := newFixture(t)
	digest := func(q string) string {
		d, _, err := f.w.RowsDigest(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := digest("SELECT 'a' AS x, 1.5 AS y")
	for _, q := range []string{
		"SELECT 'b' AS x, 1.5 AS y", "SELECT NULL::VARCHAR AS x, 1.5 AS y", "SELECT '' AS x, 1.5 AS y",
		"SELECT 'a' AS z, 1.5 AS y", "SELECT 'a' AS x, 1.25 AS y", "SELECT 'a' AS x, 1.5::DOUBLE AS y",
	} {
		if digest(q) == base {
			t.Errorf("%s has the digest of SELECT 'a' AS x, 1.5 AS y", q)
		}
	}
	if digest("SELECT 'a' AS x, 1.5 AS y") != base {
		t.Error("the digest is not reproducible")
	}
}

// TestPublishKeepsAReleaseFromBeforeManifests moves a snapshot directory
// written before releases had manifests aside as version 0 instead of
// overwriting it.
func TestPublishKeepsAReleaseFromBeforeManifests(t *testing.T) {
	f := newFixture(t)
	old := ReleaseDir(f.root(), "2026Q3")
	if err := os.MkdirAll(old, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "trajectories.parquet"), []byte("old snapshot"), 0o640); err != nil {
		t.Fatal(err)
	}
	f.load("2026Q3", sampleRows(3))
	res := f.publish(f.snapshot("2026Q3", created))
	if res.Outcome != Corrected || res.Manifest.Version != 1 || res.Manifest.Supersedes == nil || res.Manifest.Supersedes.Version != 0 {
		t.Fatalf("outcome %s, manifest %+v", res.Outcome, res.Manifest)
	}
	data, err := os.ReadFile(filepath.Join(f.out, "superseded", "quarter=2026Q3", "version=0", "trajectories.parquet"))
	if err != nil || string(data) != "old snapshot" {
		t.Errorf("the old snapshot was not kept: %q, %v", data, err)
	}
}
