package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/marcboeker/go-duckdb" // the DuckDB driver
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"doorstroom/internal/cputime"
	"doorstroom/internal/period"
	"doorstroom/warehouse"
)

// lastQuarter is the last quarter of every benchmark network, fixed so
// cached networks stay valid.
var lastQuarter = period.Quarter{Year: 2026, Q: 3}

// Limit is DuckDB's own cost for the network's files: read_csv of each
// file (its dialect sniffed by DuckDB) and COPY of the result to a
// zstd-compressed Parquet file, with the options the warehouse writes its
// snapshots with (warehouse.ParquetOptions). Nothing doorstroom-specific
// happens in between, so it is the in-process limit for parsing and
// columnar writing of the same bytes.
type Limit struct {
	Files, Rows int
	Elapsed     time.Duration
	// CPU is the CPU time the process used meanwhile, DuckDB's threads
	// included.
	CPU time.Duration
}

// measureLimit times DuckDB reading the network's inbox files that keep
// accepts (by their path relative to the inbox; nil: every file) and
// writing them as Parquet, in one in-memory DuckDB on the same machine.
// Its files go to the trash afterwards.
func measureLimit(ctx context.Context, net *network, keep func(path string) bool, tr *trash) (*Limit, error) {
	out := filepath.Join(net.work, "duckdb-limit")
	if err := os.MkdirAll(out, 0o750); err != nil {
		return nil, err
	}
	defer tr.put(out)
	var files []string
	inbox := filepath.Join(net.dir, "inbox")
	err := filepath.WalkDir(inbox, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".csv") {
			return err
		}
		if rel, err := filepath.Rel(inbox, p); err == nil && (keep == nil || keep(rel)) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// DuckDB reads UTF-8 only: the Windows-1252 and UTF-16 files are
	// given to it as UTF-8 copies, made before the clock starts.
	for i, f := range files {
		if files[i], err = asUTF8(f, filepath.Join(out, fmt.Sprintf("in-%d.csv", i))); err != nil {
			return nil, err
		}
	}
	lim := &Limit{Files: len(files)}
	start, startCPU := time.Now(), cputime.Process()
	for i, f := range files {
		target := filepath.Join(out, fmt.Sprintf("%d.parquet", i))
		q := fmt.Sprintf("COPY (SELECT * FROM read_csv(%s, header = true)) TO %s (%s)",
			literal(f), literal(target), warehouse.ParquetOptions)
		res, err := db.ExecContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("bench: duckdb on %s: %w", f, err)
		}
		n, _ := res.RowsAffected()
		lim.Rows += int(n)
	}
	lim.Elapsed, lim.CPU = time.Since(start), cputime.Process()-startCPU
	return lim, nil
}

// asUTF8 returns path when the file is UTF-8 (with or without BOM), else
// the path of a UTF-8 copy written to tmp.
func asUTF8(path, tmp string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	case utf8.Valid(data):
		return path, nil
	default:
		dec = charmap.Windows1252.NewDecoder()
	}
	text, err := dec.Bytes(data)
	if err != nil {
		return "", fmt.Errorf("bench: %s: %w", path, err)
	}
	return tmp, os.WriteFile(tmp, text, 0o600)
}

func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
