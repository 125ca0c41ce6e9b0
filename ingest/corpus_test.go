package ingest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"doorstroom/config"
	"doorstroom/internal/period"
)

var update = flag.Bool("update", false, "rewrite the .want files of the corpus from what the reader says")

// TestCorpus reads every export in testdata/ingest/{bad,good} and compares
// what the reader says with the .want file beside it: the status, the row
// counts and every issue with its place, rule and English sentence. A
// .want file may start with "# options: policy=drop_rows quarter=2025Q4";
// that line is kept on -update.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("../testdata/ingest/*/*.csv")
	if len(files) < 40 {
		t.Fatalf("corpus has %d files, want at least 40", len(files))
	}
	bad := 0
	for _, path := range files {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			wantPath := strings.TrimSuffix(path, ".csv") + ".want"
			want, _ := os.ReadFile(wantPath)
			opts, header := corpusOptions(t, string(want))
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := mustRead(t, string(data), opts)
			got := header + renderSubmission(t, s)
			if *update {
				if err := os.WriteFile(wantPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want) {
				t.Errorf("%s: the reader says\n%s\nwant\n%s", name, got, want)
			}
			if strings.HasPrefix(name, "good/") && s.Status != Accepted {
				t.Errorf("%s: a real-looking export is %s", name, s.Status)
			}
			if strings.HasPrefix(name, "bad/") && s.Issues.Errors() == 0 {
				t.Errorf("%s: a bad file without errors", name)
			}
			if s.Status == Quarantined {
				checkNoIdentifierRepeated(t, data, s)
			}
		})
		if strings.HasPrefix(name, "bad/") {
			bad++
		}
	}
	if bad < 30 {
		t.Errorf("corpus has %d bad files, want at least 30", bad)
	}
}

// corpusOptions reads the options line of a .want file.
func corpusOptions(t *testing.T, want string) (Options, string) {
	opts := testOptions(t)
	first, _, _ := strings.Cut(want, "\n")
	if !strings.HasPrefix(first, "# options:") {
		return opts, ""
	}
	for _, kv := range strings.Fields(strings.TrimPrefix(first, "# options:")) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "policy":
			opts.Policy = v
		case "quarter":
			q, err := period.Parse(v)
			if err != nil {
				t.Fatal(err)
			}
			opts.Quarter = q
		default:
			t.Fatalf("unknown corpus option %q", k)
		}
	}
	return opts, first + "\n"
}

// renderSubmission writes what the corpus compares: status, counts, and
// one line per issue in the form of Issue.Error with the English sentence.
func renderSubmission(t *testing.T, s *Submission) string {
	tr := loadFixture(t).tr
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s\n", s.Status)
	fmt.Fprintf(&b, "encoding: %s\n", s.Encoding)
	fmt.Fprintf(&b, "rows: %d, accepted: %d, dropped: %d\n", s.Rows, s.Accepted, s.Dropped)
	for _, i := range s.Issues {
		if !tr.Has("rules." + i.Rule) {
			t.Errorf("rule %s has no sentence", i.Rule)
		}
		place := ""
		if i.Line > 0 {
			place = fmt.Sprintf("%d", i.Line)
		}
		if p := i.Place(); p != "" {
			place += ": " + p
		}
		fmt.Fprintf(&b, "%s %s: %s: %s\n", i.Severity, place, i.Rule, i.Message(tr, "en"))
	}
	// The accepted rows, as the next stage gets them.
	for _, rec := range s.Records {
		for r := 0; r < int(rec.NumRows()); r++ {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				if col := rec.Column(c); col.IsValid(r) {
					cells[c] = col.ValueStr(r)
				}
			}
			fmt.Fprintf(&b, "row %s\n", strings.Join(cells, "|"))
		}
	}
	return b.String()
}

// checkNoIdentifierRepeated renders the answer of a quarantined file in
// every language and form and makes sure no cell that looks like an
// identifier, nor any long token of it, appears in it.
func checkNoIdentifierRepeated(t *testing.T, data []byte, s *Submission) {
	t.Helper()
	tr := loadFixture(t).tr
	var outputs [][]byte
	for _, lang := range config.Languages {
		a := NewAnswer(s, tr, lang)
		c, err := a.CSV()
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.HTML()
		if err != nil {
			t.Fatal(err)
		}
		var txt bytes.Buffer
		a.WriteText(&txt)
		outputs = append(outputs, c, h, txt.Bytes())
	}
	text, _, _ := decode(data)
	for _, cell := range strings.FieldsFunc(string(text), func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == '\n' || r == '\r' }) {
		cell = strings.Trim(strings.TrimSpace(cell), `"`)
		found := false
		for _, f := range scanValue(cell, nil) {
			found = found || f.valid
		}
		if !found {
			continue
		}
		needles := []string{cell}
		for _, tok := range strings.Fields(cell) {
			if len(tok) >= 6 {
				needles = append(needles, tok)
			}
		}
		for _, out := range outputs {
			for _, n := range needles {
				if bytes.Contains(out, []byte(n)) {
					t.Errorf("the answer repeats the identifier-like value %q", n)
				}
			}
		}
	}
}
