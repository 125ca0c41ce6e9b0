package anonymize

import "context"

// Result is the outcome of Analyze: the chosen generalisation, which
// records it suppresses, and the risk report.
type Result struct {
	// Levels is the chosen level per quasi-identifier, in table order.
	Levels []int
	// Feasible is false when no generalisation satisfies the model; every
	// record is then suppressed.
	Feasible bool
	// Suppressed marks, per row, the records whose quasi-identifiers are
	// published as *.
	Suppressed []bool
	Report     *RiskReport
}

// Analyze finds the optimal generalisation of t under the privacy model
// and reports on it. It is the whole anonymisation decision; Anonymize
// applies it to a release, doorstroom risk prints it for any CSV file.
func Analyze(ctx context.Context, t *Table, p Privacy) (*Result, error) {
	if err := t.prepare(); err != nil {
		return nil, err
	}
	e, err := newEngine(t, p)
	if err != nil {
		return nil, err
	}
	best, err := e.search(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Suppressed: make([]bool, t.rows)}
	if best != nil {
		// The release needs each row's class: evaluate once more with the
		// mapping from the bottom (cheap next to the search).
		best = e.evaluate(best.node, true)
		res.Feasible = true
		res.Levels = best.levels
		for i, b := range e.g.rowClass {
			res.Suppressed[i] = best.outlier[best.mapping[b]]
		}
	}
	res.Report = e.report(best)
	if best == nil {
		res.Levels = res.Report.Levels
		for i := range res.Suppressed {
			res.Suppressed[i] = true
		}
	}
	return res, nil
}
