package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBuildSite renders the whole site (every language, quarter,
// partner and page, with CSVs, into a temporary folder) for 50 partners
// over 12 quarters with the atn catalogue. Issue 6 asks for under
// 2 s per build.
func BenchmarkBuildSite(b *testing.B) {
	in := fixture{partners: 50, quarters: 12, seed: 1, small: true}.input(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "site")
		st, err := Build(context.Background(), in, dir)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Pages), "pages")
		b.ReportMetric(float64(st.Tables), "tables")
		b.ReportMetric(float64(len(st.Warnings)), "warnings")
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}
