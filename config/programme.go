package config

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/spf13/viper"
)

// Programme is everything doorstroom knows about one programme: its export
// format and the labels partners use for it. A programme is a folder
// programmes/<name>/ with format.yaml and labels.yaml; the header names of
// direct identifiers in identifiers.yaml hold for every programme.
type Programme struct {
	Name   string
	Format *Format
	Labels Labels
}

// DefaultProgramme is the named programme as the embedded configuration
// defines it, without a network file: what a tool or a test needs when it
// works with a programme's format and no network.
func DefaultProgramme(name string) (*Programme, error) {
	cfg, err := Load("")
	if err != nil {
		return nil, err
	}
	return cfg.Programme(name)
}

// Programme loads the named programme's definition from the configuration
// tree and checks it.
func (c *Config) Programme(name string) (*Programme, error) {
	dir := path.Join("programmes", name)
	var f Format
	if err := readYAML(c.FS, path.Join(dir, "format.yaml"), &f); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("config: %s/format.yaml: %w", dir, err)
	}
	if f.Programme != name {
		return nil, fmt.Errorf("config: %s/format.yaml declares programme %q", dir, f.Programme)
	}
	var l Labels
	if err := readYAML(c.FS, path.Join(dir, "labels.yaml"), &l); err != nil && !isNotExist(err) {
		return nil, err
	}
	var shared Labels
	if err := readYAML(c.FS, "identifiers.yaml", &shared); err != nil && !isNotExist(err) {
		return nil, err
	}
	l = Labels{Identifiers: shared.Identifiers}.Merge(l)
	for col := range l.Headers {
		if _, ok := f.Column(col); !ok {
			return nil, fmt.Errorf("config: %s/labels.yaml: headers: %q is not a column", dir, col)
		}
	}
	if err := checkCodeLabels(&f, l); err != nil {
		return nil, fmt.Errorf("config: %s/labels.yaml: %w", dir, err)
	}
	return &Programme{Name: name, Format: &f, Labels: l}, nil
}

// checkCodeLabels makes sure every code that labels are given for exists,
// so a misspelt code in YAML fails loudly instead of never matching.
func checkCodeLabels(f *Format, l Labels) error {
	for colName, codes := range l.Codes {
		col, ok := f.Column(colName)
		if !ok || col.Type != TypeCode {
			return fmt.Errorf("codes: %q is not a code column", colName)
		}
		for key := range codes {
			if !slices.ContainsFunc(col.Codes, func(c string) bool { return Fold(c) == Fold(key) }) {
				return fmt.Errorf("codes.%s: %q is not one of its codes %v", colName, key, col.Codes)
			}
		}
	}
	return nil
}

// LabelsFor returns the programme's labels with a partner's own additions.
func (p *Programme) LabelsFor(partner Partner) Labels {
	return p.Labels.Merge(partner.Labels)
}

// readYAML reads one YAML file of the configuration tree into out through
// viper. Viper folds map keys to lower case; files keep anything whose case
// matters in values, not keys.
func readYAML(fsys fs.FS, name string, out any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("config: %s: %w", name, err)
	}
	if err := v.Unmarshal(out); err != nil {
		return fmt.Errorf("config: %s: %w", name, err)
	}
	return nil
}

func isNotExist(err error) bool {
	for e := err; e != nil; {
		if pe, ok := e.(*fs.PathError); ok {
			return pe.Err == fs.ErrNotExist
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}
