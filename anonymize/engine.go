package anonymize

import "math"

// engine evaluates the nodes of one table's generalisation lattice under
// one privacy model. It keeps the class counts of the nodes it has
// grouped, so that later nodes are rolled up from the smallest known more
// specific node rather than from the rows.
type engine struct {
	t     *Table
	p     Privacy
	g     *grouper
	lat   *lattice
	hist  []*sensHist // per sensitive attribute
	rules []tableRule
	// masked is true when every diversity rule is checked from value
	// masks that come along with the classes (masks.go) instead of
	// histograms.
	masked bool
	// maskAt is where each ruled attribute's field starts in a mask,
	// and maskBits how many bits the fields take.
	maskAt   []uint
	maskBits int
	budget   int
	// kMono is the class size below which a class is certainly
	// suppressed: k, raised to ceil(l) for diversity rules on attributes
	// that are never unknown (an l-diverse class then has l records).
	kMono  int
	n      float64
	gF, sF float64
	// w is the weight of each quasi-identifier, normalised as ARX does.
	w []float64

	// cache holds the classes of grouped nodes kept as roll-up sources
	// (cache.go), cached the same by node.
	cache      []*classTable
	cached     map[int]*classTable
	cacheCells int
	tick       uint64
	checked    []bool
	nChecked   int
	scratch    [][]int32
	// histCells counts the entries of the class histograms kept with
	// cached classes, within maxHistCells.
	histCells int
	toSrc     []int32 // scratch: each source class's class in a roll-up
	// histScratch holds the dense counts of a histogram roll-up.
	histScratch []int32
	// last is the classes of the node checked last (lastNode), kept
	// outside the cache so that evaluating a node just checked needs
	// no second roll-up.
	last     *classTable
	lastNode int
	// lastSrc and lastTo are the source of last and each source class's
	// class in it, while last's histograms are still to be rolled up.
	lastSrc *classTable
	lastTo  []int32
	// recycling is true while the search runs: the arrays of evicted
	// class tables are then filled again (recycle.go).
	recycling bool
}

// tableRule is a diversity rule bound to a sensitive column.
type tableRule struct {
	DiversityRule
	attr int
}

// maxCacheCells bounds the classes kept for roll-ups (16 bytes each for
// a release: a packed tuple, a count and a mask).
var maxCacheCells = 1 << 23

// sourceShare: a node is kept for roll-ups only when it has at most
// 1/sourceShare of the bottom's classes; a larger one saves little over
// rolling up from the bottom and would crowd out the small ones.
const sourceShare = 4

// maxHistCells bounds the class histogram entries kept with cached classes
// (8 bytes each).
const maxHistCells = 1 << 22

func newEngine(t *Table, p Privacy) (*engine, error) {
	if err := p.check(t); err != nil {
		return nil, err
	}
	heights := make([]int, len(t.qis))
	for q, c := range t.qis {
		heights[q] = c.hier.Height()
	}
	lo, hi := p.levelLimits(t)
	lat, err := newLattice(heights, lo, hi)
	if err != nil {
		return nil, err
	}
	e := &engine{t: t, p: p, lat: lat, budget: p.maxSuppressed(t.rows), kMono: p.K,
		n: float64(t.rows), w: p.weights(t), cached: map[int]*classTable{}, checked: make([]bool, lat.size)}
	e.gF, e.sF = factors(p.GSFactor)
	e.g = newGrouper(t, significanceOrder(t, lat))
	for _, c := range t.sens {
		e.hist = append(e.hist, newSensHist(c, e.g.rowClass, e.g.bottom.len()))
	}
	e.g.bottom.hist = e.hist
	for _, r := range p.Diversity {
		a := t.sensitive(r.Attribute)
		e.rules = append(e.rules, tableRule{DiversityRule: r, attr: a})
		if !t.sens[a].hasEmpty {
			e.kMono = max(e.kMono, int(math.Ceil(r.L)))
		}
	}
	e.scratch = make([][]int32, len(e.rules))
	if e.masked = e.maskable(); e.masked {
		e.g.bottom.hist = nil
		cols := make([]*sensColumn, len(t.sens))
		for _, r := range e.rules {
			cols[r.attr] = t.sens[r.attr]
		}
		e.g.bottom.masks = bottomMasks(cols, e.maskAt, e.maskBits, e.g.rowClass, e.g.bottom.len())
	}
	// The distinct original tuples are the classes of the all-0 node,
	// which is a node of the lattice unless minimum levels exclude it;
	// either way every node rolls up from them.
	node := -1
	if lat.contains(e.g.bottom.levels) {
		node = lat.index(e.g.bottom.levels)
	}
	e.remember(node, e.g.bottom)
	return e, nil
}

// classes returns the classes at a node, rolled up from the smallest
// grouped node below it. With mapping it rolls up from the bottom and
// also returns each bottom class's class, which the release needs. With a
// limit it returns nil once the node has more classes than that. When the
// model has diversity rules, the classes come with their histograms of
// every sensitive attribute, rolled up along (from grouped nodes that
// have them), so l-diversity never goes back to the bottom classes.
func (e *engine) classes(node int, levels []int, mapping bool, limit int) (*classTable, []int32) {
	if mapping {
		m := make([]int32, e.g.bottom.len())
		cls := e.g.rollUp(e.g.bottom, levels, m, limit)
		e.noteChecked(node)
		if cls != nil && e.masked {
			e.addMasks(cls, e.g.bottom, m)
		}
		if cls != nil && e.cached[node] == nil {
			e.remember(node, &classTable{levels: cls.levels, tuples: cls.tuples, count: cls.count, masks: cls.masks, ordered: cls.ordered})
		}
		return cls, m
	}
	// A full evaluation needs the histograms; a check with a limit does
	// not, and rolls up from the smallest node below whatever it holds
	// (histograms come along when the source has them).
	needHist := len(e.rules) > 0 && !e.masked && limit == math.MaxInt
	cached := e.cached[node]
	if cached != nil && (!needHist || cached.hist != nil) {
		e.touch(cached)
		return cached, nil
	}
	if l := e.last; l != nil && e.lastNode == node && (!needHist || l.hist != nil || e.lastTo != nil) {
		if needHist && l.hist == nil {
			e.rollHist(l, e.lastSrc, e.lastTo)
			e.lastSrc, e.lastTo = nil, nil
		}
		return l, nil
	}
	src := e.source(levels, needHist)
	diverse := len(e.rules) > 0 && src.hist != nil
	var to []int32
	if diverse || e.masked {
		if cap(e.toSrc) < src.len() {
			e.toSrc = make([]int32, src.len())
		}
		to = e.toSrc[:src.len()]
	}
	cls := e.g.rollUp(src, levels, to, limit)
	e.noteChecked(node)
	e.last, e.lastNode, e.lastSrc, e.lastTo = cls, node, nil, nil
	if cls == nil {
		return nil, nil
	}
	if e.masked {
		e.addMasks(cls, src, to)
	}
	if cls.len() > e.g.bottom.len()/sourceShare {
		// Too large to keep as a source: its histograms are rolled up
		// only when an evaluation asks for them.
		if diverse && needHist {
			e.rollHist(cls, src, to)
		} else if diverse {
			e.lastSrc, e.lastTo = src, to
		}
		return cls, nil
	}
	cells := 0
	if diverse {
		cells = e.rollHist(cls, src, to)
	}
	keep := cls
	if diverse && e.histCells+cells > maxHistCells {
		keep = &classTable{levels: cls.levels, tuples: cls.tuples, count: cls.count, ordered: cls.ordered}
	}
	switch {
	case cached == nil:
		e.remember(node, keep)
	case keep.hist != nil:
		e.replace(node, cached, keep)
	}
	if e.cached[node] == keep && keep.hist != nil {
		e.histCells += cells
	}
	return cls, nil
}

// rollHist rolls up the histograms of src into those of cls, to giving
// each class of src its class in cls. It returns their entries.
func (e *engine) rollHist(cls, src *classTable, to []int32) int {
	cells := 0
	for _, h := range src.hist {
		var rolled *sensHist
		rolled, e.histScratch = h.rollUp(to, cls.len(), e.histScratch)
		cls.hist = append(cls.hist, rolled)
		cells += rolled.cells()
	}
	return cells
}

func (e *engine) noteChecked(node int) {
	if !e.checked[node] {
		e.checked[node] = true
		e.nChecked++
	}
}

// relaxedFeasible is the monotone part of the privacy model, which the
// lattice search prunes with: at most the budget of records is in classes
// smaller than kMono. Every generalisation of a node that passes passes,
// since its classes are unions of the node's; every node that fails has
// only failing specialisations.
//
// A node that passes has at most (rows-S)/kMono classes of kMono records
// or more and at most S smaller ones, S the suppressed records; so the
// count gives up past rows/kMono + budget*(kMono-1)/kMono classes.
func (e *engine) relaxedFeasible(node int) bool {
	levels := e.lat.levels(node, nil)
	limit := e.t.rows/e.kMono + e.budget*(e.kMono-1)/e.kMono + 1
	e.g.stop = &earlyStop{k: int32(e.kMono), budget: int64(e.budget), keep: e.g.bottom.len() / sourceShare}
	cls, _ := e.classes(node, levels, false, limit)
	e.g.stop = nil
	if cls == nil {
		return false
	}
	supp := 0
	for _, c := range cls.count {
		if int(c) < e.kMono {
			supp += int(c)
			if supp > e.budget {
				return false
			}
		}
	}
	return true
}
