// Package period names the reporting periods of the learning network.
//
// Partners deliver one export per calendar quarter, named after it
// (2026Q1.csv), and every stage keys its output by that quarter. Keeping the
// arithmetic in one place avoids off-by-one errors at quarter boundaries,
// where most date rules of the export format bite.
package period

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Quarter is a calendar quarter, such as 2026Q3.
type Quarter struct {
	Year int
	Q    int // 1..4
}

var quarterPattern = regexp.MustCompile(`^(\d{4})[Qq]([1-4])$`)

// Parse reads a quarter written as 2026Q3 (the form used in file names,
// configuration and output paths).
func Parse(s string) (Quarter, error) {
	m := quarterPattern.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, fmt.Errorf("%q is not a quarter (expected e.g. 2026Q3)", s)
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	return Quarter{Year: y, Q: q}, nil
}

// Of returns the quarter that contains the day t.
func Of(t time.Time) Quarter {
	return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

// String writes the quarter as 2026Q3.
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year, q.Q) }

// IsZero reports whether q is the zero value, which stands for "not set".
func (q Quarter) IsZero() bool { return q.Year == 0 }

// Start is the first day of the quarter, at midnight UTC.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month((q.Q-1)*3+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the last day of the quarter, at midnight UTC. A date on End is
// inside the quarter; the export format's "no date after the quarter's end"
// rule compares against it.
func (q Quarter) End() time.Time { return q.Next().Start().AddDate(0, 0, -1) }

// Next is the quarter after q.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{Year: q.Year + 1, Q: 1}
	}
	return Quarter{Year: q.Year, Q: q.Q + 1}
}

// Prev is the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{Year: q.Year - 1, Q: 4}
	}
	return Quarter{Year: q.Year, Q: q.Q - 1}
}

// Before reports whether q comes strictly before o.
func (q Quarter) Before(o Quarter) bool {
	return q.Year < o.Year || (q.Year == o.Year && q.Q < o.Q)
}

// Index counts quarters since year 0; differences of indexes are distances
// in quarters.
func (q Quarter) Index() int { return q.Year*4 + q.Q - 1 }
