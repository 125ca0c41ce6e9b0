package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"doorstroom/internal/period"
)

// Received replays when the files of a historic inbox arrived, keyed by
// partner and quarter. Git and copies do not keep file times, so a demo or
// a migrated inbox states them in a CSV (ingest.received in the
// configuration) instead.
type Received map[string]time.Time

// ReceivedKey is the key of a partner's quarter in Received.
func ReceivedKey(partner string, q period.Quarter) string { return partner + "/" + q.String() }

// ReadReceived reads a CSV with the columns partner, quarter, received
// (a date 2026-04-12 or a time 2026-04-12T09:30:00Z), one row per file.
func ReadReceived(path string) (Received, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest.received: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 3
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("ingest.received: %s: %w", path, err)
	}
	if strings.Join(head, ",") != "partner,quarter,received" {
		return nil, fmt.Errorf("ingest.received: %s: the header must be partner,quarter,received", path)
	}
	out := Received{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("ingest.received: %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		q, err := period.Parse(rec[1])
		if err != nil {
			return nil, fmt.Errorf("ingest.received: %s:%d: %w", path, line, err)
		}
		at, err := time.Parse(time.DateOnly, rec[2])
		if err != nil {
			if at, err = time.Parse(time.RFC3339, rec[2]); err != nil {
				return nil, fmt.Errorf("ingest.received: %s:%d: %q is not a date (2026-04-12) or time (2026-04-12T09:30:00Z)", path, line, rec[2])
			}
		}
		key := ReceivedKey(rec[0], q)
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("ingest.received: %s:%d: %s is listed twice", path, line, key)
		}
		out[key] = at.UTC()
	}
}
