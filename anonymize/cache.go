package anonymize

// The engine keeps the classes of the nodes it groups, so that a later
// node is rolled up from the smallest grouped node below it rather than
// from the bottom (every distinct tuple). On a large table the search
// groups far more nodes than fit in memory, and which ones pay off
// changes as it moves through the lattice: the nodes below the ones it
// visits next are mostly those it used or grouped last. So the cache,
// bounded by maxCacheCells classes, evicts the node that served least
// recently. On the 1M-record release of the benchmark that halves the
// source classes the search reads compared with keeping the first nodes
// that fit.

// source returns the smallest grouped node at or below levels that can
// serve a roll-up (with histograms when needHist), the bottom when none
// is smaller, and marks it used.
func (e *engine) source(levels []int, needHist bool) *classTable {
	src := e.g.bottom
	for _, c := range e.cache {
		if c.len() < src.len() && (!needHist || c.hist != nil) && e.lat.below(c.levels, levels) {
			src = c
		}
	}
	e.touch(src)
	return src
}

// touch marks a cached class table as just used.
func (e *engine) touch(c *classTable) {
	e.tick++
	c.used = e.tick
}

// remember keeps the classes of a node (-1: of levels outside the
// lattice) for later roll-ups, evicting the least recently used nodes
// to stay within the cache's bound. The bottom is never evicted.
func (e *engine) remember(node int, c *classTable) {
	if c.len() > maxCacheCells {
		return
	}
	for e.cacheCells+c.len() > maxCacheCells {
		if !e.evict() {
			return
		}
	}
	c.node = node
	e.touch(c)
	e.cache = append(e.cache, c)
	if node >= 0 {
		e.cached[node] = c
	}
	e.cacheCells += c.len()
}

// evict drops the least recently used node other than the bottom from
// the cache. It returns false when there is none.
func (e *engine) evict() bool {
	victim := -1
	for i, c := range e.cache {
		if c != e.g.bottom && (victim < 0 || c.used < e.cache[victim].used) {
			victim = i
		}
	}
	if victim < 0 {
		return false
	}
	c := e.cache[victim]
	e.cache = append(e.cache[:victim], e.cache[victim+1:]...)
	e.cacheCells -= c.len()
	for _, h := range c.hist {
		e.histCells -= h.cells()
	}
	if c.node >= 0 && e.cached[c.node] == c {
		delete(e.cached, c.node)
	}
	if e.recyclable(c) {
		e.g.spare.put(c)
	}
	return true
}

// replace puts c in old's place in the cache: the same classes, with
// histograms.
func (e *engine) replace(node int, old, c *classTable) {
	c.node, c.used = old.node, old.used
	for i, x := range e.cache {
		if x == old {
			e.cache[i] = c
		}
	}
	e.cached[node] = c
}
