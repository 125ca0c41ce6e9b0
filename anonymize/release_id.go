package anonymize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"doorstroom/internal/period"
)

// ReleaseID derives a release's id from everything that decides its
// content: the programme and format version, the quarter, the privacy
// model (with its weights, level limits and aggregate function) and the
// SHA-256 of every input file (the caller adds a digest of the
// configuration files that shape the release). The same inputs give
// the same id, hence the same pseudonyms and the same rows; any change
// gives a new id, and pseudonyms that cannot be joined with the old ones.
func ReleaseID(programme string, version int, q period.Quarter, p Privacy, inputSHA256 []string) string {
	sums := append([]string(nil), inputSHA256...)
	sort.Strings(sums)
	h := sha256.New()
	fmt.Fprintf(h, "doorstroom release\x00%s\x00%d\x00%s\x00%d\x00%g\x00%s\x00%g\x00%t",
		programme, version, q, p.K, p.Suppression, p.Metric, p.GSFactor, p.ARXSuppression)
	for _, d := range p.Diversity {
		fmt.Fprintf(h, "\x00%s:%s:%g", d.Attribute, d.Measure, d.L)
	}
	// Weights, level limits and the aggregate function, only when given,
	// so that a release without them keeps its id.
	if p.Aggregate != "" {
		fmt.Fprintf(h, "\x00aggregate=%s", p.Aggregate)
	}
	for _, name := range sortedKeys(p.Weights) {
		fmt.Fprintf(h, "\x00weight:%s=%g", name, p.Weights[name])
	}
	for _, name := range sortedKeys(p.MinLevels) {
		fmt.Fprintf(h, "\x00min:%s=%d", name, p.MinLevels[name])
	}
	for _, name := range sortedKeys(p.MaxLevels) {
		fmt.Fprintf(h, "\x00max:%s=%d", name, p.MaxLevels[name])
	}
	for _, s := range sums {
		fmt.Fprintf(h, "\x00%s", s)
	}
	return q.String() + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}
