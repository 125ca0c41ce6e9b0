package dashboards

import (
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/disclosure"
	"doorstroom/internal/period"
	"doorstroom/metrics"
)

// fixture builds dashboard inputs for tests and benchmarks: the real atn
// catalogue, optionally extended with metrics of the shapes the full
// catalogue has (step curves by months, cumulative incidence by class and
// months, quartiles, a group of shares), and metric rows generated for any
// number of partners and quarters that add up as real ones do.
type fixture struct {
	partners int
	quarters int
	seed     uint64
	extended bool
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
	if f.extended {
		cat = extendCatalogue(cat)
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

// extendCatalogue adds metrics of the shapes issue 5's catalogue brings.
func extendCatalogue(c *metrics.Catalogue) *metrics.Catalogue {
	out := *c
	out.Metrics = append([]metrics.Entry(nil), c.Metrics...)
	text := func(s string) map[string]string {
		return map[string]string{"en": s, "nl": s + " (nl)", "fr": s + " (fr)"}
	}
	add := func(id, unit, page string, chart metrics.Chart, key bool) {
		out.Metrics = append(out.Metrics, metrics.Entry{ID: id, Unit: unit, Page: page, Chart: chart, KeyFigure: key,
			Title: text(strings.ReplaceAll(id, "_", " ")), Description: text("Definition of " + id),
			Numerator: text("numerator"), Denominator: text("denominator"), Population: "active", Period: "quarter",
			SQL: id + ".sql", Query: "SELECT 1"})
	}
	add("dvz_consent_share", metrics.UnitShare, "engagement", metrics.Chart{Kind: "bar", X: "partner", Group: "consent"}, false)
	add("consent_talk_share", metrics.UnitShare, "engagement", metrics.Chart{Kind: "bar", X: "partner", Group: "consent"}, false)
	add("days_to_first_dvz_talk", metrics.UnitDays, "engagement", metrics.Chart{Kind: "bar", X: "partner", Series: "stat", Order: []string{"p25", "median", "p75"}}, false)
	add("survival_in_trajectory", metrics.UnitShare, "durations", metrics.Chart{Kind: "step", X: "months"}, false)
	add("cumulative_incidence", metrics.UnitShare, "durations", metrics.Chart{Kind: "step", X: "months", Series: "class",
		Order: []string{"durable", "semi_durable", "no_solution", "forced_departure", "other"}}, false)
	add("stock_flow", metrics.UnitCount, "overview", metrics.Chart{Kind: "table", X: "flow", Order: []string{"start", "inflow", "outflow", "end"}}, false)
	add("durable_share", metrics.UnitShare, "outflow", metrics.Chart{Kind: "line", X: "quarter"}, true)
	return &out
}

// rows generates every catalogue metric for every partner and quarter:
// counts with the network as the partners' sum, exits by class as the
// sum of exits by type, shares with numerators and denominators.
func (f fixture) rows(in Input) []metrics.Row {
	rng := rand.New(rand.NewPCG(f.seed, 99))
	var out []metrics.Row
	count := func() float64 {
		if f.small && rng.IntN(2) == 0 {
			return float64(rng.IntN(5))
		}
		return float64(rng.IntN(40))
	}
	classOf := map[string]string{}
	var types []string
	for class, codes := range in.Classes["outflow_type"] {
		for _, c := range codes {
			classOf[c] = class
			types = append(types, c)
		}
	}
	sort.Strings(types)
	num := func(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
	for _, q := range in.Quarters {
		add := func(metric, partner, breakdown string, value, n, d sql.NullFloat64) {
			out = append(out, metrics.Row{Metric: metric, Quarter: q.String(), Partner: partner, Breakdown: breakdown,
				Value: value, Numerator: n, Denominator: d})
		}
		sums := map[[2]string][3]float64{} // metric|breakdown -> value, num, den over partners
		addCount := func(metric, partner, breakdown string, v float64) {
			add(metric, partner, breakdown, num(v), num(v), sql.NullFloat64{})
			s := sums[[2]string{metric, breakdown}]
			s[0] += v
			sums[[2]string{metric, breakdown}] = s
		}
		addShare := func(metric, partner, breakdown string, n, d float64) {
			v := sql.NullFloat64{}
			if d > 0 {
				v = num(n / d)
			}
			add(metric, partner, breakdown, v, num(n), num(d))
			s := sums[[2]string{metric, breakdown}]
			s[1] += n
			s[2] += d
			sums[[2]string{metric, breakdown}] = s
		}
		for _, p := range in.Partners {
			active := 5 + count()*3
			addCount("participants_active", p.Code, "", active)
			for _, id := range []string{"dvz_talk_share", "fedasil_talk_share", "dvz_consent_share", "consent_talk_share", "durable_share"} {
				if _, ok := in.Catalogue.Entry(id); ok {
					addShare(id, p.Code, "", float64(rng.IntN(int(active)+1)), active)
				}
			}
			byClass := map[string]float64{}
			for _, t := range types {
				v := count()
				if v == 0 {
					continue // no row, as GROUPING SETS gives none
				}
				addCount("exits_by_type", p.Code, "type="+t, v)
				byClass[classOf[t]] += v
			}
			for class, v := range byClass {
				addCount("exits_by_class", p.Code, "class="+class, v)
			}
			add("median_duration_closed", p.Code, "", num(float64(30+rng.IntN(300))), sql.NullFloat64{}, num(count()))
			if !f.extended {
				continue
			}
			for _, stat := range []string{"p25", "median", "p75"} {
				add("days_to_first_dvz_talk", p.Code, "stat="+stat, num(float64(10+rng.IntN(90))), sql.NullFloat64{}, num(count()))
			}
			s := 1.0
			for _, m := range []string{"3", "6", "12", "24"} {
				s *= 0.6 + 0.3*rng.Float64()
				// Estimates carry the trajectories at risk as denominator
				// and the expected number as numerator, for disclosure.
				add("survival_in_trajectory", p.Code, "months="+m, num(s), num(math.Round(100*s)), num(100))
				for _, c := range []string{"durable", "semi_durable", "no_solution", "forced_departure", "other"} {
					ci := (1 - s) * rng.Float64() / 2
					add("cumulative_incidence", p.Code, "class="+c+";months="+m, num(ci), num(math.Round(100*ci)), num(100))
				}
			}
			start, in1, out1 := count()*2, count(), count()
			out1 = min(out1, start+in1)
			for flow, v := range map[string]float64{"start": start, "inflow": in1, "outflow": out1, "end": start + in1 - out1} {
				addCount("stock_flow", p.Code, "flow="+flow, v)
			}
		}
		keys := make([][2]string, 0, len(sums))
		for k := range sums {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
		for _, k := range keys {
			s := sums[k]
			e, _ := in.Catalogue.Entry(k[0])
			if e.Unit == metrics.UnitShare {
				addShare(k[0], metrics.NetworkPartner, k[1], s[1], s[2])
			} else {
				addCount(k[0], metrics.NetworkPartner, k[1], s[0])
			}
		}
		add("median_duration_closed", metrics.NetworkPartner, "", num(150), sql.NullFloat64{}, num(100))
		if f.extended {
			for _, stat := range []string{"p25", "median", "p75"} {
				add("days_to_first_dvz_talk", metrics.NetworkPartner, "stat="+stat, num(40), sql.NullFloat64{}, num(200))
			}
			for _, m := range []string{"3", "6", "12", "24"} {
				add("survival_in_trajectory", metrics.NetworkPartner, "months="+m, num(0.7), num(700), num(1000))
				for _, c := range []string{"durable", "semi_durable", "no_solution", "forced_departure", "other"} {
					add("cumulative_incidence", metrics.NetworkPartner, "class="+c+";months="+m, num(0.06), num(60), num(1000))
				}
			}
		}
	}
	// Rows carry their true values and metrics.Publish's primary decision,
	// as the pipeline hands them over.
	pub := metrics.Publish(out, in.Catalogue, in.Policy)
	for i := range out {
		out[i].Suppressed = pub[i].Suppressed
	}
	return out
}
