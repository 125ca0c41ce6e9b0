package config

import (
	"strings"
	"testing"
)

// TestFormatPrivacyChecks covers the format's publish.diversity and
// register entries, and the shape of its rules: a mistake fails when the
// configuration loads.
func TestFormatPrivacyChecks(t *testing.T) {
	base := func() *Format {
		return &Format{Programme: "p", Version: 1, Table: "records", Key: "id", Columns: []Column{
			{Name: "id", Type: TypeText, Role: RoleIdentifier},
			{Name: "start", Type: TypeDate, Role: RoleQuasiIdentifier, Register: true},
			{Name: "outcome", Type: TypeCode, Codes: []string{"a", "b"}, Role: RoleSensitive,
				Publish: &Publish{Name: "outcome", Diversity: &Diversity{Measure: DiversityDistinct, L: 2}}},
		}}
	}
	if err := base().check(); err != nil {
		t.Fatalf("valid format refused: %v", err)
	}
	cases := []struct {
		name   string
		change func(f *Format)
		want   string
	}{
		{"unknown measure", func(f *Format) { f.Columns[2].Publish.Diversity.Measure = "recursive" }, "measure"},
		{"l below 1", func(f *Format) { f.Columns[2].Publish.Diversity.L = 0.5 }, "at least 1"},
		{"fractional distinct l", func(f *Format) { f.Columns[2].Publish.Diversity.L = 2.5 }, "whole l"},
		{"diversity on a non-sensitive column", func(f *Format) { f.Columns[2].Role = RoleAttribute }, "only for sensitive"},
		{"register on an attribute", func(f *Format) { f.Columns[2].Register = true }, "register is only for quasi-identifiers"},
		{"an order of one column", func(f *Format) { f.Rules = []Rule{{Rule: "order", Columns: []string{"start"}}} }, "at least two"},
		{"a rule without its other", func(f *Format) { f.Rules = []Rule{{Rule: "not_before", Column: "start"}} }, "needs a column and an other"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base()
			c.change(f)
			if err := f.check(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
}
