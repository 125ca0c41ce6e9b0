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
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	return out, EncodingCP1252, err
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
