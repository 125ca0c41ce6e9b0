package demogen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// trajectory is one synthetic participant's whole path, from intake to
// (possibly) outflow. Quarterly files show it as known at each quarter's
// end: events after that day are not yet written.
type trajectory struct {
	caseID                  string
	birthYear, arrivalYear  int
	sex, nationality, house string
	shelter                 bool
	intake                  time.Time
	exploration             time.Time
	realisation             time.Time
	consent                 time.Time
	dvzTalks, fedasilTalks  []time.Time
	procedure               string
	outflow                 time.Time
	outflowType             string
}

// outflowMix follows the published figures: of those who left the LVV
// pilots, 18 % durable, 41 % semi-durable and 41 % without solution (final
// evaluation), with a few forced departures and other ends added; within
// durable, voluntary returns outnumber permits about three to one
// (Rotterdam's first half-year: 6 returns, 2 permits).
var outflowMix = []weighted{
	{"voluntary_return", 0.105}, {"legal_residence", 0.045}, {"onward_migration", 0.025},
	{"new_asylum_application", 0.24}, {"medical_postponement", 0.16},
	{"stopped_no_cooperation", 0.16}, {"lost_contact", 0.20}, {"not_eligible", 0.04},
	{"forced_return", 0.015}, {"deceased", 0.003}, {"other", 0.007},
}

// medianDays is the median trajectory length per outflow type; durations
// are log-normal around it.
var medianDays = map[string]float64{
	"voluntary_return": 200, "legal_residence": 300, "onward_migration": 180,
	"new_asylum_application": 190, "medical_postponement": 220,
	"stopped_no_cooperation": 170, "lost_contact": 140, "not_eligible": 12,
	"forced_return": 160, "deceased": 200, "other": 150,
}

var nationalities = []weighted{
	{"MA", 14}, {"DZ", 8}, {"GN", 7}, {"AF", 7}, {"SY", 5}, {"ER", 5}, {"CD", 6}, {"CM", 5},
	{"BR", 5}, {"UA", 3}, {"RU", 3}, {"PS", 4}, {"TR", 3}, {"SN", 4}, {"NG", 4}, {"IQ", 4},
	{"TN", 3}, {"EG", 2}, {"PK", 3}, {"BD", 2}, {"GE", 3}, {"AL", 2}, {"XX", 1}, {"", 3},
}

var sexes = []weighted{{"M", 62}, {"F", 35}, {"X", 1}, {"U", 2}}
var households = []weighted{{"single", 55}, {"couple", 10}, {"single_parent", 15}, {"family", 20}}
var procedures = []weighted{{"none", 45}, {"regularisation", 20}, {"medical", 12}, {"asylum", 10},
	{"family_reunification", 6}, {"statelessness", 2}, {"other", 5}}

type weighted struct {
	v string
	w float64
}

func pick(r *rand.Rand, items []weighted) string {
	total := 0.0
	for _, it := range items {
		total += it.w
	}
	x := r.Float64() * total
	for _, it := range items {
		if x < it.w {
			return it.v
		}
		x -= it.w
	}
	return items[len(items)-1].v
}

func days(t time.Time, d int) time.Time { return t.AddDate(0, 0, d) }

// simulate draws one trajectory starting on intake.
func simulate(r *rand.Rand, prefix string, seq int, intake time.Time) trajectory {
	t := trajectory{intake: intake}
	t.caseID = fmt.Sprintf("%s-%d-%05d", prefix, intake.Year(), seq)
	age := 18 + int(math.Abs(r.NormFloat64()*11+17))
	t.birthYear = intake.Year() - age
	t.arrivalYear = min(intake.Year(), t.birthYear+18+r.IntN(max(1, age-17)))
	if r.Float64() < 0.1 {
		t.arrivalYear = 0 // unknown
	}
	t.sex = pick(r, sexes)
	t.nationality = pick(r, nationalities)
	t.house = pick(r, households)
	t.shelter = r.Float64() < 0.6
	t.procedure = pick(r, procedures)

	// When and how the trajectory ends; end.IsZero() never happens, but an
	// end after the last quarter leaves it open in every file.
	t.outflowType = pick(r, outflowMix)
	dur := medianDays[t.outflowType] * math.Exp(r.NormFloat64()*0.6)
	if t.outflowType == "not_eligible" {
		dur = float64(r.IntN(30)) // some end on their intake day
	}
	end := days(intake, int(dur))
	if t.outflowType == "legal_residence" && t.procedure == "none" {
		t.procedure = "regularisation"
	}

	before := func(d time.Time) bool { return !d.After(end) }
	if e := days(intake, 20+r.IntN(25)); r.Float64() < 0.9 && before(e) {
		t.exploration = e
		if re := days(e, 40+r.IntN(90)); r.Float64() < 0.7 && before(re) {
			t.realisation = re
		}
	}
	if c := days(intake, 5+r.IntN(55)); r.Float64() < 0.72 && before(c) {
		t.consent = c
		talk := days(c, 7+r.IntN(40))
		for n := 0; r.Float64() < 0.85 && n < 6 && before(talk); n++ {
			t.dvzTalks = append(t.dvzTalks, talk)
			talk = days(talk, 20+r.IntN(40))
		}
	}
	pFedasil := 0.3
	if t.outflowType == "voluntary_return" {
		pFedasil = 0.95
	}
	if f := days(intake, 10+r.IntN(110)); r.Float64() < pFedasil {
		if !before(f) {
			f = end
		}
		for n := 0; n < 4 && before(f); n++ {
			t.fedasilTalks = append(t.fedasilTalks, f)
			if r.Float64() < 0.5 {
				break
			}
			f = days(f, 15+r.IntN(30))
		}
	}
	t.outflow = end
	return t
}

// asOf is the trajectory as its partner's register shows it on the day
// end: later events are not yet known.
type asOf struct {
	exploration, realisation, consent, dvzFirst, fedasilFirst, outflow time.Time
	dvzTalks, fedasilTalks                                             int
	outflowType, procedure                                             string
}

func (t *trajectory) asOf(end time.Time) asOf {
	known := func(d time.Time) time.Time {
		if d.IsZero() || d.After(end) {
			return time.Time{}
		}
		return d
	}
	a := asOf{exploration: known(t.exploration), realisation: known(t.realisation),
		consent: known(t.consent), outflow: known(t.outflow), procedure: t.procedure}
	for _, d := range t.dvzTalks {
		if !d.After(end) {
			if a.dvzTalks == 0 {
				a.dvzFirst = d
			}
			a.dvzTalks++
		}
	}
	for _, d := range t.fedasilTalks {
		if !d.After(end) {
			if a.fedasilTalks == 0 {
				a.fedasilFirst = d
			}
			a.fedasilTalks++
		}
	}
	if !a.outflow.IsZero() {
		a.outflowType = t.outflowType
	}
	if a.exploration.IsZero() {
		a.procedure = "none" // procedures start once perspectives are explored
	}
	return a
}
