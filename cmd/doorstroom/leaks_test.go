package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"doorstroom/internal/audit"
)

// hostileExport is charleroi's 2026Q3 file as a hostile partner could
// send it: a header that is a spreadsheet formula and a code label that is
// a script.
const hostileExport = "case_id,birth_year,sex,nationality,household,arrival_year,intake_date,shelter,exploration_date,realisation_date,dvz_consent_date,dvz_first_talk_date,dvz_talks,fedasil_first_talk_date,fedasil_talks,procedure,outflow_date,outflow_type,\"=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\"\n" +
	"CHA-2026-00001,1989,M,MA,single,2019,2026-01-08,yes,,,,,0,,0,none,2026-03-02,<script>alert(2)</script>,1\n"

// TestNothingLeaks runs a small network whose configuration names a
// partner <script>…</script>, with a known key in the environment and a
// hostile export in the inbox, and checks that every partner-provided
// string is escaped in the site and the answer, that the answer's CSV
// defuses the formula, that the key is in no file written and in no line
// printed (by the run, check and a failing command), that outputs other
// than the site are readable by their owner (and group) only, and that
// doorstroom audit finds nothing in out/ and the outbox but finds what is
// planted there.
func TestNothingLeaks(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline run")
	}
	const key = "a-known-test-key-9f2c4e1d7b3a6058c4e1d7b3a6058"
	t.Setenv("DOORSTROOM_KEY", key)
	t.Setenv("DOORSTROOM_INGEST_SETTLE", "0s")
	work := t.TempDir()
	n := newSmallNetwork(t, filepath.Join(work, "net"))
	cfg := n.config(t, work, "")
	data, _ := os.ReadFile(cfg)
	data = bytes.Replace(data, []byte("name: Gent"), []byte(`name: "<script>alert(1)</script>"`), 1)
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	hostile := filepath.Join(n.dir, "inbox", "charleroi", "2026Q3.csv")
	if err := os.WriteFile(hostile, []byte(hostileExport), 0o644); err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	for _, args := range [][]string{
		{"run", "--config", cfg},
		{"check", "--config", cfg, hostile},
		{"risk", "--config", cfg, "--quarter", "2031Q1"}, // fails: no such release
		{"run", "--config", filepath.Join(work, "missing.yaml")},
	} {
		var stdout, stderr bytes.Buffer
		code := dispatch(context.Background(), args, &stdout, &stderr)
		if args[0] == "run" && args[2] == cfg && code != 0 {
			t.Fatalf("run exited %d: %s", code, stderr.String())
		}
		printed.Write(stdout.Bytes())
		printed.Write(stderr.Bytes())
	}
	out, outbox := filepath.Join(work, "out"), filepath.Join(work, "outbox")

	t.Run("partner strings escaped in the site", func(t *testing.T) {
		escaped := 0
		walkFiles(t, filepath.Join(out, "site"), func(path string, data []byte) {
			if bytes.Contains(data, []byte("<script>alert")) {
				t.Errorf("%s holds the partner's name as markup", path)
			}
			escaped += bytes.Count(data, []byte("&lt;script&gt;alert(1)&lt;/script&gt;"))
		})
		if escaped == 0 {
			t.Error("the partner's name is on no page")
		}
	})
	t.Run("partner strings escaped and defused in the answer", func(t *testing.T) {
		page, err := os.ReadFile(filepath.Join(outbox, "charleroi", "2026Q3.answer.html"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(page, []byte("<script>alert")) || !bytes.Contains(page, []byte("&lt;script&gt;alert(2)&lt;/script&gt;")) {
			t.Errorf("the answer page does not show the label as text:\n%s", page)
		}
		f, err := os.Open(filepath.Join(outbox, "charleroi", "2026Q3.answer.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		defused := false
		for _, row := range rows {
			for _, cell := range row {
				if strings.HasPrefix(cell, "=") || strings.HasPrefix(cell, "+") || strings.HasPrefix(cell, "@") {
					t.Errorf("answer CSV cell %q would run as a formula", cell)
				}
				defused = defused || strings.HasPrefix(cell, "'=HYPERLINK")
			}
		}
		if !defused {
			t.Errorf("the formula header is not in the answer CSV: %v", rows)
		}
	})
	t.Run("the key is nowhere", func(t *testing.T) {
		a := audit.New(nil, []byte(key))
		fs, _, err := a.Tree(context.Background(), work)
		if err != nil {
			t.Fatal(err)
		}
		a.Text(printed.Bytes(), func(f audit.Finding) { f.File = "(printed)"; fs = append(fs, f) })
		for _, f := range fs {
			t.Errorf("key material: %s", f)
		}
		if !strings.Contains(printed.String(), "doorstroom") {
			t.Error("nothing printed: the test looked at nothing")
		}
	})
	t.Run("restrictive modes", func(t *testing.T) {
		site := filepath.Join(out, "site")
		checked := 0
		defer func() {
			if checked < 20 {
				t.Errorf("only %d outputs checked", checked)
			}
		}()
		filepath.WalkDir(work, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(work, path)
			if path == site || rel == "." || strings.HasPrefix(rel, "net") {
				if d.IsDir() && path != work {
					return filepath.SkipDir // the published site; the test's own inbox
				}
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			mode := info.Mode().Perm()
			checked++
			if mode&0o007 != 0 {
				t.Errorf("%s has mode %04o: others can read it", rel, mode)
			}
			private := rel == filepath.Join("out", "warehouse.duckdb") || strings.HasPrefix(rel, "state") || strings.HasPrefix(rel, "quarantine")
			if private && !d.IsDir() && mode&0o077 != 0 {
				t.Errorf("%s has mode %04o: only its owner may read it", rel, mode)
			}
			return nil
		})
	})
	t.Run("audit", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := dispatch(context.Background(), []string{"audit", "--config", cfg, out, outbox}, &stdout, &stderr); code != 0 {
			t.Fatalf("audit of a clean release exited %d:\n%s%s", code, stdout.String(), stderr.String())
		}
		page := filepath.Join(out, "site", "index.html")
		planted := []string{"CHA-2026-00001", "85.07.30-033.28", key, "jan.peeters@example.be", "+32 470 12 34 56"}
		f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("<p>" + strings.Join(planted, "</p>\n<p>") + "</p>\n")
		f.Close()
		stdout.Reset()
		if code := dispatch(context.Background(), []string{"audit", "--config", cfg, out}, &stdout, &stderr); code != 1 {
			t.Fatalf("audit of a tree with identifiers exited %d:\n%s", code, stdout.String())
		}
		for _, kind := range []string{"case_id", "national_number", "key", "email", "phone"} {
			if !strings.Contains(stdout.String(), "site/index.html:") || !strings.Contains(stdout.String(), "): "+kind+" ") {
				t.Errorf("audit does not report the planted %s:\n%s", kind, stdout.String())
			}
		}
		for _, v := range planted {
			if strings.Contains(stdout.String(), v) {
				t.Errorf("audit prints the value it found: %s", v)
			}
		}
	})
}

// walkFiles calls fn with every file under dir and its bytes.
func walkFiles(t *testing.T, dir string, fn func(path string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(path, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
