package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"doorstroom/internal/atomicfile"
)

// ManifestFile is the manifest's name in the state folder.
const ManifestFile = "manifest.json"

// Manifest records every inbox file the pipeline has seen, once per
// distinct content: where it was, its size and SHA-256, whose and which
// quarter it is, when it was received, and what became of it. It is how a
// run knows that a file is unchanged, a duplicate or new, and which file
// of a partner's quarter is in force when a newer one is refused.
type Manifest struct {
	Version int      `json:"version"`
	Files   []*Entry `json:"files"`
	// saved is the manifest as it is in the state folder savedIn, which
	// Save does not write there again: a quarter whose files are all
	// unchanged leaves it as it is.
	saved   []byte
	savedIn string
}

// Entry is one inbox file as seen at one time.
type Entry struct {
	ID      int    `json:"id"`
	Name    string `json:"name"` // partner/2026Q1.csv
	Path    string `json:"path"` // as found on disk
	Partner string `json:"partner"`
	Quarter string `json:"quarter"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	// ReceivedAt is when the file arrived: the replayed date when the
	// configuration gives one, else FirstSeen.
	ReceivedAt time.Time `json:"received_at"`
	FirstSeen  time.Time `json:"first_seen"`
	// Status is what the file is now; Outcome what reading it decided
	// (for a duplicate, the outcome of the file it repeats).
	Status      Status `json:"status"`
	Outcome     Status `json:"outcome"`
	DuplicateOf int    `json:"duplicate_of,omitempty"`
	// InForce marks the entry whose content is used for its partner and
	// quarter.
	InForce bool `json:"in_force"`
	// Policy is the ingest policy the file was judged under; Rows,
	// Accepted and Dropped count its data rows.
	Policy   string `json:"policy"`
	Rows     int    `json:"rows"`
	Accepted int    `json:"accepted_rows"`
	Dropped  int    `json:"dropped_rows"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// Archive is the accepted file's copy under the state folder, from
	// which it is read again while in force; Kept the copy of a refused
	// file in the quarantine folder.
	Archive string `json:"archive,omitempty"`
	Kept    string `json:"kept,omitempty"`
	// Stamp is what the file system said about the file the last time
	// its bytes were read and found to be this entry's (stamp.go); nil
	// when that look could not vouch for them.
	Stamp *Stamp `json:"stamp,omitempty"`
}

const manifestVersion = 1

// LoadManifest reads the manifest of a state folder; a folder without one
// starts an empty manifest. A manifest that cannot be read is an error,
// never silently replaced: it holds which files are in force.
func LoadManifest(stateDir string) (*Manifest, error) {
	path := filepath.Join(stateDir, ManifestFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{Version: manifestVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest %s cannot be read (%v); move it aside only if you mean to start the inbox's history again", path, err)
	}
	if m.Version != manifestVersion {
		return nil, fmt.Errorf("manifest %s has version %d; this doorstroom reads version %d", path, m.Version, manifestVersion)
	}
	for i, e := range m.Files {
		if e.ID != i+1 {
			return nil, fmt.Errorf("manifest %s: entry %d has id %d", path, i+1, e.ID)
		}
	}
	m.saved, m.savedIn = data, stateDir
	return &m, nil
}

// Save writes the manifest atomically, readable by its owner only, unless
// the file already holds exactly what it would write.
func (m *Manifest) Save(stateDir string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if stateDir == m.savedIn && bytes.Equal(data, m.saved) {
		return nil
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(stateDir, ManifestFile), data, 0o600); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	m.saved, m.savedIn = data, stateDir
	return nil
}

// Add appends an entry, numbering it, and settles the statuses of its
// partner's quarter.
func (m *Manifest) Add(e *Entry) {
	e.ID = len(m.Files) + 1
	m.Files = append(m.Files, e)
	m.resolve(e.Partner, e.Quarter)
}

// Latest returns the newest entry for a file name, or nil.
func (m *Manifest) Latest(name string) *Entry {
	for i := len(m.Files) - 1; i >= 0; i-- {
		if m.Files[i].Name == name {
			return m.Files[i]
		}
	}
	return nil
}

// Original returns the first entry of a partner's quarter with the given
// content that is not itself a duplicate, or nil.
func (m *Manifest) Original(partner, quarter, sha string) *Entry {
	for _, e := range m.For(partner, quarter) {
		if e.SHA256 == sha && e.DuplicateOf == 0 {
			return e
		}
	}
	return nil
}

// Entry returns the entry with an id, or nil.
func (m *Manifest) Entry(id int) *Entry {
	if id < 1 || id > len(m.Files) {
		return nil
	}
	return m.Files[id-1]
}

// For returns a partner's entries for a quarter, oldest first.
func (m *Manifest) For(partner, quarter string) []*Entry {
	var out []*Entry
	for _, e := range m.Files {
		if e.Partner == partner && e.Quarter == quarter {
			out = append(out, e)
		}
	}
	return out
}

// InForce returns the entry in force for a partner's quarter, or nil. For
// a duplicate in force, Content gives the entry that holds its archive.
func (m *Manifest) InForce(partner, quarter string) *Entry {
	for _, e := range m.For(partner, quarter) {
		if e.InForce {
			return e
		}
	}
	return nil
}

// Content returns the entry that holds an entry's bytes: itself, or the
// original of a duplicate.
func (m *Manifest) Content(e *Entry) *Entry {
	if e.DuplicateOf != 0 {
		if o := m.Entry(e.DuplicateOf); o != nil {
			return o
		}
	}
	return e
}

// Arrived returns when the content in force for a partner's quarter
// arrived: the first time these bytes were received since a different
// file was last in force, so dropping the same file again does not make a
// punctual delivery late.
func (m *Manifest) Arrived(partner, quarter string) (time.Time, bool) {
	es := m.For(partner, quarter)
	k := -1
	for i, e := range es {
		if e.InForce {
			k = i
		}
	}
	if k < 0 {
		return time.Time{}, false
	}
	at := es[k].ReceivedAt
	for i := k - 1; i >= 0; i-- {
		if es[i].SHA256 == es[k].SHA256 {
			at = es[i].ReceivedAt
			continue
		}
		if es[i].Outcome == Accepted {
			break
		}
	}
	return at, true
}

// resolve recomputes the statuses of a partner's quarter: the newest entry
// whose content was accepted is in force; entries with that content are
// accepted, older entries superseded, newer refused ones keep their
// outcome, and duplicates stay duplicates.
func (m *Manifest) resolve(partner, quarter string) {
	es := m.For(partner, quarter)
	k := -1
	for i, e := range es {
		if e.Outcome == Accepted {
			k = i
		}
	}
	for i, e := range es {
		e.InForce = i == k
		switch {
		case e.DuplicateOf != 0:
			e.Status = Duplicate
		case k >= 0 && e.SHA256 == es[k].SHA256:
			e.Status = Accepted
		case i < k:
			e.Status = Superseded
		default:
			e.Status = e.Outcome
		}
	}
}

// Quarters returns the quarters the manifest has entries for, sorted.
func (m *Manifest) Quarters() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range m.Files {
		if !seen[e.Quarter] {
			seen[e.Quarter] = true
			out = append(out, e.Quarter)
		}
	}
	sort.Strings(out)
	return out
}
