package dashboards

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
)

// The page writer escapes into its buffer instead of making strings; it
// must write exactly what esc and url.PathEscape would.
func TestWriterEscapesAsLibrary(t *testing.T) {
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	for _, tc := range []struct{ name, s string }{
		{"empty", ""},
		{"plain", "Partner A"},
		{"markup", `<script>alert("x")</script> & 'y'`},
		{"accents and spaces", "Réseau\u202f1 234,5 %"},
		{"csv", "\ufeffpartner;count\n\"=1+2\";<5\n"},
		{"every byte", string(all)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			escTo(&b, tc.s)
			if got, want := b.String(), esc(tc.s); got != want {
				t.Errorf("escTo = %q, want %q", got, want)
			}
			b.Reset()
			writeDataURI(&b, []byte(tc.s))
			if got, want := b.String(), esc("data:text/csv;charset=utf-8,"+url.PathEscape(tc.s)); got != want {
				t.Errorf("writeDataURI = %q, want %q", got, want)
			}
		})
	}
}

// writeString takes a short cut for strings json.Marshal leaves alone; it
// must write exactly what json.Marshal writes.
func TestWriteStringAsMarshal(t *testing.T) {
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	for _, s := range []string{"", "Partner A", "Réseau · 2026 T3", `<script>alert("x")</script>`, "a & b",
		"tab\there", "line\u2028sep", "para\u2029sep", "bad \xff utf-8", "back\\slash", "\u00a0%", string(all)} {
		t.Run(s, func(t *testing.T) {
			var b bytes.Buffer
			writeString(&b, s)
			want, _ := json.Marshal(s)
			if b.String() != string(want) {
				t.Errorf("writeString = %s, want %s", b.String(), want)
			}
		})
	}
}
