package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"doorstroom/anonymize"
	"doorstroom/config"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// snapshotSource is a release's table: the warehouse table it is
// exported from, the total order that makes its rows reproducible,
// whether they were loaded in that order, and the digest of the batches
// they were loaded from, if made.
type snapshotSource struct {
	name, source string
	order        []string
	inOrder      bool
	loaded       *warehouse.LoadedRows
}

// snapshotTables are a release's tables. The microdata table is the
// format's (atn: trajectories), in anonymize.MicrodataOrder (partner,
// pseudonym), the order the release holds and loads it in; loaded is
// the digest loading made of it.
func (e *env) snapshotTables(loaded *warehouse.LoadedRows) []snapshotSource {
	return []snapshotSource{
		{e.prog.Format.Table, e.prog.Format.Table, anonymize.MicrodataOrder, true, loaded},
		{"metrics", "metrics_published", []string{"metric", "partner", "breakdown"}, false, nil},
	}
}

// riskFile is the release's risk report in its snapshot.
const riskFile = "risk.json"

// snapshotPaths are the folders of the published releases, of the
// releases they replaced, and of releases being built. All three are under
// out/, on one file system, so publishing is a rename.
func (e *env) snapshotPaths() (root, superseded, staging string) {
	out := e.cfg.Paths.Out
	return filepath.Join(out, "snapshots"), filepath.Join(out, "superseded"), filepath.Join(out, ".staging")
}

// publishQuarter publishes a quarter's release (its microdata, published
// metrics and risk report) as one immutable snapshot, once the warehouse
// holds all of it, and rewrites the data dictionary beside the snapshots.
// It returns the manifest of the release now published. loaded is the
// microdata's digest from loadQuarter.
func (e *env) publishQuarter(ctx context.Context, q period.Quarter, rel *anonymize.Release, loaded *warehouse.LoadedRows, st *stageClock) (*warehouse.Manifest, error) {
	root, superseded, staging := e.snapshotPaths()
	var published *warehouse.Manifest
	err := st.time("snapshots", func() error {
		dict, err := e.cfg.Dictionary(e.prog.Name)
		if err != nil {
			return err
		}
		risk, err := json.MarshalIndent(rel.Risk, "", "  ")
		if err != nil {
			return err
		}
		s := warehouse.Snapshot{
			Root: root, Superseded: superseded, Staging: staging,
			Quarter: q.String(), Release: rel.ID, Programme: e.prog.Name, FormatVersion: e.prog.Format.Version,
			K: e.cfg.Privacy.K, SuppressionLimit: e.cfg.Privacy.Suppression, Threshold: e.cfg.Privacy.Threshold,
			Created: e.opts.Now(),
			Files:   []warehouse.SnapshotFile{{Name: riskFile, Data: append(risk, '\n')}},
		}
		for _, t := range e.snapshotTables(loaded) {
			st, err := e.snapshotTable(ctx, dict, t, q)
			if err != nil {
				return err
			}
			s.Tables = append(s.Tables, st)
		}
		res, err := e.wh.Publish(ctx, s)
		if err != nil {
			return err
		}
		for _, name := range res.ReadBack {
			fmt.Fprintf(e.log, "snapshots: %s: %s: read back whole: the batches loaded could not be digested for it, or its file's order columns were not those loaded (the same release, made slower)\n", q, name)
		}
		for _, name := range res.Resorted {
			fmt.Fprintf(e.log, "snapshots: %s: %s: the rows read back were not confirmed in the order they were loaded in (out of order, or of a type the check does not read); written again sorted (the same release, made slower)\n", q, name)
		}
		published = res.Manifest
		st.add("snapshots", "releases", 1)
		st.add("snapshots", "rows", rel.Rows())
		st.add("snapshots", string(res.Outcome), 1)
		if sup := res.Manifest.Supersedes; res.Outcome == warehouse.Corrected && sup != nil {
			fmt.Fprintf(e.log, "snapshots: %s: release %s (version %d) replaces version %d (release %s), kept unchanged in %s\n",
				q, rel.ID, res.Manifest.Version, sup.Version, sup.Release, filepath.Join(root, sup.Path))
		}
		return e.writeDictionary(dict)
	})
	st.describe("snapshots", e.describeSnapshots)
	return published, err
}

// describeSnapshots is the snapshots stage's line: what publishing each
// release did, and the quarters whose published release was reused.
func (e *env) describeSnapshots(c map[string]int) string {
	root, _, _ := e.snapshotPaths()
	return fmt.Sprintf("%d releases in %s: %d new, %d unchanged, %d corrected",
		c["releases"], root, c[string(warehouse.Published)], c[string(warehouse.Unchanged)]+c[string(warehouse.Restored)],
		c[string(warehouse.Corrected)]) + reusedNote(c, "reused") +
		" · data dictionary " + filepath.Join(root, warehouse.DictionaryName)
}

// snapshotTable is one table of a quarter's snapshot: its query (every
// column but the partition column, which is the directory), its order
// and the descriptions of its columns from the data dictionary.
func (e *env) snapshotTable(ctx context.Context, dict *config.Dictionary, src snapshotSource, q period.Quarter) (warehouse.SnapshotTable, error) {
	query, err := e.wh.QuarterQuery(ctx, src.source, q.String())
	if err != nil {
		return warehouse.SnapshotTable{}, err
	}
	cols, err := e.wh.Columns(ctx, query)
	if err != nil {
		return warehouse.SnapshotTable{}, err
	}
	dt, _ := dict.Table(src.name)
	t := warehouse.SnapshotTable{Name: src.name, Query: query, Order: src.order, InOrder: src.inOrder, Loaded: src.loaded,
		Description: config.Text(dt.Description, "en"), Columns: map[string]string{}}
	for _, c := range cols {
		t.Columns[c.Name] = describeColumn(dt, c.Name)
	}
	return t, nil
}

// describeColumn is a column's English description; a column the
// dictionary does not describe yet says so rather than stopping a run
// (TestDictionaryDescribesEveryColumn catches it first).
func describeColumn(t config.DictionaryTable, name string) string {
	if c, ok := t.Column(name); ok {
		return config.Text(c.Description, "en")
	}
	return "(not described in the data dictionary yet)"
}
