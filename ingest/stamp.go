package ingest

import "time"

// A run must tell, for every inbox file of every quarter it goes through,
// whether the file still holds the bytes it held last time: a partner may
// replace an earlier quarter's file at any time. Reading and hashing them
// all made a quarterly run's cost grow with the inbox's history (at 1M
// trajectories, 0.22 s for the 350 files of 7 earlier quarters, and
// more with every quarter kept). A Stamp lets a run skip that, as git
// does for its work tree: what the file system said about the file when
// its bytes were last read and hashed. Any write to a file sets its
// status-change time to the system's clock, and no program can set that
// back, even one that sets the modification time back (cp -p, rsync,
// touch); a file renamed over it, or removed and made anew, is another
// inode as well. So a file whose size, times, device and inode are all
// what the stamp recorded holds the bytes that were hashed.
//
// One case escapes the times: a write within the same tick of the file
// system's clock as the change the stamp recorded. A stamp is therefore
// only taken of a file whose last change was StampMargin or more before it
// was looked at; a file changed more recently is read and hashed again
// next time, until its change is old enough to stamp (git's "racily
// clean" files).

// StampMargin is how long before a look a file's last change must be for
// the look to vouch for its bytes later. The file system's clock moves in
// ticks of a few milliseconds; a second leaves room for a clock that is
// stepped as well. A variable, so that tests can stamp the files they
// have just written.
var StampMargin = time.Second

// Stamp is what the file system said about an inbox file when its bytes
// were read and hashed: kept in its manifest entry, it lets the next run
// take the file as unchanged without reading it.
type Stamp struct {
	Size     int64  `json:"size"`
	Modified int64  `json:"modified_ns"`
	Changed  int64  `json:"changed_ns"`
	Device   uint64 `json:"device"`
	Inode    uint64 `json:"inode"`
}

// StampOf returns the stamp of a settled file whose bytes were read, and
// false when its look cannot vouch for them later: the platform gives no
// file identity (look_other.go), or the file changed less than
// StampMargin before it was looked at.
func StampOf(f SettledFile) (Stamp, bool) {
	l := f.Look
	if l.Inode == 0 || l.Changed == 0 || time.Unix(0, l.Changed).After(f.LookedAt.Add(-StampMargin)) {
		return Stamp{}, false
	}
	return Stamp{Size: l.Size, Modified: l.ModTime.UnixNano(), Changed: l.Changed, Device: l.Device, Inode: l.Inode}, true
}

// Vouches reports whether a look shows the file the stamp was taken of,
// untouched since; a nil stamp vouches for nothing.
func (s *Stamp) Vouches(l Look) bool {
	return s != nil && l.Inode != 0 && l.Changed != 0 &&
		*s == Stamp{Size: l.Size, Modified: l.ModTime.UnixNano(), Changed: l.Changed, Device: l.Device, Inode: l.Inode}
}
