package ingest

import (
	"time"
)

// Date problems, as rule ids. A date is read only when its form leaves no
// doubt: ISO (2026-03-31), or day first with four-digit year (31/03/2026,
// 31-03-2026, 31.03.2026, also without leading zeros), optionally followed
// by a time of day as spreadsheets add it. Everything else is an error,
// never a guess.
const (
	ruleDate           = "value_date"            // not a date at all
	ruleDateImpossible = "value_date_impossible" // 31/02/2026, 2026-13-01
	ruleDateTwoDigit   = "value_date_two_digit_year"
	ruleDateMonthFirst = "value_date_month_first" // 03/31/2026: only month first makes sense
)

// parseDate reads a date and returns it as days since 1970-01-01, or the
// rule it breaks.
func parseDate(s string) (int64, string) {
	datePart, timePart := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == 'T' {
			datePart, timePart = s[:i], trimSpaceASCII(s[i+1:])
			break
		}
	}
	if timePart != "" && !validTime(timePart) {
		return 0, ruleDate
	}
	a, b, c, ok := threeNumbers(datePart)
	if !ok {
		return 0, ruleDate
	}
	var y, m, d int
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2: // year first: 2026-03-31, 2026/3/31
		y, m, d = atoi(a), atoi(b), atoi(c)
	case len(a) <= 2 && len(b) <= 2 && len(c) == 4: // day first: 31/03/2026
		d, m, y = atoi(a), atoi(b), atoi(c)
		if !validDate(y, m, d) && validDate(y, d, m) {
			return 0, ruleDateMonthFirst
		}
	case len(a) <= 2 && len(b) <= 2 && len(c) == 2:
		return 0, ruleDateTwoDigit
	default:
		return 0, ruleDate
	}
	if !validDate(y, m, d) {
		return 0, ruleDateImpossible
	}
	return civilDays(y, m, d), ""
}

// threeNumbers splits s into three runs of digits joined by one separator
// used twice: '-', '/' or '.'.
func threeNumbers(s string) (a, b, c string, ok bool) {
	parts := [3]string{}
	n, start := 0, 0
	var sep byte
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			continue
		}
		if i == start || n == 3 {
			return "", "", "", false
		}
		parts[n] = s[start:i]
		n++
		if i < len(s) {
			switch s[i] {
			case '-', '/', '.':
				if sep == 0 {
					sep = s[i]
				} else if sep != s[i] {
					return "", "", "", false
				}
			default:
				return "", "", "", false
			}
		}
		start = i + 1
	}
	if n != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || y < 1 {
		return false
	}
	return d <= daysInMonth(y, m)
}

// validTime accepts a time of day as spreadsheets write it after a date:
// H:MM, HH:MM:SS, with optional fractions of a second.
func validTime(s string) bool {
	h, rest, ok := digitsUntil(s, ':')
	if !ok || len(h) > 2 || atoi(h) > 23 {
		return false
	}
	mm, rest, ok := digitsUntil(rest, ':')
	if !ok || len(mm) != 2 || atoi(mm) > 59 {
		return false
	}
	if rest == "" {
		return true
	}
	ss, frac, _ := digitsUntil(rest, '.')
	if len(ss) != 2 || atoi(ss) > 59 {
		return false
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return false
		}
	}
	return true
}

// digitsUntil splits s at the first sep: the digits before it (at least
// one, nothing else) and the rest after it ("" when there is no sep).
func digitsUntil(s string, sep byte) (string, string, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 4 {
		return "", "", false
	}
	if i == len(s) {
		return s, "", true
	}
	if s[i] != sep {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

func trimSpaceASCII(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// epochDay writes days since 1970-01-01 as an ISO date.
func epochDay(d int64) string { return epochTime(d).Format(time.DateOnly) }

// epochTime is the midnight (UTC) of days since 1970-01-01.
func epochTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }
