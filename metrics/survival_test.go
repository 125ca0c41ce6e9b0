package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// obs builds observations from days and classes ("" for censored).
func obsOf(classes []string, pairs ...any) []Observation {
	var out []Observation
	for i := 0; i < len(pairs); i += 2 {
		o := Observation{Days: pairs[i].(int), Class: Censored}
		for k, c := range classes {
			if c == pairs[i+1].(string) {
				o.Class = k
			}
		}
		out = append(out, o)
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestKaplanMeierTextbook checks the estimator on the remission times (in
// weeks) of the 21 leukaemia patients on 6-mercaptopurine in Freireich et
// al. (1963), Blood 21:699–716, the classic example of Kaplan–Meier
// estimation (Kleinbaum & Klein, Survival Analysis: A Self-Learning Text,
// ch. 2; Klein & Moeschberger, Survival Analysis, 2nd ed., sect. 4.2):
//
//	6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
//
// (+ censored). It has ties among events (three relapses in week 6) and
// between events and censoring (6 and 6+, 10 and 10+): the censored
// patient of week 6 is still at risk in week 6. Worked by hand:
//
//	week  at risk  relapses  S(t)
//	  6     21        3      18/21                  = 0.857
//	  7     17        1      0.857 × 16/17           = 0.807
//	 10     15        1      0.807 × 14/15           = 0.753
//	 13     12        1      0.753 × 11/12           = 0.690
//	 16     11        1      0.690 × 10/11           = 0.627
//	 22      7        1      0.627 × 6/7             = 0.538
//	 23      6        1      0.538 × 5/6             = 0.448
//
// the textbook's table; the median is 23 weeks, the first time S ≤ 0.5.
func TestKaplanMeierTextbook(t *testing.T) {
	classes := []string{"relapse"}
	c, err := Estimate(obsOf(classes,
		6, "relapse", 6, "relapse", 6, "relapse", 6, "", 7, "relapse", 9, "", 10, "relapse", 10, "",
		11, "", 13, "relapse", 16, "relapse", 17, "", 19, "", 20, "", 22, "relapse", 23, "relapse",
		25, "", 32, "", 32, "", 34, "", 35, ""), classes)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		week, atRisk int
		exact        float64
		textbook     float64
	}{
		{6, 21, 18.0 / 21, 0.857},
		{7, 17, 18.0 / 21 * 16 / 17, 0.807},
		{10, 15, 18.0 / 21 * 16 / 17 * 14 / 15, 0.753},
		{13, 12, 18.0 / 21 * 16 / 17 * 14 / 15 * 11 / 12, 0.690},
		{16, 11, 18.0 / 21 * 16 / 17 * 14 / 15 * 11 / 12 * 10 / 11, 0.627},
		{22, 7, 18.0 / 21 * 16 / 17 * 14 / 15 * 11 / 12 * 10 / 11 * 6 / 7, 0.538},
		{23, 6, 18.0 / 21 * 16 / 17 * 14 / 15 * 11 / 12 * 10 / 11 * 6 / 7 * 5 / 6, 0.448},
	}
	if len(c.Times) != len(steps) {
		t.Fatalf("steps at %v, want %d steps", c.Times, len(steps))
	}
	for j, s := range steps {
		if c.Times[j] != s.week || c.AtRisk[j] != s.atRisk || !near(c.Survival[j], s.exact) {
			t.Errorf("step %d: week %d, %d at risk, S = %v; want week %d, %d at risk, S = %v",
				j, c.Times[j], c.AtRisk[j], c.Survival[j], s.week, s.atRisk, s.exact)
		}
		if math.Round(c.Survival[j]*1000)/1000 != s.textbook {
			t.Errorf("week %d: S = %.3f, the textbook has %.3f", s.week, c.Survival[j], s.textbook)
		}
	}
	for _, tt := range []struct {
		week    int
		want    float64
		defined bool
	}{{0, 1, true}, {5, 1, true}, {6, 18.0 / 21, true}, {8, steps[1].exact, true}, {35, steps[6].exact, true}, {36, 0, false}} {
		got, ok := c.SurvivalAt(tt.week)
		if ok != tt.defined || (ok && !near(got, tt.want)) {
			t.Errorf("S(%d) = %v, %v; want %v, %v", tt.week, got, ok, tt.want, tt.defined)
		}
	}
	if m, ok := c.Quantile(0.5); !ok || m != 23 {
		t.Errorf("median = %d, %v; want 23", m, ok)
	}
	if n := c.AtRiskAt(10); n != 15 {
		t.Errorf("at risk in week 10 = %d, want 15 (the censored 10+ included)", n)
	}
	if n := c.ExitsBy(Censored, 10); n != 5 {
		t.Errorf("relapses by week 10 = %d, want 5", n)
	}
}

// TestAalenJohansenCompetingRisks works a small competing-risks sample by
// hand: classes a and b, days (class or censored):
//
//	2a 2b 2+ 3a 5b 5b 7+ 8a 9+ 9a
//
//	day  at risk  exits  S before  Fa increment    Fb increment   S after
//	 2     10     a, b    1        1/10            1/10           8/10
//	 3      7     a       8/10     8/10·1/7=4/35                  24/35
//	 5      6     b, b    24/35                    24/35·2/6=8/35 16/35
//	 8      3     a       16/35    16/35·1/3=16/105               32/105
//	 9      2     a       32/105   32/105·1/2=16/105              16/105
//
// (the patient censored on day 2 is at risk on day 2; 7+ leaves before
// day 8). At the end Fa = 109/210, Fb = 69/210 and S = 32/210: they add up
// to 1, as they must at every day. One minus the Kaplan–Meier of class a
// alone (b treated as censoring) would give 0.743, not 0.519: it ignores
// that those who left by b can no longer leave by a.
func TestAalenJohansenCompetingRisks(t *testing.T) {
	classes := []string{"a", "b"}
	c, err := Estimate(obsOf(classes, 2, "a", 2, "b", 2, "", 3, "a", 5, "b", 5, "b", 7, "", 8, "a", 9, "", 9, "a"), classes)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day        int
		fa, fb, s  float64
		atRisk     int
		exitsA, ex int
	}{
		{1, 0, 0, 1, 10, 0, 0},
		{2, 1.0 / 10, 1.0 / 10, 8.0 / 10, 10, 1, 2},
		{3, 1.0/10 + 4.0/35, 1.0 / 10, 24.0 / 35, 7, 2, 3},
		{6, 1.0/10 + 4.0/35, 1.0/10 + 8.0/35, 16.0 / 35, 4, 2, 5},
		{8, 1.0/10 + 4.0/35 + 16.0/105, 1.0/10 + 8.0/35, 32.0 / 105, 3, 3, 6},
		{9, 109.0 / 210, 69.0 / 210, 32.0 / 210, 2, 4, 7},
	} {
		fa, _ := c.IncidenceAt(0, tt.day)
		fb, _ := c.IncidenceAt(1, tt.day)
		s, _ := c.SurvivalAt(tt.day)
		if !near(fa, tt.fa) || !near(fb, tt.fb) || !near(s, tt.s) {
			t.Errorf("day %d: Fa %v Fb %v S %v; want %v %v %v", tt.day, fa, fb, s, tt.fa, tt.fb, tt.s)
		}
		if !near(fa+fb+s, 1) {
			t.Errorf("day %d: Fa + Fb + S = %v, not 1", tt.day, fa+fb+s)
		}
		if c.AtRiskAt(tt.day) != tt.atRisk || c.ExitsBy(0, tt.day) != tt.exitsA || c.ExitsBy(Censored, tt.day) != tt.ex {
			t.Errorf("day %d: %d at risk, %d a-exits, %d exits; want %d, %d, %d", tt.day,
				c.AtRiskAt(tt.day), c.ExitsBy(0, tt.day), c.ExitsBy(Censored, tt.day), tt.atRisk, tt.exitsA, tt.ex)
		}
	}
	onlyA := make([]Observation, 0, 10)
	for _, o := range obsOf(classes, 2, "a", 2, "b", 2, "", 3, "a", 5, "b", 5, "b", 7, "", 8, "a", 9, "", 9, "a") {
		if o.Class == 1 {
			o.Class = Censored
		}
		onlyA = append(onlyA, o)
	}
	km, _ := Estimate(onlyA, classes)
	sa, _ := km.SurvivalAt(9)
	if !near(1-sa, 1-0.9*6/7*2/3*1/2) || 1-sa <= 109.0/210 {
		t.Errorf("1 − KM of a alone = %v; want 0.743, above the cumulative incidence", 1-sa)
	}
}

// TestSurvivalEdgeCases: durations of 0 days count, curves are not defined
// beyond a censored last follow-up but are after S reaches 0, and
// impossible input is an error.
func TestSurvivalEdgeCases(t *testing.T) {
	classes := []string{"x"}
	t.Run("zero days", func(t *testing.T) {
		// Three trajectories end or are censored on their intake day: 3 at
		// risk on day 0, 2 exits → S(0) = 1/3; the third is censored.
		c, err := Estimate(obsOf(classes, 0, "x", 0, "", 0, "x"), classes)
		if err != nil {
			t.Fatal(err)
		}
		if c.N != 3 || c.AtRisk[0] != 3 || !near(c.Survival[0], 1.0/3) {
			t.Errorf("N %d, at risk %v, S %v; want 3, 3, 1/3", c.N, c.AtRisk, c.Survival)
		}
		if _, ok := c.SurvivalAt(1); ok {
			t.Error("S(1) defined beyond the follow-up")
		}
	})
	t.Run("curve reaches zero", func(t *testing.T) {
		c, _ := Estimate(obsOf(classes, 3, "", 5, "x"), classes)
		if s, ok := c.SurvivalAt(1000); !ok || s != 0 {
			t.Errorf("S(1000) = %v, %v; want 0, defined", s, ok)
		}
		if f, ok := c.IncidenceAt(0, 1000); !ok || f != 1 {
			t.Errorf("F(1000) = %v, %v; want 1", f, ok)
		}
		if _, ok := c.Quantile(0.5); !ok {
			t.Error("median not reached")
		}
	})
	t.Run("median not reached", func(t *testing.T) {
		c, _ := Estimate(obsOf(classes, 3, "x", 5, "", 8, "", 9, ""), classes)
		if m, ok := c.Quantile(0.5); ok {
			t.Errorf("median %d reached with S = 3/4", m)
		}
	})
	t.Run("empty sample", func(t *testing.T) {
		c, err := Estimate(nil, classes)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.SurvivalAt(0); ok {
			t.Error("S defined without observations")
		}
	})
	t.Run("negative duration", func(t *testing.T) {
		if _, err := Estimate([]Observation{{Days: -1, Class: 0}}, classes); err == nil {
			t.Error("no error")
		}
	})
	t.Run("unknown class", func(t *testing.T) {
		if _, err := Estimate([]Observation{{Days: 1, Class: 1}}, classes); err == nil {
			t.Error("no error")
		}
	})
}

func TestMonthDays(t *testing.T) {
	for m, want := range map[int]int{1: 30, 3: 91, 6: 182, 12: 365, 24: 730} {
		if got := MonthDays(m); got != want {
			t.Errorf("MonthDays(%d) = %d, want %d", m, got, want)
		}
	}
}

// syntheticSample draws n trajectories with durations up to about ten
// years, five outflow classes and a third still open.
func syntheticSample(n int) ([]Observation, []string) {
	r := rand.New(rand.NewPCG(1, 2))
	classes := []string{"durable", "forced_departure", "no_solution", "other", "semi_durable"}
	obs := make([]Observation, n)
	for i := range obs {
		obs[i] = Observation{Days: int(r.ExpFloat64() * 200), Class: r.IntN(len(classes))}
		if obs[i].Days > 3650 {
			obs[i].Days = 3650
		}
		if r.IntN(3) == 0 {
			obs[i].Class = Censored
		}
	}
	return obs, classes
}

// BenchmarkKaplanMeier estimates survival and five cumulative incidences
// on a million trajectories, about what fifty partners report in twenty
// years.
func BenchmarkKaplanMeier(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		obs, classes := syntheticSample(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := Estimate(obs, classes)
				if err != nil {
					b.Fatal(err)
				}
				if _, ok := c.Quantile(0.5); !ok {
					b.Fatal("no median")
				}
			}
		})
	}
}

// TestTallyCounts: a sample counted per day and class, as loadSample gets
// it from DuckDB, and partners' tallies merged into the network's give
// the very curves of the observations one by one.
func TestTallyCounts(t *testing.T) {
	obs, classes := syntheticSample(20_000)
	want, err := Estimate(obs, classes)
	if err != nil {
		t.Fatal(err)
	}
	for _, parts := range []int{1, 3, 7} {
		t.Run(fmt.Sprintf("%d partners", parts), func(t *testing.T) {
			// Each partner's observations, counted per (days, class).
			counted := make([]map[Observation]int, parts)
			for i := range counted {
				counted[i] = map[Observation]int{}
			}
			for i, o := range obs {
				counted[i%parts][o]++
			}
			network := newTally(len(classes))
			for _, c := range counted {
				p := newTally(len(classes))
				for o, n := range c {
					if err := p.add(o.Days, o.Class, n); err != nil {
						t.Fatal(err)
					}
				}
				network.merge(p)
			}
			if got := network.curve(classes); !reflect.DeepEqual(got, want) {
				t.Fatalf("merged tallies: N %d, %d exit days; observations one by one: N %d, %d exit days", got.N, len(got.Times), want.N, len(want.Times))
			}
		})
	}
	t.Run("a negative duration", func(t *testing.T) {
		if err := newTally(1).add(-2, 0, 3); err == nil || !strings.Contains(err.Error(), "negative duration (-2 days)") {
			t.Fatalf("error %v", err)
		}
	})
}
