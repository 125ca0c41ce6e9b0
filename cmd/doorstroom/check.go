package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"doorstroom/config"
	"doorstroom/ingest"
	"doorstroom/internal/period"
)

func init() {
	register(command{name: "check", summary: "check partner exports as the inbox would, and print the answer (writes nothing)", run: cmdCheck})
}

// checkOptions are the options of doorstroom check.
type checkOptions struct {
	Config  string
	Lang    string
	Partner string
	Quarter string
	// Programme picks the format in a network of several programmes;
	// default: the folder above the partner's (inbox/<programme>/<partner>/),
	// else the partner's programme.
	Programme string
	Files     []string
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o checkOptions
	fs := newFlags("check", "check [--config FILE] [--partner CODE] [--quarter YYYYQn] [--lang nl|fr|en] FILE...", stderr)
	fs.StringVar(&o.Config, "config", "", "network configuration (for the partner's own labels, language and policy); default: the built-in defaults")
	fs.StringVar(&o.Partner, "partner", "", "partner code (default: the folder of a file laid out as <partner>/<YYYY>Q<n>.csv)")
	fs.StringVar(&o.Quarter, "quarter", "", "the quarter the files report on, e.g. 2026Q1 (default: from a file named <YYYY>Q<n>.csv)")
	fs.StringVar(&o.Programme, "programme", "", "programme whose format the files follow (default: the folder above the partner's when it names one, else the partner's)")
	fs.StringVar(&o.Lang, "lang", "", "language of the answer: nl, fr or en (default: the partner's, else en)")
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	o.Files = fs.Args()
	if len(o.Files) == 0 {
		return usageError{"name at least one file to check"}
	}
	if o.Lang != "" && !slices.Contains(config.Languages, o.Lang) {
		return usageError{fmt.Sprintf("--lang %q: use one of %v", o.Lang, config.Languages)}
	}
	if o.Partner != "" && !config.ValidCode(o.Partner) {
		return usageError{fmt.Sprintf("--partner %q is not a partner code", o.Partner)}
	}
	if o.Quarter != "" {
		if _, err := period.Parse(o.Quarter); err != nil {
			return usageError{"--quarter: " + err.Error()}
		}
	}
	return runCheck(ctx, o, stdout)
}

// inboxName matches a file laid out as in the inbox: <partner>/<YYYY>Q<n>.csv.
var inboxName = regexp.MustCompile(`^(\d{4}[Qq][1-4])\.csv$`)

// checkTarget is one file to check with the partner and quarter it is
// read for, and the name the answer gives it.
type checkTarget struct {
	path, name, partner string
	// programme is the folder above the partner's, a programme name in
	// a network of several (or any other folder name).
	programme string
	quarter   period.Quarter
}

// targets works out each file's partner and quarter: the flags first,
// else the inbox layout of its path. A file whose quarter cannot be told
// is a usage error, before any file is read.
func (o checkOptions) targets() ([]checkTarget, error) {
	var out []checkTarget
	for _, path := range o.Files {
		t := checkTarget{path: path, name: path, partner: o.Partner}
		base := filepath.Base(path)
		dir := filepath.Base(filepath.Dir(path))
		m := inboxName.FindStringSubmatch(base)
		if m != nil && config.ValidCode(dir) {
			if t.partner == "" {
				t.partner = dir
			}
			t.name = dir + "/" + base
			t.programme = filepath.Base(filepath.Dir(filepath.Dir(path)))
		}
		q := o.Quarter
		if q == "" && m != nil {
			q = m[1]
		}
		if q == "" {
			return nil, usageError{fmt.Sprintf("cannot tell the quarter of %s from its name (<YYYY>Q<n>.csv); give --quarter", path)}
		}
		var err error
		if t.quarter, err = period.Parse(q); err != nil {
			return nil, usageError{err.Error()}
		}
		out = append(out, t)
	}
	return out, nil
}

// runCheck reads and validates every file exactly as the inbox would and
// prints the answers. It writes no file. It fails with exit status 1 when
// any file would not be accepted.
func runCheck(ctx context.Context, o checkOptions, stdout io.Writer) error {
	targets, err := o.targets()
	if err != nil {
		return err
	}
	cfg, err := config.Load(o.Config)
	if err != nil {
		return err
	}
	countries, err := cfg.Countries()
	if err != nil {
		return err
	}
	refused := 0
	for i, t := range targets {
		progName := o.Programme
		if progName == "" && slices.Contains(cfg.Programmes, t.programme) {
			progName = t.programme
		}
		p, known := partnerOf(cfg, t.partner, progName)
		if !known {
			p = config.Partner{Code: t.partner}
		}
		if progName == "" {
			progName = p.Programme
		}
		if progName == "" {
			progName = cfg.Programmes[0]
		}
		prog, err := cfg.Programme(progName)
		if err != nil {
			return err
		}
		// The answer speaks of the programme's own unit (households, …).
		pc, err := cfg.ForProgramme(progName)
		if err != nil {
			return err
		}
		tr, err := pc.Translations()
		if err != nil {
			return err
		}
		if err := ingest.CheckIdentifierKinds(prog.LabelsFor(p), tr); err != nil {
			return err
		}
		data, err := os.ReadFile(t.path)
		if err != nil {
			return err
		}
		s, err := ingest.ReadBytes(ctx, data, t.name, ingest.OptionsFor(cfg, prog, p, t.quarter, countries))
		if err != nil {
			return err
		}
		s.Release()
		lang := o.Lang
		if lang == "" {
			lang = p.Language
		}
		if lang == "" {
			lang = "en"
		}
		var buf bytes.Buffer
		if i > 0 {
			buf.WriteByte('\n')
		}
		if err := ingest.NewAnswer(s, tr, lang).WriteText(&buf); err != nil {
			return err
		}
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
		if s.Status != ingest.Accepted {
			refused++
		}
	}
	if refused > 0 {
		return exitCode(1)
	}
	return nil
}

// partnerOf finds a partner by code, within a programme when one is given
// (the same code may report on two programmes of a network).
func partnerOf(cfg *config.Config, code, programme string) (config.Partner, bool) {
	for _, p := range cfg.Partners {
		if p.Code == code && (programme == "" || p.Programme == programme || p.Programme == "") {
			return p, true
		}
	}
	return config.Partner{}, false
}
