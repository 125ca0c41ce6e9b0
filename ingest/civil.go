package ingest

// Calendar arithmetic on days since 1970-01-01 (Arrow's date32) in the
// proleptic Gregorian calendar, as the time package counts them, without
// building a time.Time: a 1M-trajectory quarter has about 5M dates to
// read, and time.Date's normalisation was most of parseDate's cost.
// TestCivilMatchesTime holds them equal to the time package for every
// day of the years 1 to 9999.

// isLeap reports whether year y has a 29 February.
func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysInMonth is the number of days of month m (1-12) of year y.
func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDays is the day y-m-d as days since 1970-01-01, for a valid date
// of a year from 1 on. Years are counted from March, so that the leap
// day is a year's last: the days before a month are then a linear
// formula of its number.
func civilDays(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 0
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097+doe) - 719468
}

// civilYear is the year of a day counted since 1970-01-01, for days from
// the year 1 on.
func civilYear(days int64) int {
	z := days + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	y := int(yoe + era*400)
	if (5*doy+2)/153 >= 10 { // January or February: the next year
		y++
	}
	return y
}
