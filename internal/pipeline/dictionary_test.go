package pipeline

import (
	"encoding/json"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/metrics"
)

// TestDictionaryDescribesEveryColumn fails when a column is added to a
// published table (a format's publish entry, the metrics table, the risk
// report) without a description in the programme's dictionary.yaml.
func TestDictionaryDescribesEveryColumn(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range cfg.Programmes {
		prog, err := cfg.Programme(name)
		if err != nil {
			t.Fatal(err)
		}
		dict, err := cfg.Dictionary(name)
		if err != nil {
			t.Fatal(err)
		}
		var riskFields map[string]any
		data, _ := json.Marshal(anonymize.RiskReport{})
		json.Unmarshal(data, &riskFields)
		tables := map[string][]string{
			"trajectories": fieldNames(anonymize.MicrodataSchema(prog.Format)),
			"metrics":      fieldNames(metrics.Schema),
		}
		for f := range riskFields {
			tables["risk"] = append(tables["risk"], f)
		}
		for table, cols := range tables {
			t.Run(name+"/"+table, func(t *testing.T) {
				dt, ok := dict.Table(table)
				if !ok {
					t.Fatalf("dictionary.yaml has no table %s", table)
				}
				for _, c := range cols {
					if _, ok := dt.Column(c); !ok {
						t.Errorf("dictionary.yaml does not describe %s.%s", table, c)
					}
				}
			})
		}
	}
}

func fieldNames(s *arrow.Schema) []string {
	out := make([]string, 0, s.NumFields())
	for _, f := range s.Fields() {
		out = append(out, f.Name)
	}
	return out
}
