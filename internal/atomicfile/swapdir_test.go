package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExchangeDir(t *testing.T) {
	for _, tc := range []struct {
		name    string
		old     bool   // dst exists before the exchange
		leftOld bool   // an interrupted fallback exchange left dst.old (and no dst)
		wantSrc string // what src holds afterwards ("" = nothing)
	}{
		{"first publication", false, false, ""},
		{"replace", true, false, "old"},
		{"after an interrupted exchange", false, true, "old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "build"), filepath.Join(dir, "site")
			write := func(d, content string) {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(d, "index.html"), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write(src, "new")
			if tc.old {
				write(dst, "old")
			}
			if tc.leftOld {
				write(dst+".old", "old")
				if err := RecoverSwap(dst); err != nil {
					t.Fatal(err)
				}
				if got, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(got) != "old" {
					t.Fatalf("RecoverSwap: site holds %q, want the old one back", got)
				}
			}
			if err := ExchangeDir(src, dst); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(got) != "new" {
				t.Errorf("site holds %q, want new", got)
			}
			if got, _ := os.ReadFile(filepath.Join(src, "index.html")); string(got) != tc.wantSrc {
				t.Errorf("the build folder holds %q, want %q", got, tc.wantSrc)
			}
			if _, err := os.Lstat(dst + ".old"); err == nil {
				t.Errorf("%s.old left beside the site", dst)
			}
		})
	}
}
