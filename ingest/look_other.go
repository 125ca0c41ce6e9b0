//go:build !linux

package ingest

import "os"

// identify leaves a look without the file's identity: stamps (stamp.go)
// then never vouch for a file, and every inbox file is read and hashed on
// every run, as before stamps.
func identify(os.FileInfo, *Look) {}
