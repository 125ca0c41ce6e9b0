// Package sqlshell lets evaluators query the published snapshots with SQL
// without installing anything: an in-memory DuckDB with read-only views
// over every published release: the programme's microdata (atn:
// trajectories; resettlement: households), metrics, risk and releases,
// one query at a time or as an interactive shell.
//
// Nothing typed in it can change a snapshot. The releases are verified
// against their manifests and copied into a private, temporary DuckDB file
// that is attached read-only; then DuckDB's external access (files, COPY,
// ATTACH of files, INSTALL, extensions' file systems) is switched off and
// the configuration locked, so no statement can reach a file again.
package sqlshell

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	_ "github.com/marcboeker/go-duckdb" // registers the duckdb driver

	"doorstroom/warehouse"
)

// Session is an open, locked-down DuckDB over the snapshots.
type Session struct {
	db       *sql.DB
	conn     *sql.Conn
	tmp      string
	Releases []*warehouse.Manifest
	// Views are the names evaluators query, in the order .tables lists
	// them: the releases' microdata tables (the programme's format names
	// them), then metrics, risk and releases.
	Views []string
}

// microdataTables are the Parquet tables of the releases other than the
// metrics, in the order they first appear: the programme's microdata.
func microdataTables(releases []*warehouse.Manifest) []string {
	var out []string
	for _, m := range releases {
		for _, f := range m.Files {
			if f.Table != "" && f.Table != "metrics" && !slices.Contains(out, f.Table) {
				out = append(out, f.Table)
			}
		}
	}
	return out
}

// Open verifies every release under root against its manifest, loads the
// releases into a private read-only database and locks the session down.
func Open(ctx context.Context, root string) (s *Session, err error) {
	releases, err := verifiedReleases(root)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "doorstroom-sql-")
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	s = &Session{tmp: tmp, Releases: releases}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.db, err = sql.Open("duckdb", ""); err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	if s.conn, err = s.db.Conn(ctx); err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	file := filepath.Join(tmp, "snapshots.duckdb")
	steps := []string{"ATTACH " + warehouse.Literal(file) + " AS build"}
	type source struct{ name, reader, file string }
	var sources []source
	for _, t := range microdataTables(releases) {
		sources = append(sources, source{t, "read_parquet", t + ".parquet"})
		s.Views = append(s.Views, t)
	}
	sources = append(sources, source{"metrics", "read_parquet", "metrics.parquet"}, source{"risk", "read_json", "risk.json"})
	s.Views = append(s.Views, "metrics", "risk", "releases")
	for _, t := range sources {
		glob := filepath.Join(root, warehouse.PartitionKey+"=*", t.file)
		key := warehouse.Ident(warehouse.PartitionKey)
		steps = append(steps, fmt.Sprintf(
			"CREATE TABLE build.%s AS SELECT %s, * EXCLUDE (%s) FROM %s(%s, hive_partitioning = true, union_by_name = true, hive_types = {%s: VARCHAR}) ORDER BY %s",
			t.name, key, key, t.reader, warehouse.Literal(glob), warehouse.Literal(warehouse.PartitionKey), key))
	}
	steps = append(steps, releasesTable(releases), "DETACH build",
		"ATTACH "+warehouse.Literal(file)+" AS snapshots (READ_ONLY)")
	for _, v := range s.Views {
		steps = append(steps, fmt.Sprintf("CREATE VIEW main.%s AS SELECT * FROM snapshots.%s", v, v))
	}
	steps = append(steps,
		"SET errors_as_json = true",
		"SET enable_external_access = false",
		"SET lock_configuration = true")
	for _, st := range steps {
		if _, err := s.conn.ExecContext(ctx, st); err != nil {
			return nil, fmt.Errorf("snapshots: loading %s: %w", root, err)
		}
	}
	return s, nil
}

// Close closes the database and removes the private copy.
func (s *Session) Close() error {
	var err error
	if s.conn != nil {
		err = s.conn.Close()
	}
	if s.db != nil {
		if e := s.db.Close(); err == nil {
			err = e
		}
	}
	if e := os.RemoveAll(s.tmp); err == nil {
		err = e
	}
	return err
}

// verifiedReleases lists the releases under root and checks each against
// its manifest, so that evaluators never query a file that changed after
// publication.
func verifiedReleases(root string) ([]*warehouse.Manifest, error) {
	dirs, err := filepath.Glob(filepath.Join(root, warehouse.PartitionKey+"=*"))
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("snapshots: no published release in %s (run doorstroom run first, or give --snapshots DIR)", root)
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, warehouse.ManifestName)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("snapshots: %s is not a published release: it has no %s (doorstroom run publishes it)", d, warehouse.ManifestName)
		}
		if err := warehouse.VerifyRelease(d); err != nil {
			return nil, err
		}
	}
	return warehouse.PublishedReleases(root)
}

// releasesTable creates the releases table from the manifests: which
// release of each quarter is loaded, so results can cite it.
func releasesTable(ms []*warehouse.Manifest) string {
	rows := make([]string, len(ms))
	for i, m := range ms {
		sup := "NULL"
		if m.Supersedes != nil {
			sup = fmt.Sprint(m.Supersedes.Version)
		}
		rows[i] = fmt.Sprintf("(%s, %s, %d, %s::TIMESTAMP, %d, %v::DOUBLE, %d, %s::INTEGER, %s)",
			warehouse.Literal(m.Quarter), warehouse.Literal(m.Release), m.Version, warehouse.Literal(strings.TrimSuffix(m.Created, "Z")),
			m.K, m.SuppressionLimit, m.Threshold, sup, warehouse.Literal(m.ContentSHA256))
	}
	return "CREATE TABLE build.releases AS SELECT * FROM (VALUES " + strings.Join(rows, ", ") +
		") AS r(quarter, release, version, created, k, suppression_limit, threshold, supersedes_version, content_sha256) ORDER BY quarter"
}
