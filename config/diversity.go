package config

import "fmt"

// Diversity asks for l-diversity of a sensitive column: within every
// published equivalence class the column must take at least L distinct
// values (measure distinct) or have an entropy of at least log2(L)
// (measure entropy). Without it, a class whose members all share one
// outflow type tells anyone who can place a person in that class what
// happened to them, however large the class is.
type Diversity struct {
	// Measure is distinct or entropy.
	Measure string `mapstructure:"measure"`
	// L is the required diversity; at least 1 (1 asks for nothing).
	L float64 `mapstructure:"l"`
}

// Diversity measures.
const (
	DiversityDistinct = "distinct"
	DiversityEntropy  = "entropy"
)

// check validates a diversity requirement on column col.
func (d *Diversity) check(col Column) error {
	if col.Role != RoleSensitive {
		return fmt.Errorf("column %s: publish.diversity is only for sensitive columns", col.Name)
	}
	if d.L < 1 {
		return fmt.Errorf("column %s: publish.diversity.l is %v: it must be at least 1", col.Name, d.L)
	}
	switch d.Measure {
	case DiversityDistinct:
		if d.L != float64(int(d.L)) {
			return fmt.Errorf("column %s: distinct l-diversity needs a whole l, not %v", col.Name, d.L)
		}
	case DiversityEntropy:
	default:
		return fmt.Errorf("column %s: publish.diversity.measure %q: use %s or %s", col.Name, d.Measure, DiversityDistinct, DiversityEntropy)
	}
	return nil
}
