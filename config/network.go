package config

import (
	"fmt"
	"path/filepath"
	"slices"
)

// MultiProgramme reports whether the network lists more than one
// programme. Each programme then has folders of its own (see ForProgramme);
// a network of one programme keeps the folders exactly as configured.
func (c *Config) MultiProgramme() bool { return len(c.Programmes) > 1 }

// ForProgramme is the configuration of one programme of the network, as a
// run of that programme alone sees it: only that programme, only its
// partners, and, in a network of several programmes, folders of its own:
//
//	inbox       paths.inboxes.<p>, else <paths.inbox>/<p>
//	outbox      <paths.outbox>/<p>
//	quarantine  <paths.quarantine>/<p>
//	state       <paths.state>/<p>
//	out         <paths.out>/<p>   (warehouse.duckdb, snapshots/, superseded/)
//	site        <paths.out>/site/<p>  (one section of the network's site)
//
// The pipeline runs every programme through the same stages with this
// configuration, so a programme is configuration, SQL and translations,
// never code of its own.
func (c *Config) ForProgramme(name string) (*Config, error) {
	if !slices.Contains(c.Programmes, name) {
		return nil, fmt.Errorf("config: programme %q is not in programmes %v", name, c.Programmes)
	}
	p := *c
	p.Programmes = []string{name}
	p.Partners = nil
	for _, pt := range c.Partners {
		if pt.Programme == name || pt.Programme == "" && !c.MultiProgramme() {
			p.Partners = append(p.Partners, pt)
		}
	}
	if !c.MultiProgramme() {
		return &p, nil
	}
	p.Paths = Paths{
		Inbox:      filepath.Join(c.Paths.Inbox, name),
		Outbox:     filepath.Join(c.Paths.Outbox, name),
		Quarantine: filepath.Join(c.Paths.Quarantine, name),
		State:      filepath.Join(c.Paths.State, name),
		Out:        filepath.Join(c.Paths.Out, name),
		Site:       filepath.Join(c.SitePath(), name),
	}
	if in := c.Paths.Inboxes[name]; in != "" {
		p.Paths.Inbox = in
	}
	return &p, nil
}

// SitePath is the folder of the dashboards: paths.site, else <out>/site.
func (c *Config) SitePath() string {
	if c.Paths.Site != "" {
		return c.Paths.Site
	}
	return filepath.Join(c.Paths.Out, "site")
}

// checkProgrammes checks what a network of several programmes needs: every
// partner names its programme, and a partner code appears once per
// programme (the same organisation may report on two programmes).
func (c *Config) checkProgrammes() error {
	seen := map[string]bool{}
	for _, p := range c.Programmes {
		if !validCode(p) {
			return fmt.Errorf("programmes: %q: use lower-case letters, digits, - and _ only", p)
		}
		if seen[p] {
			return fmt.Errorf("programmes: %q appears twice", p)
		}
		seen[p] = true
	}
	for name := range c.Paths.Inboxes {
		if !seen[name] {
			return fmt.Errorf("paths.inboxes: %q is not in programmes %v", name, c.Programmes)
		}
	}
	if !c.MultiProgramme() {
		return nil
	}
	for i, p := range c.Partners {
		if p.Programme == "" {
			return fmt.Errorf("partners[%d] (%s): a network of several programmes needs each partner's programme", i, p.Code)
		}
	}
	return nil
}
