package metrics

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"doorstroom/warehouse"
)

// TestLoadSample reads estimator samples through Arrow: durations of any
// integer width, censored rows (NULL class), more rows than one batch,
// and the errors a broken estimator query gets.
func TestLoadSample(t *testing.T) {
	w, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	conn, err := w.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tc := range []struct {
		name, query string
		partners    []string
		classes     []string
		rows        int
		err         string
	}{
		{"small, BIGINT days", "SELECT * FROM (VALUES ('gent', 10::BIGINT, 'durable'), ('liege', 3::BIGINT, NULL), ('gent', 7::BIGINT, 'other')) t(partner, days, class)",
			[]string{"gent", "liege"}, []string{"durable", "other"}, 3, ""},
		{"INTEGER days, many batches", "SELECT 'p' || (i % 3) AS partner, (i % 400)::INTEGER AS days, CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || (i % 2) END AS class FROM range(10000) r(i)",
			[]string{"p0", "p1", "p2"}, []string{"c0", "c1"}, 10000, ""},
		{"a class column of NULL only", "SELECT 'gent' AS partner, 4 AS days, NULL AS class", []string{"gent"}, nil, 1, ""},
		{"a duration missing", "SELECT 'gent' AS partner, NULL::INTEGER AS days, 'x' AS class", nil, nil, 0, "a trajectory of partner gent has no duration"},
		{"a partner named network", "SELECT 'network' AS partner, 1 AS days, NULL AS class", nil, nil, 0, "names the whole network"},
		{"days as text", "SELECT 'gent' AS partner, '12' AS days, NULL::VARCHAR AS class", nil, nil, 0, "must be text, an integer and text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := loadSample(ctx, conn, Entry{ID: "test", SQL: "test.sql", Query: tc.query}, "2026Q1")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.partners, tc.partners) || !slices.Equal(s.classes, tc.classes) || s.tallies[NetworkPartner].n != tc.rows {
				t.Fatalf("partners %v, classes %v, %d rows", s.partners, s.classes, s.tallies[NetworkPartner].n)
			}
			n := 0
			for _, p := range s.partners {
				n += s.tallies[p].n
			}
			if n != tc.rows {
				t.Fatalf("%d rows over the partners, want %d", n, tc.rows)
			}
		})
	}
}
