package config

import "fmt"

// HierarchySpec declares how one quasi-identifier is generalised, level by
// level. The mechanism that applies it lives in package anonymize; this is
// only the declaration read from hierarchies.yaml.
type HierarchySpec struct {
	// Kind is interval, bands, table, arx, map, date or partner.
	Kind string `mapstructure:"kind"`
	// Widths are the band widths of an interval hierarchy, one per level.
	Widths []int `mapstructure:"widths"`
	// Top is the value from which an interval hierarchy puts everything in
	// one open band ("80+").
	Top int `mapstructure:"top"`
	// Levels are, for bands, the lower bounds per level; for map, one
	// mapping per level.
	Levels []any `mapstructure:"levels"`
	// File is the CSV table of a table or arx hierarchy, in the
	// configuration tree.
	File string `mapstructure:"file"`
	// Columns are the table's columns from level 0 upwards.
	Columns []string `mapstructure:"columns"`
}

// Hierarchies loads hierarchies.yaml and each configured programme's own
// programmes/<p>/hierarchies.yaml (optional; it may add hierarchies, not
// redefine a shared one): every hierarchy by name.
func (c *Config) Hierarchies() (map[string]HierarchySpec, error) {
	out := map[string]HierarchySpec{}
	if err := readYAML(c.FS, "hierarchies.yaml", &out); err != nil {
		return nil, err
	}
	for _, p := range c.Programmes {
		own := map[string]HierarchySpec{}
		name := ProgrammeHierarchies(p)
		if err := readYAML(c.FS, name, &own); err != nil {
			if isNotExist(err) {
				continue
			}
			return nil, err
		}
		for h, spec := range own {
			if _, dup := out[h]; dup {
				return nil, fmt.Errorf("config: %s: %s is already a hierarchy of hierarchies.yaml", name, h)
			}
			out[h] = spec
		}
	}
	for name, h := range out {
		switch h.Kind {
		case "interval", "bands", "table", "arx", "map", "date", "partner":
		default:
			return nil, fmt.Errorf("config: hierarchies.yaml: %s: kind %q is unknown", name, h.Kind)
		}
	}
	return out, nil
}

// ProgrammeHierarchies is the file of a programme's own hierarchies.
func ProgrammeHierarchies(programme string) string {
	return "programmes/" + programme + "/hierarchies.yaml"
}
