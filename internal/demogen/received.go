package demogen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
)

// ReceivedFile is the file, beside the inbox, that tells when each demo
// file arrived (partner, quarter, received). Git does not keep file times,
// so the demo replays its arrival dates through ingest.received.
const ReceivedFile = "received.csv"

// missingFile reports whether the generator leaves out partner i's file
// for quarter q: the fourth partner skips the quarter two before the
// flawed one, so the demo's completeness shows a missing delivery while
// its last quarter stays complete.
func missingFile(opts Options, i int, q period.Quarter) bool {
	if opts.Quarters < 7 || i != 3 || opts.Partners < 4 {
		return false
	}
	return q == opts.Last.Prev().Prev().Prev().Prev().Prev().Prev()
}

// writeReceived writes dir/received.csv: every generated file arrives a
// few days to four weeks after its quarter's end, and about one in eight
// late (31 to 45 days after), from a random stream of its own so the
// registers do not depend on it.
func writeReceived(opts Options, dir string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"partner", "quarter", "received"})
	first := opts.Last
	for range opts.Quarters - 1 {
		first = first.Prev()
	}
	for i, p := range Partners(opts.Partners) {
		r := rand.New(rand.NewPCG(opts.Seed, 1000+uint64(i)))
		for q := first; !opts.Last.Before(q); q = q.Next() {
			days := 3 + r.IntN(26)
			if r.IntN(8) == 0 {
				days = 31 + r.IntN(15)
			}
			if opts.Gaps && missingFile(opts, i, q) {
				continue
			}
			w.Write([]string{p.Code, q.String(), q.End().AddDate(0, 0, days).Format("2006-01-02")})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, ReceivedFile), buf.Bytes(), 0o644)
}
