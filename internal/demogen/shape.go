package demogen

import (
	"fmt"
	"strconv"
	"strings"
)

// Network sizes have a shape: a national network is many partners of a
// few tens of thousands of trajectories each, over the same quarters as
// the demo. These bounds keep that shape from 10 k to 5 M trajectories.
const (
	// perPartner is the number of trajectories per partner the shape aims at.
	perPartner = 20000
	// minPartners and maxPartners bound the number of partners: the five
	// demo cities at least, a national network of fifty at most.
	minPartners, maxPartners = 5, 50
)

// Shape returns the options of a network of about total trajectories over
// the given number of quarters: partners of about perPartner trajectories
// each (between minPartners and maxPartners of them), in their own
// dialects, without the demo's flawed file.
func Shape(total, quarters int) Options {
	partners := min(maxPartners, max(minPartners, total/perPartner))
	// A partner's register holds between half and all of Trajectories
	// (simulatePartner), three quarters on average.
	size := (total*4/3 + partners - 1) / partners
	return Options{Partners: partners, Quarters: quarters, Trajectories: max(size, 2)}
}

// ParseSize reads a number of trajectories as a plain number or with a k
// (thousand) or M (million) suffix: 10k, 100k, 1M, 2.5M.
func ParseSize(s string) (int, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "k"), strings.HasSuffix(t, "K"):
		mult, t = 1e3, t[:len(t)-1]
	case strings.HasSuffix(t, "M"), strings.HasSuffix(t, "m"):
		mult, t = 1e6, t[:len(t)-1]
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f*mult < 1 {
		return 0, fmt.Errorf("size %q: want a number of trajectories such as 10000, 10k or 1M", s)
	}
	return int(f * mult), nil
}

// FormatSize writes a number of trajectories the way ParseSize reads it,
// with k or M when it is a round number of them.
func FormatSize(n int) string {
	switch {
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%dM", n/1e6)
	case n >= 1e3 && n%1e3 == 0:
		return fmt.Sprintf("%dk", n/1e3)
	}
	return strconv.Itoa(n)
}
