package config

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Config is one network's run configuration, after defaults, the network's
// file and the environment have been merged.
type Config struct {
	// Programmes lists the programme folders this network reports on.
	Programmes []string `mapstructure:"programmes"`
	// ProgrammesDir, when set, is a directory on disk that replaces the
	// embedded programmes/, hierarchies/ and translations/ folders, so a
	// network can adapt its format without rebuilding doorstroom.
	ProgrammesDir string    `mapstructure:"programmes_dir"`
	Paths         Paths     `mapstructure:"paths"`
	Quarter       string    `mapstructure:"quarter"`
	Privacy       Privacy   `mapstructure:"privacy"`
	Key           KeySpec   `mapstructure:"key"`
	Ingest        Ingest    `mapstructure:"ingest"`
	Partners      []Partner `mapstructure:"partners"`

	// FS holds the programme definitions, hierarchies and translations.
	FS fs.FS `mapstructure:"-"`
	// Source names the file the network configuration came from ("" for
	// the embedded defaults alone), for messages.
	Source string `mapstructure:"-"`
}

// Paths are the folders a run reads and writes. The inbox is only ever read.
type Paths struct {
	Inbox      string `mapstructure:"inbox"`
	Outbox     string `mapstructure:"outbox"`
	Quarantine string `mapstructure:"quarantine"`
	Out        string `mapstructure:"out"`
	State      string `mapstructure:"state"`
	// Site is the folder of the dashboards; empty means <out>/site.
	Site string `mapstructure:"site"`
	// Inboxes gives a programme's inbox folder in a network of several
	// programmes; a programme not listed reads <inbox>/<programme>.
	Inboxes map[string]string `mapstructure:"inboxes"`
}

// Privacy holds the disclosure-control parameters of every release.
type Privacy struct {
	// K is the k of k-anonymity on the quasi-identifiers.
	K int `mapstructure:"k"`
	// Suppression is the largest share of records (0..1) the release may
	// suppress to reach K.
	Suppression float64 `mapstructure:"suppression"`
	// Threshold is the smallest count published as a number; smaller
	// counts show as "<Threshold".
	Threshold int `mapstructure:"threshold"`
	// Metric names the information-loss metric the search minimises.
	Metric string `mapstructure:"metric"`
}

// Ingest holds the inbox policies.
type Ingest struct {
	// Policy is reject_file (a file with any error is not used) or
	// drop_rows (only the bad rows are left out).
	Policy string `mapstructure:"policy"`
	// DeadlineDays is the number of days after a quarter's end by which a
	// partner's file is due.
	DeadlineDays int `mapstructure:"deadline_days"`
	// Settle is how long a file must keep its size and time before it is
	// read; a file still being written is left for the next run.
	Settle time.Duration `mapstructure:"settle"`
	// Received, when set, is a CSV (partner, quarter, received) that
	// replays when a historic inbox's files arrived; files it does not
	// list count as received when a run first saw them.
	Received string `mapstructure:"received"`
	// MaxFileMB is the largest partner file read, in MB; a larger one is
	// refused with a clear answer (a register export is far smaller).
	MaxFileMB int `mapstructure:"max_file_mb"`
	// MaxColumns is the most named columns a header may have.
	MaxColumns int `mapstructure:"max_columns"`
}

// Partner is one organisation that delivers exports.
type Partner struct {
	// Code is the partner's inbox folder name and its key in every output.
	Code string `mapstructure:"code"`
	// Name is shown on the dashboards.
	Name string `mapstructure:"name"`
	// Region is the first generalisation level above the partner.
	Region string `mapstructure:"region"`
	// Language is the language of the partner's answers: nl, fr or en.
	Language string `mapstructure:"language"`
	// Programme is the programme whose format the partner delivers.
	Programme string `mapstructure:"programme"`
	// Policy overrides Ingest.Policy for this partner when set.
	Policy string `mapstructure:"policy"`
	// Labels adds the partner's own header names and code labels, in the
	// layout of a programme's labels.yaml.
	Labels Labels `mapstructure:"labels"`
	// From and Until bound the quarters (e.g. 2025Q1) for which a file is
	// expected from the partner; empty means no bound.
	From  string `mapstructure:"from"`
	Until string `mapstructure:"until"`
}

// Ingest policies.
const (
	PolicyRejectFile = "reject_file"
	PolicyDropRows   = "drop_rows"
)

// Load reads the configuration: the embedded defaults, then the YAML file
// at path when path is not empty, then DOORSTROOM_* environment variables.
// It checks the result, so a run never starts on a configuration that
// cannot work.
func Load(path string) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	defaults, err := fs.ReadFile(embedded, "doorstroom.yaml")
	if err != nil {
		return nil, fmt.Errorf("config: embedded defaults: %w", err)
	}
	if err := v.ReadConfig(bytes.NewReader(defaults)); err != nil {
		return nil, fmt.Errorf("config: embedded defaults: %w", err)
	}
	if path != "" {
		data, err := readNetworkFile(path)
		if err != nil {
			return nil, err
		}
		if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	v.SetEnvPrefix("DOORSTROOM")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()

	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, fmt.Errorf("config: %s: %w", describe(path), err)
	}
	c.Source = path
	c.FS = embedded
	if c.ProgrammesDir != "" {
		c.FS = os.DirFS(c.ProgrammesDir)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", describe(path), err)
	}
	return &c, nil
}

// readNetworkFile reads a network configuration file; a name without a
// directory that does not exist on disk is looked up among the embedded
// files, so `--config demo.yaml` works from any directory.
func readNetworkFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		return data, nil
	}
	if filepath.Base(path) == path || strings.HasPrefix(path, "config/") {
		if emb, embErr := fs.ReadFile(embedded, strings.TrimPrefix(path, "config/")); embErr == nil {
			return emb, nil
		}
	}
	return nil, fmt.Errorf("config: %w", err)
}

func describe(path string) string {
	if path == "" {
		return "defaults"
	}
	return path
}

// check rejects configurations that cannot produce a safe release.
func (c *Config) check() error {
	switch {
	case len(c.Programmes) == 0:
		return fmt.Errorf("programmes: at least one programme is needed")
	case c.Privacy.K < 2:
		return fmt.Errorf("privacy.k is %d: k-anonymity needs k of at least 2", c.Privacy.K)
	case c.Privacy.Suppression < 0 || c.Privacy.Suppression > 1:
		return fmt.Errorf("privacy.suppression is %v: it is a share between 0 and 1", c.Privacy.Suppression)
	case c.Privacy.Threshold < 1:
		return fmt.Errorf("privacy.threshold is %d: it must be at least 1", c.Privacy.Threshold)
	case c.Ingest.DeadlineDays < 0 || c.Ingest.Settle < 0:
		return fmt.Errorf("ingest.deadline_days and ingest.settle cannot be negative")
	case c.Ingest.MaxFileMB < 0 || c.Ingest.MaxColumns < 0:
		return fmt.Errorf("ingest.max_file_mb and ingest.max_columns cannot be negative")
	case c.Ingest.Policy != PolicyRejectFile && c.Ingest.Policy != PolicyDropRows:
		return fmt.Errorf("ingest.policy is %q: use %s or %s", c.Ingest.Policy, PolicyRejectFile, PolicyDropRows)
	case c.Paths.Inbox == "" || c.Paths.Out == "" || c.Paths.Outbox == "" || c.Paths.Quarantine == "" || c.Paths.State == "":
		return fmt.Errorf("paths: inbox, outbox, quarantine, out and state must all be set")
	}
	if err := c.checkProgrammes(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, p := range c.Partners {
		if !validCode(p.Code) {
			return fmt.Errorf("partners[%d].code %q: use lower-case letters, digits, - and _ only", i, p.Code)
		}
		if seen[p.Programme+"/"+p.Code] {
			return fmt.Errorf("partners[%d].code %q appears twice", i, p.Code)
		}
		seen[p.Programme+"/"+p.Code] = true
		if p.Programme != "" && !slices.Contains(c.Programmes, p.Programme) {
			return fmt.Errorf("partner %s: programme %q is not in programmes %v", p.Code, p.Programme, c.Programmes)
		}
		if p.Language != "" && !slices.Contains(Languages, p.Language) {
			return fmt.Errorf("partner %s: language %q: use one of %v", p.Code, p.Language, Languages)
		}
		if p.Policy != "" && p.Policy != PolicyRejectFile && p.Policy != PolicyDropRows {
			return fmt.Errorf("partner %s: policy %q: use %s or %s", p.Code, p.Policy, PolicyRejectFile, PolicyDropRows)
		}
		for key, q := range map[string]string{"from": p.From, "until": p.Until} {
			if q != "" && !quarterName.MatchString(q) {
				return fmt.Errorf("partner %s: %s %q is not a quarter such as 2026Q1", p.Code, key, q)
			}
		}
	}
	return nil
}

// validCode reports whether s is safe as a folder name and an output key:
// no path separators, dots or spaces, so a partner code can never escape
// the inbox or outbox.
func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ValidCode reports whether s can be a partner code (see validCode); the
// inbox scanner uses it to refuse folder names such as "..".
func ValidCode(s string) bool { return validCode(s) }

// Partner returns the configured partner with the given code.
func (c *Config) Partner(code string) (Partner, bool) {
	for _, p := range c.Partners {
		if p.Code == code {
			return p, true
		}
	}
	return Partner{}, false
}

// PolicyFor returns the ingest policy that applies to a partner.
func (c *Config) PolicyFor(code string) string {
	if p, ok := c.Partner(code); ok && p.Policy != "" {
		return p.Policy
	}
	return c.Ingest.Policy
}

// quarterName is the form of a quarter in configuration: 2026Q1.
var quarterName = regexp.MustCompile(`^\d{4}Q[1-4]$`)

// Languages are the languages of the dashboards and partner answers.
var Languages = []string{"nl", "fr", "en"}
