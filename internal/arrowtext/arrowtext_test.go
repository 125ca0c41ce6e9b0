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

// TestBuildReusesItsSpace builds columns one after the other, as a
// release does, so that each gathers its values in the space the one
// before used: a null must not inherit the validity of the value the
// column before had in its row.
func TestBuildReusesItsSpace(t *testing.T) {
	columns := []struct {
		name string
		vals []string
		null []bool
	}{
		{"all valid", []string{"a", "b", "c", "d", "e"}, []bool{false, false, false, false, false}},
		{"nulls between", []string{"x", "", "z", "", "v"}, []bool{false, true, false, true, false}},
		{"shorter, all null", []string{"", ""}, []bool{true, true}},
		{"longer, last null", []string{"p", "q", "r", "s", "t", "u", ""}, []bool{false, false, false, false, false, false, true}},
		{"all valid again", []string{"1", "2", "3", "4", "5"}, []bool{false, false, false, false, false}},
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	for _, c := range columns {
		t.Run(c.name, func(t *testing.T) {
			got := Build(mem, len(c.vals), func(k int) (string, bool) { return c.vals[k], !c.null[k] })
			defer got.Release()
			s := got.(*array.String)
			for k, v := range c.vals {
				if s.IsNull(k) != c.null[k] || (!c.null[k] && s.Value(k) != v) {
					t.Errorf("row %d: null %v value %q, want null %v value %q", k, s.IsNull(k), s.Value(k), c.null[k], v)
				}
			}
		})
	}
}
