package pipeline

import (
	"bytes"
	"context"
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

// runNetwork writes a network configuration of the given programmes and
// partners into dir (paths under dir, k=2) and runs it; it returns the log.
func runNetwork(t *testing.T, dir, programmes, partners string) string {
	t.Helper()
	yaml := fmt.Sprintf(`programmes: [%[2]s]
paths: {inbox: %[1]s/inbox, outbox: %[1]s/outbox, quarantine: %[1]s/quarantine, out: %[1]s/out, state: %[1]s/state}
key: {demo: test-key-for-the-programme-tests-only-0000}
privacy: {k: 2, suppression: 1}
ingest: {settle: 1ms}
partners:
%[3]s`, dir, programmes, partners)
	writeFile(t, filepath.Join(dir, "network.yaml"), yaml)
	cfg, err := config.Load(filepath.Join(dir, "network.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	if _, err := Run(context.Background(), cfg, Options{Log: &log, Now: func() time.Time { return now }}); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	return log.String()
}

const chainHeader = "resident_id,target_group,application_date,centre_arrival_date,prescreening_date,work_info_date,labour_market_access_date,vdab_referral_date,vdab_appointment_date,jobseeker_registration_date,integration_referral_date,civic_orientation_date,outcome,outcome_date\n"

// TestChainFunnel runs programme chain alone on three residents of one
// centre and checks the referral funnel worked out by hand, and that a
// centre whose access to the labour market comes less than four months
// after the application is refused with the rule's answer.
//
//	R1  applicant: every step of the VDAB branch, employment on 2026-03-20.
//	R2  applicant: prescreened, access on 2026-03-01 (four months to the
//	    day), referred; civic orientation through the Agency.
//	R3  resettled, arrived on 2026-01-10: no step yet.
func TestChainFunnel(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "inbox", "kapellen", "2026Q1.csv"), chainHeader+
		"R1,applicant,2025-10-01,2025-10-05,2025-10-10,2025-10-20,2026-02-01,2026-02-05,2026-02-15,2026-02-20,,,employment,2026-03-20\n"+
		"R2,applicant,2025-11-01,2025-11-03,2025-11-13,,2026-03-01,2026-03-11,,,2025-12-01,2026-01-15,,\n"+
		"R3,resettled,2026-01-10,2026-01-10,,,,,,,,,,\n")
	writeFile(t, filepath.Join(dir, "inbox", "arendonk", "2026Q1.csv"), chainHeader+
		"A1,applicant,2025-10-01,2025-10-05,,,2026-01-15,,,,,,,\n")
	log := runNetwork(t, dir, "chain", `  - {code: kapellen, name: Kapellen, region: flanders, language: nl, programme: chain}
  - {code: arendonk, name: Arendonk, region: flanders, language: en, programme: chain}
`)
	if !strings.Contains(log, "arendonk/2026Q1.csv rejected") {
		t.Errorf("the file with access 3.5 months after the application was not refused:\n%s", log)
	}
	answer, err := os.ReadFile(filepath.Join(dir, "outbox", "arendonk", "2026Q1.answer.csv"))
	if err != nil || !strings.Contains(string(answer), "rule_min_months_after") || !strings.Contains(string(answer), "at least 4 months after") {
		t.Errorf("the answer does not give the four-month rule (%v):\n%s", err, answer)
	}
	checkMetrics(t, filepath.Join(dir, "out", "warehouse.duckdb"), map[string]float64{
		"residents|2026Q1|kapellen|":                             3,
		"funnel_count|2026Q1|kapellen|step=arrival":              3,
		"funnel_count|2026Q1|kapellen|step=prescreening":         2,
		"funnel_count|2026Q1|kapellen|step=work_info":            1,
		"funnel_count|2026Q1|kapellen|step=labour_market_access": 2,
		"funnel_count|2026Q1|kapellen|step=vdab_referral":        2,
		"funnel_count|2026Q1|kapellen|step=vdab_appointment":     1,
		"funnel_count|2026Q1|network|step=result":                1,
		"funnel_count|2026Q1|network|step=civic_orientation":     1,
		"funnel_conversion|2026Q1|network|step=prescreening":     2.0 / 3,
		"funnel_conversion|2026Q1|network|step=work_info":        0.5,
		"funnel_conversion|2026Q1|network|step=vdab_referral":    1,
		"funnel_conversion|2026Q1|network|step=vdab_appointment": 0.5,
		"funnel_days|2026Q1|network|step=prescreening":           7.5, // 5 (R1) and 10 (R2) days
		"funnel_days|2026Q1|network|step=vdab_referral":          7,   // 4 and 10
		"funnel_days|2026Q1|network|step=result":                 28,  // R1: 2026-02-20 to 2026-03-20
		"referral_results|2026Q1|network|result=employment":      1,
		"referral_results|2026Q1|network|result=pending":         1,
	})
}

// TestLVVDutchLabels runs programme lvv alone on a Rotterdam register in
// Dutch (headers, labels, semicolons, day-first dates) and checks that
// the LVV's labels map to the canonical codes and the outcomes split
// durable / semi-durable / no solution as the LVV's evaluation does.
func TestLVVDutchLabels(t *testing.T) {
	dir := t.TempDir()
	rows := []string{"dossiernummer;geboortejaar;geslacht;intake;opvang;uitstroomdatum;uitstroom"}
	outcomes := []string{"legaal verblijf", "zelfstandig vertrek", "doormigratie", "nieuwe asielaanvraag",
		"medisch uitstel", "uit beeld", "gedwongen vertrek", ""}
	for i, o := range outcomes {
		out := ""
		if o != "" {
			out = "15-02-2026"
		}
		rows = append(rows, fmt.Sprintf("RTM-%02d;1980;man;0%d-01-2026;ja;%s;%s", i+1, i+1, out, o))
	}
	writeFile(t, filepath.Join(dir, "inbox", "rotterdam", "2026Q1.csv"), strings.Join(rows, "\n")+"\n")
	log := runNetwork(t, dir, "lvv", "  - {code: rotterdam, name: Rotterdam, region: randstad, language: nl, programme: lvv}\n")
	if !strings.Contains(log, "1 accepted, 0 rejected") {
		t.Errorf("the Dutch register was not accepted:\n%s", log)
	}
	checkMetrics(t, filepath.Join(dir, "out", "warehouse.duckdb"), map[string]float64{
		"exits_by_class|2026Q1|network|class=durable":                      3, // legaal verblijf, zelfstandig vertrek, doormigratie
		"exits_by_class|2026Q1|network|class=semi_durable":                 2, // nieuwe asielaanvraag, medisch uitstel
		"exits_by_class|2026Q1|network|class=no_solution":                  2, // uit beeld, gedwongen vertrek
		"exits_by_type|2026Q1|network|class=no_solution;type=lost_contact": 1,
		"durable_exit_share|2026Q1|network|":                               3.0 / 7,
		"participants_active|2026Q1|network|":                              8,
	})
}

// TestProgrammeDemos generates each programme's demo network from
// its demo.yaml and runs it: every file is accepted, and a release with
// the programme's microdata table is published, its rows digested as
// they were loaded (no file read back whole, none sorted again).
func TestProgrammeDemos(t *testing.T) {
	for _, tt := range []struct{ programme, table string }{
		{"resettlement", "households"}, {"chain", "residents"}, {"lvv", "trajectories"}, {"atn", "trajectories"},
	} {
		t.Run(tt.programme, func(t *testing.T) {
			dir := t.TempDir()
			cfg, err := config.Load("")
			if err != nil {
				t.Fatal(err)
			}
			prog, err := cfg.Programme(tt.programme)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := cfg.DemoSpec(tt.programme, prog.Format)
			if err != nil {
				t.Fatal(err)
			}
			st, err := demogen.GenerateSpec(spec, prog.Format, prog.Labels,
				demogen.SpecOptions{Quarters: 2, Last: period.Quarter{Year: 2026, Q: 1}, Seed: 7, Size: 25}, dir)
			if err != nil {
				t.Fatal(err)
			}
			var partners strings.Builder
			for _, p := range spec.Partners {
				fmt.Fprintf(&partners, "  - {code: %s, name: %q, region: %s, language: %s, programme: %s}\n",
					p.Code, p.Name, p.Region, p.Language, tt.programme)
			}
			log := runNetwork(t, dir, tt.programme, partners.String())
			if want := fmt.Sprintf("%d files: %d accepted, 0 rejected", st.Files, st.Files); !strings.Contains(log, want) {
				t.Errorf("want %q in the log:\n%s", want, log)
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "snapshots", "quarter=2026Q1", tt.table+".parquet")); err != nil {
				t.Error(err)
			}
			for _, slow := range []string{"read back whole", "written again sorted"} {
				if strings.Contains(log, slow) {
					t.Errorf("a table was %s:\n%s", slow, log)
				}
			}
		})
	}
}
