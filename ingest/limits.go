package ingest

import (
	"fmt"
	"unicode/utf8"
)

// Defaults of the reader's limits (Options.MaxBytes, Options.MaxColumns;
// ingest.max_file_mb and ingest.max_columns in the configuration).
const (
	DefaultMaxBytes   = 64 << 20
	DefaultMaxColumns = 1000
)

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxColumns() int {
	if o.MaxColumns > 0 {
		return o.MaxColumns
	}
	return DefaultMaxColumns
}

// megabytes writes a size in MB with one decimal, as the answer shows it.
func megabytes(n int64) string {
	return fmt.Sprintf("%.1f", float64(n)/(1<<20))
}

// maxQuoted bounds what an answer quotes back of a partner's value or
// header: a 100 MB cell is named by its start and length, not repeated.
const maxQuoted = 80

// quotedArgs are the arguments that quote the partner's own text (the
// others come from the format and the configuration).
var quotedArgs = []string{"value", "column", "header", "detail"}

// clip shortens the quoted values and header of an issue.
func (i *Issue) clip() {
	i.Header = clipText(i.Header)
	for _, k := range quotedArgs {
		if v, ok := i.Args[k]; ok {
			i.Args[k] = clipText(v)
		}
	}
}

func clipText(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := 60
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d characters)", s[:cut], utf8.RuneCountInString(s))
}
