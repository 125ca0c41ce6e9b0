package period

import (
	"testing"
	"time"
)

func TestParseAndBounds(t *testing.T) {
	tests := []struct {
		in         string
		start, end string
		prev, next string
	}{
		{"2026Q1", "2026-01-01", "2026-03-31", "2025Q4", "2026Q2"},
		{"2024Q1", "2024-01-01", "2024-03-31", "2023Q4", "2024Q2"},
		{"2026Q3", "2026-07-01", "2026-09-30", "2026Q2", "2026Q4"},
		{"2026q4", "2026-10-01", "2026-12-31", "2026Q3", "2027Q1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Start().Format(time.DateOnly); got != tt.start {
				t.Errorf("start = %s, want %s", got, tt.start)
			}
			if got := q.End().Format(time.DateOnly); got != tt.end {
				t.Errorf("end = %s, want %s", got, tt.end)
			}
			if got := q.Prev().String(); got != tt.prev {
				t.Errorf("prev = %s, want %s", got, tt.prev)
			}
			if got := q.Next().String(); got != tt.next {
				t.Errorf("next = %s, want %s", got, tt.next)
			}
			if Of(q.End()) != q || Of(q.Start()) != q {
				t.Errorf("Of does not round-trip the bounds of %s", q)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "2026", "2026Q5", "2026Q0", "26Q1", "2026-Q1", "2026Q1x"} {
		t.Run(in, func(t *testing.T) {
			if _, err := Parse(in); err == nil {
				t.Errorf("Parse(%q) accepted", in)
			}
		})
	}
}

func TestOrder(t *testing.T) {
	a, _ := Parse("2025Q4")
	b, _ := Parse("2026Q1")
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Error("Before is wrong across a year boundary")
	}
	if b.Index()-a.Index() != 1 {
		t.Error("Index distance across a year boundary is not 1")
	}
}
