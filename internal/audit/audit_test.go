package audit

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const testKey = "0123456789abcdef-test-key-material-0123456789"

var testIDs = []string{"ANT-2025-00001", "GEN-2026-00042", "778899", "12345"}

// kinds is what the auditor finds in text, as sorted kinds.
func kinds(t *testing.T, a *Auditor, text string) []string {
	t.Helper()
	var out []string
	a.Text([]byte(text), func(f Finding) {
		out = append(out, f.Kind)
		if f.Kind != KindKey && strings.Contains(f.Masked, "@") && strings.ContainsAny(f.Masked, "0123456789") {
			t.Errorf("the finding repeats the value: %q", f.Masked)
		}
	})
	sort.Strings(out)
	return out
}

func TestText(t *testing.T) {
	a := New(testIDs, []byte(testKey))
	if a.Skipped != 1 {
		t.Errorf("skipped %d case numbers, want 1 (12345 is too short)", a.Skipped)
	}
	for _, tc := range []struct {
		name, text string
		want       string // sorted kinds, comma-separated
	}{
		{"case number in a page", `<td>ANT-2025-00001</td>`, "case_id"},
		{"numeric case number", `id,778899,x`, "case_id"},
		{"numeric case number inside a longer number", `count 17788990`, ""},
		{"case number inside a word", `xANT-2025-00001`, ""},
		{"short case number not searched", `12345`, ""},
		{"case number percent-encoded in a data link", `<a href="data:text/csv,` + url.PathEscape("a,GEN-2026-00042\n") + `">`, "case_id"},
		{"case number in a base64 data link", `<a href="data:text/csv;base64,` + base64.StdEncoding.EncodeToString([]byte("GEN-2026-00042")) + `">`, "case_id"},
		{"key as written", "secret: " + testKey, "key"},
		{"key in hex", hex.EncodeToString([]byte(testKey)), "key"},
		{"key in base64", base64.StdEncoding.EncodeToString([]byte(testKey)), "key"},
		{"national number formatted", `<td>85.07.30-033.28</td>`, "national_number"},
		{"national number bare", `"85073003328"`, "national_number"},
		{"national number born after 2000", `02.02.01-001.54`, "national_number"},
		{"national number with a wrong check", `85.07.30-033.29`, ""},
		{"bsn bare", `;111222333;`, "bsn"},
		{"bsn formatted", `1112.22.333`, "bsn"},
		{"bsn failing the 11-test", `;111222334;`, ""},
		{"e-mail", `<p>mail jan.peeters@example.be please</p>`, "email"},
		{"e-mail as HTML entities", `jan&#46;peeters&#64;example&#46;be`, "email"},
		{"phone belgian mobile", `tel 0470 12 34 56`, "phone"},
		{"phone international", `+32 470 12 34 56`, "phone"},
		{"iban", `BE68 5390 0754 7034`, "iban"},
		{"sha-256 in a manifest", `"sha256": "8cfb997af0825d30a6c0e7fccadb698f7d625f47bc1a87986bfcecbe7a1d6bf5"`, ""},
		{"pseudonym", `7d625f47bc1a879861112223330e7fccadb6`, ""},
		{"share", `"prosecutor_risk_avg": 0.0660792952,`, ""},
		{"shares in chart data", `[0.12345678,0.0612345678,0.47012345678]`, ""},
		{"dates and counts", `2026-03-31;31/03/2026;1234;2026Q3;4866 rows`, ""},
		{"timestamp", `"created": "2026-11-23T16:46:05.879604581Z"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(kinds(t, a, tc.text), ","); got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTreeMasksAndLocates(t *testing.T) {
	dir := t.TempDir()
	page := "<html>\n<p>ok</p>\n<td>ANT-2025-00001</td>\n<td>85.07.30-033.28</td>\n"
	if err := os.WriteFile(filepath.Join(dir, "page.html"), []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clean.html"), []byte("<p>42 people</p>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs, st, err := New(testIDs, []byte(testKey)).Tree(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 2 {
		t.Errorf("read %d files, want 2", st.Files)
	}
	if len(fs) != 2 {
		t.Fatalf("findings %v, want 2", fs)
	}
	for i, want := range []struct {
		line int
		kind string
	}{{3, KindCaseID}, {4, "national_number"}} {
		f := fs[i]
		if f.File != "page.html" || f.Line != want.line || f.Kind != want.kind {
			t.Errorf("finding %d: %+v, want page.html line %d %s", i, f, want.line, want.kind)
		}
		if s := f.String(); strings.Contains(s, "ANT-2025") || strings.Contains(s, "033.28") {
			t.Errorf("the finding repeats the value: %s", s)
		}
	}
}

// TestCompressedFiles checks that the raw bytes of a compressed file (a
// screenshot, an archive) are searched for the key and case numbers only:
// e-mail-like and digit runs occur there by chance.
func TestCompressedFiles(t *testing.T) {
	noise := "ab@cdef-g.hijklmnop 85.07.30-033.28"
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"text", "<p>" + noise + "</p>", []string{"email", "national_number"}},
		{"png", "\x89PNG\r\n\x1a\n" + noise, nil},
		{"png holding the key", "\x89PNG\r\n\x1a\n" + noise + testKey, []string{KindKey}},
		{"gzip holding a case number", "\x1f\x8b\x08" + noise + " ANT-2025-00001 ", []string{KindCaseID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			fs, err := New(testIDs, []byte(testKey)).File(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Kind)
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("found %v, want %v", got, tc.want)
			}
		})
	}
}
