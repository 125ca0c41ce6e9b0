package demogen

import (
	"encoding/csv"
	"io"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// newCSVWriter returns a CSV writer in the dialect's delimiter, line
// ending and encoding onto w, and the function that flushes the encoder
// once the CSV writer is flushed.
func newCSVWriter(w io.Writer, d dialect) (*csv.Writer, func() error) {
	closeEnc := func() error { return nil }
	switch d.encoding {
	case "utf8bom":
		w = &bomWriter{w: w}
	case "cp1252":
		tw := transform.NewWriter(w, charmap.Windows1252.NewEncoder())
		w, closeEnc = tw, tw.Close
	case "utf16":
		tw := transform.NewWriter(w, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder())
		w, closeEnc = tw, tw.Close
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.comma
	cw.UseCRLF = d.crlf
	return cw, closeEnc
}

// bomWriter writes the UTF-8 byte-order mark before the first bytes.
type bomWriter struct {
	w       io.Writer
	written bool
}

func (b *bomWriter) Write(p []byte) (int, error) {
	if !b.written {
		b.written = true
		if _, err := b.w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}
