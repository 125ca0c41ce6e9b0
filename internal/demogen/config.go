package demogen

import (
	"bytes"
	"fmt"
	"path/filepath"

	"doorstroom/internal/atomicfile"
)

// ConfigFile is the network configuration Generate's callers write next
// to a generated inbox (WriteConfig), so that `doorstroom run --config`
// runs it as it is, whatever its number of partners.
const ConfigFile = "network.yaml"

// WriteConfig writes a network configuration for the generated network in
// dir: its inbox, every partner with its region and language, the demo
// key, the replayed arrival dates, and outbox, quarantine, out and state
// under work. Paths are absolute, so the file works from any directory.
func WriteConfig(dir, work string, opts Options) error {
	abs := func(p string) (string, error) { return filepath.Abs(p) }
	inbox, err := abs(filepath.Join(dir, "inbox"))
	if err != nil {
		return err
	}
	w, err := abs(work)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# A synthetic network made by `doorstroom demo`: no real person is in it.\n")
	fmt.Fprintf(&b, "paths:\n  inbox: %q\n", inbox)
	for _, p := range []string{"outbox", "quarantine", "out", "state"} {
		fmt.Fprintf(&b, "  %s: %q\n", p, filepath.Join(w, p))
	}
	fmt.Fprintf(&b, "key:\n  demo: doorstroom-demo-key-not-secret-never-use-for-real-data\n")
	fmt.Fprintf(&b, "ingest:\n  received: %s\n", ReceivedFile)
	fmt.Fprintf(&b, "partners:\n")
	for _, p := range Partners(opts.Partners) {
		fmt.Fprintf(&b, "  - {code: %s, name: %q, region: %s, language: %s, programme: atn}\n", p.Code, p.Name, p.Region, p.Language)
	}
	return atomicfile.WriteFile(filepath.Join(dir, ConfigFile), b.Bytes(), 0o644)
}
