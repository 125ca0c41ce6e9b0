package demogen

import (
	"bytes"
	"encoding/csv"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// encodeCSV writes rows as CSV in the dialect's delimiter, line ending and
// encoding.
func encodeCSV(d dialect, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = d.comma
	w.UseCRLF = d.crlf
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	text := buf.Bytes()
	switch d.encoding {
	case "utf8bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, text...), nil
	case "cp1252":
		return charmap.Windows1252.NewEncoder().Bytes(text)
	case "utf16":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(text)
	}
	return text, nil
}
