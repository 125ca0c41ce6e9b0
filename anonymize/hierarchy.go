package anonymize

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"doorstroom/config"
)

// Suppressed is the value of a quasi-identifier at the top of its
// hierarchy, and of every quasi-identifier of a suppressed record.
const Suppressed = "*"

// Hierarchy generalises the values of one quasi-identifier. Level 0 is the
// value itself and level Height()-1 is always Suppressed. An empty value
// (unknown) stays empty below the top: "unknown" reveals no more when
// generalised.
type Hierarchy interface {
	Height() int
	Generalize(value string, level int) string
}

// BuildHierarchy makes the mechanism for a declared hierarchy. Files named
// by the declaration are read from fsys; partners supply the regions of a
// partner hierarchy.
func BuildHierarchy(name string, spec config.HierarchySpec, fsys fs.FS, partners []config.Partner) (Hierarchy, error) {
	switch spec.Kind {
	case "interval":
		if len(spec.Widths) == 0 {
			return nil, fmt.Errorf("hierarchy %s: an interval hierarchy needs widths", name)
		}
		return intervalHierarchy{widths: spec.Widths, top: spec.Top}, nil
	case "bands":
		var levels [][]int
		for i, l := range spec.Levels {
			bounds, err := intList(l)
			if err != nil || len(bounds) == 0 || !slices.IsSorted(bounds) {
				return nil, fmt.Errorf("hierarchy %s: levels[%d] must be ascending lower bounds", name, i)
			}
			levels = append(levels, bounds)
		}
		return bandsHierarchy{levels: levels}, nil
	case "map":
		var maps []map[string]string
		for i, l := range spec.Levels {
			m, ok := l.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("hierarchy %s: levels[%d] must be a mapping", name, i)
			}
			mm := map[string]string{}
			for k, v := range m {
				mm[k] = fmt.Sprint(v)
			}
			maps = append(maps, mm)
		}
		return mapHierarchy{maps: maps}, nil
	case "table":
		return loadTableHierarchy(name, spec, fsys)
	case "arx":
		return loadARXHierarchyFS(name, spec, fsys)
	case "date":
		return dateHierarchy{}, nil
	case "partner":
		regions := map[string]string{}
		for _, p := range partners {
			regions[p.Code] = p.Region
		}
		return partnerHierarchy{regions: regions}, nil
	}
	return nil, fmt.Errorf("hierarchy %s: unknown kind %q", name, spec.Kind)
}

func intList(v any) ([]int, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not a list")
	}
	out := make([]int, 0, len(items))
	for _, it := range items {
		n, err := strconv.Atoi(fmt.Sprint(it))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// intervalHierarchy groups whole numbers in bands of growing width aligned
// at 0 ("30-34", "30-39", "20-39"); values at or above top form one open
// band ("80+") at every level above 0.
type intervalHierarchy struct {
	widths []int
	top    int
}

func (h intervalHierarchy) Height() int { return len(h.widths) + 2 }

func (h intervalHierarchy) Generalize(v string, level int) string {
	if level == 0 || v == "" {
		return levelOrTop(v, level, h.Height())
	}
	if level >= h.Height()-1 {
		return Suppressed
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return Suppressed
	}
	if h.top > 0 && n >= h.top {
		return strconv.Itoa(h.top) + "+"
	}
	w := h.widths[level-1]
	lo := n / w * w
	if n < 0 {
		lo = (n - w + 1) / w * w
	}
	hi := lo + w - 1
	if h.top > 0 && hi >= h.top {
		hi = h.top - 1
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// bandsHierarchy groups whole numbers by explicit lower bounds per level:
// bounds [0 1 3 5] give "0", "1-2", "3-4", "5+".
type bandsHierarchy struct{ levels [][]int }

func (h bandsHierarchy) Height() int { return len(h.levels) + 2 }

func (h bandsHierarchy) Generalize(v string, level int) string {
	if level == 0 || v == "" {
		return levelOrTop(v, level, h.Height())
	}
	if level >= h.Height()-1 {
		return Suppressed
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return Suppressed
	}
	bounds := h.levels[level-1]
	i := sortSearch(bounds, n)
	if i < 0 {
		return fmt.Sprintf("<%d", bounds[0])
	}
	if i == len(bounds)-1 {
		return fmt.Sprintf("%d+", bounds[i])
	}
	if bounds[i+1]-1 == bounds[i] {
		return strconv.Itoa(bounds[i])
	}
	return fmt.Sprintf("%d-%d", bounds[i], bounds[i+1]-1)
}

// sortSearch returns the index of the last bound at or below n, or -1.
func sortSearch(bounds []int, n int) int {
	i := -1
	for j, b := range bounds {
		if b <= n {
			i = j
		}
	}
	return i
}

// mapHierarchy applies one mapping per level to the value one level down;
// a value a mapping does not list is kept.
type mapHierarchy struct{ maps []map[string]string }

func (h mapHierarchy) Height() int { return len(h.maps) + 2 }

func (h mapHierarchy) Generalize(v string, level int) string {
	if level >= h.Height()-1 {
		return Suppressed
	}
	for _, m := range h.maps[:level] {
		if g, ok := m[strings.ToLower(v)]; ok {
			v = g
		}
	}
	return v
}

// dateHierarchy generalises a month (2026-03) to its quarter (2026Q1) and
// year (2026).
type dateHierarchy struct{}

func (dateHierarchy) Height() int { return 4 }

func (dateHierarchy) Generalize(v string, level int) string {
	if level == 0 || v == "" {
		return levelOrTop(v, level, 4)
	}
	if level >= 3 || len(v) < 7 {
		return Suppressed
	}
	if level == 2 {
		return v[:4]
	}
	m, err := strconv.Atoi(v[5:7])
	if err != nil {
		return Suppressed
	}
	return fmt.Sprintf("%sQ%d", v[:4], (m-1)/3+1)
}

// partnerHierarchy generalises a partner to its region.
type partnerHierarchy struct{ regions map[string]string }

func (partnerHierarchy) Height() int { return 3 }

func (h partnerHierarchy) Generalize(v string, level int) string {
	switch level {
	case 0:
		return v
	case 1:
		if r := h.regions[v]; r != "" {
			return r
		}
		return Suppressed
	}
	return Suppressed
}

func levelOrTop(v string, level, height int) string {
	if level >= height-1 {
		return Suppressed
	}
	return v
}

// LoadHierarchies builds every hierarchy the configuration declares.
func LoadHierarchies(cfg *config.Config) (map[string]Hierarchy, error) {
	specs, err := cfg.Hierarchies()
	if err != nil {
		return nil, err
	}
	out := map[string]Hierarchy{}
	for name, spec := range specs {
		h, err := BuildHierarchy(name, spec, cfg.FS, cfg.Partners)
		if err != nil {
			return nil, err
		}
		out[name] = h
	}
	return out, nil
}
