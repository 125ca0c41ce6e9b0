package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"doorstroom/internal/period"
)

// Row is one value of the tidy metrics table.
type Row struct {
	Metric    string
	Quarter   string
	Partner   string
	Breakdown string
	// Value, Numerator and Denominator are null where they do not apply
	// (a count has no denominator; a median not reached has no value).
	Value, Numerator, Denominator sql.NullFloat64
	// Suppressed is set by Publish when disclosure control withheld the
	// numbers of the row.
	Suppressed bool
}

// NetworkPartner is the partner value of rows about the whole network.
const NetworkPartner = "network"

// Compute runs every metric of the catalogue for one quarter on the
// warehouse and returns the rows, in catalogue order. It uses one
// connection, on which the prelude's temporary views live. Estimator
// metrics that share a query share one run of it.
//
// Compute checks that every row's breakdown has the declared keys and
// that every identity of the catalogue holds (stock and flow add up, the
// partners add up to the network, …); a failure is an error of the run
// that names the quarter and partner.
func Compute(ctx context.Context, db *sql.DB, c *Catalogue, q period.Quarter) ([]Row, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer conn.Close()
	vars := map[string]string{
		"quarter":       q.String(),
		"quarter_start": q.Start().Format(time.DateOnly),
		"quarter_end":   q.End().Format(time.DateOnly),
	}
	for name, v := range vars {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = '%s'", name, v)); err != nil {
			return nil, fmt.Errorf("metrics: setting %s: %w", name, err)
		}
	}
	if c.Prelude != "" {
		if _, err := conn.ExecContext(ctx, c.Prelude); err != nil {
			return nil, fmt.Errorf("metrics: %s prelude: %w", c.Programme, err)
		}
	}
	var out []Row
	samples := map[string]*sample{}
	for _, e := range c.Metrics {
		var rows []Row
		if e.Estimator == "" {
			rows, err = run(ctx, conn, e, q)
		} else {
			s, ok := samples[e.SQL]
			if !ok {
				if s, err = loadSample(ctx, conn, e, q.String()); err != nil {
					return nil, err
				}
				samples[e.SQL] = s
			}
			rows, err = estimate(e, s, q.String())
		}
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if err := checkKeys(r.Breakdown, e.Breakdown); err != nil {
				return nil, fmt.Errorf("metrics: %s, partner %s: %s: %w", q, r.Partner, e.ID, err)
			}
		}
		out = append(out, rows...)
	}
	if err := c.CheckIdentities(out); err != nil {
		return nil, err
	}
	return out, nil
}

func run(ctx context.Context, conn *sql.Conn, e Entry, q period.Quarter) ([]Row, error) {
	rs, err := conn.QueryContext(ctx, "SELECT partner, breakdown, value, numerator, denominator FROM ("+trimSemicolon(e.Query)+") ORDER BY partner = 'network', partner, breakdown")
	if err != nil {
		return nil, fmt.Errorf("metrics: %s (%s): %w", e.ID, e.SQL, err)
	}
	defer rs.Close()
	var out []Row
	for rs.Next() {
		r := Row{Metric: e.ID, Quarter: q.String()}
		var breakdown sql.NullString
		if err := rs.Scan(&r.Partner, &breakdown, &r.Value, &r.Numerator, &r.Denominator); err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", e.ID, err)
		}
		r.Breakdown = breakdown.String
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", e.ID, err)
	}
	return out, nil
}

// trimSemicolon removes a final semicolon and trailing space so a metric's
// query can be used as a subquery.
func trimSemicolon(q string) string {
	for len(q) > 0 && (q[len(q)-1] == ';' || q[len(q)-1] == '\n' || q[len(q)-1] == ' ' || q[len(q)-1] == '\t' || q[len(q)-1] == '\r') {
		q = q[:len(q)-1]
	}
	return q
}
