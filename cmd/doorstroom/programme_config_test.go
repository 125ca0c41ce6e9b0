package main

import (
	"path/filepath"
	"testing"
)

// TestLoadProgramme checks where sql and risk look for a network's
// snapshots: under out/<programme>/ in a network of several programmes
// (the first by default), in out/ itself in a network of one.
func TestLoadProgramme(t *testing.T) {
	for _, tc := range []struct {
		file, programme, wantOut string
	}{
		{"demo-network.yaml", "", filepath.Join("out", "atn")},
		{"demo-network.yaml", "chain", filepath.Join("out", "chain")},
		{"demo.yaml", "", "out"},
	} {
		t.Run(tc.file+" "+tc.programme, func(t *testing.T) {
			cfg, err := loadProgramme(filepath.Join("..", "..", "config", tc.file), tc.programme)
			if err != nil {
				t.Fatal(err)
			}
			if got := filepath.Clean(cfg.Paths.Out); got != tc.wantOut {
				t.Errorf("paths.out = %s, want %s", got, tc.wantOut)
			}
		})
	}
	if _, err := loadProgramme(filepath.Join("..", "..", "config", "demo-network.yaml"), "nope"); err == nil {
		t.Error("an unknown programme was accepted")
	}
}
