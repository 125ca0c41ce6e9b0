//go:build linux

package ingest

import (
	"os"
	"syscall"
)

// identify adds the file's device, inode and status-change time to a look.
func identify(fi os.FileInfo, l *Look) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	l.Device, l.Inode = uint64(st.Dev), st.Ino
	l.Changed = st.Ctim.Nano()
}
