package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIngestSettings(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.Ingest.Settle != 2*time.Second || c.Ingest.DeadlineDays != 30 || c.Ingest.Received != "" {
		t.Errorf("ingest defaults %+v", c.Ingest)
	}
	demo, err := Load("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if demo.Ingest.Received != "received.csv" || demo.Ingest.Policy != PolicyRejectFile {
		t.Errorf("demo ingest %+v", demo.Ingest)
	}
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("ingest: {settle: 150ms}\npartners: [{code: a, from: 2025Q2, until: 2026Q1}]\n"), 0o600)
	c, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Ingest.Settle != 150*time.Millisecond || c.Partners[0].From != "2025Q2" || c.Partners[0].Until != "2026Q1" {
		t.Errorf("read %+v %+v", c.Ingest, c.Partners[0])
	}
}

func TestIngestSettingsRejected(t *testing.T) {
	for name, yaml := range map[string]string{
		"bad from":        "partners: [{code: a, from: '2025-1'}]",
		"negative days":   "ingest: {deadline_days: -1}",
		"negative settle": "ingest: {settle: -1s}",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(path, []byte(yaml), 0o600)
			if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "config") {
				t.Errorf("accepted: %v", err)
			}
		})
	}
}

func TestProgrammeIdentifierHeaders(t *testing.T) {
	c, _ := Load("")
	p, err := c.Programme("atn")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"name", "national_number", "bsn", "email", "phone", "address", "notes"} {
		if len(p.Labels.Identifiers[kind]) == 0 {
			t.Errorf("labels.yaml names no header for identifier kind %s", kind)
		}
	}
	merged := p.LabelsFor(Partner{Labels: Labels{Identifiers: map[string][]string{"name": {"Begeleider"}}}})
	if n := len(merged.Identifiers["name"]); n != len(p.Labels.Identifiers["name"])+1 {
		t.Errorf("partner identifier headers not merged: %d", n)
	}
}
