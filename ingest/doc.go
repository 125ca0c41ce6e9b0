// Package ingest reads partners' quarterly exports, validates them against
// the programme's agreed format, answers the partner, and turns the
// accepted rows into Arrow record batches for the next stage.
//
// Like encoding/csv, it reports problems with their place: every Issue
// names the file, the line, the column (as the partner wrote it and as the
// format names it) and the rule, and renders as a sentence a social worker
// understands, in the partner's language. Unlike encoding/csv it does not
// stop at the first problem: a partner gets every problem of a file in one
// answer.
//
// The flow for one file is
//
//	bytes → decode (UTF-8, UTF-16, Windows-1252) → dialect (delimiter,
//	line ends) → header mapping (labels, identifier headers) → per-row
//	parsing, identifier scan and rules → Arrow batches of accepted rows,
//	plus the Issues found and the Status (accepted, rejected, quarantined).
//
// A file with a direct identifier (a header that means one, or a cell that
// is one) is quarantined whole; answers name its column and lines but
// never its value.
//
// Around the reader, the package keeps the inbox's bookkeeping: the
// Manifest of every file seen (duplicates, superseded files, the file in
// force per partner and quarter), archived copies of accepted files, the
// settle check for files still being written, and the completeness of
// deliveries. The package never modifies an inbox file.
package ingest
