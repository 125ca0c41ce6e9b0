package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// errDigestType marks a column type the Arrow digest does not encode; the
// digest is then computed row by row through database/sql instead.
var errDigestType = errors.New("no Arrow encoding for the column type")

// arrowDigest is RowsDigest over the query's Arrow batches: the same
// canonical encoding, value for value, as the row-by-row digest (the
// tests hold them equal), without boxing every value in an interface. It
// returns errDigestType for a column of a type it does not encode.
func (w *Warehouse) arrowDigest(ctx context.Context, cols []Column, query string) (string, int64, error) {
	rr, err := w.arrow.QueryContext(ctx, query)
	if err != nil {
		return "", 0, fmt.Errorf("warehouse: reading a snapshot query: %w", err)
	}
	defer rr.Release()
	for _, f := range rr.Schema().Fields() {
		if !digestible(f.Type) {
			return "", 0, fmt.Errorf("%w: %s", errDigestType, f.Type)
		}
	}
	h := sha256.New()
	for _, c := range cols {
		writeField(h, c.Name)
		writeField(h, c.Type)
	}
	var n int64
	var buf []byte
	for rr.Next() {
		rec := rr.Record()
		for i := range int(rec.NumRows()) {
			h.Write([]byte{'\n'})
			for _, col := range rec.Columns() {
				buf = appendValue(buf[:0], col, i)
				h.Write(buf)
			}
		}
		n += rec.NumRows()
	}
	if err := rr.Err(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// digestible reports whether appendValue encodes a type as writeValue
// encodes what database/sql returns for it.
func digestible(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DATE32:
		return true
	}
	return false
}

// appendValue appends the encoding of value i of a column, as writeValue
// writes it: N for NULL, else the length-prefixed text.
func appendValue(buf []byte, a arrow.Array, i int) []byte {
	if a.IsNull(i) {
		return append(buf, 'N')
	}
	switch x := a.(type) {
	case *array.String:
		return appendField(buf, x.Value(i))
	case *array.LargeString:
		return appendField(buf, x.Value(i))
	case *array.Boolean:
		return appendField(buf, strconv.FormatBool(x.Value(i)))
	case *array.Int8:
		return appendField(buf, strconv.FormatInt(int64(x.Value(i)), 10))
	case *array.Int16:
		return appendField(buf, strconv.FormatInt(int64(x.Value(i)), 10))
	case *array.Int32:
		return appendField(buf, strconv.FormatInt(int64(x.Value(i)), 10))
	case *array.Int64:
		return appendField(buf, strconv.FormatInt(x.Value(i), 10))
	case *array.Uint8:
		return appendField(buf, strconv.FormatUint(uint64(x.Value(i)), 10))
	case *array.Uint16:
		return appendField(buf, strconv.FormatUint(uint64(x.Value(i)), 10))
	case *array.Uint32:
		return appendField(buf, strconv.FormatUint(uint64(x.Value(i)), 10))
	case *array.Uint64:
		return appendField(buf, strconv.FormatUint(x.Value(i), 10))
	case *array.Float32:
		return appendField(buf, strconv.FormatFloat(float64(x.Value(i)), 'g', -1, 32))
	case *array.Float64:
		return appendField(buf, strconv.FormatFloat(x.Value(i), 'g', -1, 64))
	case *array.Date32:
		// database/sql gives a DATE as midnight UTC.
		return appendField(buf, x.Value(i).ToTime().UTC().Format(time.RFC3339Nano))
	}
	panic("warehouse: appendValue on a type digestible refuses")
}

// appendField is writeField into a buffer.
func appendField(buf []byte, s string) []byte {
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, ':')
	return append(buf, s...)
}
