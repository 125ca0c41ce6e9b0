package ingest

import (
	"fmt"
	"os"
	"path/filepath"
)

// Quarantine keeps a copy of a rejected file's bytes under
// dir/<partner>/<quarter>-<sha256 prefix>.csv, so the exact file a partner
// was answered about can be looked at later even when the partner replaces
// it. The inbox file itself is never touched. An existing copy (the same
// bytes) is left as it is.
func Quarantine(dir string, s *Submission, data []byte) (string, error) {
	path := filepath.Join(dir, s.Partner, fmt.Sprintf("%s-%s.csv", s.Quarter, s.SHA256[:12]))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("quarantine: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("quarantine: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("quarantine: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("quarantine: %w", err)
	}
	return path, f.Close()
}
