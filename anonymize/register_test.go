package anonymize

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// TestRegister makes the register of three input batches: a batch for
// each, in the register's schema, the quarter on every row, the kept
// columns shared with the input (not copied), the class of each outflow
// type (null where there is none or the code is in no class), and no
// memory left once the batches are released. Input in another schema is
// refused.
func TestRegister(t *testing.T) {
	f := atnFormat(t)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	outflows := []string{"legal_residence", "lost_contact", "", "forced_return", "not_a_code"}
	want := []string{"durable", "no_solution", "", "forced_departure", ""}
	var recs []arrow.Record
	for b := range 3 {
		var rows []map[string]any
		for i := range 2 + b {
			row := atnRow(10*b+i, []string{"gent", "liege"}[i%2])
			if o := outflows[(10*b+i)%len(outflows)]; o != "" {
				row["outflow_date"], row["outflow_type"] = "2026-08-01", o
			}
			rows = append(rows, row)
		}
		recs = append(recs, ingestRecord(mem, f, rows))
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	q, _ := period.Parse("2026Q3")
	reg, err := Register(recs, Options{Format: f, Quarter: q, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, r := range reg {
			r.Release()
		}
	}()
	if len(reg) != len(recs) {
		t.Fatalf("%d register batches of %d input batches", len(reg), len(recs))
	}
	for b, r := range reg {
		in := recs[b]
		if !r.Schema().Equal(RegisterSchema(f)) || r.NumRows() != in.NumRows() {
			t.Fatalf("batch %d: %d rows in %v", b, r.NumRows(), r.Schema())
		}
		for i := range int(r.NumRows()) {
			if got := r.Column(0).(*array.String).Value(i); got != "2026Q3" {
				t.Errorf("batch %d row %d: quarter %q", b, i, got)
			}
			class := r.Column(r.Schema().FieldIndices(ClassField("outflow_type"))[0]).(*array.String)
			got := ""
			if class.IsValid(i) {
				got = class.Value(i)
			}
			if w := want[(10*b+i)%len(want)]; got != w {
				t.Errorf("batch %d row %d: outflow class %q, want %q", b, i, got, w)
			}
		}
		for _, name := range []string{PartnerField, "intake_date", "shelter", "outflow_type"} {
			got := r.Column(r.Schema().FieldIndices(name)[0]).Data().Buffers()[1]
			wantBuf := in.Column(in.Schema().FieldIndices(name)[0]).Data().Buffers()[1]
			if got != wantBuf {
				t.Errorf("batch %d: column %s is a copy, not the input's", b, name)
			}
		}
	}
	if _, err := Register([]arrow.Record{reg[0]}, Options{Format: f, Quarter: q, Mem: mem}); err == nil {
		t.Error("a batch that is not in the ingest schema was taken")
	}
}

// TestPseudonymsOnEveryCore computes a release's pseudonyms on one and
// on several cores, from batches of uneven and empty sizes, and holds
// each row's equal to the pseudonym of its own partner and case number.
func TestPseudonymsOnEveryCore(t *testing.T) {
	f := atnFormat(t)
	key, err := config.KeySpec{Env: "DOORSTROOM_TEST_KEY_UNSET", Demo: "a-test-key-that-is-at-least-32-bytes"}.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	b := &builders{opts: Options{Key: key, ReleaseID: "2026Q3-test"}, keyInput: f.ColumnIndex(f.Key) + 1}
	ref := NewPseudonymizer(key, "2026Q3-test")
	for _, tc := range []struct {
		name  string
		sizes []int
	}{
		{"one batch", []int{7}},
		{"uneven batches", []int{1, 9, 2, 30, 4}},
		{"empty batches", []int{0, 3, 0, 0, 5, 0}},
		{"fewer rows than cores", []int{1}},
	} {
		for _, procs := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/%d cores", tc.name, procs), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				var recs []arrow.Record
				var want []string
				n := 0
				for _, size := range tc.sizes {
					var rows []map[string]any
					for range size {
						row := atnRow(n, []string{"gent", "liege"}[n%2])
						rows = append(rows, row)
						want = append(want, ref.Pseudonym(row["partner"].(string), row["case_id"].(string)))
						n++
					}
					rec := ingestRecord(memory.DefaultAllocator, f, rows)
					defer rec.Release()
					recs = append(recs, rec)
				}
				got := b.pseudonyms(recs, n)
				if len(got) != n*PseudonymLength {
					t.Fatalf("%d bytes for %d rows", len(got), n)
				}
				for g, w := range want {
					if p := string(got[g*PseudonymLength:][:PseudonymLength]); p != w {
						t.Fatalf("row %d: pseudonym %s, want %s", g, p, w)
					}
				}
			})
		}
	}
}

// atnFormat is the atn programme's export format from the embedded
// configuration.
func atnFormat(t *testing.T) *config.Format {
	t.Helper()
	prog, err := config.DefaultProgramme("atn")
	if err != nil {
		t.Fatal(err)
	}
	return prog.Format
}
