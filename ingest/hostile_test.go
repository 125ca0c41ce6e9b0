package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// hostileHeader is the canonical header of the atn format.
const hostileHeader = "case_id,birth_year,sex,nationality,household,arrival_year,intake_date,shelter,exploration_date,realisation_date,dvz_consent_date,dvz_first_talk_date,dvz_talks,fedasil_first_talk_date,fedasil_talks,procedure,outflow_date,outflow_type\n"

// hostileRow is a valid row of the canonical format with case number n.
func hostileRow(n int) string {
	return fmt.Sprintf("P-%08d,1989,M,MA,single,2019,2025-10-08,yes,2025-11-10,2026-01-11,2025-11-12,2025-12-01,2,2025-11-20,1,none,,\n", n)
}

// TestHostileGenerated reads the hostile exports too large to commit,
// generated here: each gets its clear file-level answer (or is read
// whole), and no answer quotes more than a short piece of the partner's
// text. With DOORSTROOM_HEAVY set (make test-heavy) it also reads a
// 100 MB single line and 10 million rows of one partner, and logs how
// long they take.
func TestHostileGenerated(t *testing.T) {
	heavy := os.Getenv("DOORSTROOM_HEAVY") != ""
	line := func(n int) []byte {
		return []byte(hostileHeader + strings.Repeat("x", n) + "\n")
	}
	rows := func(n int) []byte {
		var b bytes.Buffer
		b.Grow(n * 115)
		b.WriteString(hostileHeader)
		for i := 1; i <= n; i++ {
			b.WriteString(hostileRow(i))
		}
		return b.Bytes()
	}
	cols := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(strings.TrimSuffix(hostileHeader, "\n"))
		for i := 18; i < n; i++ {
			fmt.Fprintf(&b, ",extra%d", i)
		}
		b.WriteString("\n" + strings.TrimSuffix(hostileRow(1), "\n") + strings.Repeat(",", n-18) + "\n")
		return b.Bytes()
	}
	type tc struct {
		name     string
		heavy    bool
		data     func() []byte
		maxBytes int64
		rule     string // the first error's rule; "" when the file is accepted
		accepted int
	}
	for _, c := range []tc{
		{name: "10,000 columns", data: func() []byte { return cols(10000) }, rule: "file_too_many_columns"},
		{name: "1,000 columns", data: func() []byte { return cols(1000) }, accepted: 1},
		{name: "a 2 MB single line over a 1 MB limit", data: func() []byte { return line(2 << 20) }, maxBytes: 1 << 20, rule: "file_too_large"},
		{name: "a 5 MB single line", data: func() []byte { return line(5 << 20) }, rule: "row_fields"},
		{name: "100,000 rows of one partner", data: func() []byte { return rows(100_000) }, accepted: 100_000},
		{name: "a 100 MB single line", heavy: true, data: func() []byte { return line(100 << 20) }, rule: "file_too_large"},
		{name: "a 100 MB single line under a raised limit", heavy: true, data: func() []byte { return line(100 << 20) }, maxBytes: 128 << 20, rule: "row_fields"},
		{name: "10 M rows of one partner", heavy: true, data: func() []byte { return rows(10_000_000) }, maxBytes: 2 << 30, accepted: 10_000_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && !heavy {
				t.Skip("heavy: set DOORSTROOM_HEAVY=1 (make test-heavy)")
			}
			data := c.data()
			opts := testOptions(t)
			opts.MaxBytes = c.maxBytes
			start := time.Now()
			s, err := ReadBytes(context.Background(), data, "hostile.csv", opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Release()
			t.Logf("%s: %.1f MB read in %s: %s, %d rows accepted, %d issues", c.name, float64(len(data))/(1<<20),
				time.Since(start).Round(time.Millisecond), s.Status, s.Accepted, len(s.Issues))
			if c.rule == "" {
				if s.Status != Accepted || s.Accepted != c.accepted {
					t.Errorf("%s with %d rows accepted, want accepted with %d: %v", s.Status, s.Accepted, c.accepted, s.Issues)
				}
				return
			}
			if s.Status != Rejected || len(s.Issues) == 0 || s.Issues[0].Rule != c.rule {
				t.Fatalf("%s with %v, want rejected for %s", s.Status, s.Issues, c.rule)
			}
			tr := loadFixture(t).tr
			for _, i := range s.Issues {
				if msg := i.Message(tr, "en"); len(msg)+len(i.Header) > 1000 {
					t.Errorf("an answer line of %d bytes quotes the partner's text at length", len(msg)+len(i.Header))
				}
			}
		})
	}
}
