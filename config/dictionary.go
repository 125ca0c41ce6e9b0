package config

import (
	"fmt"
	"path"
)

// Dictionary is a programme's data dictionary (programmes/<name>/
// dictionary.yaml): what each published table and column means. The
// snapshots carry it in their Parquet metadata and in the README beside
// them; types, codes and generalisation levels come from the format and
// hierarchies, not from here.
type Dictionary struct {
	Tables []DictionaryTable `mapstructure:"tables"`
}

// DictionaryTable describes one table of a release.
type DictionaryTable struct {
	Name        string             `mapstructure:"name"`
	File        string             `mapstructure:"file"`
	Description map[string]string  `mapstructure:"description"`
	Columns     []DictionaryColumn `mapstructure:"columns"`
}

// DictionaryColumn describes one column. Example is a value the
// dictionary uses to illustrate the column's generalisation levels.
type DictionaryColumn struct {
	Name        string            `mapstructure:"name"`
	Description map[string]string `mapstructure:"description"`
	Example     string            `mapstructure:"example"`
}

// Dictionary loads and checks the named programme's data dictionary: its
// own tables, then the tables every release has (dictionary.yaml).
func (c *Config) Dictionary(programme string) (*Dictionary, error) {
	name := path.Join("programmes", programme, "dictionary.yaml")
	var d Dictionary
	if err := readYAML(c.FS, name, &d); err != nil {
		return nil, err
	}
	var shared Dictionary
	if err := readYAML(c.FS, "dictionary.yaml", &shared); err != nil && !isNotExist(err) {
		return nil, err
	}
	for _, t := range shared.Tables {
		if _, own := d.Table(t.Name); !own {
			d.Tables = append(d.Tables, t)
		}
	}
	for _, t := range d.Tables {
		if t.Name == "" || t.File == "" || t.Description["en"] == "" {
			return nil, fmt.Errorf("config: %s: table %q needs a name, a file and an en description", name, t.Name)
		}
		for _, col := range t.Columns {
			if col.Name == "" || col.Description["en"] == "" {
				return nil, fmt.Errorf("config: %s: %s: column %q needs a name and an en description", name, t.Name, col.Name)
			}
		}
	}
	return &d, nil
}

// Table returns the description of the named table.
func (d *Dictionary) Table(name string) (DictionaryTable, bool) {
	for _, t := range d.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return DictionaryTable{}, false
}

// Column returns the description of the named column.
func (t DictionaryTable) Column(name string) (DictionaryColumn, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return DictionaryColumn{}, false
}

// Text returns a description in lang, falling back to English.
func Text(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}
