package config

import (
	"strings"
	"testing"
)

// TestReleaseChecks covers publish.weight, publish.levels and the release
// block: a mistake fails when the configuration loads.
func TestReleaseChecks(t *testing.T) {
	num := func(v float64) *float64 { return &v }
	lvl := func(v int) *int { return &v }
	base := func() *Format {
		return &Format{Programme: "p", Version: 1, Table: "records", Key: "id", Columns: []Column{
			{Name: "id", Type: TypeText, Role: RoleIdentifier},
			{Name: "start", Type: TypeDate, Role: RoleQuasiIdentifier, Publish: &Publish{Name: "start_month", Hierarchy: "month",
				Generalisation: Generalisation{Weight: num(3), Levels: &Levels{Max: lvl(1)}}}},
			{Name: "outcome", Type: TypeCode, Codes: []string{"a", "b"}, Role: RoleSensitive, Publish: &Publish{Name: "outcome"}},
		}, Release: &Release{Aggregate: "arithmetic_mean", Partner: &Generalisation{Weight: num(2), Levels: &Levels{Min: lvl(0), Max: lvl(1)}}}}
	}
	if err := base().check(); err != nil {
		t.Fatalf("valid format refused: %v", err)
	}
	cases := []struct {
		name   string
		change func(f *Format)
		want   string
	}{
		{"negative weight", func(f *Format) { f.Columns[1].Publish.Weight = num(-1) }, "column start: publish.weight is -1"},
		{"negative level", func(f *Format) { f.Columns[1].Publish.Levels.Max = lvl(-2) }, "publish.levels.max is -2"},
		{"min above max", func(f *Format) { f.Columns[1].Publish.Levels.Min = lvl(2) }, "levels: min 2 is above max 1"},
		{"weight on a sensitive column", func(f *Format) { f.Columns[2].Publish.Weight = num(1) }, "only for quasi-identifiers"},
		{"unknown aggregate", func(f *Format) { f.Release.Aggregate = "mean" }, `release.aggregate "mean"`},
		{"partner weight", func(f *Format) { f.Release.Partner.Weight = num(-0.5) }, "release.partner.weight is -0.5"},
		{"partner levels", func(f *Format) { f.Release.Partner.Levels.Min = lvl(3) }, "release.partner.levels: min 3 is above max 1"},
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

// TestATNRelease reads the atn format's weights and levels through viper:
// the squashed publish entries and the release block arrive intact.
func TestATNRelease(t *testing.T) {
	cfg, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := cfg.Programme("atn")
	if err != nil {
		t.Fatal(err)
	}
	f := prog.Format
	if f.Release == nil || f.Release.Aggregate != "arithmetic_mean" || f.Release.Partner == nil || f.Release.Partner.Weight == nil || *f.Release.Partner.Weight != 8 {
		t.Fatalf("release block %+v", f.Release)
	}
	for _, name := range []string{"intake_date", "outflow_date"} {
		c, _ := f.Column(name)
		g := c.Publish.Generalisation
		if g.Weight == nil || *g.Weight != 4 || g.Levels == nil || g.Levels.Max == nil || *g.Levels.Max != 1 || g.Levels.Min != nil {
			t.Errorf("%s: weight and levels %+v", name, g)
		}
	}
	if c, _ := f.Column("birth_year"); c.Publish.Weight != nil || c.Publish.Levels != nil {
		t.Errorf("birth_year has a weight or levels: %+v", c.Publish.Generalisation)
	}
}
