package warehouse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
)

func TestZZRepro(t *testing.T) {
	if os.Getenv("EXP_REPRO") == "" {
		t.Skip()
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "wh.duckdb")
	w, err := OpenWorkingCopy(ctx, path, filepath.Join(dir, ".staging", "wh.duckdb.work"))
	if err != nil {
		t.Fatal(err)
	}
	b := &testing.B{}
	_ = b
	for i, rows := range []int{200_000, 400_000, 800_000, 1_200_000, 1_600_000, 2_000_000} {
		schema, recs := microdataLikeT(t, rows)
		q := fmt.Sprintf("202%dQ1", i)
		small := sampleRows(50)
		rec := record(t, q, small)
		if err := w.ReplaceQuarter(ctx, "small", q, testSchema, []arrow.Record{rec}); err != nil {
			t.Fatal(err)
		}
		if err := w.LoadQuarter(ctx, "register", q, schema, recs); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if err := w.LoadQuarter(ctx, "micro", q, schema, recs); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, stmt := range []string{
			"SET VARIABLE quarter = '" + q + "'",
			"CREATE OR REPLACE TEMP VIEW register_q AS SELECT * FROM register WHERE quarter = getvariable('quarter')",
			"CREATE OR REPLACE TABLE metric_x AS SELECT code01, count(*) AS n FROM register_q GROUP BY ALL",
			"COPY (SELECT * EXCLUDE (quarter) FROM quarters.micro_" + q + ") TO '" + filepath.Join(dir, q+".parquet") + "' (FORMAT parquet, COMPRESSION zstd)",
		} {
			if _, err := w.DB().ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %s: %v", q, stmt, err)
			}
		}
		fmt.Println(q, "ok")
	}
	w.Close()
}
