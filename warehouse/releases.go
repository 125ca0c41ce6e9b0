package warehouse

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"doorstroom/internal/atomicfile"
)

// PublishedReleases returns the manifests of the releases published under
// root (one per quarter=* directory), oldest quarter first. Directories
// without a manifest are skipped.
func PublishedReleases(root string) ([]*Manifest, error) {
	dirs, err := filepath.Glob(filepath.Join(root, PartitionKey+"=*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(dirs)
	var out []*Manifest
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if isNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// checkCompatible refuses a release whose tables lack a column that a
// published release of the same table has, or give it another type:
// reading every quarter with union_by_name then always works, and a query
// written against one release keeps working on the next.
func checkCompatible(root string, tables map[string]ManifestFile) error {
	published, err := PublishedReleases(root)
	if err != nil {
		return err
	}
	for _, m := range published {
		for _, f := range m.Files {
			t, ok := tables[f.Table]
			if f.Table == "" || !ok {
				continue
			}
			types := map[string]string{}
			for _, c := range t.Columns {
				types[c.Name] = c.Type
			}
			for _, c := range f.Columns {
				switch typ, ok := types[c.Name]; {
				case !ok:
					return fmt.Errorf("snapshots: %s: column %s (published in release %s) is missing: a column is added, never renamed or dropped; keep publishing it (NULL if need be)",
						f.Table, c.Name, m.Release)
				case typ != c.Type:
					return fmt.Errorf("snapshots: %s: column %s is %s, but release %s published it as %s: a published column keeps its type",
						f.Table, c.Name, typ, m.Release, c.Type)
				}
			}
		}
	}
	return nil
}

// lastSuperseded returns the most recent superseded publication of a
// quarter and its directory, or nil.
func lastSuperseded(superseded, quarter string) (*Manifest, string, error) {
	versions, err := supersededVersions(superseded, quarter)
	if err != nil || len(versions) == 0 {
		return nil, "", err
	}
	dir := filepath.Join(superseded, PartitionKey+"="+quarter, "version="+strconv.Itoa(versions[len(versions)-1]))
	m, err := ReadManifest(dir)
	if isNotExist(err) {
		return nil, "", nil
	}
	return m, dir, err
}

// supersededVersions lists the versions kept for a quarter, ascending.
func supersededVersions(superseded, quarter string) ([]int, error) {
	dirs, err := filepath.Glob(filepath.Join(superseded, PartitionKey+"="+quarter, "version=*"))
	if err != nil {
		return nil, err
	}
	var out []int
	for _, d := range dirs {
		if n, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "version=")); err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// nextVersion is the version of a quarter's next publication: one more
// than any version published or kept.
func nextVersion(superseded, quarter string, current *Manifest) (int, error) {
	versions, err := supersededVersions(superseded, quarter)
	if err != nil {
		return 0, err
	}
	next := 1
	if current != nil && current.Version >= next {
		next = current.Version + 1
	}
	if n := len(versions); n > 0 && versions[n-1] >= next {
		next = versions[n-1] + 1
	}
	return next, nil
}

// renameDir moves a directory to a path that must not exist yet, creating
// the parents, and syncs both parents so the move survives a power cut.
func renameDir(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("snapshots: %s already exists; a published release is never overwritten", to)
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	if err := syncDir(filepath.Dir(to)); err != nil {
		return err
	}
	return syncDir(filepath.Dir(from))
}

// writeSynced creates a read-only file with data and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o440)
	if err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("snapshots: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("snapshots: writing %s: %w", path, err)
	}
	return f.Close()
}

func syncDir(dir string) error {
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	return nil
}

// marshalManifest is the manifest's JSON, indented, with a final newline.
func marshalManifest(m *Manifest) ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
