package sqlshell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/peterh/liner"
)

// Shell is an interactive session: line editing, history kept in a file,
// statements run when they end with a semicolon, and a few dot commands.
type Shell struct {
	Session *Session
	Format  Format
	// History is the history file; empty keeps no history.
	History string
	Out     io.Writer
	Err     io.Writer
}

const (
	prompt    = "sql> "
	continued = "  -> "
	helpText  = `Type SQL ending with ; to run it. The views are the programme's microdata (atn: trajectories), metrics, risk and releases,
with the partition column quarter; they are read-only and nothing typed here can change a snapshot.
  .tables              the views and their rows
  .schema VIEW         the columns of a view (also: DESCRIBE VIEW;)
  .format FORMAT       table, csv, json or markdown
  .help                this text
  .quit                leave (also Ctrl-D)
`
)

// Run reads statements until .quit or end of input. A failing statement
// prints its error and the shell goes on.
func (sh *Shell) Run(ctx context.Context) error {
	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	line.SetMultiLineMode(true)
	if sh.History != "" {
		if f, err := os.Open(sh.History); err == nil {
			line.ReadHistory(f)
			f.Close()
		}
		defer sh.saveHistory(line)
	}
	fmt.Fprintf(sh.Out, "doorstroom sql: %d releases loaded read-only (%s to %s). .help for help.\n",
		len(sh.Session.Releases), sh.Session.Releases[0].Quarter, sh.Session.Releases[len(sh.Session.Releases)-1].Quarter)
	var buf strings.Builder
	for ctx.Err() == nil {
		p := prompt
		if buf.Len() > 0 {
			p = continued
		}
		text, err := line.Prompt(p)
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			buf.Reset()
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(sh.Out)
			return nil
		case err != nil:
			return err
		}
		if buf.Len() == 0 && strings.HasPrefix(strings.TrimSpace(text), ".") {
			line.AppendHistory(text)
			if quit := sh.dot(ctx, strings.Fields(strings.TrimSpace(text))); quit {
				return nil
			}
			continue
		}
		buf.WriteString(text)
		buf.WriteByte('\n')
		if _, complete := split(buf.String()); !complete || !strings.HasSuffix(strings.TrimSpace(stripComments(buf.String())), ";") {
			continue
		}
		script := buf.String()
		buf.Reset()
		// One history entry per statement, on one line, so that the
		// history file reads back as it was typed.
		line.AppendHistory(strings.ReplaceAll(strings.TrimSpace(script), "\n", " "))
		if err := sh.Session.Run(ctx, script, sh.Out, sh.Format); err != nil {
			fmt.Fprintln(sh.Err, err)
		}
	}
	return ctx.Err()
}

// dot runs a dot command and reports whether it asks to quit.
func (sh *Shell) dot(ctx context.Context, args []string) bool {
	switch args[0] {
	case ".quit", ".exit", ".q":
		return true
	case ".help":
		fmt.Fprint(sh.Out, helpText)
	case ".format", ".mode":
		if len(args) != 2 {
			fmt.Fprintf(sh.Err, "format is %s; use .format table|csv|json|markdown\n", sh.Format)
			break
		}
		f, err := ParseFormat(args[1])
		if err != nil {
			fmt.Fprintln(sh.Err, err)
			break
		}
		sh.Format = f
	case ".tables":
		q := make([]string, len(sh.Session.Views))
		for i, v := range sh.Session.Views {
			q[i] = fmt.Sprintf("SELECT '%s' AS view, count(*) AS rows FROM %s", v, v)
		}
		sh.report(sh.Session.Run(ctx, strings.Join(q, " UNION ALL ")+";", sh.Out, sh.Format))
	case ".schema":
		if len(args) != 2 {
			fmt.Fprintln(sh.Err, "use .schema VIEW")
			break
		}
		sh.report(sh.Session.Run(ctx, "DESCRIBE "+args[1]+";", sh.Out, sh.Format))
	default:
		fmt.Fprintf(sh.Err, "unknown command %s; .help lists them\n", args[0])
	}
	return false
}

func (sh *Shell) report(err error) {
	if err != nil {
		fmt.Fprintln(sh.Err, err)
	}
}

// saveHistory writes the last lines of history, readable by the user only:
// queries may quote pseudonyms.
func (sh *Shell) saveHistory(line *liner.State) {
	f, err := os.OpenFile(sh.History, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		fmt.Fprintf(sh.Err, "doorstroom sql: history not saved: %v\n", err)
		return
	}
	defer f.Close()
	line.WriteHistory(f)
}
