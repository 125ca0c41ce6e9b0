package dashboards

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// writtenSet records every file one build writes. Build may be given the
// folder of an earlier site to build in: creating ten thousand small files
// costs far more on a real disk than overwriting them, and the quarterly
// job rebuilds a site that differs from the last one in a few pages. Once
// the pages are written, prune removes whatever the earlier site had and
// this one has not, so the folder then holds exactly the new site.
type writtenSet struct {
	mu    sync.Mutex
	paths map[string]struct{}
}

func newWrittenSet() *writtenSet {
	return &writtenSet{paths: map[string]struct{}{}}
}

// writeFile writes data to path (creating its folder, or overwriting a
// file an earlier site left there) and records it.
func (s *writtenSet) writeFile(path string, data []byte) error {
	if err := overwrite(path, data); err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			// An earlier site had a folder (or something else) here.
			if err := os.RemoveAll(path); err != nil {
				return fmt.Errorf("dashboards: %w", err)
			}
		} else if !os.IsNotExist(err) {
			return fmt.Errorf("dashboards: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
	}
	s.mu.Lock()
	s.paths[filepath.Clean(path)] = struct{}{}
	s.mu.Unlock()
	return nil
}

// prune removes every file under dir that this build did not write, and
// then every folder left empty, deepest first. Symbolic links and other
// non-regular entries an earlier site cannot have made are removed too.
func (s *writtenSet) prune(dir string) error {
	var folders []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir {
				folders = append(folders, path)
			}
			return nil
		}
		if _, ok := s.paths[filepath.Clean(path)]; !ok {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dashboards: clearing the earlier site: %w", err)
	}
	slices.Reverse(folders)
	for _, f := range folders {
		if entries, err := os.ReadDir(f); err == nil && len(entries) == 0 {
			if err := os.Remove(f); err != nil {
				return fmt.Errorf("dashboards: clearing the earlier site: %w", err)
			}
		}
	}
	return nil
}

// overwrite writes data over the file at path, creating it when missing.
// An existing file is not truncated first but written over and then cut
// to its new length: a page that is rebuilt mostly keeps its size, and
// freeing and reallocating its blocks is what costs on a journalling
// file system.
func overwrite(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
