package audit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	_ "github.com/marcboeker/go-duckdb" // the duckdb driver, to read warehouse files

	"doorstroom/warehouse"
)

// parquet audits every value and every key-value metadata entry of a
// Parquet file: its pages are compressed, so its bytes say nothing.
func (a *Auditor) parquet(ctx context.Context, data []byte) ([]Finding, error) {
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	var out []Finding
	// where is only formatted when a value has a finding: the audit
	// passes over every value of the snapshot.
	report := func(where func() string) func(Finding) {
		return func(f Finding) {
			f.Line, f.Offset, f.Where = 0, 0, where()
			out = append(out, f)
		}
	}
	if kv := pf.MetaData().KeyValueMetadata(); kv != nil {
		for i, k := range kv.Keys() {
			a.Text([]byte(k+"="+kv.Values()[i]), report(func() string { return "metadata " + k }))
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	tbl, err := fr.ReadTable(ctx)
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	for c := 0; c < int(tbl.NumCols()); c++ {
		col := tbl.Column(c)
		row := 0
		for _, chunk := range col.Data().Chunks() {
			for i := 0; i < chunk.Len(); i, row = i+1, row+1 {
				if chunk.IsValid(i) {
					row, name := row+1, col.Name()
					a.Text([]byte(chunk.ValueStr(i)), report(func() string { return fmt.Sprintf("row %d, column %s", row, name) }))
				}
			}
		}
	}
	return out, nil
}

// isDuckDB recognises a DuckDB database file by its magic bytes.
func isDuckDB(data []byte) bool {
	return len(data) >= 12 && string(data[8:12]) == "DUCK"
}

// compressedMagic are the openings of compressed formats a published tree
// may hold (the browser test's screenshots, archives): their bytes are
// noise in which e-mail and digit patterns turn up by chance, so only the
// key and case numbers are looked for in them, as in Parquet files.
var compressedMagic = []string{
	"\x89PNG\r\n\x1a\n", // PNG
	"\xff\xd8\xff",      // JPEG
	"GIF8",              // GIF
	"\x1f\x8b",          // gzip
	"PK\x03\x04",        // zip
	"\x28\xb5\x2f\xfd",  // zstd
}

func isCompressed(data []byte) bool {
	for _, m := range compressedMagic {
		if strings.HasPrefix(string(data[:min(len(data), 8)]), m) {
			return true
		}
	}
	return false
}

// duckdb audits every value of every table of a DuckDB file, opened
// read-only.
func (a *Auditor) duckdb(ctx context.Context, path string) ([]Finding, error) {
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rs, err := db.QueryContext(ctx, `SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_type = 'BASE TABLE' ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	var tables [][2]string
	for rs.Next() {
		var t [2]string
		if err := rs.Scan(&t[0], &t[1]); err != nil {
			rs.Close()
			return nil, err
		}
		tables = append(tables, t)
	}
	rs.Close()
	var out []Finding
	for _, t := range tables {
		fs, err := a.table(ctx, db, warehouse.Ident(t[0])+"."+warehouse.Ident(t[1]), t[1])
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

func (a *Auditor) table(ctx context.Context, db *sql.DB, query, name string) ([]Finding, error) {
	rs, err := db.QueryContext(ctx, "SELECT * FROM "+query)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []Finding
	for row := 1; rs.Next(); row++ {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		for c, v := range vals {
			if v == nil {
				continue
			}
			var text []byte
			switch v := v.(type) {
			case string:
				text = []byte(v)
			case []byte:
				text = v
			default:
				text = []byte(fmt.Sprint(v))
			}
			a.Text(text, func(f Finding) {
				f.Line, f.Offset = 0, 0
				f.Where = fmt.Sprintf("table %s, row %d, column %s", name, row, cols[c])
				out = append(out, f)
			})
		}
	}
	return out, rs.Err()
}
