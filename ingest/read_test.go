package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"doorstroom/config"
)

const header = "case_id,birth_year,sex,nationality,household,arrival_year,intake_date,shelter,exploration_date,realisation_date,dvz_consent_date,dvz_first_talk_date,dvz_talks,fedasil_first_talk_date,fedasil_talks,procedure,outflow_date,outflow_type"

// TestDemoInboxPassesClean reads the committed demo inbox: no cell of it
// may be taken for a direct identifier, and every file but the demo's one
// deliberately flawed file is accepted.
func TestDemoInboxPassesClean(t *testing.T) {
	opts := testOptions(t)
	files, _, err := ScanInbox("../testdata/demo/inbox")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("demo inbox has %d files", len(files))
	}
	rejected := 0
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Partner, o.Quarter = f.Partner, f.Quarter
		s := mustRead(t, string(data), o)
		for _, i := range s.Issues {
			if strings.HasPrefix(i.Rule, "identifier_") {
				t.Errorf("%s: false identifier: %v", f.Name, i)
			}
		}
		if s.Status != Accepted {
			rejected++
			if rejected > 1 {
				t.Errorf("%s: %s with %d errors, first %v", f.Name, s.Status, s.Issues.Errors(), s.Issues[0])
			}
		}
	}
	if rejected != 1 {
		t.Errorf("%d demo files not accepted, want exactly the flawed one", rejected)
	}
}

func TestLinesCountEmbeddedNewlines(t *testing.T) {
	data := header + ",Note\n" +
		"A-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,,\"two\nlines\"\n" +
		"A-2,1980,M,MA,single,2000,2026-02-30,yes,,,,,,,,none,,,x\n"
	s := mustRead(t, data, testOptions(t))
	var got []int
	for _, i := range s.Issues {
		if i.Rule == ruleDateImpossible {
			got = append(got, i.Line)
		}
	}
	if len(got) != 1 || got[0] != 4 {
		t.Errorf("impossible date reported on lines %v, want [4] (the quoted newline counts)", got)
	}
}

func TestDropRowsPolicy(t *testing.T) {
	data := header + "\n" +
		"A-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,\n" +
		"A-2,1980,M,MA,single,2000,2026-02-30,yes,,,,,,,,none,,\n" +
		"A-3,1980,Q,MA,single,2000,2026-01-03,yes,,,,,,,,none,,\n" +
		"A-4,1980,M,MA,single,2000,2026-01-04,yes,,,,,,,,none,,\n"
	tests := []struct {
		policy            string
		status            Status
		accepted, dropped int
		records           int64
	}{
		{config.PolicyRejectFile, Rejected, 0, 0, 0},
		{config.PolicyDropRows, Accepted, 2, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			o := testOptions(t)
			o.Policy = tt.policy
			s := mustRead(t, data, o)
			var n int64
			for _, r := range s.Records {
				n += r.NumRows()
			}
			if s.Status != tt.status || s.Accepted != tt.accepted || s.Dropped != tt.dropped || n != tt.records || s.Policy != tt.policy {
				t.Errorf("got %s, %d accepted, %d dropped, %d records, policy %s", s.Status, s.Accepted, s.Dropped, n, s.Policy)
			}
		})
	}
}

// TestQuarantineOverridesPolicy: an identifier quarantines the whole file
// even when the partner's policy would keep good rows.
func TestQuarantineOverridesPolicy(t *testing.T) {
	data := header + "\n" +
		"A-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,\n" +
		"jan@example.be,1980,M,MA,single,2000,2026-01-02,yes,,,,,,,,none,,\n"
	o := testOptions(t)
	o.Policy = config.PolicyDropRows
	s := mustRead(t, data, o)
	if s.Status != Quarantined || len(s.Records) != 0 || s.Accepted != 0 {
		t.Errorf("got %s with %d records, %d accepted; want quarantined and nothing kept", s.Status, len(s.Records), s.Accepted)
	}
}

// TestBareRunsJudgedPerColumn: a column whose 11-digit values mostly pass
// the national-number check holds national numbers; a column of numeric
// case numbers where a few pass by chance does not. The parse error of a
// cell whose value is withheld never quotes it.
func TestBareRunsJudgedPerColumn(t *testing.T) {
	row := func(id, talks string) string {
		return id + ",1980,M,MA,single,2000,2026-01-01,yes,,,,," + talks + ",,,none,,\n"
	}
	t.Run("national numbers in a count column", func(t *testing.T) {
		s := mustRead(t, header+"\n"+row("A-1", "85073003328")+row("A-2", ""), testOptions(t))
		if s.Status != Quarantined {
			t.Fatalf("status %s, want quarantined", s.Status)
		}
		for _, i := range s.Issues {
			if i.Rule == "value_count" {
				t.Errorf("the count error quotes a national number: %v", i)
			}
		}
	})
	t.Run("a case number that passes by chance among many", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(header + "\n")
		// 123456782 passes the 11-test; 123456789 … do not.
		for _, id := range []string{"123456782", "123456789", "123456790", "123456791", "123456792"} {
			b.WriteString(row(id, ""))
		}
		if s := mustRead(t, b.String(), testOptions(t)); s.Status != Accepted {
			t.Errorf("status %s: %v", s.Status, s.Issues)
		}
	})
	t.Run("an unjudged run still reports its cell", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(header + "\n")
		b.WriteString(row("B-1", "123456782"))
		for i := 0; i < 4; i++ {
			b.WriteString(row("C-"+string(rune('0'+i)), "12345678"+string(rune('3'+i))))
		}
		s := mustRead(t, b.String(), testOptions(t))
		if s.Status != Rejected {
			t.Fatalf("status %s: %v", s.Status, s.Issues)
		}
		if n := countRule(s.Issues, "value_count"); n != 5 {
			t.Errorf("%d value_count issues, want 5: %v", n, s.Issues)
		}
	})
}

func countRule(is Issues, rule string) int {
	n := 0
	for _, i := range is {
		if i.Rule == rule {
			n++
		}
	}
	return n
}

func TestMaxIssuesBoundsTheList(t *testing.T) {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := 0; i < 50; i++ {
		b.WriteString("A-" + strings.Repeat("x", i+1) + ",1980,M,MA,single,2000,2026-02-30,yes,,,,,,,,none,,\n")
	}
	o := testOptions(t)
	o.MaxIssues = 10
	s := mustRead(t, b.String(), o)
	if got := countRule(s.Issues, ruleDateImpossible); got != 10 || s.Omitted != 40 || countRule(s.Issues, "issues_omitted") != 1 {
		t.Errorf("%d listed, %d omitted", got, s.Omitted)
	}
	if v := Verdict(s, loadFixture(t).tr, "en"); !strings.Contains(v, "50 errors") {
		t.Errorf("verdict %q does not count the omitted errors", v)
	}
}

// TestPartnerLabels: a partner's own labels (network configuration) add
// to the programme's, for headers, codes and identifier headers.
func TestPartnerLabels(t *testing.T) {
	fx := loadFixture(t)
	o := testOptions(t)
	o.Labels = fx.prog.LabelsFor(config.Partner{Labels: config.Labels{
		Headers:     map[string][]string{"case_id": {"Cliëntcode"}},
		Codes:       map[string]map[string][]string{"outflow_type": {"voluntary_return": {"terug naar land"}}},
		Identifiers: map[string][]string{"name": {"Begeleider"}},
	}})
	data := strings.Replace(header, "case_id", "Cliëntcode", 1) + "\n" +
		"A-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,2026-03-01,terug naar land\n"
	s := mustRead(t, data, o)
	if s.Status != Accepted || s.Records[0].Column(18).ValueStr(0) != "voluntary_return" {
		t.Fatalf("partner labels not used: %s %v", s.Status, s.Issues)
	}
	s = mustRead(t, strings.Replace(data, "\n", ",Begeleider\n", 1), o)
	if s.Status != Quarantined {
		t.Errorf("partner identifier header not used: %s", s.Status)
	}
}

func TestHeaderNamesAsWritten(t *testing.T) {
	data := strings.Replace(header, "intake_date", "  Datum Intake ", 1) + "\n" +
		"A-1,1980,M,MA,single,2000,31/13/2025,yes,,,,,,,,none,,\n"
	s := mustRead(t, data, testOptions(t))
	i := s.Issues[0]
	if i.Column != "intake_date" || i.Header != "Datum Intake" || i.Field != 7 || i.Line != 2 {
		t.Errorf("issue %+v: want canonical intake_date, header as written, field 7, line 2", i)
	}
	if got := i.Error(); got != `test/2026Q1.csv:2: column G "Datum Intake" (intake_date): value_date_impossible: value=31/13/2025` {
		t.Errorf("Error() = %s", got)
	}
}

func TestCancelledRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadBytes(ctx, []byte(header+"\nA,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,\n"), "x", testOptions(t)); err == nil {
		t.Error("a cancelled read returned no error")
	}
}

func TestColumnLetter(t *testing.T) {
	for n, want := range map[int]string{1: "A", 7: "G", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA"} {
		if got := ColumnLetter(n); got != want {
			t.Errorf("ColumnLetter(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestReadHashedKeepsTheSum: ReadBytes records the bytes' SHA-256, and
// ReadHashed the one its caller computed, without hashing again.
func TestReadHashedKeepsTheSum(t *testing.T) {
	data := []byte(header + "\nA-1,1980,M,MA,single,2000,2026-01-01,yes,,,,,,,,none,,\n")
	s := mustRead(t, string(data), testOptions(t))
	if want := sha256Hex(data); s.SHA256 != want {
		t.Errorf("ReadBytes recorded %s, want %s", s.SHA256, want)
	}
	given := strings.Repeat("ab", 32)
	h, err := ReadHashed(context.Background(), data, given, "test/2026Q1.csv", testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Release()
	if h.SHA256 != given || h.Status != s.Status || h.Rows != s.Rows {
		t.Errorf("ReadHashed: %s %s %d rows, want %s %s %d rows", h.SHA256, h.Status, h.Rows, given, s.Status, s.Rows)
	}
}
