package ingest

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want, rule string
	}{
		{"2026-03-31", "2026-03-31", ""},
		{"31/03/2026", "2026-03-31", ""},
		{"31-03-2026", "2026-03-31", ""},
		{"31.03.2026", "2026-03-31", ""},
		{"1/4/2026", "2026-04-01", ""},
		{"2026/3/31", "2026-03-31", ""},
		{"29/02/2024", "2024-02-29", ""},
		{"31/03/2026 00:00", "2026-03-31", ""},
		{"31/03/2026 0:00:00", "2026-03-31", ""},
		{"2026-03-31T14:05:00.250", "2026-03-31", ""},
		{"29/02/2025", "", ruleDateImpossible},
		{"2026-02-30", "", ruleDateImpossible},
		{"32/01/2026", "", ruleDateImpossible},
		{"00/01/2026", "", ruleDateImpossible},
		{"31/13/2025", "", ruleDateImpossible},
		{"03/31/2026", "", ruleDateMonthFirst},
		{"12/13/2026", "", ruleDateMonthFirst},
		{"31/03/26", "", ruleDateTwoDigit},
		{"3/4/26", "", ruleDateTwoDigit},
		{"31/03-2026", "", ruleDate},
		{"2026-03-31 25:00", "", ruleDate},
		{"45382", "", ruleDate},
		{"maart 2026", "", ruleDate},
		{"31/03/2026/1", "", ruleDate},
		{"2026-3", "", ruleDate},
		{"-1/-1/2026", "", ruleDate},
		{"31//2026", "", ruleDate},
		{"1/1/20261", "", ruleDate},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			days, rule := parseDate(tt.in)
			if rule != tt.rule {
				t.Fatalf("parseDate(%q) breaks %q, want %q", tt.in, rule, tt.rule)
			}
			if rule == "" && epochDay(days) != tt.want {
				t.Errorf("parseDate(%q) = %s, want %s", tt.in, epochDay(days), tt.want)
			}
		})
	}
}
