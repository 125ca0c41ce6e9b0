package main

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"doorstroom/internal/period"
)

// expectedMetrics computes the metrics of quarter q from the partners'
// canonical rows with nothing but the definitions in the catalogue's
// descriptions (no code of the pipeline), keyed
// metric|partner|breakdown|field. It also returns the metrics it covers:
// all but reporting completeness, which depends on when files arrived.
func expectedMetrics(rows []csvRow, q period.Quarter) (map[string]float64, map[string]bool) {
	start, end := q.Start().Format(time.DateOnly), q.End().Format(time.DateOnly)
	shift := func(days int) (string, string) {
		return q.Start().AddDate(0, 0, -days).Format(time.DateOnly), q.End().AddDate(0, 0, -days).Format(time.DateOnly)
	}
	month1From, month1To := shift(30)
	month6From, month6To := shift(182)
	class := map[string]string{
		"legal_residence": "durable", "voluntary_return": "durable", "onward_migration": "durable",
		"new_asylum_application": "semi_durable", "medical_postponement": "semi_durable",
		"stopped_no_cooperation": "no_solution", "lost_contact": "no_solution", "not_eligible": "no_solution",
		"forced_return": "forced_departure", "deceased": "other", "other": "other",
	}
	days := func(from, to string) float64 {
		a, _ := time.Parse(time.DateOnly, from)
		b, _ := time.Parse(time.DateOnly, to)
		return b.Sub(a).Hours() / 24
	}
	want := map[string]float64{}
	samples := map[string][]float64{} // metric|partner|breakdown → values for quantiles
	add := func(metric, partner, breakdown, field string, v float64) {
		for _, p := range []string{partner, "network"} {
			want[metric+"|"+p+"|"+breakdown+"|"+field] += v
		}
	}
	sample := func(metric, partner, breakdown string, v float64) {
		for _, p := range []string{partner, "network"} {
			samples[metric+"|"+p+"|"+breakdown] = append(samples[metric+"|"+p+"|"+breakdown], v)
		}
	}
	share := func(metric, partner string, in, of bool) {
		if !of {
			return
		}
		add(metric, partner, "", "denominator", 1)
		add(metric, partner, "", "numerator", b2f(in))
	}
	count := func(metric, partner, breakdown string, n float64) {
		add(metric, partner, breakdown, "value", n)
		add(metric, partner, breakdown, "numerator", n)
	}
	followUp := map[string][]obs{}
	for _, r := range rows {
		p, in, out := r["partner"], r["intake_date"], r["outflow_date"]
		if in > end {
			continue
		}
		// Stock and flow: every partner of the register has all four rows.
		count("stock_flow", p, "flow=open_start", b2f(in < start && (out == "" || out >= start)))
		count("stock_flow", p, "flow=inflow", b2f(in >= start))
		count("stock_flow", p, "flow=outflow", b2f(out >= start && out <= end))
		count("stock_flow", p, "flow=open_end", b2f(out == "" || out > end))
		// Engagement among the active.
		if out == "" || out >= start {
			count("participants_active", p, "", 1)
			consent, dvz, fed := r["dvz_consent_date"] != "", r["dvz_first_talk_date"] != "", r["fedasil_first_talk_date"] != ""
			share("dvz_consent_share", p, consent, true)
			share("dvz_talk_share", p, dvz, true)
			share("fedasil_talk_share", p, fed, true)
			share("dvz_and_fedasil_talk_share", p, dvz && fed, true)
			share("consent_to_talk_share", p, dvz, consent)
			if dvz {
				sample("days_to_first_dvz_talk", p, "", days(in, r["dvz_first_talk_date"]))
				n, _ := strconv.Atoi(r["dvz_talks"])
				add("talks_per_engaged", p, "with=dvz", "numerator", float64(n))
				add("talks_per_engaged", p, "with=dvz", "denominator", 1)
			}
			if fed {
				n, _ := strconv.Atoi(r["fedasil_talks"])
				add("talks_per_engaged", p, "with=fedasil", "numerator", float64(n))
				add("talks_per_engaged", p, "with=fedasil", "denominator", 1)
			}
			if r["exploration_date"] != "" {
				sample("days_to_exploration", p, "", days(in, r["exploration_date"]))
			}
		}
		// Outflow and durations.
		c := class[r["outflow_type"]]
		if out >= start && out <= end {
			count("exits_by_type", p, "class="+c+";type="+r["outflow_type"], 1)
			count("exits_by_class", p, "class="+c, 1)
			share("durable_exit_share", p, c == "durable", true)
			sample("median_duration_closed", p, "", days(in, out))
			sample("duration_closed_by_class", p, "class="+c, days(in, out))
		}
		share("durable_exit_share_cumulative", p, c == "durable", out != "")
		share("exploration_within_month_share", p, r["exploration_date"] != "" && days(in, r["exploration_date"]) <= 30, in >= month1From && in <= month1To)
		share("durable_within_six_months_share", p, c == "durable" && days(in, out) <= 182, in >= month6From && in <= month6To)
		// Follow-up for the survival estimates: to the outflow, or
		// censored at the quarter's end.
		o := obs{days: days(in, end)}
		if out != "" {
			o = obs{days: days(in, out), class: c}
		}
		followUp[p] = append(followUp[p], o)
		followUp["network"] = append(followUp["network"], o)
	}
	for k, v := range want {
		if base, ok := strings.CutSuffix(k, "|numerator"); ok {
			if den, ok := want[base+"|denominator"]; ok {
				want[base+"|value"] = v / den
			}
		}
	}
	for k, xs := range samples {
		sort.Float64s(xs)
		metric, rest, _ := strings.Cut(k, "|")
		partner, breakdown, _ := strings.Cut(rest, "|")
		stats := map[string]float64{"q1": 0.25, "median": 0.5, "q3": 0.75}
		if metric == "median_duration_closed" {
			stats = map[string]float64{"": 0.5}
		}
		for name, p := range stats {
			b := breakdown
			if name != "" {
				if b != "" {
					b += ";"
				}
				b += "stat=" + name
			}
			want[metric+"|"+partner+"|"+b+"|value"] = quantile7(xs, p)
			want[metric+"|"+partner+"|"+b+"|denominator"] = float64(len(xs))
		}
	}
	classes := map[string]bool{}
	for _, o := range followUp["network"] {
		if o.class != "" {
			classes[o.class] = true
		}
	}
	for p, sample := range followUp {
		kaplanMeier(want, p, sample, classes)
	}
	covered := map[string]bool{}
	for k := range want {
		m, _, _ := strings.Cut(k, "|")
		covered[m] = true
	}
	return want, covered
}

// obs is one trajectory's follow-up in days and its outflow class, empty
// while open (censored).
type obs struct {
	days  float64
	class string
}

// kaplanMeier adds the survival, cumulative incidence and median rows of
// one partner, computed the plain way: for every day with exits, in
// order, the trajectories at risk are those followed at least that long
// (so exits come before censoring on the same day).
func kaplanMeier(want map[string]float64, p string, sample []obs, classes map[string]bool) {
	var times []float64
	last := 0.0
	for _, o := range sample {
		if o.class != "" {
			times = append(times, o.days)
		}
		last = math.Max(last, o.days)
	}
	sort.Float64s(times)
	type step struct {
		t, s float64
		cif  map[string]float64
	}
	var steps []step
	s, cif := 1.0, map[string]float64{}
	for i, t := range times {
		if i > 0 && times[i-1] == t {
			continue
		}
		atRisk, exits, byClass := 0.0, 0.0, map[string]float64{}
		for _, o := range sample {
			if o.days >= t {
				atRisk++
			}
			if o.days == t && o.class != "" {
				exits++
				byClass[o.class]++
			}
		}
		next := map[string]float64{}
		for c := range classes {
			next[c] = cif[c] + s*byClass[c]/atRisk
		}
		cif = next
		s *= 1 - exits/atRisk
		steps = append(steps, step{t, s, cif})
	}
	at := func(t float64) (float64, map[string]float64) {
		sv, cv := 1.0, map[string]float64{}
		for _, st := range steps {
			if st.t <= t {
				sv, cv = st.s, st.cif
			}
		}
		return sv, cv
	}
	for _, m := range []int{3, 6, 12, 24} {
		t := math.Floor(float64(m) * 365.25 / 12)
		sv, cv := at(t)
		defined := t <= last || (len(steps) > 0 && steps[len(steps)-1].s == 0)
		atRisk, exits, byClass := 0.0, 0.0, map[string]float64{}
		for _, o := range sample {
			if o.days >= t {
				atRisk++
			}
			if o.class != "" && o.days <= t {
				exits++
				byClass[o.class]++
			}
		}
		ms := "months=" + strconv.Itoa(m)
		key := "survival_in_trajectory|" + p + "|" + ms + "|"
		want[key+"numerator"], want[key+"denominator"] = exits, atRisk
		if defined {
			want[key+"value"] = sv
		}
		for c := range classes {
			key := "cumulative_incidence|" + p + "|class=" + c + ";" + ms + "|"
			want[key+"numerator"], want[key+"denominator"] = byClass[c], atRisk
			if defined {
				want[key+"value"] = cv[c]
			}
		}
	}
	key := "median_days_to_outflow|" + p + "||"
	for _, st := range steps {
		if st.s <= 0.5+1e-12 {
			exits, atRisk := 0.0, 0.0
			for _, o := range sample {
				if o.class != "" && o.days <= st.t {
					exits++
				}
				if o.days >= st.t {
					atRisk++
				}
			}
			want[key+"value"], want[key+"numerator"], want[key+"denominator"] = st.t, exits, atRisk
			return
		}
	}
	want[key+"numerator"], want[key+"denominator"] = float64(len(times)), float64(len(sample))
}

// quantile7 is the p-quantile of sorted xs by linear interpolation
// between order statistics (type 7 of Hyndman & Fan).
func quantile7(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p
	lo := math.Floor(h)
	if int(lo)+1 >= len(xs) {
		return xs[int(lo)]
	}
	return xs[int(lo)] + (h-lo)*(xs[int(lo)+1]-xs[int(lo)])
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
