package main

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"doorstroom/warehouse/sqlshell"
)

func init() {
	register(command{name: "sql", summary: "query the published snapshots with SQL (interactive, -c or -f)", run: cmdSQL})
}

// sqlOptions are the options of doorstroom sql.
type sqlOptions struct {
	Config    string
	Programme string
	Snapshots string
	Command   string
	File      string
	Format    sqlshell.Format
	History   string
	// stdin is the input of an interactive or piped session.
	stdin *os.File
}

func cmdSQL(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o sqlOptions
	var format string
	fs := newFlags("sql", `sql [--snapshots DIR | --config FILE [--programme P]] [-c "SQL" | -f FILE] [--format table|csv|json|markdown]`, stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration file; its paths.out gives the snapshots folder")
	fs.StringVar(&o.Programme, "programme", "", "in a network of several programmes, the one whose snapshots to query (default: the first)")
	fs.StringVar(&o.Snapshots, "snapshots", "", "the snapshots folder (default: the configuration's, <paths.out>[/<programme>]/snapshots)")
	fs.StringVar(&o.Command, "c", "", "run this SQL and exit")
	fs.StringVar(&o.File, "f", "", "run the SQL in this file and exit")
	fs.StringVar(&format, "format", "table", "output format: table, csv, json or markdown")
	fs.StringVar(&o.History, "history", defaultHistory(), "history file of the interactive shell (empty: none)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	f, err := sqlshell.ParseFormat(format)
	if err != nil {
		return usageError{"--format: " + err.Error()}
	}
	o.Format = f
	if o.Command != "" && o.File != "" {
		return usageError{"give -c or -f, not both"}
	}
	o.stdin = os.Stdin
	return runSQL(ctx, o, stdout, stderr)
}

func runSQL(ctx context.Context, o sqlOptions, stdout, stderr io.Writer) error {
	root := o.Snapshots
	if root == "" {
		cfg, err := loadProgramme(o.Config, o.Programme)
		if err != nil {
			return err
		}
		root = filepath.Join(cfg.Paths.Out, "snapshots")
	}
	script := o.Command
	if o.File != "" {
		data, err := os.ReadFile(o.File)
		if err != nil {
			return err
		}
		script = string(data)
	}
	s, err := sqlshell.Open(ctx, root)
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case script != "":
		return s.Run(ctx, script, stdout, o.Format)
	case o.stdin != nil && !isTerminal(o.stdin):
		data, err := io.ReadAll(o.stdin)
		if err != nil {
			return err
		}
		return s.Run(ctx, string(data), stdout, o.Format)
	}
	sh := &sqlshell.Shell{Session: s, Format: o.Format, History: o.History, Out: stdout, Err: stderr}
	return sh.Run(ctx)
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// defaultHistory is ~/.doorstroom_sql_history, or none without a home.
func defaultHistory() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".doorstroom_sql_history")
}
