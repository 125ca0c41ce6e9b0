package anonymize

import (
	"sort"

	"github.com/apache/arrow/go/v17/arrow"

	"doorstroom/config"
	"doorstroom/ingest"
)

// Column names every release table starts with.
const (
	QuarterField   = "quarter"
	PseudonymField = "pseudonym"
	PartnerField   = ingest.PartnerField
)

// ClassField names the column holding the class of a grouped code column,
// e.g. outflow_class for outflow_type.
func ClassField(grouping string) string {
	if n := len(grouping); n > 5 && grouping[n-5:] == "_type" {
		return grouping[:n-5] + "_class"
	}
	return grouping + "_class"
}

// groupings lists the format's class groupings in a stable order.
func groupings(f *config.Format) []string {
	out := make([]string, 0, len(f.Classes))
	for g := range f.Classes {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// RegisterSchema is the schema of the register a release keeps for the
// metrics: quarter, partner, every attribute and sensitive column and the
// quasi-identifiers marked register (the trajectory's own dates, say) at
// full precision with their ingest type, and a class column per grouping.
// It has no identifier and no other quasi-identifier than those.
func RegisterSchema(f *config.Format) *arrow.Schema {
	fields := []arrow.Field{
		{Name: QuarterField, Type: arrow.BinaryTypes.String},
		{Name: PartnerField, Type: arrow.BinaryTypes.String},
	}
	in := ingest.Schema(f)
	for _, c := range f.Columns {
		if inRegister(c) {
			fld, _ := in.FieldsByName(c.Name)
			fields = append(fields, fld[0])
		}
	}
	for _, g := range groupings(f) {
		fields = append(fields, arrow.Field{Name: ClassField(g), Type: arrow.BinaryTypes.String, Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

// MicrodataSchema is the schema of the published, k-anonymous release:
// quarter, pseudonym, partner, then every published column under its
// published name, and a class column per grouping. Quasi-identifiers and
// month-derived dates are text (their generalised labels); other columns
// keep their ingest type.
func MicrodataSchema(f *config.Format) *arrow.Schema {
	fields := []arrow.Field{
		{Name: QuarterField, Type: arrow.BinaryTypes.String},
		{Name: PseudonymField, Type: arrow.BinaryTypes.String},
		{Name: PartnerField, Type: arrow.BinaryTypes.String},
	}
	in := ingest.Schema(f)
	for _, c := range f.Columns {
		if c.Publish == nil || c.Role == config.RoleIdentifier {
			continue
		}
		typ := arrow.DataType(arrow.BinaryTypes.String)
		if c.Role != config.RoleQuasiIdentifier && c.Publish.Derive == deriveNone {
			fld, _ := in.FieldsByName(c.Name)
			typ = fld[0].Type
		}
		fields = append(fields, arrow.Field{Name: c.Publish.Name, Type: typ, Nullable: true})
	}
	for _, g := range groupings(f) {
		fields = append(fields, arrow.Field{Name: ClassField(g), Type: arrow.BinaryTypes.String, Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

// inRegister reports whether a column is kept in the register.
func inRegister(c config.Column) bool {
	return c.Role == config.RoleAttribute || c.Role == config.RoleSensitive ||
		(c.Role == config.RoleQuasiIdentifier && c.Register)
}
