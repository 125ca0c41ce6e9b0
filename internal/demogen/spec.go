package demogen

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"doorstroom/config"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
)

// SpecOptions choose the size of a network generated from a programme's
// demo specification (config.DemoSpec).
type SpecOptions struct {
	// Quarters is the number of quarterly files per partner, ending with Last.
	Quarters int            `json:"quarters"`
	Last     period.Quarter `json:"-"`
	Seed     uint64         `json:"seed"`
	// Size overrides the specification's rows per partner when above 0.
	Size int `json:"size,omitempty"`
}

// specValue is one drawn cell: a date (as a day), a number or a text.
type specValue struct {
	set  bool
	day  time.Time
	n    int
	text string
}

// GenerateSpec writes a programme's demo network as its demo.yaml
// describes it: dir/inbox/<partner>/<q>.csv for every partner and
// quarter, dir/received.csv (arrival dates) and dir/demo.json. Nothing in
// it is programme code: the format gives the columns and their order, the
// labels the partners' words, the specification the distributions.
func GenerateSpec(spec *config.DemoSpec, f *config.Format, labels config.Labels, opts SpecOptions, dir string) (Stats, error) {
	var st Stats
	if opts.Quarters < 1 || opts.Last.IsZero() {
		return st, fmt.Errorf("demo: quarters and the last quarter must be set")
	}
	size := spec.Size
	if opts.Size > 0 {
		size = opts.Size
	}
	order, err := drawOrder(spec, f)
	if err != nil {
		return st, err
	}
	first := opts.Last
	for range opts.Quarters - 1 {
		first = first.Prev()
	}
	from := first.Start().AddDate(0, 0, -spec.LeadDays)
	to := opts.Last.End()
	for i, p := range spec.Partners {
		r := rand.New(rand.NewPCG(opts.Seed, uint64(i)+1))
		rows := make([]map[string]specValue, size)
		for n := range rows {
			rows[n] = drawRow(r, spec, f, order, p, n+1, from, to)
		}
		st.Trajectories += size
		for q := first; !opts.Last.Before(q); q = q.Next() {
			data, n, err := specFile(spec, f, labels, order, p, rows, q)
			if err != nil {
				return st, err
			}
			if err := atomicfile.WriteFile(filepath.Join(dir, "inbox", p.Code, q.String()+".csv"), data, 0o644); err != nil {
				return st, err
			}
			st.Files++
			st.Rows += n
		}
	}
	if err := writeSpecReceived(spec, opts, first, dir); err != nil {
		return st, err
	}
	desc := map[string]any{"programme": f.Programme, "options": opts, "last": opts.Last.String(),
		"note": "Synthetic data made by `doorstroom demo --programme " + f.Programme + "`; no real person is in it."}
	data, _ := json.MarshalIndent(desc, "", "  ")
	return st, atomicfile.WriteFile(filepath.Join(dir, "demo.json"), append(data, '\n'), 0o644)
}

// drawOrder puts the format's columns in an order where every column
// comes after those it is drawn from, keeping the format's order
// otherwise, so the same seed always draws the same values.
func drawOrder(spec *config.DemoSpec, f *config.Format) ([]string, error) {
	var order []string
	done := map[string]bool{}
	for len(order) < len(f.Columns) {
		progress := false
		for _, c := range f.Columns {
			s := spec.Columns[c.Name]
			if done[c.Name] {
				continue
			}
			ready := true
			for _, dep := range []string{s.Below, s.After, s.YearOf, s.With, s.When} {
				if dep != "" && !done[dep] {
					ready = false
				}
			}
			if ready {
				order = append(order, c.Name)
				done[c.Name] = true
				progress = true
			}
		}
		if !progress {
			return nil, fmt.Errorf("demo: the columns of demo.yaml refer to each other in a circle")
		}
	}
	return order, nil
}

// drawRow draws one row whole, as it will stand once every date is past.
func drawRow(r *rand.Rand, spec *config.DemoSpec, f *config.Format, order []string, p config.Partner, n int, from, to time.Time) map[string]specValue {
	row := map[string]specValue{}
	between := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	for _, name := range order {
		s := spec.Columns[name]
		var v specValue
		switch {
		case s.ID != "":
			v = specValue{set: true, text: strings.NewReplacer("{partner}", strings.ToUpper(p.Code), "{n}", fmt.Sprintf("%04d", n)).Replace(s.ID)}
		case len(s.Codes) > 0:
			v = specValue{set: true, text: pickCode(r, s.Codes, s.Weights)}
		case len(s.Int) > 0:
			v = specValue{set: true, n: between(s.Int[0], s.Int[1])}
			if b := row[s.Below]; s.Below != "" && b.set && v.n >= b.n {
				v.n = max(s.Int[0], b.n-1)
			}
		case s.Start:
			days := int(to.Sub(from).Hours() / 24)
			v = specValue{set: true, day: from.AddDate(0, 0, r.IntN(days+1))}
		case s.After != "":
			if base := row[s.After]; base.set {
				v = specValue{set: true, day: base.day.AddDate(0, 0, between(s.Days[0], s.Days[1]))}
			}
		case s.YearOf != "":
			if base := row[s.YearOf]; base.set {
				v = specValue{set: true, n: base.day.Year() - between(s.Minus[0], s.Minus[1])}
			}
		}
		if s.P != nil && r.Float64() >= *s.P {
			v.set = false
		}
		if s.With != "" && !row[s.With].set {
			v.set = false
		}
		if w := row[s.When]; s.When != "" && !(w.set && w.n > 0) {
			v.set = false
		}
		row[name] = v
	}
	return row
}

// pickCode picks a code by weight (pick, over the specification's lists).
func pickCode(r *rand.Rand, codes []string, weights []float64) string {
	items := make([]weighted, len(codes))
	for i := range codes {
		items[i] = weighted{codes[i], weights[i]}
	}
	return pick(r, items)
}

// specFile writes a partner's register as of quarter q's last day: the
// rows that have entered it, with every later date left empty (and the
// values that go with such a date), in the format's column order.
func specFile(spec *config.DemoSpec, f *config.Format, labels config.Labels, order []string, p config.Partner, rows []map[string]specValue, q period.Quarter) ([]byte, int, error) {
	end := q.End()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if spec.Delimiter != "" {
		w.Comma = []rune(spec.Delimiter)[0]
	}
	layout := spec.DateLayout
	if layout == "" {
		layout = time.DateOnly
	}
	header := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		header[i] = c.Name
		if names := labels.Headers[c.Name]; spec.Labels && len(names) > 0 {
			header[i] = names[0]
		}
	}
	w.Write(header)
	n := 0
	for _, row := range rows {
		if !entered(spec, row, end) {
			continue
		}
		seen := map[string]specValue{}
		for _, name := range order {
			v := row[name]
			col, _ := f.Column(name)
			s := spec.Columns[name]
			if col.Type == config.TypeDate && v.set && v.day.After(end) || s.With != "" && !seen[s.With].set {
				v.set = false
			}
			seen[name] = v
		}
		rec := make([]string, len(f.Columns))
		for i, col := range f.Columns {
			rec[i] = specCell(spec, labels, p, col, seen[col.Name], layout)
		}
		w.Write(rec)
		n++
	}
	w.Flush()
	return buf.Bytes(), n, w.Error()
}

// entered reports whether a row is in the register at day end: its start
// date and every enter date it has are on or before that day.
func entered(spec *config.DemoSpec, row map[string]specValue, end time.Time) bool {
	if s := row[spec.Start]; !s.set || s.day.After(end) {
		return false
	}
	return !slices.ContainsFunc(spec.Enter, func(c string) bool { v := row[c]; return v.set && v.day.After(end) })
}

// yesNo are the words for yes and no a partner of each language writes.
var yesNo = map[string][2]string{"nl": {"ja", "nee"}, "fr": {"oui", "non"}, "en": {"yes", "no"}}

// specCell writes one value as the partner would.
func specCell(spec *config.DemoSpec, labels config.Labels, p config.Partner, col config.Column, v specValue, layout string) string {
	if !v.set {
		return ""
	}
	switch col.Type {
	case config.TypeDate:
		return v.day.Format(layout)
	case config.TypeYear, config.TypeCount:
		return strconv.Itoa(v.n)
	case config.TypeYesNo:
		words := yesNo["en"]
		if spec.Labels {
			words = yesNo[p.Language]
		}
		if v.text == "yes" {
			return words[0]
		}
		return words[1]
	case config.TypeCode:
		// Configuration keys are read lower-cased: match codes (F, M) by fold.
		for code, names := range labels.Codes[col.Name] {
			if spec.Labels && len(names) > 0 && strings.EqualFold(code, v.text) {
				return names[0]
			}
		}
	}
	return v.text
}

// writeSpecReceived writes dir/received.csv: each file arrives 3 to 28
// days after its quarter's end, from a random stream of its own.
func writeSpecReceived(spec *config.DemoSpec, opts SpecOptions, first period.Quarter, dir string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"partner", "quarter", "received"})
	for i, p := range spec.Partners {
		r := rand.New(rand.NewPCG(opts.Seed, 1000+uint64(i)))
		for q := first; !opts.Last.Before(q); q = q.Next() {
			w.Write([]string{p.Code, q.String(), q.End().AddDate(0, 0, 3+r.IntN(26)).Format(time.DateOnly)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, ReceivedFile), buf.Bytes(), 0o644)
}
