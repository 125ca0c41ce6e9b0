package ingest

import (
	"testing"
	"time"
)

// TestCivilMatchesTime holds the calendar arithmetic equal to the time
// package on every day of the years 1 to 9999: the date's days, its
// year, and the length of its month.
func TestCivilMatchesTime(t *testing.T) {
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	bad := 0
	for day := start; day.Before(end) && bad < 10; day = day.AddDate(0, 0, 1) {
		y, m, d := day.Date()
		want := day.Unix() / 86400
		if got := civilDays(y, int(m), d); got != want {
			t.Errorf("civilDays(%d, %d, %d) = %d, want %d", y, m, d, got, want)
			bad++
		}
		if got := civilYear(want); got != y {
			t.Errorf("civilYear(%d) = %d, want %d (%s)", want, got, y, day.Format(time.DateOnly))
			bad++
		}
		if d == 1 {
			if got, want := daysInMonth(y, int(m)), day.AddDate(0, 1, -1).Day(); got != want {
				t.Errorf("daysInMonth(%d, %d) = %d, want %d", y, m, got, want)
				bad++
			}
		}
	}
}
