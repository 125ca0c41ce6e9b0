// Package ingest reads partners' quarterly exports, validates them against
// the programme's agreed format and turns the accepted rows into Arrow
// record batches for the next stage.
//
// Like encoding/csv, it reports problems with their place: every Issue
// names the file, the line, the column and the rule, and renders as a
// sentence a social worker understands, in the partner's language. Unlike
// encoding/csv it does not stop at the first problem: a partner gets every
// problem of a file in one answer.
//
// The flow for one file is
//
//	Read (bytes, dialect) → header mapping → per-row parsing and rules →
//	Arrow batches of accepted rows, plus the Issues found.
//
// The package never modifies an inbox file.
package ingest
