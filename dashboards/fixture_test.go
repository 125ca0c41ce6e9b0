package dashboards

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/disclosure"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// fixture builds dashboard inputs for tests and benchmarks: the real atn
// catalogue and metric rows generated for any number of partners and
// quarters that satisfy every identity of the catalogue, as the
// pipeline's own rows do (TestFixtureSatisfiesIdentities checks it).
type fixture struct {
	partners int
	quarters int
	seed     uint64
	// small makes most counts small, so that suppression has work to do.
	small bool
}

func (f fixture) input(t testing.TB) Input {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := cfg.Translations()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := cfg.Programme("atn")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := metrics.LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Programme: "atn", Catalogue: cat, Classes: prog.Format.Classes, Translations: tr,
		Policy: disclosure.Policy{Threshold: 5}, K: 5, SuppressionLimit: 0.05, FormatVersion: prog.Format.Version,
		DeadlineDays: 30, Demo: true, Generated: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Risk: map[string][]byte{}}
	regions := []string{"flanders", "wallonia", "brussels"}
	for i := 0; i < f.partners; i++ {
		in.Partners = append(in.Partners, config.Partner{Code: fmt.Sprintf("p%02d", i),
			Name: fmt.Sprintf("Partner %d", i), Region: regions[i%3], Language: "nl", Programme: "atn"})
	}
	q, _ := period.Parse("2024Q1")
	for i := 0; i < f.quarters; i++ {
		in.Quarters = append(in.Quarters, q)
		in.Risk[q.String()] = []byte(fmt.Sprintf(`{"release":"%s-x","quarter":"%s","k":5,"suppression_limit":0.05,
			"quasi_identifiers":["partner","age"],"before":{"records":100,"classes":90,"min_class_size":1,
			"prosecutor_risk_max":1,"prosecutor_risk_avg":0.9,"records_above_threshold":0.95},
			"after":{"records":98,"classes":12,"min_class_size":5,"prosecutor_risk_max":0.2,
			"prosecutor_risk_avg":0.1,"records_above_threshold":0},"records_suppressed":2,
			"levels":[{"attribute":"partner","level":0,"height":3},{"attribute":"age","level":2,"height":5}],
			"nodes_checked":40,"feasible":true}`, q, q))
		onTime := i%3 != 0
		for pi, p := range in.Partners {
			at := q.End().AddDate(0, 0, 10+pi%40)
			d := Delivery{Quarter: q.String(), Partner: p.Code, Expected: true, Received: pi%7 != 3,
				Accepted: pi%7 != 3 && pi%11 != 5, Deadline: q.End().AddDate(0, 0, 30), Files: 1}
			if d.Accepted {
				d.OnTime, d.ReceivedAt = &onTime, &at
			}
			in.Deliveries = append(in.Deliveries, d)
		}
		q = q.Next()
	}
	in.Metrics = f.rows(in)
	return in
}

var (
	flows  = []string{"open_start", "inflow", "outflow", "open_end"}
	stats  = []string{"q1", "median", "q3"}
	months = []string{"3", "6", "12", "24"}
)

// gen accumulates one quarter's rows: each partner's, and the network's as
// the sum of the partners' numerators and denominators.
type gen struct {
	in    Input
	q     string
	rows  []metrics.Row
	sums  map[[2]string][2]float64 // metric, breakdown -> numerator, denominator
	order [][2]string
}

func num(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }

func (g *gen) add(metric, partner, breakdown string, value, n, d sql.NullFloat64) {
	if _, ok := g.in.Catalogue.Entry(metric); !ok {
		return // a metric the catalogue no longer has
	}
	g.rows = append(g.rows, metrics.Row{Metric: metric, Quarter: g.q, Partner: partner, Breakdown: breakdown,
		Value: value, Numerator: n, Denominator: d})
	k := [2]string{metric, breakdown}
	s, seen := g.sums[k]
	if !seen {
		g.order = append(g.order, k)
	}
	s[0] += n.Float64
	s[1] += d.Float64
	g.sums[k] = s
}

func (g *gen) count(metric, partner, breakdown string, v float64) {
	g.add(metric, partner, breakdown, num(v), num(v), sql.NullFloat64{})
}

func (g *gen) ratio(metric, partner, breakdown string, n, d float64) {
	if d > 0 {
		g.add(metric, partner, breakdown, num(n/d), num(n), num(d))
	}
}

func (g *gen) statistic(metric, partner, breakdown string, value, d float64) {
	if d > 0 {
		g.add(metric, partner, breakdown, num(value), sql.NullFloat64{}, num(d))
	}
}

// network adds the network's rows: sums of the partners' numerators and
// denominators, values as each unit computes them.
func (g *gen) network(rng *rand.Rand) {
	for _, k := range g.order {
		s := g.sums[k]
		e, _ := g.in.Catalogue.Entry(k[0])
		switch {
		case e.NotAdditive:
			g.rows = append(g.rows, metrics.Row{Metric: k[0], Quarter: g.q, Partner: metrics.NetworkPartner, Breakdown: k[1],
				Value: num(float64(100 + rng.IntN(100))), Numerator: num(s[0]), Denominator: num(s[1])})
		case e.Unit == metrics.UnitCount:
			g.rows = append(g.rows, metrics.Row{Metric: k[0], Quarter: g.q, Partner: metrics.NetworkPartner, Breakdown: k[1],
				Value: num(s[0]), Numerator: num(s[0])})
		case e.Unit == metrics.UnitDays:
			g.rows = append(g.rows, metrics.Row{Metric: k[0], Quarter: g.q, Partner: metrics.NetworkPartner, Breakdown: k[1],
				Value: num(float64(60 + rng.IntN(200))), Denominator: num(s[1])})
		default:
			v := sql.NullFloat64{}
			if s[1] > 0 {
				v = num(s[0] / s[1])
				if k[0] == "survival_in_trajectory" {
					v = num(1 - s[0]/s[1]) // the share still in trajectory
				}
			}
			g.rows = append(g.rows, metrics.Row{Metric: k[0], Quarter: g.q, Partner: metrics.NetworkPartner, Breakdown: k[1],
				Value: v, Numerator: num(s[0]), Denominator: num(s[1])})
		}
	}
}

// rows generates every metric of the catalogue for every partner and
// quarter.
func (f fixture) rows(in Input) []metrics.Row {
	rng := rand.New(rand.NewPCG(f.seed, 99))
	small := func(hi int) float64 {
		if f.small && rng.IntN(2) == 0 {
			return float64(rng.IntN(5))
		}
		return float64(rng.IntN(hi))
	}
	upTo := func(n float64) float64 { return float64(rng.IntN(int(n) + 1)) }
	var classes []string
	for c := range in.Classes["outflow_type"] {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	cumulative := map[string][2]float64{}
	statuses := []string{"on_time", "late", "rejected", "missing"}
	var out []metrics.Row
	for qi, q := range in.Quarters {
		g := &gen{in: in, q: q.String(), sums: map[[2]string][2]float64{}}
		for pi, p := range in.Partners {
			code := p.Code
			// Stock and flow, and the exits by class and type.
			start, inflow := 1+small(40), small(30)
			outflow := upTo(min(start+inflow, small(40)+2))
			active := start + inflow
			for _, fl := range flows {
				v := map[string]float64{"open_start": start, "inflow": inflow, "outflow": outflow, "open_end": active - outflow}[fl]
				g.count("stock_flow", code, "flow="+fl, v)
			}
			g.count("participants_active", code, "", active)
			byClass := map[string]float64{}
			left := outflow
			for i, c := range classes {
				n := upTo(left)
				if i == len(classes)-1 {
					n = left
				}
				left -= n
				byClass[c] = n
				if n == 0 {
					continue
				}
				g.count("exits_by_class", code, "class="+c, n)
				types := in.Classes["outflow_type"][c]
				rest := n
				for j, ty := range types {
					m := upTo(rest)
					if j == len(types)-1 {
						m = rest
					}
					rest -= m
					if m > 0 {
						g.count("exits_by_type", code, "class="+c+";type="+ty, m)
					}
				}
			}
			// Engagement.
			consent := upTo(active)
			talk := upTo(consent)
			fedasil := upTo(active)
			both := upTo(min(talk, fedasil))
			g.ratio("dvz_consent_share", code, "", consent, active)
			g.ratio("dvz_talk_share", code, "", talk, active)
			g.ratio("fedasil_talk_share", code, "", fedasil, active)
			g.ratio("dvz_and_fedasil_talk_share", code, "", both, active)
			g.ratio("consent_to_talk_share", code, "", talk, consent)
			for i, st := range stats {
				g.statistic("days_to_first_dvz_talk", code, "stat="+st, float64(10+20*i+rng.IntN(20)), talk)
			}
			g.ratio("talks_per_engaged", code, "with=dvz", talk*float64(1+rng.IntN(3)), talk)
			g.ratio("talks_per_engaged", code, "with=fedasil", fedasil*float64(1+rng.IntN(2)), fedasil)
			// Outflow shares and durations.
			g.ratio("durable_exit_share", code, "", byClass["durable"], outflow)
			c := cumulative[code]
			c[0], c[1] = c[0]+byClass["durable"], c[1]+outflow
			cumulative[code] = c
			g.ratio("durable_exit_share_cumulative", code, "", c[0], c[1])
			g.statistic("median_duration_closed", code, "", float64(30+rng.IntN(300)), outflow)
			for _, cl := range classes {
				for i, st := range stats {
					g.statistic("duration_closed_by_class", code, "class="+cl+";stat="+st, float64(20+60*i+rng.IntN(60)), byClass[cl])
				}
			}
			// Survival and cumulative incidence: with X exits of R at risk
			// by m months, survival 1 − X/R and incidence x_class/R.
			risk := 2 * active
			exited := 0.0
			for _, m := range months {
				exited += upTo((risk - exited) / 3)
				g.add("survival_in_trajectory", code, "months="+m, num(1-exited/risk), num(exited), num(risk))
				left := exited
				for i, cl := range classes {
					x := upTo(left)
					if i == len(classes)-1 {
						x = left
					}
					left -= x
					g.add("cumulative_incidence", code, "class="+cl+";months="+m, num(x/risk), num(x), num(risk))
				}
			}
			g.add("median_days_to_outflow", code, "", num(float64(200+rng.IntN(300))), num(exited), num(risk))
			explored := upTo(active)
			for i, st := range stats {
				g.statistic("days_to_exploration", code, "stat="+st, float64(15+10*i+rng.IntN(10)), explored)
			}
			cohort := small(20)
			g.ratio("exploration_within_month_share", code, "", upTo(cohort), cohort)
			g.ratio("durable_within_six_months_share", code, "", upTo(cohort), cohort)
			// Reporting (about partners, not persons).
			status := statuses[(pi+qi)%len(statuses)]
			g.count("reports_by_status", code, "status="+status, 1)
			received := 1.0
			if status == "missing" {
				received = 0
			}
			g.ratio("reports_received_share", code, "", received, 1)
			onTime := 0.0
			if status == "on_time" {
				onTime = 1
			}
			g.ratio("reports_on_time_share", code, "", onTime, 1)
		}
		g.network(rng)
		out = append(out, g.rows...)
	}
	// Rows carry their true values and metrics.Publish's decision, as the
	// pipeline hands them over.
	pub := metrics.Publish(out, in.Catalogue, in.Policy)
	for i := range out {
		out[i].Suppressed = pub[i].Suppressed
	}
	return out
}

// TestFixtureSatisfiesIdentities keeps the fixture honest: its rows obey
// the catalogue's identities like the pipeline's.
func TestFixtureSatisfiesIdentities(t *testing.T) {
	in := fixture{partners: 6, quarters: 3, seed: 1, small: true}.input(t)
	if err := in.Catalogue.CheckIdentities(in.Metrics); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range in.Metrics {
		ids[r.Metric] = true
	}
	for _, e := range in.Catalogue.Metrics {
		if !ids[e.ID] {
			t.Errorf("the fixture has no rows of %s", e.ID)
		}
	}
}
