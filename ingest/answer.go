package ingest

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"path/filepath"
	"strconv"

	"doorstroom/config"
	"doorstroom/internal/atomicfile"
)

//go:embed templates/answer.html
var templateFS embed.FS

// answerPage is parsed once; html/template escapes every partner-supplied
// string it is given.
var answerPage = template.Must(template.ParseFS(templateFS, "templates/answer.html"))

// AnswerPaths returns where the answer to a submission goes in the outbox:
// outbox/<partner>/<quarter>.answer.csv and .html.
func AnswerPaths(outbox string, s *Submission) (csvPath, htmlPath string) {
	base := filepath.Join(outbox, s.Partner, s.Quarter.String()+".answer")
	return base + ".csv", base + ".html"
}

// WriteAnswer writes the partner's answer for a submission into the
// outbox, as a CSV (one row per issue, for the partner's own tools) and a
// readable HTML page, both in the partner's language. It may quote the
// partner's own values back to them; that is why it goes to the outbox,
// never under out/.
func WriteAnswer(outbox string, s *Submission, tr *config.Translations, lang string) error {
	csvPath, htmlPath := AnswerPaths(outbox, s)
	csvData, err := answerCSV(s, tr, lang)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(csvPath, csvData, 0o640); err != nil {
		return fmt.Errorf("answer for %s: %w", s.Name, err)
	}
	htmlData, err := answerHTML(s, tr, lang)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(htmlPath, htmlData, 0o640); err != nil {
		return fmt.Errorf("answer for %s: %w", s.Name, err)
	}
	return nil
}

// Verdict is the one-sentence outcome of a submission in a language.
func Verdict(s *Submission, tr *config.Translations, lang string) string {
	switch {
	case s.Status == Rejected:
		return tr.Text(lang, "answer.rejected", map[string]string{"errors": strconv.Itoa(s.Issues.Errors())})
	case s.Dropped > 0:
		return tr.Text(lang, "answer.rows_dropped", map[string]string{
			"rows": strconv.Itoa(s.Accepted), "dropped": strconv.Itoa(s.Dropped)})
	default:
		return tr.Text(lang, "answer.accepted", map[string]string{"rows": strconv.Itoa(s.Accepted)})
	}
}

func answerCSV(s *Submission, tr *config.Translations, lang string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	t := func(k string) string { return tr.Text(lang, "answer."+k, nil) }
	w.Write([]string{"file", t("line"), t("column"), t("rule"), t("severity"), t("message")})
	for _, i := range s.Issues {
		line := ""
		if i.Line > 0 {
			line = strconv.Itoa(i.Line)
		}
		w.Write([]string{s.Name, line, i.Column, i.Rule, t(i.Severity.String()), neutralise(i.Message(tr, lang))})
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

func answerHTML(s *Submission, tr *config.Translations, lang string) ([]byte, error) {
	t := func(k string) string { return tr.Text(lang, "answer."+k, nil) }
	var errs, warns []answerRow
	for _, i := range s.Issues {
		r := answerRow{Line: i.Line, Column: i.Column, Rule: i.Rule, Message: i.Message(tr, lang)}
		if i.Severity == Error {
			errs = append(errs, r)
		} else {
			warns = append(warns, r)
		}
	}
	class := "accepted"
	if s.Status == Rejected {
		class = "rejected"
	}
	data := map[string]any{
		"Lang": lang, "File": s.Name, "SHA256": s.SHA256,
		"Title":   tr.Text(lang, "answer.title", map[string]string{"file": s.Name}),
		"Verdict": Verdict(s, tr, lang), "StatusClass": class,
		"Issues": len(s.Issues) > 0, "None": t("none"),
		"Sections":  []answerSection{{t("errors"), errs}, {t("warnings"), warns}},
		"LineLabel": t("line"), "ColumnLabel": t("column"), "RuleLabel": t("rule"), "MessageLabel": t("message"),
	}
	var buf bytes.Buffer
	if err := answerPage.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("answer for %s: %w", s.Name, err)
	}
	return buf.Bytes(), nil
}

// neutralise defuses a cell that a spreadsheet would run as a formula
// (=, +, - or @ first), by prefixing a quote.
func neutralise(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
