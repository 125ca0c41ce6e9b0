package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/marcboeker/go-duckdb"

	"doorstroom/anonymize"
	"doorstroom/config"
)

var update = flag.Bool("update", false, "rewrite the golden files of the risk command")

// runDemo runs the quarterly job on the committed demo inbox into a
// temporary directory and returns the configuration file and out/.
func runDemoNetwork(t *testing.T) (cfgPath, out string) {
	t.Helper()
	work := t.TempDir()
	inbox, _ := filepath.Abs(filepath.Join(demoDir, "inbox"))
	demoCfg, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfgPath = filepath.Join(work, "network.yaml")
	out = filepath.Join(work, "out")
	paths := fmt.Sprintf("\npaths:\n  inbox: %s\n  outbox: %s\n  quarantine: %s\n  out: %s\n  state: %s\n",
		inbox, filepath.Join(work, "outbox"), filepath.Join(work, "quarantine"), out, filepath.Join(work, "state"))
	if err := os.WriteFile(cfgPath, append(stripPaths(demoCfg), paths...), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch(context.Background(), []string{"run", "--config", cfgPath}, &stdout, &stderr); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "levels: partner") {
		t.Errorf("the anonymize line does not give the chosen levels:\n%s", stdout.String())
	}
	return cfgPath, out
}

// TestReleasesAreKAnonymous checks every release of a pipeline run
// independently of the anonymize package: with GROUP BY in DuckDB on the
// warehouse's microdata, every combination of published
// quasi-identifiers (the suppressed records' all-* combination included)
// occurs at least k times, every class with a known outflow type or
// procedure has at least two of them, suppression stays within its budget,
// and the snapshot's risk report agrees.
func TestReleasesAreKAnonymous(t *testing.T) {
	if testing.Short() {
		t.Skip("pipeline run")
	}
	cfgPath, out := runDemoNetwork(t)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := cfg.Programme(cfg.Programmes[0])
	if err != nil {
		t.Fatal(err)
	}
	qis := []string{anonymize.PartnerField}
	var linked []string
	for _, c := range prog.Format.Columns {
		switch {
		case c.Role == config.RoleQuasiIdentifier:
			qis = append(qis, c.Publish.Name)
		case c.Role == config.RoleAttribute && c.Publish != nil && c.Publish.Hierarchy != "":
			linked = append(linked, c.Publish.Name)
		}
	}
	// Dates the format caps at the quarter (publish.levels.max 1 on the
	// month hierarchy) must be published as a month or a quarter.
	var quarterly []string
	for _, c := range prog.Format.Columns {
		if c.Role == config.RoleQuasiIdentifier && c.Publish.Hierarchy == "month" && c.Publish.Levels != nil &&
			c.Publish.Levels.Max != nil && *c.Publish.Levels.Max <= 1 {
			quarterly = append(quarterly, c.Publish.Name)
		}
	}
	rules := anonymize.DiversityRules(prog.Format)
	if len(qis) < 8 || len(linked) == 0 || len(rules) != 2 || len(quarterly) != 2 {
		t.Fatalf("quasi-identifiers %v, linked %v, rules %v, capped at the quarter %v: not the atn format", qis, linked, rules, quarterly)
	}
	k := cfg.Privacy.K

	db, err := sql.Open("duckdb", filepath.Join(out, "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	quarters := queryStrings(t, db, "SELECT DISTINCT quarter FROM trajectories ORDER BY quarter")
	if len(quarters) < 2 {
		t.Fatalf("releases %v", quarters)
	}
	group := strings.Join(qis, ", ")
	allStars := strings.Join(qis, " = '*' AND ") + " = '*'"
	for _, q := range quarters {
		t.Run(q, func(t *testing.T) {
			small := queryStrings(t, db, fmt.Sprintf(
				"SELECT concat_ws('|', %s, count(*)) FROM trajectories WHERE quarter = ? GROUP BY %s HAVING count(*) < %d", group, group, k), q)
			if len(small) > 0 {
				t.Errorf("classes smaller than k=%d: %v", k, small)
			}
			for _, r := range rules {
				bad := queryStrings(t, db, fmt.Sprintf(
					"SELECT concat_ws('|', %s) FROM trajectories WHERE quarter = ? GROUP BY %s HAVING count(DISTINCT %s) BETWEEN 1 AND %d",
					group, group, r.Attribute, int(r.L)-1), q)
				if len(bad) > 0 {
					t.Errorf("classes with fewer than %v known values of %s: %v", r.L, r.Attribute, bad)
				}
			}
			var rows, stars int
			if err := db.QueryRow(fmt.Sprintf("SELECT count(*), count(*) FILTER (WHERE %s) FROM trajectories WHERE quarter = ?", allStars), q).Scan(&rows, &stars); err != nil {
				t.Fatal(err)
			}
			var rep anonymize.RiskReport
			data, err := os.ReadFile(filepath.Join(out, "snapshots", "quarter="+q, "risk.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			budget := int(math.Floor(cfg.Privacy.Suppression * float64(rows)))
			switch {
			case !rep.Feasible:
				t.Errorf("release not feasible")
			case rep.Suppressed > budget:
				t.Errorf("%d records suppressed, budget %d", rep.Suppressed, budget)
			case stars < rep.Suppressed:
				t.Errorf("%d rows are all *, the report says %d were suppressed", stars, rep.Suppressed)
			case rep.After.Records != rows || rep.Before.Records != rows:
				t.Errorf("report counts %d/%d records, the release has %d", rep.Before.Records, rep.After.Records, rows)
			case rep.After.MinClassSize < k || rep.After.ProsecutorMax > 1/float64(k):
				t.Errorf("report: smallest class %d, risk %v", rep.After.MinClassSize, rep.After.ProsecutorMax)
			}
			for _, col := range quarterly {
				coarse := queryStrings(t, db, fmt.Sprintf(
					"SELECT DISTINCT %s FROM trajectories WHERE quarter = ? AND NOT (%s) AND NOT regexp_full_match(%s, '\\d{4}(-\\d{2}|Q\\d)')",
					col, allStars, col), q)
				if len(coarse) > 0 {
					t.Errorf("%s is capped at the quarter but publishes %v", col, coarse)
				}
			}
			// A suppressed record's linked dates are suppressed with it.
			for _, col := range linked {
				var leaks int
				if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM trajectories WHERE quarter = ? AND %s AND %s <> '*'", allStars, col), q).Scan(&leaks); err != nil {
					t.Fatal(err)
				}
				if leaks > 0 && rep.Suppressed > 0 {
					t.Errorf("%d suppressed records publish %s", leaks, col)
				}
			}
		})
	}

	t.Run("risk prints a snapshot's report", func(t *testing.T) {
		last := quarters[len(quarters)-1]
		for _, args := range [][]string{
			{"risk", "--snapshot", filepath.Join(out, "snapshots", "quarter="+last)},
			{"risk", "--config", cfgPath, "--quarter", last},
			{"risk", "--config", cfgPath},
		} {
			var stdout, stderr bytes.Buffer
			if code := dispatch(context.Background(), args, &stdout, &stderr); code != 0 {
				t.Fatalf("%v exited %d: %s", args, code, stderr.String())
			}
			var rep anonymize.RiskReport
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Quarter != last || len(rep.Levels) != len(qis) {
				t.Errorf("%v printed %.200s (%v)", args, stdout.String(), err)
			}
		}
	})
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s sql.NullString
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	return out
}

// TestRiskCommand runs doorstroom risk's analysis of a CSV file with
// ARX-layout hierarchies and compares its output with the golden file.
func TestRiskCommand(t *testing.T) {
	dir := filepath.Join("testdata", "risk")
	cases := []struct {
		name string
		args []string
	}{
		{"k3", []string{"--k", "3", "--suppression", "0.1"}},
		{"k2-entropy-ldiversity", []string{"--k", "2", "--suppression", "0.2", "--metric", "entropy", "--qi", "age,sex,zip", "--l-diversity", "diagnosis=distinct:2"}},
		// Age matters most and may not go beyond 10-year bands; zip is
		// kept at least at its first level.
		{"k3-weighted-levels", []string{"--k", "3", "--suppression", "0.1", "--weights", "age=4,sex=1", "--aggregate", "arithmetic_mean", "--levels", "age=:2,zip=1:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"risk", "--data", filepath.Join(dir, "patients.csv"), "--hierarchies", dir}, c.args...)
			var stdout, stderr bytes.Buffer
			if code := dispatch(context.Background(), args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.HasPrefix(stderr.String(), "risk: ") {
				t.Errorf("stderr %q: no timing line", stderr.String())
			}
			golden := filepath.Join(dir, c.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("output differs from %s (go test -run TestRiskCommand -update to rewrite):\n%s", golden, stdout.String())
			}
		})
	}
}

func TestRiskCommandErrors(t *testing.T) {
	dir := filepath.Join("testdata", "risk")
	data := filepath.Join(dir, "patients.csv")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"data without hierarchies", []string{"--data", data}, 2, "--data needs --hierarchies"},
		{"bad l-diversity", []string{"--data", data, "--hierarchies", dir, "--l-diversity", "diagnosis"}, 2, "attribute=measure:l"},
		{"unknown metric", []string{"--data", data, "--hierarchies", dir, "--metric", "height"}, 1, `metric "height" is unknown`},
		{"missing hierarchy", []string{"--data", data, "--hierarchies", dir, "--qi", "age,diagnosis"}, 1, "no hierarchy file"},
		{"k of 1", []string{"--data", data, "--hierarchies", dir, "--k", "1"}, 1, "k of at least 2"},
		{"no snapshot", []string{"--snapshot", t.TempDir()}, 1, "has no risk report"},
		{"bad weights", []string{"--data", data, "--hierarchies", dir, "--weights", "age:2"}, 2, "attribute=weight"},
		{"weight not a number", []string{"--data", data, "--hierarchies", dir, "--weights", "age=high"}, 2, `weight "high" is not a number`},
		{"bad levels", []string{"--data", data, "--hierarchies", dir, "--levels", "age=2"}, 2, "attribute=min:max"},
		{"level not a number", []string{"--data", data, "--hierarchies", dir, "--levels", "age=one:"}, 2, `level "one" is not a whole number`},
		{"weight of a non-QI", []string{"--data", data, "--hierarchies", dir, "--weights", "diagnosis=2"}, 1, "weight of diagnosis: it is not a quasi-identifier"},
		{"level above the top", []string{"--data", data, "--hierarchies", dir, "--levels", "sex=:2"}, 1, "maximum level of sex is 2"},
		{"unknown aggregate", []string{"--data", data, "--hierarchies", dir, "--aggregate", "median"}, 1, `aggregate function "median" is unknown`},
		{"weights without data", []string{"--weights", "age=2"}, 2, "go with --data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := dispatch(context.Background(), append([]string{"risk"}, c.args...), &stdout, &stderr)
			if code != c.code || !strings.Contains(stderr.String(), c.want) || strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line saying %q", code, stderr.String(), c.code, c.want)
			}
		})
	}
}
