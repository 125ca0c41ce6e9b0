package dashboards

import "testing"

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		lang     string
		v        float64
		decimals int
		want     string
	}{
		{"nl", 1234.5, 1, "1.234,5"},
		{"en", 1234.5, 1, "1,234.5"},
		{"fr", 1234.5, 1, "1\u202f234,5"},
		{"nl", 1234567, 0, "1.234.567"},
		{"en", 999, 0, "999"},
		{"en", -1234, 0, "-1,234"},
		{"nl", 0.25, 2, "0,25"},
		{"en", -0.4, 0, "0"},
		{"en", -0.04, 1, "-0.0"},
		{"fr", -1234567.25, 2, "-1\u202f234\u202f567,25"},
		{"en", 100000, 0, "100,000"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+tt.want, func(t *testing.T) {
			if got := formatFor(tt.lang).number(tt.v, tt.decimals); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := formatFor("nl").percent(0.4523); got != "45,2%" {
		t.Errorf("percent nl = %q", got)
	}
	if got := formatFor("en").percent(0.4523); got != "45.2%" {
		t.Errorf("percent en = %q", got)
	}
}
