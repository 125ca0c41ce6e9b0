package metrics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/marcboeker/go-duckdb"
)

// DaysPerMonth is the length of a month in the time-to-outflow metrics: a
// Julian year over twelve (365.25 / 12 = 30.4375 days). "Within n months"
// means within MonthDays(n) whole days of the intake.
const DaysPerMonth = 365.25 / 12

// MonthDays is n months in whole days, rounded down: 1 month is 30 days,
// 3 are 91, 6 are 182, 12 are 365 and 24 are 730.
func MonthDays(n int) int { return int(math.Floor(float64(n) * DaysPerMonth)) }

// sample is the follow-up of every trajectory of a quarter, per partner
// and pooled for the network, as an estimator's SQL returns it, counted
// per day and class.
type sample struct {
	classes  []string
	partners []string // sorted
	tallies  map[string]*tally
}

// loadSample runs an estimator's query: one row per trajectory with
// partner, days (intake to outflow or censoring) and class (the outflow
// class, NULL when censored). DuckDB counts the rows per partner, day
// and class, and those counts are read as Arrow batches on the
// catalogue's connection (its prelude's temporary views are there): at
// 1M trajectories, reading every trajectory into Go was most of an
// estimator's time, and the estimators need only the counts.
func loadSample(ctx context.Context, conn *sql.Conn, e Entry, quarter string) (*sample, error) {
	type count struct {
		partner, class string
		censored       bool
		days, n        int
	}
	var counts []count
	// The few partner and class names are copied out of the batches
	// once each, not once a row.
	names := map[string]string{}
	intern := func(v string) string {
		s, ok := names[v]
		if !ok {
			s = strings.Clone(v)
			names[s] = s
		}
		return s
	}
	seen := map[string]bool{}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("the connection is not a DuckDB connection")
		}
		ar, err := duckdb.NewArrowFromConn(c)
		if err != nil {
			return err
		}
		rr, err := ar.QueryContext(ctx, "SELECT partner, days, class, count(*) AS n FROM ("+trimSemicolon(e.Query)+") GROUP BY ALL")
		if err != nil {
			return fmt.Errorf("%s: %w", e.SQL, err)
		}
		defer rr.Release()
		for rr.Next() {
			rec := rr.Record()
			partners, ok1 := rec.Column(0).(*array.String)
			days, ok2 := integers(rec.Column(1))
			classes, ok3 := rec.Column(2).(*array.String)
			// A class column of NULL only (SELECT NULL AS class) is typed
			// INTEGER: every trajectory is censored.
			allNull := rec.Column(2).NullN() == rec.Column(2).Len()
			if !ok1 || !ok2 || !ok3 && !allNull {
				return fmt.Errorf("partner, days and class must be text, an integer and text, not %s, %s and %s",
					rec.Column(0).DataType(), rec.Column(1).DataType(), rec.Column(2).DataType())
			}
			n, _ := integers(rec.Column(3))
			for i := range int(rec.NumRows()) {
				if partners.IsNull(i) {
					return fmt.Errorf("a trajectory has no partner")
				}
				r := count{partner: intern(partners.Value(i)), n: n(i)}
				if rec.Column(1).IsNull(i) {
					return fmt.Errorf("a trajectory of partner %s has no duration", r.partner)
				}
				if r.partner == NetworkPartner {
					return fmt.Errorf("a partner is called %q, which names the whole network", NetworkPartner)
				}
				r.days = days(i)
				if r.censored = allNull || classes.IsNull(i); !r.censored {
					r.class = intern(classes.Value(i))
					seen[r.class] = true
				}
				counts = append(counts, r)
			}
		}
		return rr.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", e.ID, err)
	}
	s := &sample{tallies: map[string]*tally{}}
	for c := range seen {
		s.classes = append(s.classes, c)
	}
	sort.Strings(s.classes)
	index := map[string]int{}
	for i, c := range s.classes {
		index[c] = i
	}
	for _, r := range counts {
		class := Censored
		if !r.censored {
			class = index[r.class]
		}
		t, ok := s.tallies[r.partner]
		if !ok {
			t = newTally(len(s.classes))
			s.tallies[r.partner] = t
			s.partners = append(s.partners, r.partner)
		}
		if err := t.add(r.days, class, r.n); err != nil {
			return nil, fmt.Errorf("metrics: %s, partner %s: %s: a trajectory %w", quarter, r.partner, e.ID, err)
		}
	}
	sort.Strings(s.partners)
	network := newTally(len(s.classes))
	for _, p := range s.partners {
		network.merge(s.tallies[p])
	}
	s.tallies[NetworkPartner] = network
	return s, nil
}

// estimate turns a sample into the rows of an estimator metric, partners
// first, then the network (the pooled sample, not an average of partners).
func estimate(e Entry, s *sample, quarter string) ([]Row, error) {
	var out []Row
	for _, p := range append(append([]string{}, s.partners...), NetworkPartner) {
		t := s.tallies[p]
		if t == nil || t.n == 0 {
			continue
		}
		c := t.curve(s.classes)
		row := func(breakdown string, v float64, ok bool, num, den int) Row {
			r := Row{Metric: e.ID, Quarter: quarter, Partner: p, Breakdown: breakdown,
				Numerator:   sql.NullFloat64{Float64: float64(num), Valid: true},
				Denominator: sql.NullFloat64{Float64: float64(den), Valid: true}}
			if ok {
				r.Value = sql.NullFloat64{Float64: v, Valid: true}
			}
			return r
		}
		switch e.Estimator {
		case EstimatorSurvival:
			// value S(t); numerator: exits within t days; denominator:
			// trajectories at risk at t.
			for _, m := range e.Months {
				t := MonthDays(m)
				v, ok := c.SurvivalAt(t)
				out = append(out, row(FormatBreakdown(Pair{"months", strconv.Itoa(m)}), v, ok, c.ExitsBy(Censored, t), c.AtRiskAt(t)))
			}
		case EstimatorIncidence:
			// One row per class that occurs anywhere in the network, for
			// every partner (0 where nobody of the partner left by it), so
			// that the partners' exits and risk sets add up to the
			// network's.
			for k, class := range s.classes {
				for _, m := range e.Months {
					t := MonthDays(m)
					v, ok := c.IncidenceAt(k, t)
					b := FormatBreakdown(Pair{"class", class}, Pair{"months", strconv.Itoa(m)})
					out = append(out, row(b, v, ok, c.ExitsBy(k, t), c.AtRiskAt(t)))
				}
			}
		case EstimatorMedian:
			// Reached: the median, the exits up to it and the risk set on
			// that day. Not reached: no value, all exits and all
			// trajectories.
			if t, ok := c.Quantile(0.5); ok {
				out = append(out, row("", float64(t), true, c.ExitsBy(Censored, t), c.AtRiskAt(t)))
			} else {
				out = append(out, row("", 0, false, c.ExitsBy(Censored, math.MaxInt), c.N))
			}
		default:
			return nil, fmt.Errorf("metrics: %s: unknown estimator %q", e.ID, e.Estimator)
		}
	}
	return out, nil
}

// integers reads an integer column of any width; false for another type.
func integers(a arrow.Array) (func(i int) int, bool) {
	switch x := a.(type) {
	case *array.Int64:
		return func(i int) int { return int(x.Value(i)) }, true
	case *array.Int32:
		return func(i int) int { return int(x.Value(i)) }, true
	case *array.Int16:
		return func(i int) int { return int(x.Value(i)) }, true
	case *array.Int8:
		return func(i int) int { return int(x.Value(i)) }, true
	}
	return nil, false
}
