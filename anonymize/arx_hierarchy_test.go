package anonymize

import (
	"strings"
	"testing"
)

func TestReadARXHierarchy(t *testing.T) {
	h, err := ReadARXHierarchy(strings.NewReader("\xef\xbb\xbf17;15-19;10-19;*\n18;15-19;10-19;*\n\n25;25-29;20-29;*\n"), "age.csv")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		v     string
		level int
		want  string
	}{
		{"17", 0, "17"}, {"17", 1, "15-19"}, {"18", 2, "10-19"}, {"25", 3, "*"}, {"", 1, ""}, {"", 3, "*"},
	}
	for _, c := range cases {
		if got := h.Generalize(c.v, c.level); got != c.want {
			t.Errorf("Generalize(%q, %d) = %q, want %q", c.v, c.level, got, c.want)
		}
	}
	if h.Height() != 4 {
		t.Errorf("height %d, want 4", h.Height())
	}
	if d := h.(domainLister).Domain(); strings.Join(d, ",") != "17,18,25" {
		t.Errorf("domain %v", d)
	}
}

func TestReadARXHierarchyErrors(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"top not *", "a;x\nb;x\n", "last column must be *"},
		{"ragged", "a;x;*\nb;*\n", "line 2"},
		{"duplicate", "a;x;*\na;y;*\n", "appears twice"},
		{"one column", "a\n", "at least the top level"},
		{"empty", "", "no rows"},
		{"empty value", ";x;*\n", "original value is empty"},
		{"a stray quote", "a;x;*\nb\"c;x;*\n", "line 2, column 2: bare \" in non-quoted-field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadARXHierarchy(strings.NewReader(c.data), "h.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "h.csv") {
				t.Errorf("err = %v, want one naming h.csv and saying %q", err, c.want)
			}
		})
	}
}

// TestValueNotInHierarchy: data values an ARX table does not list are an
// error, as in ARX, not a silent *.
func TestValueNotInHierarchy(t *testing.T) {
	h, _ := ReadARXHierarchy(strings.NewReader("a;*\nb;*\n"), "h.csv")
	tab := NewTable([]string{"x"}, []Hierarchy{h}, nil)
	tab.Append([]string{"c"}, nil)
	if err := tab.prepare(); err == nil || !strings.Contains(err.Error(), `"c"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestReadCSVErrors: a data file for doorstroom risk that is not CSV is
// an error naming the file, the line and the column, not a stack trace
// or a half-read table.
func TestReadCSVErrors(t *testing.T) {
	h, _ := ReadARXHierarchy(strings.NewReader("a;*\nb;*\n"), "h.csv")
	spec := CSVSpec{QuasiIdentifiers: []string{"x"}, Hierarchies: map[string]Hierarchy{"x": h}}
	for _, c := range []struct{ name, data, want string }{
		{"a stray quote", "x;y\na;1\nb;2\"\n", "data.csv: line 3, column 4: bare \" in non-quoted-field"},
		{"an open quote", "x;y\na;\"1\n", "data.csv: line 2, column"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadCSV(strings.NewReader(c.data), "data.csv", spec); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
}
