package config

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// CountryTable is the file that lists every country code with its UN M49
// sub-region and region (and XX for stateless), shipped as data.
const CountryTable = "hierarchies/m49.csv"

// Countries returns the map from upper-case ISO 3166-1 alpha-2 and alpha-3
// codes to alpha-2, from CountryTable; ingest accepts exactly these.
func (c *Config) Countries() (map[string]string, error) {
	rows, err := ReadTable(c.FS, CountryTable)
	if err != nil {
		return nil, err
	}
	header := rows[0]
	a2, a3 := slices.Index(header, "alpha2"), slices.Index(header, "alpha3")
	if a2 < 0 || a3 < 0 {
		return nil, fmt.Errorf("config: %s: needs columns alpha2 and alpha3", CountryTable)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[strings.ToUpper(r[a2])] = r[a2]
		out[strings.ToUpper(r[a3])] = r[a2]
	}
	return out, nil
}

// ReadTable reads a ;-separated data table of the configuration tree, the
// layout ARX uses for hierarchies.
func ReadTable(fsys fs.FS, name string) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("config: %s: empty table", name)
	}
	return rows, nil
}
