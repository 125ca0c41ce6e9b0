package disclosure

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

var policy5 = Policy{Threshold: 5}

// grid builds a two-way table of counts with a total per row, a total per
// column and a grand total: idx[i][j] is the cell of row i, column j, and
// the last row and column are the totals. Counts below the threshold are
// primary and marked.
func grid(p Policy, inner [][]float64) (*Table, [][]int) {
	t := &Table{}
	rows, cols := len(inner), len(inner[0])
	idx := make([][]int, rows+1)
	for i := range idx {
		idx[i] = make([]int, cols+1)
	}
	add := func(v float64) int {
		return t.Add(Cell{Value: v, Primary: !p.CountOK(v), Marked: true})
	}
	grand := 0.0
	colSum := make([]float64, cols)
	for i := 0; i < rows; i++ {
		rowSum := 0.0
		for j := 0; j < cols; j++ {
			idx[i][j] = add(inner[i][j])
			rowSum += inner[i][j]
			colSum[j] += inner[i][j]
		}
		idx[i][cols] = add(rowSum)
		grand += rowSum
	}
	for j := 0; j < cols; j++ {
		idx[rows][j] = add(colSum[j])
	}
	idx[rows][cols] = add(grand)
	for i := 0; i <= rows; i++ {
		must(t.Relate(Sum(idx[i][cols], idx[i][:cols]...)))
	}
	for j := 0; j <= cols; j++ {
		parts := make([]int, rows)
		for i := 0; i < rows; i++ {
			parts[i] = idx[i][j]
		}
		must(t.Relate(Sum(idx[rows][j], parts...)))
	}
	return t, idx
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// maxValue is the largest cell of a table: no withheld count can exceed it
// (every cell is at most its total); twice it bounds the oracle's search
// with room to spare, so no cap makes a cell look determined.
func maxValue(t *Table) int {
	m := 0.0
	for _, c := range t.Cells {
		m = max(m, c.Value)
	}
	return int(m)
}

// checkSafe asserts that every primary cell is withheld, and that neither
// the audit nor exhaustive enumeration can recover any withheld cell.
func checkSafe(t *testing.T, p Policy, tab *Table, st []Status) {
	t.Helper()
	for i, c := range tab.Cells {
		if c.Primary && st[i] != BelowThreshold {
			t.Errorf("primary cell %d (%g) is %v", i, c.Value, st[i])
		}
	}
	rec, err := p.Recoverable(tab, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) > 0 {
		t.Errorf("audit recovers cells %v", rec)
	}
	amb, _ := oracle(p, tab, st, 2*maxValue(tab)+10)
	for cell, ok := range amb {
		if !ok {
			t.Errorf("enumeration recovers cell %d = %g", cell, tab.Cells[cell].Value)
		}
	}
}

func withheld(st []Status) []int {
	var out []int
	for i, s := range st {
		if s.Withheld() {
			out = append(out, i)
		}
	}
	return out
}

// TestProtectTemptingTables runs secondary suppression on tables built so
// that primary suppression alone leaks, and checks both that the leak is
// real (the audit and the enumeration find it before protection) and that
// it is gone after.
func TestProtectTemptingTables(t *testing.T) {
	tests := []struct {
		name  string
		build func() *Table
	}{
		{"network is the sum of its partners, one partner small", func() *Table {
			// network 35 = 12 + 3 + 20: with only the 3 withheld, it is
			// 35 - 12 - 20.
			tab := &Table{}
			net := tab.Add(Cell{Value: 35, Marked: true})
			a := tab.Add(Cell{Value: 12, Marked: true})
			b := tab.Add(Cell{Value: 3, Primary: true, Marked: true})
			c := tab.Add(Cell{Value: 20, Marked: true})
			must(tab.Relate(Sum(net, a, b, c)))
			return tab
		}},
		{"partners by class with network row and total column", func() *Table {
			tab, _ := grid(policy5, [][]float64{
				{12, 2, 9, 7},
				{20, 8, 15, 11},
				{6, 9, 30, 10},
			})
			return tab
		}},
		{"two small cells in one row, none in their columns", func() *Table {
			// Row 0 has two small cells, so its row relation is fine, but
			// each column has a lone small cell.
			tab, _ := grid(policy5, [][]float64{
				{3, 4, 20},
				{10, 12, 8},
				{9, 7, 6},
			})
			return tab
		}},
		{"class totals of type counts", func() *Table {
			// durable = legal_residence + voluntary_return + onward_migration,
			// semi_durable = new_asylum + medical, all = durable + semi_durable.
			tab := &Table{}
			legal := tab.Add(Cell{Value: 10, Marked: true})
			voluntary := tab.Add(Cell{Value: 2, Primary: true, Marked: true})
			onward := tab.Add(Cell{Value: 8, Marked: true})
			asylum := tab.Add(Cell{Value: 7, Marked: true})
			medical := tab.Add(Cell{Value: 6, Marked: true})
			durable := tab.Add(Cell{Value: 20, Marked: true})
			semi := tab.Add(Cell{Value: 13, Marked: true})
			all := tab.Add(Cell{Value: 33, Marked: true})
			must(tab.Relate(Sum(durable, legal, voluntary, onward)))
			must(tab.Relate(Sum(semi, asylum, medical)))
			must(tab.Relate(Sum(all, durable, semi)))
			must(tab.Relate(Sum(all, legal, voluntary, onward, asylum, medical)))
			return tab
		}},
		{"types and classes per partner with the network as total", func() *Table {
			// Two partners and the network; per entity: class A = t1 + t2,
			// class B = t3; per type and class: network = p + q. Partner
			// q's t1 is small; subtracting partner totals from the network
			// class would give it back.
			tab := &Table{}
			vals := map[string][3]float64{ // p, q, network
				"t1": {9, 3, 12}, "t2": {6, 11, 17}, "t3": {8, 14, 22},
			}
			cell := map[string][3]int{}
			for _, name := range []string{"t1", "t2", "t3"} {
				var ids [3]int
				for e := 0; e < 3; e++ {
					v := vals[name][e]
					ids[e] = tab.Add(Cell{Value: v, Primary: !policy5.CountOK(v), Marked: true})
				}
				cell[name] = ids
			}
			var classA [3]int
			for e := 0; e < 3; e++ {
				classA[e] = tab.Add(Cell{Value: vals["t1"][e] + vals["t2"][e], Marked: true})
				must(tab.Relate(Sum(classA[e], cell["t1"][e], cell["t2"][e])))
			}
			must(tab.Relate(Sum(classA[2], classA[0], classA[1])))
			for _, name := range []string{"t1", "t2", "t3"} {
				must(tab.Relate(Sum(cell[name][2], cell[name][0], cell[name][1])))
			}
			return tab
		}},
		{"zeros pinned by a published total", func() *Table {
			// total 7 = 7 + 0 + 0: the two zeros add up to 0, so both are 0.
			tab := &Table{}
			total := tab.Add(Cell{Value: 7, Marked: true})
			a := tab.Add(Cell{Value: 7, Marked: true})
			b := tab.Add(Cell{Value: 0, Primary: true, Marked: true})
			c := tab.Add(Cell{Value: 0, Primary: true, Marked: true})
			must(tab.Relate(Sum(total, a, b, c)))
			return tab
		}},
		{"marks pin a pair", func() *Table {
			// x + y = 9 with x marked "<5" and y withheld to protect it
			// (so y is at least 5) would pin x = 4, y = 5 if y were the
			// complement; the method must choose or add so it cannot.
			tab := &Table{}
			total := tab.Add(Cell{Value: 9, Marked: true})
			x := tab.Add(Cell{Value: 4, Primary: true, Marked: true})
			y := tab.Add(Cell{Value: 5, Marked: true})
			must(tab.Relate(Sum(total, x, y)))
			return tab
		}},
		{"share numerators across partners", func() *Table {
			// Per partner a share num/den: num and rest = den - num are
			// withheld together; dens are published; the network's num and
			// rest are the sums of the partners'.
			tab := &Table{}
			type share struct{ num, den float64 }
			shares := []share{{20, 50}, {3, 40}, {15, 30}, {25, 60}}
			var nums, rests, dens []int
			netNum, netDen := 0.0, 0.0
			for i, s := range shares {
				primary := !policy5.ShareOK(s.num, s.den)
				nums = append(nums, tab.Add(Cell{Value: s.num, Primary: primary, Group: i + 1}))
				rests = append(rests, tab.Add(Cell{Value: s.den - s.num, Primary: primary, Group: i + 1}))
				dens = append(dens, tab.Add(Cell{Value: s.den, Marked: true}))
				must(tab.Relate(Relation{{dens[i], 1}, {nums[i], -1}, {rests[i], -1}}))
				netNum += s.num
				netDen += s.den
			}
			n := tab.Add(Cell{Value: netNum, Group: 99})
			r := tab.Add(Cell{Value: netDen - netNum, Group: 99})
			d := tab.Add(Cell{Value: netDen, Marked: true})
			must(tab.Relate(Relation{{d, 1}, {n, -1}, {r, -1}}))
			must(tab.Relate(Sum(n, nums...)))
			must(tab.Relate(Sum(r, rests...)))
			must(tab.Relate(Sum(d, dens...)))
			return tab
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := tt.build()
			primary := make([]Status, len(tab.Cells))
			for i, c := range tab.Cells {
				if c.Primary {
					primary[i] = BelowThreshold
				}
			}
			// The table tempts: with primary suppression alone, something
			// is recovered, by the audit and by enumeration alike.
			rec, err := policy5.Recoverable(tab, primary)
			if err != nil {
				t.Fatal(err)
			}
			amb, _ := oracle(policy5, tab, primary, 2*maxValue(tab)+10)
			leaks := 0
			for _, ok := range amb {
				if !ok {
					leaks++
				}
			}
			if leaks == 0 {
				t.Fatalf("the table does not tempt: primary suppression alone is safe")
			}
			if len(rec) == 0 {
				t.Errorf("the audit misses the leak of primary suppression alone (enumeration finds %d)", leaks)
			}
			st, err := policy5.Protect(tab)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, policy5, tab, st)
			t.Logf("withheld %v", withheld(st))
		})
	}
}

// TestProtectMinimalComplement checks that the complement chosen for a lone
// small cell is the smallest other part, not the total or a large part.
func TestProtectMinimalComplement(t *testing.T) {
	tab := &Table{}
	net := tab.Add(Cell{Value: 35, Marked: true})
	a := tab.Add(Cell{Value: 12, Marked: true})
	b := tab.Add(Cell{Value: 3, Primary: true, Marked: true})
	c := tab.Add(Cell{Value: 20, Marked: true})
	must(tab.Relate(Sum(net, a, b, c)))
	st, err := policy5.Protect(tab)
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{Published, Protecting, BelowThreshold, Published}
	if !slices.Equal(st, want) {
		t.Errorf("got %v, want %v", st, want)
	}
}

// TestProtectRandomTables protects random two-way tables with totals,
// many of whose cells are small, and checks each against exhaustive
// enumeration.
func TestProtectRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	n := 150
	if testing.Short() {
		n = 30
	}
	for k := 0; k < n; k++ {
		rows, cols := 2+rng.IntN(2), 2+rng.IntN(3)
		inner := make([][]float64, rows)
		for i := range inner {
			inner[i] = make([]float64, cols)
			for j := range inner[i] {
				if rng.IntN(3) == 0 {
					inner[i][j] = float64(rng.IntN(5))
				} else {
					inner[i][j] = float64(5 + rng.IntN(12))
				}
			}
		}
		t.Run(fmt.Sprint(inner), func(t *testing.T) {
			tab, _ := grid(policy5, inner)
			st, err := policy5.Protect(tab)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, policy5, tab, st)
		})
	}
}

// TestAuditAgreesWithEnumeration withholds random cells of random tables
// (not a protected pattern) and checks that every cell enumeration can
// recover, the audit recovers too: the audit is what Protect trusts.
func TestAuditAgreesWithEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	n := 300
	if testing.Short() {
		n = 50
	}
	missed, found := 0, 0
	for k := 0; k < n; k++ {
		rows, cols := 2+rng.IntN(2), 2+rng.IntN(2)
		inner := make([][]float64, rows)
		for i := range inner {
			inner[i] = make([]float64, cols)
			for j := range inner[i] {
				inner[i][j] = float64(rng.IntN(14))
			}
		}
		tab, _ := grid(policy5, inner)
		st := make([]Status, len(tab.Cells))
		for i, c := range tab.Cells {
			switch {
			case c.Primary:
				st[i] = BelowThreshold
			case rng.IntN(3) == 0:
				st[i] = Protecting
			}
		}
		rec, err := policy5.Recoverable(tab, st)
		if err != nil {
			t.Fatal(err)
		}
		amb, _ := oracle(policy5, tab, st, 2*maxValue(tab)+10)
		for cell, ok := range amb {
			if ok {
				if slices.Contains(rec, cell) {
					t.Errorf("%v %v: audit says cell %d is recovered, enumeration finds it ambiguous", inner, st, cell)
				}
				continue
			}
			found++
			if !slices.Contains(rec, cell) {
				missed++
				t.Errorf("%v %v: enumeration recovers cell %d = %g, the audit does not", inner, st, cell, tab.Cells[cell].Value)
			}
		}
	}
	if found == 0 {
		t.Error("no random pattern leaked: the test shows nothing")
	}
	t.Logf("%d recoverable cells found by enumeration, %d missed by the audit", found, missed)
}

// linked builds the outflow tables of a small network: per partner (rows
// of types) and for the network (their sum), four type counts, two class
// counts (types 0+1 and 2+3) and the partner's total exits. Its relations
// interlock: the network sums partners for every type, class and total,
// and every entity's classes sum its types.
func linked(p Policy, types [][]float64) *Table {
	t := &Table{}
	add := func(v float64) int { return t.Add(Cell{Value: v, Primary: !p.CountOK(v), Marked: true}) }
	ents := len(types) + 1
	typ := make([][]int, ents)
	class := make([][]int, ents)
	total := make([]int, ents)
	net := make([]float64, 4)
	for _, vals := range types {
		for k := range net {
			net[k] += vals[k]
		}
	}
	for e := 0; e < ents; e++ {
		vals := net
		if e < len(types) {
			vals = types[e]
		}
		typ[e] = []int{add(vals[0]), add(vals[1]), add(vals[2]), add(vals[3])}
		class[e] = []int{add(vals[0] + vals[1]), add(vals[2] + vals[3])}
		total[e] = add(vals[0] + vals[1] + vals[2] + vals[3])
		must(t.Relate(Sum(class[e][0], typ[e][0], typ[e][1])))
		must(t.Relate(Sum(class[e][1], typ[e][2], typ[e][3])))
		must(t.Relate(Sum(total[e], class[e][0], class[e][1])))
	}
	n := ents - 1
	column := func(get func(e int) int) {
		parts := make([]int, n)
		for e := 0; e < n; e++ {
			parts[e] = get(e)
		}
		must(t.Relate(Sum(get(n), parts...)))
	}
	for k := 0; k < 4; k++ {
		column(func(e int) int { return typ[e][k] })
	}
	for k := 0; k < 2; k++ {
		column(func(e int) int { return class[e][k] })
	}
	column(func(e int) int { return total[e] })
	return t
}

// TestProtectRandomLinkedTables protects random linked type/class/partner
// tables and checks each against exhaustive enumeration.
func TestProtectRandomLinkedTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 3))
	n := 60
	if testing.Short() {
		n = 15
	}
	for k := 0; k < n; k++ {
		types := make([][]float64, 2+rng.IntN(2))
		for i := range types {
			types[i] = make([]float64, 4)
			for j := range types[i] {
				if rng.IntN(3) == 0 {
					types[i][j] = float64(rng.IntN(5))
				} else {
					types[i][j] = float64(5 + rng.IntN(8))
				}
			}
		}
		t.Run(fmt.Sprint(types), func(t *testing.T) {
			tab := linked(policy5, types)
			st, err := policy5.Protect(tab)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, policy5, tab, st)
		})
	}
}

// TestAuditAgreesOnLinkedTables is TestAuditAgreesWithEnumeration on the
// interlocking type/class/partner tables.
func TestAuditAgreesOnLinkedTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	n := 200
	if testing.Short() {
		n = 40
	}
	found := 0
	for k := 0; k < n; k++ {
		types := make([][]float64, 2+rng.IntN(2))
		for i := range types {
			types[i] = make([]float64, 4)
			for j := range types[i] {
				types[i][j] = float64(rng.IntN(12))
			}
		}
		tab := linked(policy5, types)
		st := make([]Status, len(tab.Cells))
		for i, c := range tab.Cells {
			switch {
			case c.Primary:
				st[i] = BelowThreshold
			case rng.IntN(4) == 0:
				st[i] = Protecting
			}
		}
		rec, err := policy5.Recoverable(tab, st)
		if err != nil {
			t.Fatal(err)
		}
		amb, _ := oracle(policy5, tab, st, 2*maxValue(tab)+10)
		for cell, ok := range amb {
			if ok == slices.Contains(rec, cell) {
				t.Errorf("%v %v: cell %d = %g: enumeration says ambiguous=%v, audit says recovered=%v",
					types, st, cell, tab.Cells[cell].Value, ok, !ok)
			}
			if !ok {
				found++
			}
		}
	}
	if found == 0 {
		t.Error("no random pattern leaked: the test shows nothing")
	}
	t.Logf("%d recoverable cells found by enumeration", found)
}

// TestProtectFixedIncidentalReal covers the cells a release shares with
// another one: fixed cells are never chosen as complements, incidental
// cells may be worked out, and real-valued cells (estimates adding up to
// one) are audited without rounding.
func TestProtectFixedIncidentalReal(t *testing.T) {
	t.Run("fixed cells are not complements", func(t *testing.T) {
		// total = a + b + c with b small; a is published elsewhere, so the
		// complement must be c although a is cheaper.
		tab := &Table{}
		total := tab.Add(Cell{Value: 40, Marked: true})
		a := tab.Add(Cell{Value: 6, Marked: true, Fixed: true})
		b := tab.Add(Cell{Value: 2, Primary: true, Marked: true})
		c := tab.Add(Cell{Value: 32, Marked: true})
		must(tab.Relate(Sum(total, a, b, c)))
		st, err := policy5.Protect(tab)
		if err != nil {
			t.Fatal(err)
		}
		if st[a] != Published || st[c] != Protecting {
			t.Errorf("got %v", st)
		}
	})
	t.Run("nothing but fixed cells left", func(t *testing.T) {
		tab := &Table{}
		total := tab.Add(Cell{Value: 8, Marked: true, Fixed: true})
		a := tab.Add(Cell{Value: 6, Marked: true, Fixed: true})
		b := tab.Add(Cell{Value: 2, Primary: true, Marked: true})
		must(tab.Relate(Sum(total, a, b)))
		if _, err := policy5.Protect(tab); err == nil {
			t.Error("a leak through fixed cells only must be an error")
		}
	})
	t.Run("incidental cells may be worked out", func(t *testing.T) {
		tab := &Table{}
		den := tab.Add(Cell{Value: 40, Primary: true, Incidental: true, Group: 1})
		num := tab.Add(Cell{Value: 3, Primary: true, Group: 1})
		active := tab.Add(Cell{Value: 40, Marked: true})
		must(tab.Relate(Relation{{Cell: den, Coef: 1}, {Cell: active, Coef: -1}}))
		_ = num
		st := []Status{BelowThreshold, BelowThreshold, Published}
		rec, err := policy5.Recoverable(tab, st)
		if err != nil || len(rec) != 0 {
			t.Errorf("recoverable %v, %v", rec, err)
		}
	})
	t.Run("estimates that add up to one", func(t *testing.T) {
		// survival + incidence(a) + incidence(b) = 1, with incidence(b)
		// withheld: it is 1 minus the others unless one more is withheld.
		tab := &Table{}
		one := tab.Add(Cell{Value: 1, Real: true, Fixed: true})
		s := tab.Add(Cell{Value: 0.62, Real: true})
		ia := tab.Add(Cell{Value: 0.25, Real: true})
		ib := tab.Add(Cell{Value: 0.13, Real: true, Primary: true})
		must(tab.Relate(Relation{{Cell: one, Coef: -1}, {Cell: s, Coef: 1}, {Cell: ia, Coef: 1}, {Cell: ib, Coef: 1}}))
		primary := []Status{Published, Published, Published, BelowThreshold}
		if rec, _ := policy5.Recoverable(tab, primary); !slices.Equal(rec, []int{ib}) {
			t.Errorf("unprotected: recoverable %v, want [%d]", rec, ib)
		}
		st, err := policy5.Protect(tab)
		if err != nil {
			t.Fatal(err)
		}
		if st[ia] != Protecting || st[s] != Published {
			t.Errorf("got %v", st)
		}
		if rec, _ := policy5.Recoverable(tab, st); len(rec) != 0 {
			t.Errorf("protected: recoverable %v", rec)
		}
	})
}
