package audit

import (
	"bytes"
	"encoding/base64"
	"html"
	"net/url"
	"regexp"
	"strings"

	"doorstroom/ingest"
)

// Text scans data as text and calls report for every finding: key
// material and case numbers anywhere in the bytes, and direct identifiers
// in every piece of text between line ends, tags and quotes, also after
// decoding HTML entities, percent-encoding and base64 data: links.
func (a *Auditor) Text(data []byte, report func(Finding)) { a.text(data, true, report) }

// text is Text; identifiers false looks only for the key and case
// numbers, for the raw bytes of binary files (whose values are read
// apart), where digit runs mean nothing.
func (a *Auditor) text(data []byte, identifiers bool, report func(Finding)) {
	seen := map[[2]int64]bool{} // (offset, kind) already reported
	emit := func(off int, kind, where string, text []byte) {
		k := [2]int64{int64(off), int64(len(kind))*1000 + int64(kind[0])}
		if seen[k] {
			return
		}
		seen[k] = true
		report(Finding{Line: bytes.Count(data[:off], []byte{'\n'}) + 1, Offset: int64(off), Where: where, Kind: kind, Masked: mask(text)})
	}
	for _, form := range a.keys {
		for i := 0; ; {
			j := bytes.Index(data[i:], form)
			if j < 0 {
				break
			}
			emit(i+j, KindKey, "", form)
			i += j + 1
		}
	}
	a.ids.scan(data, func(off, n int) { emit(off, KindCaseID, "", data[off:off+n]) })
	if !identifiers {
		return
	}
	for start := 0; start < len(data); {
		end := start
		for end < len(data) && !isChunkEnd(data[end]) {
			end++
		}
		if end > start {
			a.chunk(data[start:end], func(kind, where string, text []byte) { emit(start, kind, where, text) })
		}
		start = end + 1
	}
}

// isChunkEnd are the bytes that end a piece of text: line ends, tags,
// quotes and NUL. Spaces, dots and dashes stay inside, as numbers are
// written with them.
func isChunkEnd(c byte) bool {
	return c == '\n' || c == '\r' || c == '<' || c == '>' || c == '"' || c == '\'' || c == 0
}

// chunk scans one piece of text as written and decoded.
func (a *Auditor) chunk(c []byte, found func(kind, where string, text []byte)) {
	a.identifiers(c, "", found)
	if bytes.IndexByte(c, '&') >= 0 {
		if d := html.UnescapeString(string(c)); d != string(c) {
			a.decoded([]byte(d), "after decoding HTML entities", found)
		}
	}
	if bytes.IndexByte(c, '%') >= 0 {
		if d, err := url.PathUnescape(string(c)); err == nil && d != string(c) {
			a.decoded([]byte(d), "after percent-decoding", found)
		}
	}
	if i := bytes.Index(c, []byte(";base64,")); i >= 0 && bytes.HasPrefix(c, []byte("data:")) {
		if d, err := base64.StdEncoding.DecodeString(string(c[i+len(";base64,"):])); err == nil {
			a.decoded(d, "in a base64 data: link", found)
		}
	}
}

// decoded scans decoded text: its case numbers and key material too,
// since the raw scan could not see them.
func (a *Auditor) decoded(d []byte, where string, found func(kind, where string, text []byte)) {
	for _, form := range a.keys {
		if bytes.Contains(d, form) {
			found(KindKey, where, form)
		}
	}
	a.ids.scan(d, func(off, n int) { found(KindCaseID, where, d[off:off+n]) })
	for _, line := range bytes.Split(d, []byte{'\n'}) {
		a.identifiers(line, where, found)
	}
}

func (a *Auditor) identifiers(c []byte, where string, found func(kind, where string, text []byte)) {
	if len(c) < 5 {
		return
	}
	for _, kind := range ingest.IdentifierKinds(fraction.ReplaceAllString(string(c), "${1}0")) {
		found(kind, where, c)
	}
}

// fraction matches a number below one written with a leading zero
// (0.0660792952), as published shares and risks are: its digits after
// "0." would read as a phone number starting with 0 or 00.
var fraction = regexp.MustCompile(`(^|[^0-9.+])-?0\.[0-9]+`)

// mask hides every letter and digit of text (at most 40 bytes of it), so
// the finding can be located without being repeated.
func mask(text []byte) string {
	s := strings.TrimSpace(string(text))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r > 127 && r != '…':
			b.WriteByte('x')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
