package metrics

import (
	"context"
	"fmt"
	"testing"

	"doorstroom/disclosure"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// benchmarkWarehouse fills the register of 2026Q1 with partners × perPartner
// trajectories drawn by DuckDB's seeded random generator (intakes over
// three years, exponential durations, the format's outflow types and
// engagement dates) and computes its metrics.
func benchmarkWarehouse(b testing.TB, partners, perPartner int) (rows []Row, c *Catalogue) {
	b.Helper()
	w := benchmarkRegister(b, partners, perPartner)
	c, err := LoadCatalogue("atn")
	if err != nil {
		b.Fatal(err)
	}
	q, _ := period.Parse("2026Q1")
	rows, err = Compute(context.Background(), w.DB(), c, q)
	if err != nil {
		b.Fatal(err)
	}
	return rows, c
}

// BenchmarkCompute computes the catalogue's metrics of one quarter of
// fifty partners with 20,000 trajectories each, 1M in all (the quarter
// doorstroom bench's 1M network publishes last): its SQL, the
// estimators' samples read as Arrow batches, Kaplan–Meier.
func BenchmarkCompute(b *testing.B) {
	w := benchmarkRegister(b, 50, 20_000)
	c, err := LoadCatalogue("atn")
	if err != nil {
		b.Fatal(err)
	}
	q, _ := period.Parse("2026Q1")
	var rows []Row
	for b.Loop() {
		if rows, err = Compute(context.Background(), w.DB(), c, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)), "rows")
}

// benchmarkRegister is a warehouse whose register holds the generated
// trajectories.
func benchmarkRegister(b testing.TB, partners, perPartner int) *warehouse.Warehouse {
	b.Helper()
	w := fixtureWarehouse(b, "register.csv")
	exec(b, w.DB(), "DELETE FROM register")
	exec(b, w.DB(), "SELECT setseed(0.42)")
	exec(b, w.DB(), fmt.Sprintf(`
		INSERT INTO register BY NAME
		WITH t AS (
			SELECT 'p' || lpad((i %% %d)::VARCHAR, 2, '0') AS partner,
			       DATE '2023-04-01' + CAST(floor(random() * 1095) AS INTEGER) AS intake,
			       CAST(floor(-ln(random()) * 200) AS INTEGER) AS dur,
			       random() AS u, random() AS v,
			       (['legal_residence','voluntary_return','voluntary_return','onward_migration','new_asylum_application','medical_postponement','stopped_no_cooperation','lost_contact','lost_contact','not_eligible','forced_return','deceased','other'])[1 + CAST(floor(random() * 13) AS INTEGER)] AS type
			FROM range(%d) r(i)
		)
		SELECT '2026Q1' AS quarter, partner, intake AS intake_date,
		       CASE WHEN u < 0.9 AND intake + 30 <= DATE '2026-03-31' THEN intake + 30 END AS exploration_date,
		       CASE WHEN v < 0.7 AND intake + 10 <= DATE '2026-03-31' THEN intake + 10 END AS dvz_consent_date,
		       CASE WHEN v < 0.5 AND intake + 25 <= DATE '2026-03-31' THEN intake + 25 END AS dvz_first_talk_date,
		       CASE WHEN v < 0.5 AND intake + 25 <= DATE '2026-03-31' THEN 2 END AS dvz_talks,
		       CASE WHEN u > 0.6 AND intake + 40 <= DATE '2026-03-31' THEN intake + 40 END AS fedasil_first_talk_date,
		       CASE WHEN u > 0.6 AND intake + 40 <= DATE '2026-03-31' THEN 1 END AS fedasil_talks,
		       CASE WHEN intake + dur <= DATE '2026-03-31' THEN intake + dur END AS outflow_date,
		       CASE WHEN intake + dur <= DATE '2026-03-31' THEN type END AS outflow_type,
		       CASE WHEN intake + dur > DATE '2026-03-31' THEN NULL
		            WHEN type IN ('legal_residence','voluntary_return','onward_migration') THEN 'durable'
		            WHEN type IN ('new_asylum_application','medical_postponement') THEN 'semi_durable'
		            WHEN type IN ('stopped_no_cooperation','lost_contact','not_eligible') THEN 'no_solution'
		            WHEN type = 'forced_return' THEN 'forced_departure' ELSE 'other' END AS outflow_class
		FROM t`, partners, partners*perPartner))
	return w
}

// BenchmarkPublish runs disclosure control, secondary suppression
// included, on one quarter of fifty partners with about 600 trajectories
// each in the register (some 250 of them active), the size issue 8 aims
// at.
func BenchmarkPublish(b *testing.B) {
	rows, c := benchmarkWarehouse(b, 50, 600)
	p := disclosure.Policy{Threshold: 5}
	b.ResetTimer()
	var pub []Row
	for b.Loop() {
		pub = Publish(rows, c, p)
	}
	n := 0
	for _, r := range pub {
		if r.Suppressed {
			n++
		}
	}
	b.ReportMetric(float64(len(rows)), "rows")
	b.ReportMetric(float64(n), "suppressed")
}
