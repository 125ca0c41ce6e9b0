package metrics

import (
	"context"
	"strings"
	"testing"

	"doorstroom/internal/period"
)

// The hand-made register testdata/register.csv, quarter 2026Q1 (1 January
// to 31 March 2026). Durations in days, intake to outflow; follow-up of
// open trajectories to 31 March; "talk" and "expl" are days from intake to
// the first DVZ talk and to exploration.
//
//	    intake      outflow                               dur/follow-up  talk expl  DVZ consent/talks  Fedasil talks
//	A1  2025-10-01  open                                  181 censored   19   30    yes / 3            1
//	A2  2025-11-15  2026-02-14 voluntary_return durable    91            16   35    yes / 2            -
//	A3  2026-01-10  2026-01-10 not_eligible no_solution     0            -    -     -                  -
//	A4  2026-02-01  open                                   58 censored   -    -     yes / 0            -
//	A5  2025-06-01  2025-12-01 lost_contact no_solution   183            -    30    -                  -   (ended before the quarter)
//	A6  2025-07-10  2026-03-31 legal_residence durable    264            14   45    yes / 4            2
//	A7  2026-03-31  open                                    0 censored   -    -     -                  -
//	A8  2026-01-05  2026-03-01 new_asylum_app. semi_dur.   55            -    20    -                  1
//	B1  2025-09-01  open                                  211 censored   29   44    yes / 1            -
//	B2  2025-12-31  2026-01-01 forced_return forced_dep.    1            -    -     -                  -
//	B3  2026-03-15  open                                   16 censored   -    -     -                  -
//	B4  2025-08-01  2026-01-20 voluntary_return durable   172            24   19    yes / 2            3
//	B5  2025-08-15  2025-09-30 other other                 46            -    -     -                  -   (ended before the quarter)
//
// A last row belongs to the register of 2025Q4 and must count nowhere.
func TestComputeHandMadeRegister(t *testing.T) {
	w := fixtureWarehouse(t, "register.csv")
	c, err := LoadCatalogue("atn")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := period.Parse("2026Q1")
	rows, err := Compute(context.Background(), w.DB(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	got := rowMap(rows)
	cases := map[string]want{
		// Active: alpha A1–A4, A6–A8 (A5 ended before 1 January) = 7;
		// beta B1–B4 = 4; network 11.
		"participants_active|alpha|":   {7, 7, none},
		"participants_active|beta|":    {4, 4, none},
		"participants_active|network|": {11, 11, none},

		// Stock and flow. alpha: open at the start A1, A2, A6 = 3; inflow
		// A3, A4, A7, A8 = 4; outflow A2, A3, A6 (on 31 March), A8 = 4;
		// open at the end A1, A4, A7 = 3; 3 + 4 − 4 = 3. beta: open at the
		// start B1, B2 (intake 31 December), B4 = 3; inflow B3 = 1;
		// outflow B2, B4 = 2; open at the end B1, B3 = 2; 3 + 1 − 2 = 2.
		"stock_flow|alpha|flow=open_start":   {3, 3, none},
		"stock_flow|alpha|flow=inflow":       {4, 4, none},
		"stock_flow|alpha|flow=outflow":      {4, 4, none},
		"stock_flow|alpha|flow=open_end":     {3, 3, none},
		"stock_flow|beta|flow=open_start":    {3, 3, none},
		"stock_flow|beta|flow=inflow":        {1, 1, none},
		"stock_flow|beta|flow=outflow":       {2, 2, none},
		"stock_flow|beta|flow=open_end":      {2, 2, none},
		"stock_flow|network|flow=open_start": {6, 6, none},
		"stock_flow|network|flow=inflow":     {5, 5, none},
		"stock_flow|network|flow=outflow":    {6, 6, none},
		"stock_flow|network|flow=open_end":   {5, 5, none},

		// Engagement among the active. Consent: alpha A1, A2, A4, A6 = 4/7,
		// beta B1, B4 = 2/4. DVZ talk: alpha A1, A2, A6 = 3/7, beta B1, B4
		// = 2/4. Fedasil: alpha A1, A6, A8 = 3/7, beta B4 = 1/4. Both:
		// alpha A1, A6 = 2/7, beta B4 = 1/4. Consents with a talk: alpha
		// 3/4, beta 2/2.
		"dvz_consent_share|alpha|":            {4.0 / 7, 4, 7},
		"dvz_consent_share|beta|":             {2.0 / 4, 2, 4},
		"dvz_consent_share|network|":          {6.0 / 11, 6, 11},
		"dvz_talk_share|alpha|":               {3.0 / 7, 3, 7},
		"dvz_talk_share|network|":             {5.0 / 11, 5, 11},
		"fedasil_talk_share|alpha|":           {3.0 / 7, 3, 7},
		"fedasil_talk_share|beta|":            {1.0 / 4, 1, 4},
		"fedasil_talk_share|network|":         {4.0 / 11, 4, 11},
		"dvz_and_fedasil_talk_share|alpha|":   {2.0 / 7, 2, 7},
		"dvz_and_fedasil_talk_share|beta|":    {1.0 / 4, 1, 4},
		"dvz_and_fedasil_talk_share|network|": {3.0 / 11, 3, 11},
		"consent_to_talk_share|alpha|":        {3.0 / 4, 3, 4},
		"consent_to_talk_share|beta|":         {1, 2, 2},
		"consent_to_talk_share|network|":      {5.0 / 6, 5, 6},

		// Days to the first DVZ talk (type 7 quantiles: position h =
		// (n−1)p from 0, interpolated). alpha [14 16 19]: q1 at h=0.5 is 15,
		// median 16, q3 at h=1.5 is 17.5. beta [24 29]: 25.25, 26.5,
		// 27.75. network [14 16 19 24 29]: h=1 → 16, 19, h=3 → 24.
		"days_to_first_dvz_talk|alpha|stat=q1":       {15, none, 3},
		"days_to_first_dvz_talk|alpha|stat=median":   {16, none, 3},
		"days_to_first_dvz_talk|alpha|stat=q3":       {17.5, none, 3},
		"days_to_first_dvz_talk|beta|stat=q1":        {25.25, none, 2},
		"days_to_first_dvz_talk|beta|stat=median":    {26.5, none, 2},
		"days_to_first_dvz_talk|beta|stat=q3":        {27.75, none, 2},
		"days_to_first_dvz_talk|network|stat=q1":     {16, none, 5},
		"days_to_first_dvz_talk|network|stat=median": {19, none, 5},
		"days_to_first_dvz_talk|network|stat=q3":     {24, none, 5},

		// Talks per engaged participant. DVZ: alpha 3+2+4 = 9 over 3, beta
		// 1+2 = 3 over 2, network 12/5. Fedasil: alpha 1+2+1 = 4 over 3,
		// beta 3 over 1, network 7/4.
		"talks_per_engaged|alpha|with=dvz":       {3, 9, 3},
		"talks_per_engaged|beta|with=dvz":        {1.5, 3, 2},
		"talks_per_engaged|network|with=dvz":     {2.4, 12, 5},
		"talks_per_engaged|alpha|with=fedasil":   {4.0 / 3, 4, 3},
		"talks_per_engaged|beta|with=fedasil":    {3, 3, 1},
		"talks_per_engaged|network|with=fedasil": {1.75, 7, 4},

		// Exits in the quarter: alpha A2 and A6 durable, A3 no solution, A8
		// semi-durable; beta B2 forced departure, B4 durable.
		"exits_by_class|alpha|class=durable":                              {2, 2, none},
		"exits_by_class|alpha|class=no_solution":                          {1, 1, none},
		"exits_by_class|alpha|class=semi_durable":                         {1, 1, none},
		"exits_by_class|beta|class=forced_departure":                      {1, 1, none},
		"exits_by_class|network|class=durable":                            {3, 3, none},
		"exits_by_type|alpha|class=durable;type=legal_residence":          {1, 1, none},
		"exits_by_type|alpha|class=durable;type=voluntary_return":         {1, 1, none},
		"exits_by_type|network|class=durable;type=voluntary_return":       {2, 2, none},
		"exits_by_type|network|class=forced_departure;type=forced_return": {1, 1, none},
		// Durable share: quarter alpha 2/4, beta 1/2; since the start
		// (A5 and B5 added) alpha 2/5, beta 1/3, network 3/8.
		"durable_exit_share|alpha|":              {0.5, 2, 4},
		"durable_exit_share|network|":            {0.5, 3, 6},
		"durable_exit_share_cumulative|alpha|":   {0.4, 2, 5},
		"durable_exit_share_cumulative|beta|":    {1.0 / 3, 1, 3},
		"durable_exit_share_cumulative|network|": {3.0 / 8, 3, 8},

		// Closed in the quarter: alpha [0 55 91 264] → median 73; beta [1
		// 172] → 86.5; network [0 1 55 91 172 264] → 73. Durable: alpha [91
		// 264] → 91 + 0.25·173 = 134.25, 177.5, 220.75; network [91 172
		// 264] → 131.5, 172, 218. A3 lasted 0 days and counts.
		"median_duration_closed|alpha|":                              {73, none, 4},
		"median_duration_closed|beta|":                               {86.5, none, 2},
		"median_duration_closed|network|":                            {73, none, 6},
		"duration_closed_by_class|alpha|class=durable;stat=q1":       {134.25, none, 2},
		"duration_closed_by_class|alpha|class=durable;stat=median":   {177.5, none, 2},
		"duration_closed_by_class|alpha|class=durable;stat=q3":       {220.75, none, 2},
		"duration_closed_by_class|alpha|class=no_solution;stat=q1":   {0, none, 1},
		"duration_closed_by_class|network|class=durable;stat=q1":     {131.5, none, 3},
		"duration_closed_by_class|network|class=durable;stat=median": {172, none, 3},
		"duration_closed_by_class|network|class=durable;stat=q3":     {218, none, 3},

		// Phase lead time, active with exploration: alpha [20 30 35 45] →
		// 27.5, 32.5, 37.5; beta [19 44] → 25.25, 31.5, 37.75; network [19
		// 20 30 35 44 45] → h=1.25: 22.5, 32.5, h=3.75: 41.75.
		"days_to_exploration|alpha|stat=q1":       {27.5, none, 4},
		"days_to_exploration|alpha|stat=median":   {32.5, none, 4},
		"days_to_exploration|beta|stat=q3":        {37.75, none, 2},
		"days_to_exploration|network|stat=q1":     {22.5, none, 6},
		"days_to_exploration|network|stat=median": {32.5, none, 6},
		"days_to_exploration|network|stat=q3":     {41.75, none, 6},
		// One-month cohort: intake 2025-12-02 … 2026-03-01: alpha A3, A4,
		// A8 (exploration after 20 days) = 1/3; beta B2 = 0/1.
		"exploration_within_month_share|alpha|":   {1.0 / 3, 1, 3},
		"exploration_within_month_share|beta|":    {0, 0, 1},
		"exploration_within_month_share|network|": {0.25, 1, 4},
		// Six-month cohort: intake 2025-07-03 … 2025-09-30: alpha A6
		// (durable after 264 days: too late) = 0/1; beta B1 (open), B4
		// (durable after 172 days), B5 (other) = 1/3.
		"durable_within_six_months_share|alpha|":   {0, 0, 1},
		"durable_within_six_months_share|beta|":    {1.0 / 3, 1, 3},
		"durable_within_six_months_share|network|": {0.25, 1, 4},

		// Kaplan–Meier over the whole register, worked step by step:
		// alpha, follow-up (class): 0 (no_solution), 0 (censored), 55
		// (semi), 58 (c), 91 (durable), 181 (c), 183 (no_solution), 264
		// (durable). Day 0: 8 at risk (A7, censored on day 0, counts:
		// exits before censoring), 1 exit → S = 7/8. Day 55: 6 at risk →
		// S = 7/8·5/6 = 35/48. Day 91: 4 at risk → S = 35/64. Day 183: 2 →
		// 35/128. Day 264: 1 → 0. So S(91 days = 3 months) = 35/64 with 3
		// exits and 4 at risk; S(182) = 35/64, 3 exits, 2 at risk (183,
		// 264); S(365) = 0: the curve reached 0, so it is defined beyond the
		// follow-up.
		"survival_in_trajectory|alpha|months=3":  {35.0 / 64, 3, 4},
		"survival_in_trajectory|alpha|months=6":  {35.0 / 64, 3, 2},
		"survival_in_trajectory|alpha|months=12": {0, 5, 0},
		"survival_in_trajectory|alpha|months=24": {0, 5, 0},
		// beta: 1 (forced), 16 (c), 46 (other), 172 (durable), 211 (c).
		// Day 1: 5 at risk → 4/5. Day 46: 3 → 8/15. Day 172: 2 → 4/15. The
		// last follow-up (211) is censored with S = 4/15 > 0: S(365) is
		// unknown, so its value is empty.
		"survival_in_trajectory|beta|months=3":  {8.0 / 15, 2, 2},
		"survival_in_trajectory|beta|months=6":  {4.0 / 15, 3, 1},
		"survival_in_trajectory|beta|months=12": {none, 3, 0},
		// network, pooled: 13 at risk on day 0 → 12/13; day 1: 11 →
		// 120/143; day 46: 9 → 320/429; day 55: 8 → 280/429; day 91: 6 →
		// 700/1287; day 172: 5 → 560/1287; day 183: 3 → 1120/3861; day
		// 264: 1 → 0.
		"survival_in_trajectory|network|months=3":  {700.0 / 1287, 5, 6},
		"survival_in_trajectory|network|months=6":  {560.0 / 1287, 6, 3},
		"survival_in_trajectory|network|months=12": {0, 8, 0},
		// Aalen–Johansen: each exit adds S(just before)·1/(at risk) to its
		// class. alpha: no_solution 1/8 on day 0; semi 7/8·1/6 = 7/48 on
		// day 55; durable 35/48·1/4 = 35/192 on day 91; no_solution
		// 35/64·1/2 = 35/128 more on day 183 (51/128); durable 35/128 more
		// on day 264 (175/384). At 3 months 35/192 + 1/8 + 7/48 + 35/64 = 1.
		"cumulative_incidence|alpha|class=durable;months=3":       {35.0 / 192, 1, 4},
		"cumulative_incidence|alpha|class=no_solution;months=3":   {1.0 / 8, 1, 4},
		"cumulative_incidence|alpha|class=semi_durable;months=3":  {7.0 / 48, 1, 4},
		"cumulative_incidence|alpha|class=durable;months=12":      {175.0 / 384, 2, 0},
		"cumulative_incidence|alpha|class=no_solution;months=12":  {51.0 / 128, 2, 0},
		"cumulative_incidence|alpha|class=semi_durable;months=24": {7.0 / 48, 1, 0},
		// beta: forced 1/5 on day 1, other 4/5·1/3 = 4/15 on day 46,
		// durable 8/15·1/2 = 4/15 on day 172. Durable at 3 months: 0, no
		// exit yet (a row, since beta has durable exits later).
		"cumulative_incidence|beta|class=durable;months=3":          {0, 0, 2},
		"cumulative_incidence|beta|class=durable;months=6":          {4.0 / 15, 1, 1},
		"cumulative_incidence|beta|class=forced_departure;months=3": {1.0 / 5, 1, 2},
		"cumulative_incidence|beta|class=other;months=6":            {4.0 / 15, 1, 1},
		"cumulative_incidence|beta|class=other;months=12":           {none, 1, 0},
		// network: no_solution 1/13 (day 0) + 1120/3861·... see survival:
		// day 183 adds 560/1287·1/3 = 560/3861 → 857/3861; durable
		// 140/1287 (day 91) + 140/1287 (day 172) + 1120/3861 (day 264) =
		// 1960/3861.
		"cumulative_incidence|network|class=durable;months=3":           {140.0 / 1287, 1, 6},
		"cumulative_incidence|network|class=durable;months=6":           {280.0 / 1287, 2, 3},
		"cumulative_incidence|network|class=durable;months=12":          {1960.0 / 3861, 3, 0},
		"cumulative_incidence|network|class=no_solution;months=12":      {857.0 / 3861, 2, 0},
		"cumulative_incidence|network|class=forced_departure;months=24": {12.0 / 143, 1, 0},
		"cumulative_incidence|network|class=other;months=3":             {40.0 / 429, 1, 6},
		"cumulative_incidence|network|class=semi_durable;months=3":      {40.0 / 429, 1, 6},
		// Median: first day with S ≤ 1/2. alpha S(91) = 0.547, S(183) =
		// 0.273 → 183 (4 exits up to it, 2 at risk); beta S(46) = 0.533,
		// S(172) = 0.267 → 172 (3 exits, 2 at risk); network S(91) =
		// 0.544, S(172) = 0.435 → 172 (6 exits, 5 at risk).
		"median_days_to_outflow|alpha|":   {183, 4, 2},
		"median_days_to_outflow|beta|":    {172, 3, 2},
		"median_days_to_outflow|network|": {172, 6, 5},
	}
	for key, w := range cases {
		t.Run(strings.ReplaceAll(key, "|", "/"), func(t *testing.T) { checkRow(t, got, key, w) })
	}
	t.Run("every class of the network for every partner", func(t *testing.T) {
		// alpha has no exit by the class other: a row of zeros, so that
		// the partners add up to the network.
		checkRow(t, got, "cumulative_incidence|alpha|class=other;months=3", want{0, 0, 4})
		if _, ok := got["exits_by_class|beta|class=no_solution"]; ok {
			t.Error("a count of zero has a row")
		}
	})
	t.Run("completeness table empty: no reporting rows", func(t *testing.T) {
		for _, r := range rows {
			if strings.HasPrefix(r.Metric, "reports_") {
				t.Errorf("unexpected row %+v", r)
			}
		}
	})
}
