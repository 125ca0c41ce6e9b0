package metrics

import (
	"math"
	"slices"
)

// secondary suppresses further rows until no equation has exactly one
// suppressed row, since that row could be recovered from the others (a
// partner's count from the network's and the other partners'; an inflow
// from the stock at the start, the outflow and the stock at the end; a
// cumulative incidence from the survival and the other classes).
//
// Of the equation's published rows it suppresses the one with the
// smallest number in the equation, the network's last, so the least
// information is lost; ties go to the first in row order, so a re-run
// suppresses the same rows. Suppressing a row can open another equation,
// so it repeats until nothing changes.
//
// This greedy rule closes every recovery by one subtraction. It does not
// solve the full linear system an attacker could set up from several
// equations at once (the job of an optimal cell-suppression solver); with
// two or more suppressed rows per equation, what remains known is a sum
// of small counts, not any one of them.
func secondary(rows []Row, eqs []equation) {
	for changed := true; changed; {
		changed = false
		for _, eq := range eqs {
			hidden, pick, best := 0, -1, math.Inf(1)
			var done []int
			for i, ri := range eq.rows {
				if slices.Contains(done, ri) {
					continue
				}
				done = append(done, ri)
				r := rows[ri]
				if r.Suppressed {
					hidden++
					continue
				}
				w, ok := field(r, eq.fields[i])
				w = math.Abs(w)
				if !ok {
					w = math.MaxFloat64 / 2
				}
				if eq.partnerSum && r.Partner == NetworkPartner {
					w = math.MaxFloat64 // keep the network's numbers when a partner's will do
				}
				if pick < 0 || w < best {
					pick, best = ri, w
				}
			}
			if hidden == 1 && pick >= 0 {
				rows[pick].Suppressed = true
				changed = true
			}
		}
	}
}
