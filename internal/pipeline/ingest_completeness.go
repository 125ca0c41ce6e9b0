package pipeline

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

// closeInbox fills the warehouse tables completeness and submissions for
// the quarters from the run's first to the reporting quarter that had no
// inbox file (ingestQuarter filled the others, before their metrics),
// saves the manifest, and prints the completeness summary.
func (e *env) closeInbox(ctx context.Context, quarters []period.Quarter, reporting period.Quarter, st *stageClock) error {
	var all [][]ingest.Completeness
	var span []period.Quarter
	err := st.time("ingest", func() error {
		for q := quarters[0]; !reporting.Before(q); q = q.Next() {
			rows, err := e.loadInboxTables(ctx, q)
			if err != nil {
				return err
			}
			all, span = append(all, rows), append(span, q)
		}
		return e.inbox.manifest.Save(e.cfg.Paths.State)
	})
	if err != nil {
		return err
	}
	printCompleteness(e.log, e.cfg, span, all)
	return nil
}

// loadInboxTables replaces a quarter's rows of the warehouse tables
// completeness and submissions by what the manifest now says, and returns
// the completeness rows. A quarter's rows are final once its files are
// taken in, so the quarter's metrics can read them.
func (e *env) loadInboxTables(ctx context.Context, q period.Quarter) ([]ingest.Completeness, error) {
	r := e.inbox
	if rows, ok := r.loaded[q]; ok {
		return rows, nil
	}
	codes := make([]string, len(e.cfg.Partners))
	for i, p := range e.cfg.Partners {
		codes[i] = p.Code
	}
	rows := ingest.CompletenessOf(r.manifest, q, codes, e.expected, e.cfg.Ingest.DeadlineDays)
	rec := ingest.CompletenessRecord(memory.DefaultAllocator, rows)
	err := e.wh.ReplaceQuarter(ctx, "completeness", q.String(), ingest.CompletenessSchema, []arrow.Record{rec})
	rec.Release()
	if err != nil {
		return nil, err
	}
	sub := ingest.SubmissionsRecord(memory.DefaultAllocator, r.manifest, q)
	err = e.wh.ReplaceQuarter(ctx, "submissions", q.String(), ingest.SubmissionsSchema, []arrow.Record{sub})
	sub.Release()
	if err != nil {
		return nil, err
	}
	r.loaded[q] = rows
	return rows, nil
}

// expected says whether a partner is expected to deliver for a quarter:
// between its configured from and until quarters, when set.
func (e *env) expected(code string, q period.Quarter) bool {
	p, ok := e.cfg.Partner(code)
	if !ok {
		return false
	}
	if from, err := period.Parse(p.From); err == nil && q.Before(from) {
		return false
	}
	if until, err := period.Parse(p.Until); err == nil && until.Before(q) {
		return false
	}
	return true
}

// completenessCell is one partner's quarter in the summary: on time, late,
// refused (files came, none is in force), missing, or "-" (not expected,
// nothing came); a * marks superseded files.
func completenessCell(c *ingest.Completeness) string {
	if c == nil {
		return "-"
	}
	s := "missing"
	switch {
	case c.Accepted && *c.OnTime:
		s = "on time"
	case c.Accepted:
		s = "late"
	case c.Received:
		s = "refused"
	}
	if c.Superseded > 0 {
		s += "*"
	}
	return s
}

// maxMatrixPartners is the widest network printed as a table; larger ones
// get one line per quarter.
const maxMatrixPartners = 8

// printCompleteness writes the run's completeness: per partner and
// quarter when the network is small, then one line for the reporting
// quarter and one for the quarters before it.
func printCompleteness(w io.Writer, cfg *config.Config, span []period.Quarter, all [][]ingest.Completeness) {
	if len(span) == 0 {
		return
	}
	fmt.Fprintf(w, "completeness: files in force per partner and quarter (due %d days after the quarter)\n", cfg.Ingest.DeadlineDays)
	if len(cfg.Partners) <= maxMatrixPartners {
		width := 9
		for _, p := range cfg.Partners {
			width = max(width, len(p.Code)+1)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  %-8s", "quarter")
		for _, p := range cfg.Partners {
			fmt.Fprintf(&b, " %-*s", width, p.Code)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		for i, q := range span {
			b.Reset()
			fmt.Fprintf(&b, "  %-8s", q)
			for _, p := range cfg.Partners {
				fmt.Fprintf(&b, " %-*s", width, completenessCell(find(all[i], p.Code)))
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	last := len(span) - 1
	fmt.Fprintf(w, "  %s: %s\n", span[last], completenessLine(all[last:]))
	switch {
	case last == 1:
		fmt.Fprintf(w, "  %s: %s\n", span[0], completenessLine(all[:last]))
	case last > 1:
		fmt.Fprintf(w, "  %s–%s: %s\n", span[0], span[last-1], completenessLine(all[:last]))
	}
}

func find(rows []ingest.Completeness, partner string) *ingest.Completeness {
	for i := range rows {
		if rows[i].Partner == partner {
			return &rows[i]
		}
	}
	return nil
}

// completenessLine sums quarters' rows: files in force of those expected,
// on time, late, and which partner's quarters are missing or refused.
func completenessLine(quarters [][]ingest.Completeness) string {
	expected, inForce, late, superseded := 0, 0, 0, 0
	var missing, refused []string
	for _, rows := range quarters {
		for _, c := range rows {
			if c.Expected {
				expected++
			}
			superseded += c.Superseded
			switch {
			case c.Accepted:
				inForce++
				if !*c.OnTime {
					late++
				}
			case c.Received:
				refused = append(refused, c.Partner+" "+c.Quarter)
			case c.Expected:
				missing = append(missing, c.Partner+" "+c.Quarter)
			}
		}
	}
	line := fmt.Sprintf("%d of %d expected files in force, %d on time, %d late", inForce, expected, inForce-late, late)
	line += fmt.Sprintf("; missing: %s; refused: %s; %d superseded", listOrNone(missing), listOrNone(refused), superseded)
	return line
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	const show = 6
	if len(xs) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(xs[:show], ", "), len(xs)-show)
	}
	return strings.Join(xs, ", ")
}
