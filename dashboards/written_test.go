package dashboards

import (
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestBuildOverAnEarlierSite builds a site into the folder of an earlier,
// different site and checks that the folder then holds exactly what a
// build into an empty folder holds: every page rewritten, every page,
// folder and stray file of the earlier site that the new one lacks gone.
func TestBuildOverAnEarlierSite(t *testing.T) {
	newer := fixture{partners: 2, quarters: 2, seed: 4, small: true}.input(t)
	tests := []struct {
		name    string
		earlier func(t *testing.T, dir string)
	}{
		{"empty folder", func(t *testing.T, dir string) {}},
		{"site with more partners and quarters", func(t *testing.T, dir string) {
			buildInto(t, fixture{partners: 4, quarters: 3, seed: 5, small: true}.input(t), dir)
		}},
		{"the same site", func(t *testing.T, dir string) { buildInto(t, newer, dir) }},
		{"stray files and a folder where a page goes", func(t *testing.T, dir string) {
			buildInto(t, newer, dir)
			must(t, os.WriteFile(filepath.Join(dir, "stray.html"), []byte("old"), 0o644))
			must(t, os.MkdirAll(filepath.Join(dir, "gone", "deeper"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "gone", "deeper", "x.csv"), []byte("old"), 0o644))
			must(t, os.Remove(filepath.Join(dir, "index.html")))
			must(t, os.MkdirAll(filepath.Join(dir, "index.html", "inside"), 0o755))
		}},
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	buildInto(t, newer, fresh)
	want := treeDigest(t, fresh)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			must(t, os.MkdirAll(dir, 0o755))
			tc.earlier(t, dir)
			buildInto(t, newer, dir)
			got := treeDigest(t, dir)
			for p, h := range want {
				if got[p] != h {
					t.Errorf("%s differs from a build into an empty folder", p)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					t.Errorf("%s is left over from the earlier site", p)
				}
			}
		})
	}
}

func buildInto(t *testing.T, in Input, dir string) {
	t.Helper()
	if _, err := Build(context.Background(), in, dir); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// treeDigest maps every file and folder under dir (relative path; folders
// end in /) to the SHA-256 of its content.
func treeDigest(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			out[rel+"/"] = [32]byte{}
			return nil
		}
		data, err := os.ReadFile(path)
		out[rel] = sha256.Sum256(data)
		return err
	})
	must(t, err)
	return out
}
