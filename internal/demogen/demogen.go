// Package demogen generates synthetic partner networks: inboxes of
// quarterly exports in the shape real partners send, deterministic per
// seed. The bundled demo in testdata/demo is its output, tests generate
// their own small networks, and the benchmark generates large ones.
//
// No real person is in the data: case numbers, years and codes are drawn
// at random, with an outflow mix close to published figures.
package demogen

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
)

// Options choose the network to generate.
type Options struct {
	// Partners is the number of partners (at least 1). The first five are
	// the Belgian demo cities; further ones are named partner06, ….
	Partners int `json:"partners"`
	// Quarters is the number of quarterly files per partner, ending with Last.
	Quarters int `json:"quarters"`
	// Last is the last quarter generated.
	Last period.Quarter `json:"-"`
	// Seed makes the output reproducible.
	Seed uint64 `json:"seed"`
	// Trajectories is the approximate size of each partner's register in
	// the last quarter.
	Trajectories int `json:"trajectories"`
	// Canonical writes every file in the canonical dialect (English
	// headers, comma, UTF-8, ISO dates) instead of the partners' own.
	Canonical bool `json:"canonical"`
	// Flaws adds the demo's deliberate mistakes: one file with errors that
	// the inbox rejects and answers.
	Flaws bool `json:"flaws"`
	// Gaps leaves out one partner's file of one quarter, as a partner that
	// did not deliver (see missingFile); the last quarter stays complete.
	Gaps bool `json:"gaps,omitempty"`
}

// Partner is a generated partner with its configuration facts.
type Partner struct {
	Code, Name, Region, Language string
}

// DemoPartners are the five Belgian cities of the demo network.
var DemoPartners = []Partner{
	{"antwerpen", "Antwerpen", "flanders", "nl"},
	{"gent", "Gent", "flanders", "nl"},
	{"brussel", "Brussel", "brussels", "fr"},
	{"liege", "Liège", "wallonia", "fr"},
	{"charleroi", "Charleroi", "wallonia", "fr"},
}

// Partners returns the partners a network of n partners has.
func Partners(n int) []Partner {
	out := make([]Partner, 0, n)
	for i := range n {
		if i < len(DemoPartners) {
			out = append(out, DemoPartners[i])
			continue
		}
		regions := []string{"flanders", "wallonia", "brussels"}
		out = append(out, Partner{fmt.Sprintf("partner%02d", i+1), fmt.Sprintf("Partner %d", i+1), regions[i%3], "en"})
	}
	return out
}

// Stats summarise what Generate wrote.
type Stats struct {
	Files, Rows, Trajectories int
}

// Generate writes the network's inbox under dir/inbox/<partner>/<q>.csv and
// a description of the options used in dir/demo.json.
func Generate(opts Options, dir string) (Stats, error) {
	if opts.Partners < 1 || opts.Quarters < 1 || opts.Trajectories < 1 || opts.Last.IsZero() {
		return Stats{}, fmt.Errorf("demo: partners, quarters, trajectories and the last quarter must be set")
	}
	var st Stats
	first := opts.Last
	for range opts.Quarters - 1 {
		first = first.Prev()
	}
	for i, p := range Partners(opts.Partners) {
		d := canonical
		if !opts.Canonical && i < len(dialects) {
			d = dialects[i]
		}
		// One generator per partner, seeded from the seed and the partner's
		// position, so a partner's data does not depend on the others.
		r := rand.New(rand.NewPCG(opts.Seed, uint64(i)+1))
		register := simulatePartner(r, p, first, opts.Last, opts.Trajectories)
		st.Trajectories += len(register)
		for q := first; !opts.Last.Before(q); q = q.Next() {
			if opts.Gaps && missingFile(opts, i, q) {
				continue
			}
			flawed := opts.Flaws && p.Code == "charleroi" && q == opts.Last.Prev().Prev().Prev().Prev()
			path := filepath.Join(dir, "inbox", p.Code, q.String()+".csv")
			n, err := writeFile(path, register, d, q.End(), flawed)
			if err != nil {
				return st, err
			}
			st.Files++
			st.Rows += n
		}
	}
	if err := writeReceived(opts, dir); err != nil {
		return st, err
	}
	desc := map[string]any{"options": opts, "last": opts.Last.String(),
		"note": "Synthetic data made by `doorstroom demo`; no real person is in it."}
	data, _ := json.MarshalIndent(desc, "", "  ")
	return st, atomicfile.WriteFile(filepath.Join(dir, "demo.json"), append(data, '\n'), 0o644)
}

// simulatePartner draws a partner's trajectories with intakes spread over
// the quarters from first to last, the inflow growing as the pilot matures.
func simulatePartner(r *rand.Rand, p Partner, first, last period.Quarter, size int) []trajectory {
	start, end := first.Start(), last.End()
	span := int(end.Sub(start).Hours()/24) + 1
	// Partners differ in size, by up to a factor two.
	n := size/2 + r.IntN(size/2+1)
	prefix := prefixOf(p.Code)
	intakes := make([]time.Time, n)
	for i := range intakes {
		// Inflow grows linearly: the density of intake day x is
		// proportional to 1 + x/span, sampled by inversion.
		u := r.Float64()
		x := (-1 + math.Sqrt(1+3*u)) * float64(span)
		intakes[i] = start.AddDate(0, 0, int(x))
	}
	// Case numbers follow intake order, as a case-management tool gives them.
	slices.SortFunc(intakes, func(a, b time.Time) int { return a.Compare(b) })
	out := make([]trajectory, 0, n)
	for i, intake := range intakes {
		out = append(out, simulate(r, prefix, i+1, intake))
	}
	return out
}

func prefixOf(code string) string {
	up := []rune{}
	for _, c := range code {
		if c >= 'a' && c <= 'z' {
			up = append(up, c-'a'+'A')
		}
		if len(up) == 3 {
			break
		}
	}
	return string(up)
}

// writeFile streams a partner's register as known at the quarter's end
// to path, header first, in the partner's dialect, and returns the number
// of data rows. Rows go straight to the file, so a large network never
// sits in memory as text.
func writeFile(path string, register []trajectory, d dialect, end time.Time, flawed bool) (int, error) {
	n := 0
	for i := range register {
		if !register[i].intake.After(end) {
			n++
		}
	}
	flawed = flawed && n+1 >= 40
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		cw, closeEnc := newCSVWriter(w, d)
		if err := cw.Write(d.header()); err != nil {
			return err
		}
		line := 0
		row := make([]string, 0, len(headers["en"])+d.extraCols)
		for i := range register {
			t := &register[i]
			if t.intake.After(end) {
				continue
			}
			line++
			row = fileRow(row[:0], t, d, end)
			if flawed {
				addFlaw(row, line)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return closeEnc()
	})
	return n, err
}

// fileRow renders one trajectory as known at the quarter's end in the
// partner's dialect, appending to row.
func fileRow(row []string, t *trajectory, d dialect, end time.Time) []string {
	a := t.asOf(end)
	row = append(row,
		t.caseID, yearString(t.birthYear), d.label(t.sex), d.country(t.nationality), d.label(t.house),
		yearString(t.arrivalYear), d.date(t.intake), d.yesNo(t.shelter),
		d.date(a.exploration), d.date(a.realisation), d.date(a.consent), d.date(a.dvzFirst),
		countString(a.dvzTalks), d.date(a.fedasilFirst), countString(a.fedasilTalks),
		d.label(a.procedure), d.date(a.outflow), d.label(a.outflowType),
	)
	for range d.extraCols {
		row = append(row, "")
	}
	return row
}

// addFlaw damages the rows of a file (counted from 1 after the header)
// the way hurried exports do: an impossible date (row 5), a DVZ talk
// recorded without the consent that must precede it (row 17), and a label
// the format does not know (row 33).
func addFlaw(row []string, line int) {
	switch line {
	case 5:
		row[6] = "31/13/2025"
	case 17:
		row[10] = ""
		if row[11] == "" {
			row[11] = row[6]
			row[12] = "1"
		}
	case 33:
		row[15] = "terug naar land"
	}
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprint(y)
}

func countString(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
