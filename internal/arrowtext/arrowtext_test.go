package arrowtext

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestBuildMatchesBuilder compares Build's columns with those a
// StringBuilder makes of the same values, nulls first, last, throughout
// and nowhere (the text value gives with a null is never copied), and
// checks that every buffer it allocates is released with the column.
func TestBuildMatchesBuilder(t *testing.T) {
	tests := []struct {
		name string
		vals []string
		null []bool
	}{
		{"empty", nil, nil},
		{"no nulls", []string{"a", "", "régio", "Antwerpen"}, nil},
		{"null first", []string{"hidden", "b", "c"}, []bool{true, false, false}},
		{"null last", []string{"a", "b", ""}, []bool{false, false, true}},
		{"all null", []string{"", ""}, []bool{true, true}},
		{"nulls between", []string{"x", "", "yy", "", "zzz", "w", "", "v", "u"}, []bool{false, true, false, true, false, false, true, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			value := func(k int) (string, bool) {
				return tt.vals[k], tt.null == nil || !tt.null[k]
			}
			got := Build(mem, len(tt.vals), value)
			defer got.Release()
			sb := array.NewStringBuilder(mem)
			defer sb.Release()
			for k := range tt.vals {
				if v, ok := value(k); ok {
					sb.Append(v)
				} else {
					sb.AppendNull()
				}
			}
			want := sb.NewArray()
			defer want.Release()
			if !array.Equal(got, want) {
				t.Errorf("Build = %v, want %v", got, want)
			}
			if n, wantN := len(got.(*array.String).ValueBytes()), len(want.(*array.String).ValueBytes()); n != wantN {
				t.Errorf("Build holds %d bytes of text, want %d", n, wantN)
			}
			if got.NullN() != want.NullN() {
				t.Errorf("nulls = %d, want %d", got.NullN(), want.NullN())
			}
		})
	}
}

// BenchmarkBuild builds a column of 1M short values from six, as the
// microdata's generalised columns are, through Build and through a
// StringBuilder.
func BenchmarkBuild(b *testing.B) {
	vals := []string{"2024Q1", "Antwerpen", "legal_residence", "*", "voluntary_return", "M"}
	value := func(k int) (string, bool) { return vals[k%len(vals)], true }
	const n = 1_000_000
	b.Run("Build", func(b *testing.B) {
		for b.Loop() {
			Build(memory.DefaultAllocator, n, value).Release()
		}
	})
	b.Run("StringBuilder", func(b *testing.B) {
		for b.Loop() {
			sb := array.NewStringBuilder(memory.DefaultAllocator)
			sb.Reserve(n)
			for k := range n {
				v, _ := value(k)
				sb.Append(v)
			}
			sb.NewArray().Release()
			sb.Release()
		}
	})
}
