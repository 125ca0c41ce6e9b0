package config

import (
	"os"
	"path/filepath"
	"strings"
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

// TestNetworkOfProgrammesRejects: the mistakes a network of several
// programmes can make fail when the configuration loads.
func TestNetworkOfProgrammesRejects(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"partner without programme", "programmes: [atn, lvv]\npartners: [{code: a}]", "needs each partner's programme"},
		{"programme twice", "programmes: [atn, atn]", "appears twice"},
		{"inbox of an unknown programme", "programmes: [atn, lvv]\npaths: {inboxes: {chain: x}}", "paths.inboxes"},
		{"same code twice in a programme", "programmes: [atn, lvv]\npartners: [{code: a, programme: lvv}, {code: a, programme: lvv}]", "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	ok := filepath.Join(t.TempDir(), "ok.yaml")
	os.WriteFile(ok, []byte("programmes: [atn, lvv]\npartners: [{code: a, programme: atn}, {code: a, programme: lvv}]"), 0o600)
	if _, err := Load(ok); err != nil {
		t.Errorf("one code in two programmes refused: %v", err)
	}
}
