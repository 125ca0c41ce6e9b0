package ingest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// InboxFile is a partner export found in the inbox.
type InboxFile struct {
	Partner string
	Quarter period.Quarter
	// Path is the file's path on disk; Name is partner/file, the form
	// used in messages and reports.
	Path, Name string
}

// Skipped is something in the inbox that is not a partner export, with the
// reason it was left alone.
type Skipped struct {
	Name, Reason string
}

var exportName = regexp.MustCompile(`^(\d{4}[Qq][1-4])\.csv$`)

// ScanInbox lists the exports in an inbox laid out as
// <inbox>/<partner>/<YYYY>Q<n>.csv, sorted by partner and quarter. It
// follows no symbolic links and accepts only partner folders with a valid
// code, so nothing outside the inbox can be read through it. Anything else
// is returned as Skipped, never silently ignored.
func ScanInbox(dir string) ([]InboxFile, []Skipped, error) {
	partners, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("inbox: %w", err)
	}
	var files []InboxFile
	var skipped []Skipped
	for _, p := range partners {
		name := p.Name()
		if name[0] == '.' {
			continue // hidden files and folders of the file system or editors
		}
		if p.Type()&fs.ModeSymlink != 0 || !p.IsDir() {
			skipped = append(skipped, Skipped{name, "not a partner folder (partner exports go in inbox/<partner>/)"})
			continue
		}
		if !config.ValidCode(name) {
			skipped = append(skipped, Skipped{name, "folder name is not a valid partner code"})
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, fmt.Errorf("inbox: %w", err)
		}
		for _, e := range entries {
			fname := e.Name()
			rel := name + "/" + fname
			if fname[0] == '.' {
				continue
			}
			m := exportName.FindStringSubmatch(fname)
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				skipped = append(skipped, Skipped{rel, "symbolic link: copy the file itself into the inbox"})
			case !e.Type().IsRegular():
				skipped = append(skipped, Skipped{rel, "not a regular file"})
			case m == nil:
				skipped = append(skipped, Skipped{rel, "name is not <YYYY>Q<n>.csv"})
			default:
				q, _ := period.Parse(m[1])
				files = append(files, InboxFile{Partner: name, Quarter: q,
					Path: filepath.Join(dir, name, fname), Name: rel})
			}
		}
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].Partner != files[j].Partner {
			return files[i].Partner < files[j].Partner
		}
		return files[i].Quarter.Before(files[j].Quarter)
	})
	return files, skipped, nil
}
