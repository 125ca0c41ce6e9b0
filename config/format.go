package config

import (
	"fmt"
	"slices"
)

// Format is a programme's agreed export format: its columns, their types
// and roles, and the consistency rules between them. Ingest validates
// against it, anonymize publishes by it, and a new programme is a new
// format file rather than new code.
type Format struct {
	Programme string `mapstructure:"programme"`
	Version   int    `mapstructure:"version"`
	Unit      string `mapstructure:"unit"`
	// Table names the release's microdata table: the warehouse table and
	// the snapshot file <table>.parquet (atn: trajectories).
	Table   string                         `mapstructure:"table"`
	Key     string                         `mapstructure:"key"`
	Columns []Column                       `mapstructure:"columns"`
	Rules   []Rule                         `mapstructure:"rules"`
	Classes map[string]map[string][]string `mapstructure:"classes"`
	// Release says how the release weighs its quasi-identifiers beyond
	// the columns' own publish entries; nil means the defaults.
	Release *Release `mapstructure:"release"`
}

// Column types of the export format.
const (
	TypeText    = "text"
	TypeYear    = "year"
	TypeDate    = "date"
	TypeCode    = "code"
	TypeYesNo   = "yesno"
	TypeCount   = "count"
	TypeCountry = "country"
)

// Column roles; they decide what happens to a column on release.
const (
	RoleIdentifier      = "identifier"
	RoleQuasiIdentifier = "quasi_identifier"
	RoleSensitive       = "sensitive"
	RoleAttribute       = "attribute"
)

// Column is one column of an export format.
type Column struct {
	Name     string   `mapstructure:"name"`
	Type     string   `mapstructure:"type"`
	Required bool     `mapstructure:"required"`
	Unique   bool     `mapstructure:"unique"`
	Codes    []string `mapstructure:"codes"`
	Role     string   `mapstructure:"role"`
	// Register keeps a quasi-identifier in the register (the warehouse
	// table the metrics read) at full precision; attributes and sensitive
	// columns are always there, identifiers never.
	Register bool `mapstructure:"register"`
	// Publish says how the column is released; nil means never.
	Publish *Publish `mapstructure:"publish"`
}

// Publish describes a released column: its name, how it is derived from
// the validated value, and the hierarchy it is generalised along.
type Publish struct {
	Name      string `mapstructure:"name"`
	Derive    string `mapstructure:"derive"`
	Hierarchy string `mapstructure:"hierarchy"`
	// Diversity asks for l-diversity of a sensitive column.
	Diversity *Diversity `mapstructure:"diversity"`
	// Generalisation (weight and levels) of a quasi-identifier.
	Generalisation `mapstructure:",squash"`
}

// Rule is a consistency rule between columns of one row.
//
// Kinds:
//   - order: the dates in Columns, where present, never decrease.
//   - together: the Columns are all empty or all present.
//   - requires_on_or_before: when Column is set, Other is set on or before it.
//   - count_with_date: count Column is at least 1 exactly when date Other is set.
//   - not_before: year Column is not before year Other.
//   - required_when_positive: Column is required when count Other is above 0.
//   - min_months_after: date Column is at least Months months after date Other.
type Rule struct {
	Rule    string   `mapstructure:"rule"`
	Columns []string `mapstructure:"columns"`
	Column  string   `mapstructure:"column"`
	Other   string   `mapstructure:"other"`
	Months  int      `mapstructure:"months"`
}

// checkShape checks that a rule names the columns its kind compares:
// order and together a list of at least two, the others a column and an
// other.
func (r Rule) checkShape() error {
	switch r.Rule {
	case "order", "together":
		if len(r.Columns) < 2 || slices.Contains(r.Columns, "") {
			return fmt.Errorf("needs columns: at least two")
		}
	default:
		if r.Column == "" || r.Other == "" {
			return fmt.Errorf("needs a column and an other")
		}
	}
	return nil
}

// RuleKinds lists the rule kinds ingest implements.
var RuleKinds = []string{"order", "together", "requires_on_or_before", "count_with_date",
	"not_before", "required_when_positive", "min_months_after"}

var columnTypes = []string{TypeText, TypeYear, TypeDate, TypeCode, TypeYesNo, TypeCount, TypeCountry}
var columnRoles = []string{RoleIdentifier, RoleQuasiIdentifier, RoleSensitive, RoleAttribute}

// Column returns the column with the given canonical name.
func (f *Format) Column(name string) (Column, bool) {
	for _, c := range f.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// ColumnIndex returns the position of a column, or -1.
func (f *Format) ColumnIndex(name string) int {
	for i, c := range f.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// ClassOf returns the class of a code in the named grouping (for example
// the outflow class of an outflow type), or "" when it has none.
func (f *Format) ClassOf(grouping, code string) string {
	for class, codes := range f.Classes[grouping] {
		if slices.Contains(codes, code) {
			return class
		}
	}
	return ""
}

// check validates the format definition itself, so that a typo in YAML is
// reported when the configuration loads, not as a puzzling ingest error.
func (f *Format) check() error {
	if f.Programme == "" || f.Version < 1 {
		return fmt.Errorf("programme and version (>= 1) are required")
	}
	if !validCode(f.Table) || f.Table == "metrics" || f.Table == "register" {
		return fmt.Errorf("table %q: name the microdata table in lower-case letters, digits and _ (not metrics or register)", f.Table)
	}
	names := map[string]Column{}
	for i, c := range f.Columns {
		if c.Name == "" {
			return fmt.Errorf("columns[%d]: name is required", i)
		}
		if _, dup := names[c.Name]; dup {
			return fmt.Errorf("column %s appears twice", c.Name)
		}
		names[c.Name] = c
		if !slices.Contains(columnTypes, c.Type) {
			return fmt.Errorf("column %s: type %q: use one of %v", c.Name, c.Type, columnTypes)
		}
		if !slices.Contains(columnRoles, c.Role) {
			return fmt.Errorf("column %s: role %q: use one of %v", c.Name, c.Role, columnRoles)
		}
		if c.Type == TypeCode && len(c.Codes) == 0 {
			return fmt.Errorf("column %s: a code column needs its codes", c.Name)
		}
		if c.Role == RoleIdentifier && c.Publish != nil && c.Publish.Derive != "pseudonym" {
			return fmt.Errorf("column %s: an identifier can only be published as a pseudonym", c.Name)
		}
		if c.Register && c.Role != RoleQuasiIdentifier {
			return fmt.Errorf("column %s: register is only for quasi-identifiers (attributes and sensitive columns are always in the register)", c.Name)
		}
		if c.Publish != nil && c.Publish.Diversity != nil {
			if err := c.Publish.Diversity.check(c); err != nil {
				return err
			}
		}
		if c.Publish != nil && (c.Publish.Weight != nil || c.Publish.Levels != nil) {
			if c.Role != RoleQuasiIdentifier {
				return fmt.Errorf("column %s: publish.weight and publish.levels are only for quasi-identifiers", c.Name)
			}
			if err := c.Publish.Generalisation.check("column " + c.Name + ": publish."); err != nil {
				return err
			}
		}
	}
	if _, ok := names[f.Key]; !ok {
		return fmt.Errorf("key %q is not a column", f.Key)
	}
	if err := f.Release.check(); err != nil {
		return err
	}
	for i, r := range f.Rules {
		if !slices.Contains(RuleKinds, r.Rule) {
			return fmt.Errorf("rules[%d]: kind %q: use one of %v", i, r.Rule, RuleKinds)
		}
		refs := append(slices.Clone(r.Columns), r.Column, r.Other)
		for _, n := range refs {
			if _, ok := names[n]; n != "" && !ok {
				return fmt.Errorf("rules[%d] (%s): %q is not a column", i, r.Rule, n)
			}
		}
		if err := r.checkShape(); err != nil {
			return fmt.Errorf("rules[%d] (%s): %w", i, r.Rule, err)
		}
	}
	for grouping, classes := range f.Classes {
		col, ok := names[grouping]
		if !ok {
			return fmt.Errorf("classes: %q is not a column", grouping)
		}
		for class, codes := range classes {
			for _, code := range codes {
				if !slices.Contains(col.Codes, code) {
					return fmt.Errorf("classes.%s.%s: %q is not a code of %s", grouping, class, code, grouping)
				}
			}
		}
	}
	return nil
}
