package anonymize

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// atnRelease anonymises rows (column name -> value) of the atn format.
func atnRelease(t *testing.T, rows []map[string]any, p Privacy) (*Release, *config.Format) {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Partners = []config.Partner{{Code: "gent", Region: "flanders"}, {Code: "liege", Region: "wallonia"}}
	prog, err := cfg.Programme("atn")
	if err != nil {
		t.Fatal(err)
	}
	hiers, err := LoadHierarchies(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := prog.Format
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	// Batches of at most 25 rows, so releases are made from several.
	var recs []arrow.Record
	for start := 0; start < len(rows); start += 25 {
		rec := ingestRecord(mem, f, rows[start:min(start+25, len(rows))])
		defer rec.Release()
		recs = append(recs, rec)
	}
	key, err := config.KeySpec{Env: "DOORSTROOM_TEST_KEY_UNSET", Demo: "a-test-key-that-is-at-least-32-bytes"}.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	q, _ := period.Parse("2026Q3")
	rel, err := Anonymize(context.Background(), recs, Options{Format: f, Hierarchies: hiers, Quarter: q,
		ReleaseID: "2026Q3-test", Key: key, Privacy: p, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rel.Free)
	return rel, f
}

// ingestRecord is an ingest batch of the format's rows (column name ->
// value).
func ingestRecord(mem memory.Allocator, f *config.Format, rows []map[string]any) arrow.Record {
	b := array.NewRecordBuilder(mem, ingest.Schema(f))
	defer b.Release()
	for _, row := range rows {
		for i, fld := range b.Schema().Fields() {
			v, ok := row[fld.Name]
			if !ok || v == nil {
				b.Field(i).AppendNull()
				continue
			}
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Int32Builder:
				fb.Append(int32(v.(int)))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.Date32Builder:
				d, _ := time.Parse(time.DateOnly, v.(string))
				fb.Append(arrow.Date32FromTime(d))
			}
		}
	}
	return b.NewRecord()
}

// column returns a microdata column as text ("" for null).
func column(t *testing.T, rel *Release, name string) []string {
	t.Helper()
	var out []string
	for _, rec := range rel.Microdata {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("no column %s in %v", name, rec.Schema())
		}
		a := rec.Column(idx[0])
		for i := range a.Len() {
			if a.IsNull(i) {
				out = append(out, "")
			} else {
				out = append(out, a.ValueStr(i))
			}
		}
	}
	return out
}

func atnRow(i int, partner string) map[string]any {
	procedures := []string{"asylum", "regularisation", "none"}
	return map[string]any{
		"partner": partner, "case_id": fmt.Sprintf("CASE-%03d", i), "birth_year": 1980 + i%7, "sex": []string{"F", "M"}[i%2],
		"nationality": []string{"MA", "DZ", "GN"}[i%3], "household": "single", "arrival_year": 2015 + i%4,
		"intake_date": fmt.Sprintf("2026-0%d-1%d", 1+i%6, i%9), "shelter": i%3 == 0,
		"exploration_date": fmt.Sprintf("2026-0%d-2%d", 1+i%6, i%9), "procedure": procedures[i%3],
	}
}

// TestAnonymizeRelease checks the microdata of a feasible release: the
// rows are all there, every class has k records, the linked dates follow
// the months' level, and no case number is published.
func TestAnonymizeRelease(t *testing.T) {
	var rows []map[string]any
	for i := range 60 {
		rows = append(rows, atnRow(i, []string{"gent", "liege"}[i%2]))
	}
	p := Privacy{K: 5, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor}
	rel, f := atnRelease(t, rows, p)
	r := rel.Risk
	if !r.Feasible || rel.Rows() != 60 || r.Release != "2026Q3-test" || r.Quarter != "2026Q3" {
		t.Fatalf("feasible %v, rows %d, release %q %q", r.Feasible, rel.Rows(), r.Release, r.Quarter)
	}
	t.Logf("levels %v, suppressed %d", r.Levels, r.Suppressed)
	if len(r.Diversity) != 2 {
		t.Errorf("diversity rules %v, want the format's two", r.Diversity)
	}
	classes := map[string]int{}
	cols := make([][]string, len(r.QuasiIdentifiers))
	for q, name := range r.QuasiIdentifiers {
		cols[q] = column(t, rel, name)
	}
	for i := range 60 {
		key := ""
		for q := range cols {
			key += cols[q][i] + "|"
		}
		classes[key]++
	}
	for key, n := range classes {
		if n < p.K {
			t.Errorf("class %s has %d records", key, n)
		}
	}
	// The exploration month is generalised to the intake/outflow level.
	level := 0
	for q, name := range r.QuasiIdentifiers {
		if name == "intake_month" || name == "outflow_month" {
			level = max(level, r.Levels[q])
		}
	}
	want := map[int]*regexp.Regexp{0: regexp.MustCompile(`^2026-0\d$`), 1: regexp.MustCompile(`^2026Q\d$`),
		2: regexp.MustCompile(`^2026$`), 3: regexp.MustCompile(`^\*$`)}[level]
	for i, v := range column(t, rel, "exploration_month") {
		if !want.MatchString(v) && v != Suppressed {
			t.Fatalf("row %d: exploration_month %q at level %d", i, v, level)
		}
	}
	for _, v := range column(t, rel, PseudonymField) {
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(v) {
			t.Fatalf("pseudonym %q", v)
		}
	}
	// The register keeps the trajectory's dates and shelter, not age.
	reg := RegisterSchema(f)
	for name, in := range map[string]bool{"intake_date": true, "outflow_date": true, "shelter": true, "birth_year": false, "nationality": false, "case_id": false} {
		if got := len(reg.FieldIndices(name)) == 1; got != in {
			t.Errorf("register has %s: %v, want %v", name, got, in)
		}
	}
}

// TestAnonymizeInfeasible: with fewer records than k nothing satisfies the
// model; every quasi-identifier, linked date and sensitive value is *.
func TestAnonymizeInfeasible(t *testing.T) {
	rows := []map[string]any{atnRow(1, "gent"), atnRow(2, "gent"), atnRow(3, "liege")}
	rows[0]["outflow_date"], rows[0]["outflow_type"] = "2026-08-01", "forced_return"
	rel, _ := atnRelease(t, rows, Privacy{K: 5, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor})
	if rel.Risk.Feasible || rel.Risk.Suppressed != 3 {
		t.Fatalf("feasible %v, suppressed %d", rel.Risk.Feasible, rel.Risk.Suppressed)
	}
	for _, name := range append(rel.Risk.QuasiIdentifiers, "exploration_month", "procedure") {
		for i, v := range column(t, rel, name) {
			if v != Suppressed {
				t.Errorf("row %d: %s is %q, want *", i, name, v)
			}
		}
	}
	// Only the first case's outflow type is known.
	known := testPseudonym(t, "gent", "CASE-001")
	types, classes := column(t, rel, "outflow_type"), column(t, rel, ClassField("outflow_type"))
	for i, p := range column(t, rel, PseudonymField) {
		want := map[bool]string{true: Suppressed, false: ""}[p == known]
		if types[i] != want {
			t.Errorf("row %d: outflow_type %q, want %q: * where known, null where unknown", i, types[i], want)
		}
		if classes[i] != want {
			t.Errorf("row %d: outflow_class %q, want %q: the class of a withheld outflow type is withheld too", i, classes[i], want)
		}
	}
}

// testPseudonym is the pseudonym atnRelease gives a partner's case.
func testPseudonym(t *testing.T, partner, caseID string) string {
	t.Helper()
	key, err := config.KeySpec{Env: "DOORSTROOM_TEST_KEY_UNSET", Demo: "a-test-key-that-is-at-least-32-bytes"}.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	return NewPseudonymizer(key, "2026Q3-test").Pseudonym(partner, caseID)
}

// TestMicrodataOrder checks that the microdata comes in MicrodataOrder
// (generalised partner, then pseudonym) and that every row still carries
// its own record's values: the pseudonym, the procedure (copied), the
// quasi-identifiers published at their own level and the exploration
// month (derived), across several input batches.
func TestMicrodataOrder(t *testing.T) {
	var rows []map[string]any
	for i := range 90 {
		// Records i and i+45 differ only in their case and sensitive
		// values: every class of the bottom node has two, diverse
		// enough, so nothing needs generalising at k=2, l=2.
		row := atnRow(i%45, []string{"gent", "liege", "gent"}[i%45%3])
		row["case_id"] = fmt.Sprintf("CASE-%03d", i)
		row["procedure"] = []string{"asylum", "medical"}[i/45]
		row["outflow_date"], row["outflow_type"] = "2026-08-01", []string{"legal_residence", "lost_contact"}[i/45]
		rows = append(rows, row)
	}
	rel, _ := atnRelease(t, rows, Privacy{K: 2, Suppression: 0.05, Metric: MetricLoss, GSFactor: DefaultGSFactor})
	if len(rel.Microdata) != 1 || rel.Rows() != 90 {
		t.Fatalf("%d batches, %d rows", len(rel.Microdata), rel.Rows())
	}
	partners, pseudonyms := column(t, rel, PartnerField), column(t, rel, PseudonymField)
	for i := 1; i < len(pseudonyms); i++ {
		if partners[i-1] > partners[i] || partners[i-1] == partners[i] && pseudonyms[i-1] >= pseudonyms[i] {
			t.Fatalf("rows %d and %d out of order: (%s, %s) then (%s, %s)", i-1, i, partners[i-1], pseudonyms[i-1], partners[i], pseudonyms[i])
		}
	}
	input := map[string]map[string]any{}
	for _, row := range rows {
		input[testPseudonym(t, row["partner"].(string), row["case_id"].(string))] = row
	}
	procedures, sexes, months := column(t, rel, "procedure"), column(t, rel, "sex"), column(t, rel, "exploration_month")
	levels := map[string]int{}
	for q, name := range rel.Risk.QuasiIdentifiers {
		levels[name] = rel.Risk.Levels[q]
	}
	if levels[PartnerField] != 0 || levels["sex"] != 0 || levels["intake_month"] != 0 || levels["outflow_month"] != 0 {
		t.Fatalf("levels %v: the test needs the partner, sex and months ungeneralised", levels)
	}
	for i, p := range pseudonyms {
		row, ok := input[p]
		if !ok {
			t.Fatalf("row %d: pseudonym %s is no input record's", i, p)
		}
		delete(input, p)
		if procedures[i] != row["procedure"] {
			t.Errorf("row %d: procedure %q, its record's is %q", i, procedures[i], row["procedure"])
		}
		if sexes[i] != row["sex"] {
			t.Errorf("row %d: sex %q, its record's is %q", i, sexes[i], row["sex"])
		}
		if partners[i] != row["partner"] {
			t.Errorf("row %d: partner %q, its record's is %q", i, partners[i], row["partner"])
		}
		if month := row["exploration_date"].(string)[:7]; months[i] != month {
			t.Errorf("row %d: exploration month %q, its record's is %q", i, months[i], month)
		}
	}
}
