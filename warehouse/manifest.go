package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ManifestName is the file that lists a published release's files.
const ManifestName = "manifest.json"

// SnapshotFormat is the version of the snapshot layout and manifest. It
// changes only when a reader of an older layout could no longer read a
// release; adding a column or a file does not change it.
const SnapshotFormat = 1

// Manifest describes one published release of one quarter: where it comes
// from, its privacy parameters and, for every file, its SHA-256, size and
// rows. Readers check a release against it; the pipeline compares a new
// release's content with it to decide whether anything changed.
type Manifest struct {
	SnapshotFormat int    `json:"snapshot_format"`
	Programme      string `json:"programme"`
	FormatVersion  int    `json:"format_version"`
	Quarter        string `json:"quarter"`
	Release        string `json:"release"`
	// Version counts the publications of the quarter: 1 for the first,
	// one more for every correction.
	Version int `json:"version"`
	// Supersedes is the publication this one replaced, kept unchanged
	// under the superseded folder; nil for a first publication.
	Supersedes *Superseded `json:"supersedes"`
	Created    string      `json:"created"`
	// K, SuppressionLimit and Threshold are the disclosure-control
	// parameters the release was made with.
	K                int     `json:"k"`
	SuppressionLimit float64 `json:"suppression_limit"`
	Threshold        int     `json:"threshold"`
	// ContentSHA256 digests the rows of every table and the bytes of
	// every other file, but no creation time: equal content, equal digest.
	ContentSHA256 string         `json:"content_sha256"`
	Files         []ManifestFile `json:"files"`
}

// Superseded points from a correction to the publication it replaced.
type Superseded struct {
	Release string `json:"release"`
	Version int    `json:"version"`
	// Path is where the replaced publication is kept, relative to the
	// snapshots folder.
	Path string `json:"path"`
}

// ManifestFile is one file of a release.
type ManifestFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	// Table, Rows, RowsSHA256 and Columns are set for Parquet tables.
	Table      string   `json:"table,omitempty"`
	Rows       int64    `json:"rows,omitempty"`
	RowsSHA256 string   `json:"rows_sha256,omitempty"`
	Columns    []Column `json:"columns,omitempty"`
}

// File returns the manifest entry of a file name.
func (m *Manifest) File(name string) (ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Name == name {
			return f, true
		}
	}
	return ManifestFile{}, false
}

// ReadManifest reads the manifest of a release directory. A directory
// without one gives an error that wraps fs.ErrNotExist.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("snapshots: %s: %w", filepath.Join(dir, ManifestName), err)
	}
	return &m, nil
}

// VerifyRelease checks a release directory against its manifest: every
// listed file exists with its size and SHA-256, and no other file is
// there. The first difference is the error.
func VerifyRelease(dir string) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	listed := map[string]bool{ManifestName: true}
	for _, f := range m.Files {
		listed[f.Name] = true
		sum, n, err := hashFile(filepath.Join(dir, f.Name))
		if err != nil {
			return fmt.Errorf("snapshots: %s: %w", dir, err)
		}
		if n != f.Bytes || sum != f.SHA256 {
			return fmt.Errorf("snapshots: %s differs from its manifest (sha256 %s, %d bytes; manifest: %s, %d bytes)",
				filepath.Join(dir, f.Name), sum, n, f.SHA256, f.Bytes)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			return fmt.Errorf("snapshots: %s is not in the release's manifest", filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// hashFile returns a file's SHA-256 in hex and its size.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// isNotExist reports whether err says a file is missing.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
