package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"strconv"
	"time"
)

// Column is a column of a query's result as DuckDB types it.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Columns describes the result of a query without running it. An ENUM
// column (a quarter's text column of few values, enum.go) is described
// as VARCHAR: DuckDB writes it to Parquet, and every reader reads it, as
// text, and its list of values is the quarter's, not the column's type.
func (w *Warehouse) Columns(ctx context.Context, query string) ([]Column, error) {
	rs, err := w.db.QueryContext(ctx, "DESCRIBE "+query)
	if err != nil {
		return nil, fmt.Errorf("warehouse: describing a snapshot query: %w", err)
	}
	defer rs.Close()
	names, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	var out []Column
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		// DESCRIBE: column_name, column_type, null, key, default, extra.
		typ := fmt.Sprint(vals[1])
		if isEnum(typ) {
			typ = "VARCHAR"
		}
		out = append(out, Column{Name: fmt.Sprint(vals[0]), Type: typ})
	}
	return out, rs.Err()
}

// RowsDigest returns the SHA-256 of a query's rows in a canonical
// encoding (column names and types, then every value with its length, in
// result order) and the number of rows. It identifies a table's content
// independently of how a Parquet writer lays it out or which metadata it
// adds, so a re-run can tell whether a release really changed.
func (w *Warehouse) RowsDigest(ctx context.Context, query string) (string, int64, error) {
	cols, err := w.Columns(ctx, query)
	if err != nil {
		return "", 0, err
	}
	return w.digestAs(ctx, cols, query)
}

// digestAs is RowsDigest of a query's rows under the given columns' names
// and types: those of the query itself, or of the query a Parquet file
// was written from when the rows are read back from the file.
func (w *Warehouse) digestAs(ctx context.Context, cols []Column, query string) (string, int64, error) {
	if digest, n, err := w.arrowDigest(ctx, cols, query); !errors.Is(err, errDigestType) {
		return digest, n, err
	}
	return w.rowsDigest(ctx, cols, query)
}

// rowsDigest is RowsDigest through database/sql, row by row: the
// reference encoding, for any column type.
func (w *Warehouse) rowsDigest(ctx context.Context, cols []Column, query string) (string, int64, error) {
	h := sha256.New()
	for _, c := range cols {
		writeField(h, c.Name)
		writeField(h, c.Type)
	}
	rs, err := w.db.QueryContext(ctx, query)
	if err != nil {
		return "", 0, fmt.Errorf("warehouse: reading a snapshot query: %w", err)
	}
	defer rs.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return "", 0, err
		}
		h.Write([]byte{'\n'})
		for _, v := range vals {
			writeValue(h, v)
		}
		n++
	}
	if err := rs.Err(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// writeField writes a length-prefixed string, so that no two sequences of
// values encode alike.
func writeField(h hash.Hash, s string) {
	h.Write([]byte(strconv.Itoa(len(s))))
	h.Write([]byte{':'})
	h.Write([]byte(s))
}

// writeValue encodes one value of the types the snapshot tables hold;
// NULL is distinct from every value.
func writeValue(h hash.Hash, v any) {
	switch x := v.(type) {
	case nil:
		h.Write([]byte{'N'})
	case string:
		writeField(h, x)
	case bool:
		writeField(h, strconv.FormatBool(x))
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		writeField(h, fmt.Sprint(x))
	case float32:
		writeField(h, strconv.FormatFloat(float64(x), 'g', -1, 32))
	case float64:
		writeField(h, strconv.FormatFloat(x, 'g', -1, 64))
	case time.Time:
		writeField(h, x.UTC().Format(time.RFC3339Nano))
	case *big.Int:
		writeField(h, x.String())
	case []byte:
		writeField(h, hex.EncodeToString(x))
	default:
		writeField(h, fmt.Sprintf("%T:%v", x, x))
	}
}
