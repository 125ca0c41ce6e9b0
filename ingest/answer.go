package ingest

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"doorstroom/config"
	"doorstroom/internal/atomicfile"
	"doorstroom/internal/period"
)

//go:embed templates/answer.html
var templateFS embed.FS

// answerPage is parsed once; html/template escapes every partner-supplied
// string it is given.
var answerPage = template.Must(template.ParseFS(templateFS, "templates/answer.html"))

// Answer is what a partner is told about one file, in one language: the
// outcome sentence, further notes (which file stays in force), and every
// issue. It may quote the partner's own values back to them, never a
// detected identifier; that is why it goes to the outbox or the partner's
// own screen, never under out/ or into a log.
type Answer struct {
	Sub     *Submission
	Lang    string
	Verdict string
	Notes   []string
	tr      *config.Translations
}

// NewAnswer prepares the answer to a submission in a language.
func NewAnswer(s *Submission, tr *config.Translations, lang string) *Answer {
	return &Answer{Sub: s, Lang: lang, Verdict: Verdict(s, tr, lang), tr: tr}
}

// AnswerPaths returns where the answer to a submission goes in the outbox:
// outbox/<partner>/<quarter>.answer.csv and .html.
func AnswerPaths(outbox string, s *Submission) (csvPath, htmlPath string) {
	base := filepath.Join(outbox, s.Partner, s.Quarter.String()+".answer")
	return base + ".csv", base + ".html"
}

// WriteAnswer writes the partner's answer for a submission into the
// outbox, as a CSV (one row per issue, for the partner's own tools) and a
// readable HTML page, both in the partner's language.
func WriteAnswer(outbox string, s *Submission, tr *config.Translations, lang string) error {
	return NewAnswer(s, tr, lang).Write(outbox)
}

// Write writes the answer into the outbox, atomically, CSV and HTML.
func (a *Answer) Write(outbox string) error {
	csvPath, htmlPath := AnswerPaths(outbox, a.Sub)
	csvData, err := a.CSV()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(csvPath, csvData, 0o640); err != nil {
		return fmt.Errorf("answer for %s: %w", a.Sub.Name, err)
	}
	htmlData, err := a.HTML()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(htmlPath, htmlData, 0o640); err != nil {
		return fmt.Errorf("answer for %s: %w", a.Sub.Name, err)
	}
	return nil
}

// Verdict is the one-sentence outcome of a submission in a language.
func Verdict(s *Submission, tr *config.Translations, lang string) string {
	switch {
	case s.Status == Quarantined:
		return tr.Text(lang, "answer.quarantined", nil)
	case s.Status == Rejected:
		return tr.Text(lang, "answer.rejected", map[string]string{"errors": strconv.Itoa(s.Issues.Errors() + s.Omitted)})
	case s.Dropped > 0:
		return tr.Text(lang, "answer.rows_dropped", map[string]string{
			"rows": strconv.Itoa(s.Accepted), "dropped": strconv.Itoa(s.Dropped)})
	default:
		return tr.Text(lang, "answer.accepted", map[string]string{"rows": strconv.Itoa(s.Accepted)})
	}
}

func (a *Answer) t(k string) string { return a.tr.Text(a.Lang, "answer."+k, nil) }

// CSV renders the answer as CSV: the verdict and notes as rows without a
// line, then one row per issue with the line, the column letter, the
// header as written, the format's column, the rule, the severity and the
// sentence. Cells a spreadsheet would run as a formula are defused.
func (a *Answer) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{a.t("file"), a.t("line"), a.t("column"), a.t("header"), a.t("format_column"), a.t("rule"), a.t("severity"), a.t("message")})
	for _, note := range append([]string{a.Verdict}, a.Notes...) {
		w.Write([]string{neutralise(a.Sub.Name), "", "", "", "", "", "", neutralise(note)})
	}
	for _, i := range a.Sub.Issues {
		line := ""
		if i.Line > 0 {
			line = strconv.Itoa(i.Line)
		}
		w.Write([]string{neutralise(a.Sub.Name), line, ColumnLetter(i.Field), neutralise(i.Header), i.Column, i.Rule,
			a.t(i.Severity.String()), neutralise(i.Message(a.tr, a.Lang))})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

type answerRow struct {
	Line                  int
	Column, Rule, Message string
}

type answerSection struct {
	Heading string
	Rows    []answerRow
}

// HTML renders the answer as a page a social worker reads.
func (a *Answer) HTML() ([]byte, error) {
	var errs, warns []answerRow
	for _, i := range a.Sub.Issues {
		r := answerRow{Line: i.Line, Column: a.column(i), Rule: i.Rule, Message: i.Message(a.tr, a.Lang)}
		if i.Severity == Error {
			errs = append(errs, r)
		} else {
			warns = append(warns, r)
		}
	}
	class := "accepted"
	if a.Sub.Status == Rejected || a.Sub.Status == Quarantined {
		class = "rejected"
	}
	data := map[string]any{
		"Lang": a.Lang, "File": a.Sub.Name, "SHA256": a.Sub.SHA256,
		"Title":   a.tr.Text(a.Lang, "answer.title", map[string]string{"file": a.Sub.Name}),
		"Verdict": a.Verdict, "Notes": a.Notes, "StatusClass": class,
		"Issues": len(a.Sub.Issues) > 0, "None": a.t("none"),
		"Sections":  []answerSection{{a.t("errors"), errs}, {a.t("warnings"), warns}},
		"LineLabel": a.t("line"), "ColumnLabel": a.t("column"), "RuleLabel": a.t("rule"), "MessageLabel": a.t("message"),
	}
	var buf bytes.Buffer
	if err := answerPage.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("answer for %s: %w", a.Sub.Name, err)
	}
	return buf.Bytes(), nil
}

// column names an issue's column for a reader: its letter and the header
// as written (or the format's name when the file has no such column).
func (a *Answer) column(i Issue) string {
	name := i.Header
	if name == "" {
		name = i.Column
	}
	switch {
	case i.Field > 0 && name != "":
		return fmt.Sprintf("%s · %s", ColumnLetter(i.Field), name)
	case i.Field > 0:
		return ColumnLetter(i.Field)
	}
	return name
}

// WriteText writes the answer as plain text, for `doorstroom check` on a
// partner's own machine: the file and its verdict, then one line per issue
// with its severity, line and column.
func (a *Answer) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", a.Sub.Name, a.Verdict)
	for _, n := range a.Notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	for _, i := range a.Sub.Issues {
		place := []string{a.t(i.Severity.String())}
		if i.Line > 0 {
			place = append(place, fmt.Sprintf("%s %d", strings.ToLower(a.t("line")), i.Line))
		}
		if c := a.column(i); c != "" {
			place = append(place, fmt.Sprintf("%s %s", strings.ToLower(a.t("column")), c))
		}
		fmt.Fprintf(&b, "  %s: %s\n", strings.Join(place, ", "), i.Message(a.tr, a.Lang))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// neutralise defuses a cell that a spreadsheet would run as a formula
// (=, +, -, @, or a tab or carriage return first), by prefixing a quote.
func neutralise(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// DuplicateAnswer is the answer to a file that repeats the bytes of an
// earlier one (orig) for the same partner and quarter: it says so, and
// repeats what was decided about the earlier file, from the manifest.
func DuplicateAnswer(e, orig *Entry, tr *config.Translations, lang string) *Answer {
	s := &Submission{Name: e.Name, Partner: e.Partner, SHA256: e.SHA256, Status: Duplicate}
	s.Quarter, _ = period.Parse(e.Quarter)
	return &Answer{Sub: s, Lang: lang, tr: tr, Verdict: tr.Text(lang, "answer.duplicate", map[string]string{
		"received": orig.ReceivedAt.Format("2006-01-02"), "status": EntryVerdict(orig, tr, lang)})}
}

// EntryVerdict is the outcome sentence of a manifest entry, from the
// counts recorded when it was read.
func EntryVerdict(e *Entry, tr *config.Translations, lang string) string {
	switch {
	case e.Outcome == Quarantined:
		return tr.Text(lang, "answer.quarantined", nil)
	case e.Outcome == Rejected:
		return tr.Text(lang, "answer.rejected", map[string]string{"errors": strconv.Itoa(e.Errors)})
	case e.Dropped > 0:
		return tr.Text(lang, "answer.rows_dropped", map[string]string{"rows": strconv.Itoa(e.Accepted), "dropped": strconv.Itoa(e.Dropped)})
	default:
		return tr.Text(lang, "answer.accepted", map[string]string{"rows": strconv.Itoa(e.Accepted)})
	}
}

// InForceNote is the note added to an answer when another file than the
// one answered stays in use for the quarter.
func InForceNote(arrived time.Time, tr *config.Translations, lang string) string {
	return tr.Text(lang, "answer.in_force", map[string]string{"received": arrived.Format("2006-01-02")})
}
