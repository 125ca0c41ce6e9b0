package metrics

import "doorstroom/disclosure"

// Equation is one instance, over concrete rows, of an identity of the
// catalogue or of the partners' sum to the network: Constant plus the sum
// of Signs[i] times field Fields[i] (value, numerator or denominator) of
// row Rows[i] is zero. The dashboards protect their tables with the same
// equations Publish uses.
type Equation struct {
	Name     string
	Constant float64
	Rows     []int
	Signs    []float64
	Fields   []string
}

// Equations instantiates the catalogue's identities, the partners' sum to
// the network of every additive metric, and "a count is its numerator",
// over rows.
func (c *Catalogue) Equations(rows []Row) []Equation {
	eqs := c.equations(rows)
	out := make([]Equation, len(eqs))
	for i, eq := range eqs {
		out[i] = Equation{Name: eq.name, Constant: eq.constant, Rows: eq.rows, Signs: eq.signs, Fields: eq.fields}
	}
	return out
}

// Sensitive returns the fields of a row that its publication rule
// withholds for their own sake (primary suppression), or nil when the rule
// lets the row be published. Numbers a reader can work out are a leak only
// when they are among these.
func (c *Catalogue) Sensitive(r Row, p disclosure.Policy) []string {
	e, _ := c.Entry(r.Metric)
	if publishable(e.Rule(), r, p) {
		return nil
	}
	return sensitiveFields(e.Rule(), r, p)
}
