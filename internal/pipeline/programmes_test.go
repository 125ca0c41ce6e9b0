package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorstroom/config"
	"doorstroom/internal/demogen"
	"doorstroom/internal/period"
)

// resettlementFixture is three households of partner caritas, as its
// registers of 2025Q1 and 2026Q1 list them (README "Adding a programme").
//
//	H1  4 persons, 2 school-age children, direct reception, second year;
//	    guidance from 2025-01-15, housing 5 days before arrival.
//	H2  1 person, no direct reception; guidance 2025-02-01 to 2026-01-31,
//	    next housing 2026-01-20 (before the end).
//	H3  3 persons, 1 child, direct reception; guidance 2025-03-10 to
//	    2026-03-09, no next housing.
var resettlementFixture = map[string]string{
	"2025Q1": `household_id,household_size,children_school_age,arrival_date,direct_reception,guidance_start_date,second_year,housing_date,ocmw_registration_date,bank_account_date,school_enrolment_date,next_housing_date,guidance_end_date
H1,4,2,2025-01-10,yes,2025-01-15,yes,2025-01-05,2025-01-20,2025-02-01,2025-02-10,,
H2,1,0,2024-12-01,no,2025-02-01,no,2025-02-01,2025-02-15,,,,
H3,3,1,2025-03-01,yes,2025-03-10,no,2025-03-01,,,2025-03-20,,
`,
	"2026Q1": `household_id,household_size,children_school_age,arrival_date,direct_reception,guidance_start_date,second_year,housing_date,ocmw_registration_date,bank_account_date,school_enrolment_date,next_housing_date,guidance_end_date
H1,4,2,2025-01-10,yes,2025-01-15,yes,2025-01-05,2025-01-20,2025-02-01,2025-02-10,,
H2,1,0,2024-12-01,no,2025-02-01,no,2025-02-01,2025-02-15,2025-04-01,,2026-01-20,2026-01-31
H3,3,1,2025-03-01,yes,2025-03-10,no,2025-03-01,2025-04-02,2025-04-10,2025-03-20,,2026-03-09
`,
}

// TestNetworkOfProgrammes runs a network of two programmes, atn (a small
// generated inbox in a folder of its own, paths.inboxes) and resettlement
// (the fixture above, in <inbox>/resettlement), end to end, and checks the
// folders of each programme, the network's site, and resettlement's
// metrics against values worked out by hand from the partnership model.
func TestNetworkOfProgrammes(t *testing.T) {
	dir := t.TempDir()
	if _, err := demogen.Generate(demogen.Options{Partners: 1, Quarters: 1, Last: period.Quarter{Year: 2026, Q: 1},
		Seed: 5, Trajectories: 40, Canonical: true}, filepath.Join(dir, "atn")); err != nil {
		t.Fatal(err)
	}
	for q, csv := range resettlementFixture {
		writeFile(t, filepath.Join(dir, "inbox", "resettlement", "caritas", q+".csv"), csv)
	}
	// Two school-age children and no school enrolment: the format's
	// required_when_positive rule refuses the file.
	header, _, _ := strings.Cut(resettlementFixture["2025Q1"], "\n")
	writeFile(t, filepath.Join(dir, "inbox", "resettlement", "convivial", "2025Q1.csv"),
		header+"\nC1,3,2,2025-01-10,no,2025-01-15,no,2025-01-05,,,,,\n")
	yaml := fmt.Sprintf(`programmes: [atn, resettlement]
paths: {inbox: %[1]s/inbox, outbox: %[1]s/outbox, quarantine: %[1]s/quarantine, out: %[1]s/out, state: %[1]s/state,
        inboxes: {atn: %[1]s/atn/inbox}}
key: {demo: test-key-for-the-programme-tests-only-0000}
privacy: {k: 2, suppression: 1}
ingest: {settle: 1ms}
partners:
  - {code: antwerpen, name: Antwerpen, region: flanders, language: nl, programme: atn}
  - {code: caritas, name: Caritas, region: brussels, language: fr, programme: resettlement}
  - {code: convivial, name: Convivial, region: brussels, language: en, programme: resettlement}
`, dir)
	writeFile(t, filepath.Join(dir, "network.yaml"), yaml)
	cfg, err := config.Load(filepath.Join(dir, "network.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	sum, err := Run(context.Background(), cfg, Options{Log: &log, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	if len(sum.Programmes) != 2 {
		t.Fatalf("%d programmes run, want 2\n%s", len(sum.Programmes), log.String())
	}
	for _, f := range []string{
		"out/site/index.html", "out/site/atn/en/index.html", "out/site/resettlement/fr/index.html",
		"out/atn/snapshots/quarter=2026Q1/trajectories.parquet",
		"out/resettlement/snapshots/quarter=2026Q1/households.parquet",
		"out/resettlement/snapshots/quarter=2025Q1/metrics.parquet",
		"outbox/resettlement/caritas/2025Q1.answer.csv",
		"state/resettlement/manifest.json",
	} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	answer, _ := os.ReadFile(filepath.Join(dir, "outbox/resettlement/convivial/2025Q1.answer.csv"))
	if !strings.Contains(string(answer), "rule_required_when_positive") {
		t.Errorf("a household with children and no school enrolment was not refused by the rule:\n%s", answer)
	}
	index, _ := os.ReadFile(filepath.Join(dir, "out/site/index.html"))
	for _, want := range []string{`href="resettlement/nl/index.html"`, "Resettlement partnerships", `href="atn/en/index.html"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("the network's index lacks %s", want)
		}
	}
	checkMetrics(t, filepath.Join(dir, "out/resettlement/warehouse.duckdb"), map[string]float64{
		// 2025Q1: every household starts its first year.
		"lump_sums_first_year|2025Q1|network|rule=per_person":    3000 * (4 + 1 + 3),
		"lump_sums_first_year|2025Q1|network|rule=direct_head":   2000 * 2,
		"lump_sums_first_year|2025Q1|network|rule=direct_member": 500 * (3 + 2),
		"lump_sums_due|2025Q1|caritas|year=1":                    15500 + 3000 + 12000,
		// 2026Q1: H1's second year starts on 2026-01-15.
		"lump_sums_due|2026Q1|network|year=2":                   600 * 4,
		"lump_sums_second_year|2026Q1|caritas|":                 2400,
		"households_active|2025Q1|network|":                     3,
		"milestone_share|2025Q1|network|milestone=housing":      1,
		"milestone_share|2025Q1|network|milestone=ocmw":         2.0 / 3,
		"milestone_share|2025Q1|network|milestone=bank":         1.0 / 3,
		"milestone_share|2025Q1|network|milestone=school":       1, // H1 and H3, the households with children
		"milestone_share|2025Q1|network|milestone=next_housing": 0,
		// days from arrival to housing: -5 (H1), 62 (H2), 0 (H3).
		"milestone_days_from_arrival|2025Q1|network|milestone=housing": 0,
		// to the OCMW: 10 (H1), 76 (H2).
		"milestone_days_from_arrival|2025Q1|network|milestone=ocmw": 43,
		// ended by 2026-03-31: H2 (next housing in time) and H3 (none).
		"next_housing_before_end_share|2026Q1|network|": 0.5,
	})
}

// checkMetrics compares values of the warehouse's metrics table, keyed
// metric|quarter|partner|breakdown, with the expected ones.
func checkMetrics(t *testing.T, path string, want map[string]float64) {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT metric || '|' || quarter || '|' || partner || '|' || breakdown, value FROM metrics`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]float64{}
	for rows.Next() {
		var k string
		var v sql.NullFloat64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k] = v.Float64
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || fmt.Sprintf("%.6f", g) != fmt.Sprintf("%.6f", w) {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, w)
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
