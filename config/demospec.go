package config

import (
	"fmt"
	"path"
	"slices"
)

// DemoSpec is a programme's synthetic demo network
// (programmes/<p>/demo.yaml): its partners and, per column of the format,
// how a value is drawn. `doorstroom demo --programme <p>` generates from
// it, so a new programme brings its demo as configuration. Each row is
// drawn once, whole; a quarter's file lists the rows whose Start date (and
// every Enter date the row has) falls on or before the quarter's last day,
// with every later date left empty, as a register at that day would.
type DemoSpec struct {
	Partners []Partner `mapstructure:"partners"`
	// Size is the number of rows drawn per partner over the whole period.
	Size int `mapstructure:"size"`
	// Start is the date column whose date puts a row in the register.
	Start string `mapstructure:"start"`
	// Enter lists further date columns the row waits for when it has them
	// (a date required as soon as the row is listed, for example).
	Enter []string `mapstructure:"enter"`
	// LeadDays: start dates are drawn from this many days before the first
	// quarter to the last quarter's end.
	LeadDays int `mapstructure:"lead_days"`
	// Labels writes headers and codes as the first label labels.yaml gives
	// them (the partners' own words) instead of the canonical names.
	Labels bool `mapstructure:"labels"`
	// Delimiter of the files (default ,) and DateLayout of their dates as
	// a Go layout (default 2006-01-02).
	Delimiter  string                `mapstructure:"delimiter"`
	DateLayout string                `mapstructure:"date_layout"`
	Columns    map[string]DemoColumn `mapstructure:"columns"`
}

// DemoColumn says how one column's value is drawn. Exactly one way:
//
//   - ID: a format with {partner} and {n} (the row's number), e.g. "{partner}-{n}".
//   - Codes with Weights: a code (or yes/no, or a country) by weight.
//   - Int [lo, hi]: a whole number, uniformly; Below names a count column
//     the number stays under.
//   - Start: the row's start date, uniform over the period.
//   - After with Days [lo, hi]: a date that many days after another date
//     column's (empty when that one is).
//   - YearOf with Minus [lo, hi]: a year that many years before the year
//     of a date column.
//
// Then P (default 1) is the chance the value is there at all; With names a
// column without which it is empty, in every quarter's file (an outflow
// type without its date); When names a count column the value is drawn
// only for when it is above 0 (a school enrolment with school-age
// children).
type DemoColumn struct {
	ID      string    `mapstructure:"id"`
	Codes   []string  `mapstructure:"codes"`
	Weights []float64 `mapstructure:"weights"`
	Int     []int     `mapstructure:"int"`
	Below   string    `mapstructure:"below"`
	Start   bool      `mapstructure:"start"`
	After   string    `mapstructure:"after"`
	Days    []int     `mapstructure:"days"`
	YearOf  string    `mapstructure:"year_of"`
	Minus   []int     `mapstructure:"minus"`
	P       *float64  `mapstructure:"p"`
	With    string    `mapstructure:"with"`
	When    string    `mapstructure:"when"`
}

// DemoSpec loads and checks a programme's demo specification against its
// format: every column of the format is drawn, and every column a rule
// refers to exists.
func (c *Config) DemoSpec(programme string, f *Format) (*DemoSpec, error) {
	name := path.Join("programmes", programme, "demo.yaml")
	var d DemoSpec
	if err := readYAML(c.FS, name, &d); err != nil {
		return nil, err
	}
	if err := d.check(f); err != nil {
		return nil, fmt.Errorf("config: %s: %w", name, err)
	}
	return &d, nil
}

func (d *DemoSpec) check(f *Format) error {
	if len(d.Partners) == 0 || d.Size < 1 {
		return fmt.Errorf("partners and size (>= 1) are needed")
	}
	for i, p := range d.Partners {
		if !validCode(p.Code) || p.Name == "" || !slices.Contains(Languages, p.Language) {
			return fmt.Errorf("partners[%d]: a code, a name and a language (%v) are needed", i, Languages)
		}
	}
	if c, ok := f.Column(d.Start); !ok || c.Type != TypeDate {
		return fmt.Errorf("start %q is not a date column", d.Start)
	}
	for _, col := range f.Columns {
		s, ok := d.Columns[col.Name]
		if !ok {
			return fmt.Errorf("columns: %s is not drawn", col.Name)
		}
		ways := 0
		for _, set := range []bool{s.ID != "", len(s.Codes) > 0, len(s.Int) > 0, s.Start, s.After != "", s.YearOf != ""} {
			if set {
				ways++
			}
		}
		switch {
		case ways != 1:
			return fmt.Errorf("columns.%s: give exactly one of id, codes, int, start, after, year_of", col.Name)
		case len(s.Codes) > 0 && len(s.Weights) != len(s.Codes):
			return fmt.Errorf("columns.%s: one weight per code", col.Name)
		case len(s.Int) > 0 && (len(s.Int) != 2 || s.Int[0] > s.Int[1]):
			return fmt.Errorf("columns.%s: int is [lo, hi]", col.Name)
		case s.After != "" && (len(s.Days) != 2 || s.Days[0] > s.Days[1]):
			return fmt.Errorf("columns.%s: after needs days [lo, hi]", col.Name)
		case s.YearOf != "" && (len(s.Minus) != 2 || s.Minus[0] > s.Minus[1]):
			return fmt.Errorf("columns.%s: year_of needs minus [lo, hi]", col.Name)
		case s.P != nil && (*s.P < 0 || *s.P > 1):
			return fmt.Errorf("columns.%s: p is a chance between 0 and 1", col.Name)
		}
		for _, ref := range []string{s.Below, s.After, s.YearOf, s.With, s.When} {
			if _, ok := f.Column(ref); ref != "" && !ok {
				return fmt.Errorf("columns.%s: %q is not a column", col.Name, ref)
			}
		}
	}
	for name := range d.Columns {
		if _, ok := f.Column(name); !ok {
			return fmt.Errorf("columns: %q is not a column of the format", name)
		}
	}
	for _, e := range d.Enter {
		if c, ok := f.Column(e); !ok || c.Type != TypeDate {
			return fmt.Errorf("enter: %q is not a date column", e)
		}
	}
	return nil
}
