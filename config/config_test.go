package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func TestLoadDefaultsAndDemo(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.Privacy.K != 5 || c.Privacy.Threshold != 5 || c.Ingest.Policy != PolicyRejectFile {
		t.Errorf("defaults not read: %+v %+v", c.Privacy, c.Ingest)
	}
	demo, err := Load("config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(demo.Partners) != 5 || demo.Partners[0].Code != "antwerpen" {
		t.Errorf("demo partners not read: %+v", demo.Partners)
	}
	if demo.Privacy.K != 5 {
		t.Errorf("demo lost the default k: %d", demo.Privacy.K)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Setenv("DOORSTROOM_PRIVACY_K", "11")
	t.Setenv("DOORSTROOM_PATHS_OUT", "/tmp/elsewhere")
	c, err := Load("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Privacy.K != 11 || c.Paths.Out != "/tmp/elsewhere" {
		t.Errorf("environment not applied: k=%d out=%s", c.Privacy.K, c.Paths.Out)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"small k", "privacy: {k: 1}", "privacy.k"},
		{"bad policy", "ingest: {policy: maybe}", "ingest.policy"},
		{"traversal code", "partners: [{code: '../x'}]", "partners[0].code"},
		{"duplicate partner", "partners: [{code: a}, {code: a}]", "appears twice"},
		{"unknown language", "partners: [{code: a, language: de}]", "language"},
		{"unknown programme", "partners: [{code: a, programme: nope}]", "programme"},
		{"partner without programme among several", "programmes: [atn, lvv]\npartners: [{code: a}]", "needs each partner's programme"},
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
				t.Errorf("err = %v, want mention of %q", err, tt.want)
			}
		})
	}
}

func TestProgrammeATN(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Programme("atn")
	if err != nil {
		t.Fatal(err)
	}
	if p.Format.Key != "case_id" || len(p.Format.Columns) != 18 {
		t.Errorf("format: key %s, %d columns", p.Format.Key, len(p.Format.Columns))
	}
	if got := p.Format.ClassOf("outflow_type", "voluntary_return"); got != "durable" {
		t.Errorf("class of voluntary_return = %q", got)
	}
	if _, err := c.Hierarchies(); err != nil {
		t.Error(err)
	}
	tr, err := c.Translations()
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Text("fr", "rules.value_required", map[string]string{"column": "intake_date"}); !strings.Contains(got, "« intake_date »") {
		t.Errorf("French text = %q", got)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Numéro_de  Dossier": "numero de dossier",
		"  INTAKE-date ":     "intake date",
		"case_id":            "case id",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKey(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("k", 40)
	t.Run("env wins", func(t *testing.T) {
		t.Setenv("DOORSTROOM_KEY", long)
		k, err := KeySpec{Demo: strings.Repeat("d", 40)}.LoadKey()
		if err != nil || k.Demo || string(k.Bytes()) != long {
			t.Fatalf("got %v, %v", k, err)
		}
		if strings.Contains(k.String(), long) || strings.Contains(err2str(k), long) {
			t.Error("key material printed")
		}
	})
	t.Run("file mode", func(t *testing.T) {
		t.Setenv("DOORSTROOM_KEY", "")
		f := filepath.Join(dir, "key")
		os.WriteFile(f, []byte(long+"\n"), 0o644)
		if _, err := (KeySpec{File: f}).LoadKey(); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("world-readable key file accepted: %v", err)
		}
		os.Chmod(f, 0o600)
		k, err := KeySpec{File: f}.LoadKey()
		if err != nil || string(k.Bytes()) != long {
			t.Errorf("good key file refused: %v", err)
		}
	})
	t.Run("short", func(t *testing.T) {
		t.Setenv("DOORSTROOM_KEY", "short")
		_, err := KeySpec{}.LoadKey()
		if err == nil || strings.Contains(err.Error(), "short") {
			t.Errorf("short key: %v", err)
		}
	})
	t.Run("none", func(t *testing.T) {
		t.Setenv("DOORSTROOM_KEY", "")
		t.Setenv("DOORSTROOM_KEY_FILE", "")
		if _, err := (KeySpec{}).LoadKey(); err != ErrNoKey {
			t.Errorf("err = %v, want ErrNoKey", err)
		}
	})
}

func err2str(k Key) string { return strings.TrimSpace(k.GoString()) }

// TestDefaultProgramme: every programme the embedded configuration
// ships loads without a network file, and an unknown one is an error.
func TestDefaultProgramme(t *testing.T) {
	for _, name := range []string{"atn", "lvv", "chain", "resettlement"} {
		t.Run(name, func(t *testing.T) {
			p, err := DefaultProgramme(name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name || p.Format == nil || p.Format.Programme != name {
				t.Fatalf("programme %q, format %+v", p.Name, p.Format)
			}
		})
	}
	if _, err := DefaultProgramme("nowhere"); err == nil {
		t.Error("an unknown programme loaded")
	}
}

// TestStripAccents holds stripAccents to the Unicode transforms it skips
// for ASCII: on every ASCII character, on accented text, on a combining
// mark and on invalid UTF-8.
func TestStripAccents(t *testing.T) {
	chain := func(s string) string {
		out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var ascii strings.Builder
	for c := range utf8.RuneSelf {
		ascii.WriteByte(byte(c))
	}
	for _, in := range []string{"", "Numéro", "Ça va", "naïve café", "dossier-NR_1", "tab\there", ascii.String(), "e\u0301", "\xff"} {
		t.Run(in, func(t *testing.T) {
			if got, want := stripAccents(in), chain(in); got != want {
				t.Errorf("stripAccents(%q) = %q, want %q (the Unicode transforms')", in, got, want)
			}
		})
	}
}
