package ingest

import (
	"fmt"
	"os"
	"path/filepath"

	"doorstroom/internal/atomicfile"
)

// Quarantine keeps a copy of a refused file's bytes under
// dir/<partner>/<quarter>-<sha256 prefix>.csv, so the exact file a partner
// was answered about can be looked at later even when the partner replaces
// it. The inbox file itself is never touched. An existing copy (the same
// bytes) is left as it is.
func Quarantine(dir string, s *Submission, data []byte) (string, error) {
	path, err := keepCopy(dir, s.Partner, s.Quarter.String(), s.SHA256, data)
	if err != nil {
		return "", fmt.Errorf("quarantine: %w", err)
	}
	return path, nil
}

// ArchiveDir is the folder under the state folder that holds a copy of
// every accepted file.
const ArchiveDir = "archive"

// Archive keeps a copy of an accepted file under
// state/archive/<partner>/<quarter>-<sha256 prefix>.csv (mode 0600).
// Partners overwrite inbox/<partner>/<quarter>.csv in place; the copy is
// what keeps their last accepted file in force when a newer one is
// refused. It returns the copy's path relative to the state folder.
func Archive(stateDir string, s *Submission, data []byte) (string, error) {
	path, err := keepCopy(filepath.Join(stateDir, ArchiveDir), s.Partner, s.Quarter.String(), s.SHA256, data)
	if err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	return filepath.Rel(stateDir, path)
}

// ReadArchived reads an entry's archived copy and checks that its bytes
// are still the ones accepted.
func ReadArchived(stateDir string, e *Entry) ([]byte, error) {
	if e.Archive == "" {
		return nil, fmt.Errorf("archive: %s (received %s) has no archived copy", e.Name, e.ReceivedAt.Format("2006-01-02"))
	}
	data, err := os.ReadFile(filepath.Join(stateDir, e.Archive))
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if sha := sha256Hex(data); sha != e.SHA256 {
		return nil, fmt.Errorf("archive: %s no longer holds the accepted bytes of %s (SHA-256 %s, want %s)", e.Archive, e.Name, sha[:12], e.SHA256[:12])
	}
	return data, nil
}

// keepCopy writes data once to dir/<partner>/<quarter>-<sha prefix>.csv,
// atomically, in folders only the owner can enter, and leaves an existing
// copy alone (its name says it holds the same bytes).
func keepCopy(dir, partner, quarter, sha string, data []byte) (string, error) {
	path := filepath.Join(dir, partner, fmt.Sprintf("%s-%s.csv", quarter, sha[:12]))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	return path, atomicfile.WriteFile(path, data, 0o600)
}
