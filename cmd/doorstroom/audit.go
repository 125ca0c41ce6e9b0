package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"doorstroom/config"
	"doorstroom/internal/audit"
)

func init() {
	register(command{name: "audit", summary: "scan a published tree for case numbers, the key and direct identifiers (exit 1 on any)", run: cmdAudit})
}

// auditOptions are the options of doorstroom audit.
type auditOptions struct {
	Config string
	Dirs   []string
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o auditOptions
	fs := newFlags("audit", "audit [--config FILE] DIR...", stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration: its inbox, archive and quarantine give the case numbers, its key the key material")
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	o.Dirs = fs.Args()
	if len(o.Dirs) == 0 {
		return usageError{"name at least one folder to audit, e.g. out"}
	}
	return runAudit(ctx, o, stdout)
}

// runAudit scans every file under the folders and prints one line per
// finding (the value masked) and a summary. It fails with exit status 1
// when anything is found.
func runAudit(ctx context.Context, o auditOptions, stdout io.Writer) error {
	cfg, err := config.Load(o.Config)
	if err != nil {
		return err
	}
	ids, files, err := audit.CaseIDs(ctx, cfg)
	if err != nil {
		return err
	}
	var keyBytes []byte
	key, err := cfg.Key.LoadKey()
	switch {
	case err == nil:
		keyBytes = key.Bytes()
	case !errors.Is(err, config.ErrNoKey):
		return err
	}
	a := audit.New(ids, keyBytes)
	found := 0
	for _, dir := range o.Dirs {
		fs, st, err := a.Tree(ctx, dir)
		if err != nil {
			return err
		}
		for _, f := range fs {
			fmt.Fprintf(stdout, "%s\n", f)
		}
		found += len(fs)
		fmt.Fprintf(stdout, "audit: %s: %d files, %d bytes: %d findings\n", dir, st.Files, st.Bytes, len(fs))
	}
	what := fmt.Sprintf("%d case numbers from %d partner files", a.CaseIDs(), files)
	if a.Skipped > 0 {
		what += fmt.Sprintf(" (%d shorter than %d characters not searched)", a.Skipped, audit.MinCaseIDLength)
	}
	if keyBytes != nil {
		what += ", the key (" + key.Source + ")"
	}
	fmt.Fprintf(stdout, "audit: looked for %s, national register numbers, BSNs, e-mail addresses, phone numbers and IBANs\n", what)
	if found > 0 {
		return exitCode(1)
	}
	return nil
}
