package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// readAll reads every record of rs with the line and column of each field,
// as text, to compare two readers.
func readAll(t *testing.T, rs records) []string {
	t.Helper()
	var out []string
	for i := 0; i < 10000; i++ {
		rec, err := rs.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			return append(out, "error: "+err.Error())
		}
		var pos []string
		for f := range rec {
			line, col := rs.FieldPos(f)
			pos = append(pos, fmt.Sprintf("%d:%d", line, col))
		}
		out = append(out, fmt.Sprintf("%q at %s", rec, strings.Join(pos, " ")))
	}
	t.Fatal("no end")
	return nil
}

// csvReader is encoding/csv configured as readInto configures it.
func csvReader(text string, comma rune, trim bool) records {
	return csvRecords(strings.NewReader(text), comma, trim)
}

// TestSplitRecordsMatchCSV: on texts without a double quote, the split
// reader gives the records, lines and columns encoding/csv gives, for
// every delimiter readInto uses, trimmed and not. The texts are drawn from
// the characters its rules turn on: delimiters, LF, CR, blanks, the
// Unicode spaces encoding/csv trims (NBSP, NEL, vertical tab), letters
// of one and two bytes, and a byte that is not UTF-8.
func TestSplitRecordsMatchCSV(t *testing.T) {
	fixed := []string{
		"", "\n", "\n\n", "\r\n", "\r", "a", "a\n", "a\r\n", "a\r", "a\rb\n", "a\r\r\n",
		"a,b\n\nc,d\n", "a,,b,\n,\n", " a, b ,  c\n", "a,   \n", "  \n", "\t\n",
		"\u00a0a,\u0085b,\vc\n", "é,ü\r\nx", "a;b|c\td\n", "\xff,a\n", "a,b", "\n\na\n\n",
	}
	alphabet := []string{"a", "bc", "é", ",", ";", "\t", "|", " ", "\n", "\r", "\r\n", "\u00a0", "\u0085", "\v", "\xff", ""}
	r := rand.New(rand.NewPCG(20, 26))
	var texts []string
	texts = append(texts, fixed...)
	for range 3000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, comma := range []rune{',', ';', '\t', '|'} {
		for _, trim := range []bool{true, false} {
			t.Run(fmt.Sprintf("%q trim=%v", comma, trim), func(t *testing.T) {
				for _, text := range texts {
					split := newRecords([]byte(text), comma, trim)
					if _, ok := split.(*splitRecords); !ok {
						t.Fatalf("%q: not read by splitRecords", text)
					}
					got, want := readAll(t, split), readAll(t, csvReader(text, comma, trim))
					if !slices.Equal(got, want) {
						t.Fatalf("%q:\n got %q\nwant %q", text, got, want)
					}
				}
			})
		}
	}
}

// TestNewRecordsChoosesCSV: a text with a double quote anywhere is read by
// encoding/csv, with its quoted fields and its errors.
func TestNewRecordsChoosesCSV(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"quoted field over two lines", "a,\"b\nc\"\nd,e\n", []string{`["a" "b\nc"] at 1:1 1:3`, `["d" "e"] at 3:1 3:3`}},
		{"bare quote", "a,b\"c\n", []string{`error: parse error on line 1, column 4: bare " in non-quoted-field`}},
		{"quote in a later line", "a,b\nc,\"d\"\n", []string{`["a" "b"] at 1:1 1:3`, `["c" "d"] at 2:1 2:3`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := newRecords([]byte(tt.text), ',', true)
			if _, ok := rs.(*csv.Reader); !ok {
				t.Fatalf("read by %T, want encoding/csv", rs)
			}
			if got := readAll(t, rs); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// BenchmarkRecords reads the records of a 20,000-row export with the split
// reader and with encoding/csv.
func BenchmarkRecords(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("case,born,sex,nationality,household,arrived,intake,shelter\n")
	for i := range 20000 {
		fmt.Fprintf(&buf, "BRU-2024-%05d,19%02d,H,dza,couple,2013,2024-10-01,oui\n", i, i%100)
	}
	text := buf.Bytes()
	for _, name := range []string{"split", "encoding/csv"} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				var rs records
				if name == "split" {
					rs = newRecords(text, ',', true)
				} else {
					rs = csvReader(string(text), ',', true)
				}
				for {
					if _, err := rs.Read(); err != nil {
						break
					}
				}
			}
		})
	}
}
