package warehouse

import (
	"bytes"
	_ "embed"
	"fmt"
	"path/filepath"
	"strings"
	"text/template"

	"doorstroom/internal/atomicfile"
)

// DictionaryName is the data dictionary's file in the snapshots folder.
const DictionaryName = "README.md"

// DataDictionary is what the snapshots' README says: every table and
// column with its type and meaning, the codes a column takes, the
// generalisation levels of every quasi-identifier and which level each
// release used, and the published releases. The pipeline assembles it
// from the configuration and the manifests; this package only renders it.
type DataDictionary struct {
	Programme     string
	FormatVersion int
	Tables        []DocTable
	// Generalised lists the quasi-identifiers with their levels,
	// illustrated on an example value.
	Generalised []DocHierarchy
	Releases    []DocRelease
	// Metrics describes the metric ids of the metrics table.
	Metrics []DocMetric
}

// DocTable is one table of a release.
type DocTable struct {
	Name, File, Description string
	Columns                 []DocColumn
}

// DocColumn is one column; Codes lists the values a code column takes.
type DocColumn struct {
	Name, Type, Description string
	Codes                   []DocCode
}

// DocCode is one value of a code column and what it means.
type DocCode struct{ Code, Meaning string }

// DocHierarchy is one quasi-identifier's generalisation: Levels[i] is the
// example value at level i (the last level is always *).
type DocHierarchy struct {
	Column, Example string
	Levels          []string
}

// DocRelease is one published release; Levels holds the level each
// quasi-identifier of Generalised was published at, in the same order.
type DocRelease struct {
	Manifest *Manifest
	Rows     map[string]int64
	Levels   []string
}

// DocMetric is one metric of the catalogue.
type DocMetric struct{ ID, Unit, Title, Description string }

//go:embed dictionary.md.tmpl
var dictionaryText string

var dictionaryTemplate = template.Must(template.New("dictionary").Funcs(template.FuncMap{
	"cell": markdownCell,
	"key":  func() string { return PartitionKey },
}).Parse(dictionaryText))

// WriteDictionary renders the data dictionary into root/README.md,
// atomically. It is not part of any release: it describes them all and is
// rewritten on every run.
func WriteDictionary(root string, d DataDictionary) error {
	var buf bytes.Buffer
	if err := dictionaryTemplate.Execute(&buf, d); err != nil {
		return fmt.Errorf("snapshots: data dictionary: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(root, DictionaryName), buf.Bytes(), 0o640)
}

// markdownCell makes text safe inside a Markdown table cell.
func markdownCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
