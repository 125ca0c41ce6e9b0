package anonymize

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// Derivations of published columns, named in a format's publish.derive.
const (
	DerivePseudonym         = "pseudonym"
	DeriveAgeAtQuarterEnd   = "age_at_quarter_end"
	DeriveYearsToQuarterEnd = "years_to_quarter_end"
	DeriveMonth             = "month"
	deriveNone              = ""
)

// deriver computes the published, level-0 value of a column as text, the
// form hierarchies work on. An empty string is unknown.
type deriver func(arr arrow.Array, i int) string

func newDeriver(col config.Column, q period.Quarter) (deriver, error) {
	switch col.Publish.Derive {
	case DeriveAgeAtQuarterEnd, DeriveYearsToQuarterEnd:
		if col.Type != config.TypeYear {
			return nil, fmt.Errorf("column %s: %s needs a year column", col.Name, col.Publish.Derive)
		}
		return func(arr arrow.Array, i int) string {
			if arr.IsNull(i) {
				return ""
			}
			return strconv.Itoa(q.Year - int(arr.(*array.Int32).Value(i)))
		}, nil
	case DeriveMonth:
		if col.Type != config.TypeDate {
			return nil, fmt.Errorf("column %s: month needs a date column", col.Name)
		}
		return func(arr arrow.Array, i int) string {
			if arr.IsNull(i) {
				return ""
			}
			return arr.(*array.Date32).Value(i).ToTime().Format("2006-01")
		}, nil
	case deriveNone:
		return func(arr arrow.Array, i int) string {
			if arr.IsNull(i) {
				return ""
			}
			return arr.ValueStr(i)
		}, nil
	}
	return nil, fmt.Errorf("column %s: unknown derivation %q", col.Name, col.Publish.Derive)
}
