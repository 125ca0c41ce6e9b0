package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzRead feeds the reader arbitrary bytes. Its seed corpus
// (testdata/fuzz/FuzzRead) holds every export of testdata/ingest and a
// few demo files. Besides not crashing or hanging, every read must keep
// the reader's promises: counts add up, a refused file keeps no rows, every
// issue has a sentence and a place inside the file, no issue argument
// carries a detected identifier, the answer renders, and reading is
// deterministic.
func FuzzRead(f *testing.F) {
	f.Add([]byte(header + "\nA-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,\n"))
	f.Add([]byte("sep=;\r\ncase_id;intake_date\r\nA;31/03/2026\r\n"))
	f.Add([]byte("case_id,intake_date,Extra\nA,2026-01-01,85.07.30-033.28\n"))
	opts := testOptions(f)
	tr := loadFixture(f).tr
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadBytes(context.Background(), data, "fuzz/2026Q1.csv", opts)
		if err != nil {
			t.Fatalf("read error: %v", err)
		}
		defer s.Release()
		var recRows int64
		for _, r := range s.Records {
			recRows += r.NumRows()
		}
		switch s.Status {
		case Accepted:
			if s.Accepted+s.Dropped != s.Rows || int64(s.Accepted) != recRows || s.Accepted == 0 {
				t.Fatalf("accepted with %d rows = %d accepted + %d dropped, %d in records", s.Rows, s.Accepted, s.Dropped, recRows)
			}
		case Rejected, Quarantined:
			if recRows != 0 || s.Accepted != 0 || s.Issues.Errors() == 0 {
				t.Fatalf("%s but %d rows kept, %d errors", s.Status, recRows, s.Issues.Errors())
			}
		default:
			t.Fatalf("status %q", s.Status)
		}
		if (s.Status == Quarantined) != s.hasIdentifier() {
			t.Fatalf("status %s with identifier issues %v", s.Status, s.hasIdentifier())
		}
		lines := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
		for _, i := range s.Issues {
			if !tr.Has("rules." + i.Rule) {
				t.Fatalf("rule %q has no sentence", i.Rule)
			}
			if i.Line < 0 || i.Line > lines {
				t.Fatalf("issue on line %d of a file of at most %d lines", i.Line, lines)
			}
			for k, v := range i.Args {
				if k == "lines" || k == "allowed" || k == "names" || k == "required" {
					continue
				}
				for _, fd := range scanValue(v, nil) {
					if fd.valid && !fd.bare {
						t.Fatalf("issue %s argument %s carries a %s", i.Rule, k, fd.kind)
					}
				}
			}
			for _, fd := range scanValue(i.Header, nil) {
				if fd.valid && !fd.bare {
					t.Fatalf("issue %s names a header that is a %s", i.Rule, fd.kind)
				}
			}
		}
		a := NewAnswer(s, tr, "nl")
		if _, err := a.CSV(); err != nil {
			t.Fatal(err)
		}
		if _, err := a.HTML(); err != nil {
			t.Fatal(err)
		}
		var first bytes.Buffer
		a.WriteText(&first)
		again, err := ReadBytes(context.Background(), data, "fuzz/2026Q1.csv", opts)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Release()
		var second bytes.Buffer
		NewAnswer(again, tr, "nl").WriteText(&second)
		if first.String() != second.String() {
			t.Fatalf("two reads differ:\n%s\n%s", first.String(), strings.Repeat("-", 10)+second.String())
		}
	})
}
