package ingest

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encodings a partner file can be in, as detected by decode.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 with BOM"
	EncodingUTF16   = "UTF-16"
	EncodingCP1252  = "Windows-1252"
)

var errUTF16NoBOM = errors.New("the file looks like UTF-16 without a byte-order mark; save it again as UTF-8 or as \"Unicode text\"")

// decode returns the file's text as UTF-8 and the encoding it was in:
// UTF-16 when it starts with a UTF-16 byte-order mark (Excel's "Unicode
// text"), UTF-8 (with or without BOM) when the bytes are valid UTF-8, and
// otherwise Windows-1252, the encoding of Excel's "CSV" on Belgian and
// Dutch Windows machines.
func decode(data []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		return out, EncodingUTF16, err
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], EncodingUTF8BOM, nil
	case utf8.Valid(data):
		if looksUTF16(data) {
			return nil, "", errUTF16NoBOM
		}
		return data, EncodingUTF8, nil
	}
	if hasUTF8Sequence(data) {
		return nil, "", errMixedEncoding
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	return out, EncodingCP1252, err
}

var errMixedEncoding = errors.New("the file mixes UTF-8 and another encoding")

// hasUTF8Sequence reports whether data, which is not valid UTF-8 as a
// whole, still holds a valid multi-byte UTF-8 sequence: a file with lines
// pasted from two sources. Read as Windows-1252, its UTF-8 accents would
// turn into "Ã©" without a word; in Dutch or French text written in
// Windows-1252 such byte pairs do not occur.
func hasUTF8Sequence(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] < 0xC2 || data[i] > 0xF4 {
			continue
		}
		if r, size := utf8.DecodeRune(data[i:]); r != utf8.RuneError && size > 1 {
			return true
		}
	}
	return false
}

// looksUTF16 spots UTF-16 text without a BOM: ASCII text in UTF-16 has a
// NUL byte every other byte.
func looksUTF16(data []byte) bool {
	n := min(len(data), 512)
	if n < 8 {
		return false
	}
	nuls := bytes.Count(data[:n], []byte{0})
	return nuls > n/3
}

// errBinary and errInnerBOM are file-level problems of bytes that decode
// but are not one CSV text.
var (
	errBinary   = errors.New("NUL bytes")
	errInnerBOM = errors.New("byte-order mark inside")
)

// checkText refuses decoded text that holds NUL bytes (a binary file, or
// UTF-16 mislabelled) or a byte-order mark after the start (two files
// pasted together).
func checkText(text []byte) error {
	if bytes.IndexByte(text, 0) >= 0 {
		return errBinary
	}
	if bytes.Contains(text, []byte("\uFEFF")) {
		return errInnerBOM
	}
	return nil
}

// lineEnds turns the bare CR line ends of old Macintosh exports into LF;
// encoding/csv reads LF and CRLF only.
func lineEnds(text []byte) []byte {
	if bytes.IndexByte(text, '\r') < 0 || bytes.IndexByte(text, '\n') >= 0 {
		return text
	}
	return bytes.ReplaceAll(text, []byte{'\r'}, []byte{'\n'})
}

// sepHint reads Excel's optional first line "sep=;", which names the
// delimiter; ok is false when the file has none.
func sepHint(text []byte) (rune, bool) {
	line := bytes.Trim(firstLine(text), " ")
	if len(line) == 5 && bytes.EqualFold(line[:4], []byte("sep=")) {
		switch r := rune(line[4]); r {
		case ';', ',', '\t', '|':
			return r, true
		}
	}
	return 0, false
}

// sniffDelimiter picks the field delimiter of a CSV text from its header
// line: the most frequent of ';', ',' and tab outside quotes. Excel writes
// ';' in Belgian and Dutch locales and ',' elsewhere.
func sniffDelimiter(text []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(firstLine(text)) {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best, bestN := ',', 0
	for _, r := range []rune{';', ',', '\t'} {
		if counts[r] > bestN {
			best, bestN = r, counts[r]
		}
	}
	return best
}

func firstLine(text []byte) []byte {
	if i := bytes.IndexAny(text, "\r\n"); i >= 0 {
		return text[:i]
	}
	return text
}
