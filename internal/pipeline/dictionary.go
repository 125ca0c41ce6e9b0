package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/metrics"
	"doorstroom/warehouse"
)

// writeDictionary rewrites out/snapshots/README.md, the data dictionary of
// every published release, from the dictionary, the format, the
// hierarchies, the metrics catalogue and the releases' manifests.
func (e *env) writeDictionary(dict *config.Dictionary) error {
	root, _, _ := e.snapshotPaths()
	releases, err := warehouse.PublishedReleases(root)
	if err != nil {
		return err
	}
	d := warehouse.DataDictionary{Programme: e.prog.Name, FormatVersion: e.prog.Format.Version}
	d.Generalised = e.generalised(dict)
	for _, m := range releases {
		r, err := e.docRelease(root, m, d.Generalised)
		if err != nil {
			return err
		}
		d.Releases = append(d.Releases, r)
	}
	for _, t := range dict.Tables {
		d.Tables = append(d.Tables, e.docTable(t, releases))
	}
	for _, m := range e.catalogue.Metrics {
		d.Metrics = append(d.Metrics, warehouse.DocMetric{ID: m.ID, Unit: m.Unit, Title: m.Title["en"], Description: m.Description["en"]})
	}
	return warehouse.WriteDictionary(root, d)
}

// docTable describes one table: the columns every release published, in
// the order they first appeared, with their types and codes.
func (e *env) docTable(t config.DictionaryTable, releases []*warehouse.Manifest) warehouse.DocTable {
	out := warehouse.DocTable{Name: t.Name, File: t.File, Description: config.Text(t.Description, "en")}
	if !strings.HasSuffix(t.File, ".parquet") {
		for _, c := range t.Columns {
			out.Columns = append(out.Columns, warehouse.DocColumn{Name: c.Name, Type: "JSON", Description: config.Text(c.Description, "en")})
		}
		return out
	}
	cols := []warehouse.Column{{Name: warehouse.PartitionKey, Type: "VARCHAR (partition)"}}
	seen := map[string]bool{warehouse.PartitionKey: true}
	for _, m := range releases {
		f, _ := m.File(t.File)
		for _, c := range f.Columns {
			if !seen[c.Name] {
				seen[c.Name] = true
				cols = append(cols, c)
			}
		}
	}
	for _, c := range cols {
		out.Columns = append(out.Columns, warehouse.DocColumn{
			Name: c.Name, Type: c.Type, Description: describeColumn(t, c.Name), Codes: e.codes(t.Name, c.Name),
		})
	}
	return out
}

// codes lists the values a column takes, where the configuration knows
// them: the format's codes, the classes of a grouping, the partners.
func (e *env) codes(table, column string) []warehouse.DocCode {
	f := e.prog.Format
	var out []warehouse.DocCode
	switch {
	case column == anonymize.PartnerField:
		for _, p := range e.cfg.Partners {
			out = append(out, warehouse.DocCode{Code: p.Code, Meaning: fmt.Sprintf("%s, region %s", p.Name, p.Region)})
		}
		if table == "metrics" {
			out = append(out, warehouse.DocCode{Code: metrics.NetworkPartner, Meaning: "the whole network"})
		}
		return out
	case table != e.prog.Format.Table:
		return nil
	}
	for grouping, classes := range f.Classes {
		if anonymize.ClassField(grouping) != column {
			continue
		}
		names := make([]string, 0, len(classes))
		for c := range classes {
			names = append(names, c)
		}
		sort.Strings(names)
		for _, c := range names {
			out = append(out, warehouse.DocCode{Code: c, Meaning: strings.Join(classes[c], ", ")})
		}
		return out
	}
	for _, c := range f.Columns {
		if c.Type != config.TypeCode || c.Publish == nil || c.Publish.Name != column {
			continue
		}
		for _, code := range c.Codes {
			meaning := ""
			for grouping := range f.Classes {
				if grouping == c.Name {
					meaning = f.ClassOf(grouping, code)
				}
			}
			out = append(out, warehouse.DocCode{Code: code, Meaning: meaning})
		}
	}
	return out
}

// generalised lists the quasi-identifiers in the order the risk reports
// use (the partner, then the format's quasi-identifiers) with their
// levels shown on the dictionary's example value.
func (e *env) generalised(dict *config.Dictionary) []warehouse.DocHierarchy {
	traj, _ := dict.Table(e.prog.Format.Table)
	type qi struct{ column, hierarchy string }
	qis := []qi{{anonymize.PartnerField, "partner"}}
	for _, c := range e.prog.Format.Columns {
		if c.Role == config.RoleQuasiIdentifier && c.Publish != nil {
			qis = append(qis, qi{c.Publish.Name, c.Publish.Hierarchy})
		}
	}
	var out []warehouse.DocHierarchy
	for _, q := range qis {
		h, ok := e.hierarchies[q.hierarchy]
		if !ok {
			continue
		}
		col, _ := traj.Column(q.column)
		d := warehouse.DocHierarchy{Column: q.column, Example: col.Example}
		for level := 0; level < h.Height(); level++ {
			d.Levels = append(d.Levels, h.Generalize(col.Example, level))
		}
		out = append(out, d)
	}
	return out
}

// docRelease is one published release with the level, and the example
// value at that level, of each quasi-identifier, from its risk report.
func (e *env) docRelease(root string, m *warehouse.Manifest, gen []warehouse.DocHierarchy) (warehouse.DocRelease, error) {
	r := warehouse.DocRelease{Manifest: m, Rows: map[string]int64{}}
	for _, f := range m.Files {
		if f.Table != "" {
			r.Rows[f.Table] = f.Rows
		}
	}
	data, err := os.ReadFile(filepath.Join(warehouse.ReleaseDir(root, m.Quarter), riskFile))
	if err != nil {
		return r, fmt.Errorf("snapshots: %w", err)
	}
	var risk anonymize.RiskReport
	if err := json.Unmarshal(data, &risk); err != nil {
		return r, fmt.Errorf("snapshots: %s %s: %w", m.Quarter, riskFile, err)
	}
	for _, g := range gen {
		cell := "?"
		for q, name := range risk.QuasiIdentifiers {
			if l := risk.Levels[q]; name == g.Column && l < len(g.Levels) {
				cell = fmt.Sprintf("%d: `%s`", l, g.Levels[l])
			}
		}
		r.Levels = append(r.Levels, cell)
	}
	return r, nil
}
