package ingest

import (
	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/config"
)

// PartnerField is the first column of every batch ingest produces: the
// partner code, which the export itself does not carry (it is the inbox
// folder).
const PartnerField = "partner"

// Schema is the Arrow schema of the batches ingest produces for a format:
// the partner code, then every format column in order, typed: text, code
// and country as strings (countries as ISO alpha-2), dates as date32, years
// and counts as int32, yes/no as boolean. All columns but partner are
// nullable; an empty cell is null.
func Schema(f *config.Format) *arrow.Schema {
	fields := []arrow.Field{{Name: PartnerField, Type: arrow.BinaryTypes.String}}
	for _, c := range f.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: arrowType(c.Type), Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(t string) arrow.DataType {
	switch t {
	case config.TypeDate:
		return arrow.FixedWidthTypes.Date32
	case config.TypeYear, config.TypeCount:
		return arrow.PrimitiveTypes.Int32
	case config.TypeYesNo:
		return arrow.FixedWidthTypes.Boolean
	default:
		return arrow.BinaryTypes.String
	}
}
