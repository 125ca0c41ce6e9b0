package pipeline

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"doorstroom/config"
)

// The fingerprints below say what made a quarter's outputs besides its
// input files: the key, the code and the settings. A quarter is reused
// only when all of them are what they were when its release was made
// (reuse.go), so each errs on the side of a change: a fingerprint that
// cannot be computed is empty, and an empty fingerprint never matches.

// keyFingerprintLabel is the message the key's fingerprint is the HMAC
// of. It is fixed, so the same key always gives the same fingerprint.
const keyFingerprintLabel = "doorstroom key fingerprint v1"

// keyFingerprint tells whether the pseudonymisation key changed without
// storing the key: HMAC-SHA-256 under the key of a fixed label, so it
// cannot be inverted, and neither the key nor its hex or base64 form (what
// `doorstroom audit` looks for) is ever written.
func keyFingerprint(k config.Key) string {
	if len(k.Bytes()) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, k.Bytes())
	m.Write([]byte(keyFingerprintLabel))
	return hex.EncodeToString(m.Sum(nil))
}

// codeFingerprint is the SHA-256 of the running executable: the same
// build gives the same bytes, and any change of the code (a metric's SQL,
// the search, the snapshot writer, all embedded in the binary) gives
// others. It is a variable so that tests can stand for a new build. It is
// computed once per process; empty when the executable cannot be read,
// and then no quarter is reused.
var codeFingerprint = sync.OnceValue(executableSHA256)

func executableSHA256() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// settingsDigest fingerprints every setting that can shape a quarter's
// outputs beyond its files and the key: every file of the configuration
// tree (formats, labels, hierarchies and their tables, the data
// dictionary, translations; embedded or the network's programmes_dir) and
// the network's settings (programmes, privacy model and threshold, ingest
// policy and limits, the partners with their regions, languages and
// labels). It is wider than the release id's configDigest on purpose: a
// change that does not alter a release can still alter its metrics or
// snapshot. Paths, the reporting quarter, the settle delay and the key's
// source are left out: they do not change a quarter's outputs.
func (e *env) settingsDigest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(e.cfg.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(e.cfg.FS, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "file\x00%s\x00%x\x00", path, sum)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("configuration digest: %w", err)
	}
	ingest := e.cfg.Ingest
	ingest.Settle = 0
	settings, err := json.Marshal(struct {
		Programmes []string
		Privacy    config.Privacy
		Ingest     config.Ingest
		Partners   []config.Partner
	}{e.cfg.Programmes, e.cfg.Privacy, ingest, e.cfg.Partners})
	if err != nil {
		return "", fmt.Errorf("configuration digest: %w", err)
	}
	fmt.Fprintf(h, "settings\x00%s", settings)
	return hex.EncodeToString(h.Sum(nil)), nil
}
