package sqlshell

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		want     []string
		offsets  []int
		complete bool
	}{
		{"one", "SELECT 1;", []string{"SELECT 1"}, []int{0}, true},
		{"no semicolon", "SELECT 1", []string{"SELECT 1"}, []int{0}, false},
		{"two", "SELECT 1;\n  SELECT 2;", []string{"SELECT 1", "SELECT 2"}, []int{0, 12}, true},
		{"semicolon in string", "SELECT ';' AS x; SELECT 2", []string{"SELECT ';' AS x", "SELECT 2"}, []int{0, 17}, false},
		{"doubled quote", "SELECT 'it''s;' ; SELECT 2;", []string{"SELECT 'it''s;'", "SELECT 2"}, []int{0, 18}, true},
		{"quoted identifier", `SELECT 1 AS "a;b";`, []string{`SELECT 1 AS "a;b"`}, []int{0}, true},
		{"line comment", "SELECT 1 -- a; b\n;", []string{"SELECT 1 -- a; b"}, []int{0}, true},
		{"block comment", "SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1"}, []int{0}, true},
		{"only comments", "-- nothing\n/* here */", nil, nil, true},
		{"dollar quote", "SELECT $x$a;b$x$;", []string{"SELECT $x$a;b$x$"}, []int{0}, true},
		{"E string", `SELECT E'\';' ; SELECT 3`, []string{`SELECT E'\';'`, "SELECT 3"}, []int{0, 16}, false},
		{"open string", "SELECT 'abc;\n", []string{"SELECT 'abc;"}, []int{0}, false},
		{"open comment", "SELECT 1 /* ;", []string{"SELECT 1 /* ;"}, []int{0}, false},
		{"empty statements", ";;SELECT 1;;", []string{"SELECT 1"}, []int{2}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stmts, complete := split(tc.script)
			var got []string
			var offs []int
			for _, s := range stmts {
				got = append(got, s.text)
				offs = append(offs, s.offset)
			}
			if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(offs, tc.offsets) || complete != tc.complete {
				t.Errorf("split(%q) = %q at %v, complete %v; want %q at %v, %v", tc.script, got, offs, complete, tc.want, tc.offsets, tc.complete)
			}
		})
	}
}

func TestFirstKeyword(t *testing.T) {
	tests := map[string]string{
		"select 1":                  "SELECT",
		"  -- c\n/* d */ WITH x AS": "WITH",
		"(SELECT 1)":                "(",
		"copy t TO 'x'":             "COPY",
		"":                          "",
	}
	for in, want := range tests {
		if got := firstKeyword(in); got != want {
			t.Errorf("firstKeyword(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineColumn(t *testing.T) {
	script := "SELECT 1;\nSELECT é, b\nFROM x"
	tests := []struct {
		off        int
		line, col  int
		sourceLine string
	}{
		{0, 1, 1, "SELECT 1;"},
		{17, 2, 8, "SELECT é, b"},  // é
		{21, 2, 11, "SELECT é, b"}, // b, after a two-byte é
		{28, 3, 6, "FROM x"},
	}
	for _, tc := range tests {
		l, c, src := lineColumn(script, tc.off)
		if l != tc.line || c != tc.col || src != tc.sourceLine {
			t.Errorf("lineColumn(%d) = %d:%d %q, want %d:%d %q", tc.off, l, c, src, tc.line, tc.col, tc.sourceLine)
		}
	}
}
