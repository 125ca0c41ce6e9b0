package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestForProgramme: in a network of several programmes each programme
// gets its own partners and folders; a network of one keeps its folders.
func TestForProgramme(t *testing.T) {
	c, err := Load("demo-network.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.ForProgramme("resettlement")
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{Inbox: "testdata/resettlement/inbox", Outbox: "outbox/resettlement", Quarantine: "quarantine/resettlement",
		State: "state/resettlement", Out: "out/resettlement", Site: "out/site/resettlement"}
	if r.Paths.Inbox != want.Inbox || r.Paths.Outbox != want.Outbox || r.Paths.Quarantine != want.Quarantine ||
		r.Paths.State != want.State || r.Paths.Out != want.Out || r.Paths.Site != want.Site {
		t.Errorf("paths %+v, want %+v", r.Paths, want)
	}
	if len(r.Programmes) != 1 || len(r.Partners) != 3 || r.Partners[0].Code != "caritas" {
		t.Errorf("programme's own partners: %v %+v", r.Programmes, r.Partners)
	}
	one, err := Load("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := one.ForProgramme("atn")
	if err != nil {
		t.Fatal(err)
	}
	if a.Paths.Out != one.Paths.Out || a.SitePath() != filepath.Join(one.Paths.Out, "site") || len(a.Partners) != 5 {
		t.Errorf("a network of one programme changed: %+v, %d partners", a.Paths, len(a.Partners))
	}
	if _, err := c.ForProgramme("nope"); err == nil {
		t.Error("an unknown programme was accepted")
	}
}

// TestProgrammesLoad: every programme's format, labels, hierarchies,
// dictionary, translations and demo specification load and agree.
func TestProgrammesLoad(t *testing.T) {
	c, err := Load("demo-network.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range c.Programmes {
		t.Run(name, func(t *testing.T) {
			pc, err := c.ForProgramme(name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := pc.Programme(name)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Labels.Identifiers["national_number"]) == 0 {
				t.Error("the shared identifier headers are not among the programme's labels")
			}
			if _, err := pc.Hierarchies(); err != nil {
				t.Error(err)
			}
			d, err := pc.Dictionary(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{p.Format.Table, "metrics", "risk"} {
				if _, ok := d.Table(table); !ok {
					t.Errorf("the dictionary does not describe table %s", table)
				}
			}
			tr, err := pc.Translations()
			if err != nil {
				t.Fatal(err)
			}
			if !tr.Has("programme." + name) {
				t.Errorf("no translation programme.%s", name)
			}
			if _, err := pc.DemoSpec(name, p.Format); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOneCodeInTwoProgrammes: an organisation may report on two
// programmes under one code (TestLoadRejects has the mistakes a network
// of several programmes can make).
func TestOneCodeInTwoProgrammes(t *testing.T) {
	ok := filepath.Join(t.TempDir(), "ok.yaml")
	if err := os.WriteFile(ok, []byte("programmes: [atn, lvv]\npartners: [{code: a, programme: atn}, {code: a, programme: lvv}]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ok); err != nil {
		t.Errorf("one code in two programmes refused: %v", err)
	}
}
