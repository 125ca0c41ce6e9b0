package pipeline

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

func TestExpectedFromUntil(t *testing.T) {
	e := &env{cfg: &config.Config{Partners: []config.Partner{
		{Code: "always"}, {Code: "joins", From: "2025Q3"}, {Code: "leaves", Until: "2025Q2"}}}}
	q := func(s string) period.Quarter { p, _ := period.Parse(s); return p }
	tests := []struct {
		partner, quarter string
		want             bool
	}{
		{"always", "2020Q1", true}, {"joins", "2025Q2", false}, {"joins", "2025Q3", true},
		{"leaves", "2025Q2", true}, {"leaves", "2025Q3", false}, {"unknown", "2025Q3", false},
	}
	for _, tt := range tests {
		if got := e.expected(tt.partner, q(tt.quarter)); got != tt.want {
			t.Errorf("expected(%s, %s) = %v, want %v", tt.partner, tt.quarter, got, tt.want)
		}
	}
}

func TestPrintCompleteness(t *testing.T) {
	cfg := &config.Config{Ingest: config.Ingest{DeadlineDays: 30}, Partners: []config.Partner{{Code: "a"}, {Code: "b"}, {Code: "c"}}}
	yes, no := true, false
	at := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	q1, q2 := period.Quarter{Year: 2026, Q: 1}, period.Quarter{Year: 2026, Q: 2}
	all := [][]ingest.Completeness{
		{{Partner: "a", Quarter: "2026Q1", Expected: true, Received: true, Accepted: true, OnTime: &yes, ReceivedAt: &at, Superseded: 1},
			{Partner: "b", Quarter: "2026Q1", Expected: true, Received: true},
			{Partner: "c", Quarter: "2026Q1", Expected: true}},
		{{Partner: "a", Quarter: "2026Q2", Expected: true, Received: true, Accepted: true, OnTime: &no, ReceivedAt: &at},
			{Partner: "b", Quarter: "2026Q2", Expected: true, Received: true, Accepted: true, OnTime: &yes, ReceivedAt: &at}},
	}
	var b bytes.Buffer
	printCompleteness(&b, cfg, []period.Quarter{q1, q2}, all)
	want := `completeness: files in force per partner and quarter (due 30 days after the quarter)
  quarter  a         b         c
  2026Q1   on time*  refused   missing
  2026Q2   late      on time   -
  2026Q2: 2 of 2 expected files in force, 1 on time, 1 late; missing: none; refused: none; 0 superseded
  2026Q1: 1 of 3 expected files in force, 1 on time, 0 late; missing: c 2026Q1; refused: b 2026Q1; 1 superseded
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, strings.ReplaceAll(want, " ", "·"))
	}
}
