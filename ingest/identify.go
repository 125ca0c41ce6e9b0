package ingest

import (
	"strings"
)

// Kinds of direct identifier the value detectors recognise in a cell. They
// are mechanisms with checksums or unmistakable shapes, so they live in
// code; the header names that mean an identifier are configuration
// (labels.yaml, identifiers:).
const (
	idNationalNumber = "national_number" // Belgian national register number
	idBSN            = "bsn"             // Dutch citizen service number
	idEmail          = "email"
	idPhone          = "phone"
	idIBAN           = "iban"
)

// valueKinds lists the value detectors' kinds in the order answers name
// them.
var valueKinds = []string{idNationalNumber, idBSN, idEmail, idPhone, idIBAN}

// finding is one identifier-shaped thing in a cell. A bare finding is a
// plain run of 9 or 11 digits: such a run passes the BSN 11-test by chance
// once in 11 and the national-number check about once in 400, so a column
// of numeric case numbers would trip them. Bare findings are therefore
// judged per column (see idColumn); Valid says whether the checksum held.
// Formatted numbers (85.07.30-033.28, 1234.56.789), e-mail addresses,
// phone numbers and IBANs count on their own.
type finding struct {
	kind  string
	bare  bool
	valid bool
}

// scanValue appends to out what identifiers the cell value s looks like.
// It never keeps the value itself.
func scanValue(s string, out []finding) []finding {
	digits, at := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '@':
			at = true
		}
	}
	if at {
		if hasEmail(s) {
			out = append(out, finding{kind: idEmail, valid: true})
		}
	}
	if digits < 9 {
		return out
	}
	if hasIBAN(s) {
		out = append(out, finding{kind: idIBAN, valid: true})
	}
	for start := 0; start < len(s); {
		seg, from, next := nextSegment(s, start)
		start = next
		if seg != "" {
			// A run glued to letters (NL91ABNA0417…, ANT-202400001) is part
			// of a code word: only its bare digit runs are looked at.
			attached := from > 0 && isLetter(s[from-1]) && !isSpaceOrParen(seg[0]) ||
				next < len(s) && isLetter(s[next]) && !isSpaceOrParen(seg[len(seg)-1])
			out = scanSegment(seg, attached, out)
		}
	}
	return out
}

// isSegmentByte reports whether c can be part of a written number: digits,
// the separators people put between digit groups, a leading + and the
// parentheses of "+32 (0)470".
func isSegmentByte(c byte) bool {
	return c >= '0' && c <= '9' || c == ' ' || c == '.' || c == '-' || c == '/' || c == '+' || c == '(' || c == ')' || c == '\t'
}

func isSpaceOrParen(c byte) bool { return c == ' ' || c == '\t' || c == '(' || c == ')' }

// nextSegment returns the next maximal run of number characters at or
// after start that holds a digit, where it starts, and where to continue.
func nextSegment(s string, start int) (string, int, int) {
	i := start
	for i < len(s) && !isSegmentByte(s[i]) {
		i++
	}
	j := i
	hasDigit := false
	for j < len(s) && isSegmentByte(s[j]) {
		if s[j] >= '0' && s[j] <= '9' {
			hasDigit = true
		}
		j++
	}
	if !hasDigit {
		return "", i, j
	}
	return s[i:j], i, j
}

// group is a run of digits in a segment and the separator text before it.
type group struct {
	digits string
	sep    string // separator before the group, "" for the first
}

func (g group) spaced() bool { return strings.ContainsAny(g.sep, " \t") }

// maxWindow bounds the work per segment: a hostile cell of a million
// single digits is read once, not tried in every combination.
const maxWindow = 7

// scanSegment tries every window of consecutive digit groups that starts
// and ends where a person would start or end writing a number (the
// segment's ends or a space), as a national register number, a BSN and a
// phone number. A window inside one already recognised is not tried again,
// so the middle of a spaced national number is not also a phone number.
// An attached segment (glued to letters) is only tried for bare runs.
func scanSegment(seg string, attached bool, out []finding) []finding {
	plus := false
	groups := make([]group, 0, 8)
	sep := ""
	for i := 0; i < len(seg); {
		c := seg[i]
		if c >= '0' && c <= '9' {
			j := i
			for j < len(seg) && seg[j] >= '0' && seg[j] <= '9' {
				j++
			}
			if len(groups) == 0 && strings.HasSuffix(strings.TrimRight(sep, " \t"), "+") {
				plus = true
			}
			groups = append(groups, group{digits: seg[i:j], sep: sep})
			sep = ""
			i = j
			continue
		}
		sep += string(c)
		i++
	}
	var seen [5]bool
	add := func(f finding) {
		k := kindIndex(f.kind)
		if f.bare || !seen[k] {
			out = append(out, f)
			seen[k] = true
		}
	}
	covered := -1
	for i := range groups {
		if i > 0 && !groups[i].spaced() {
			continue
		}
		n := 0
		for j := i; j < len(groups) && j < i+maxWindow; j++ {
			n += len(groups[j].digits)
			if n > 15 {
				break
			}
			if j+1 < len(groups) && !groups[j+1].spaced() || j <= covered {
				continue
			}
			w := groups[i : j+1]
			if attached && len(w) > 1 {
				continue
			}
			matched := false
			if f, ok := nationalNumber(w, n); ok {
				add(f)
				matched = matched || f.valid
			}
			if f, ok := bsn(w, n); ok {
				add(f)
				matched = matched || f.valid
			}
			if !attached && phone(w, n, plus && i == 0) {
				add(finding{kind: idPhone, valid: true})
				matched = true
			}
			if matched {
				covered = max(covered, j)
			}
		}
	}
	return out
}

func kindIndex(kind string) int {
	for i, k := range valueKinds {
		if k == kind {
			return i
		}
	}
	return 0
}

// layout reports whether the window's groups have exactly these lengths.
func layout(w []group, lens ...int) bool {
	if len(w) != len(lens) {
		return false
	}
	for i, g := range w {
		if len(g.digits) != lens[i] {
			return false
		}
	}
	return true
}

func joined(w []group) string {
	var b strings.Builder
	for _, g := range w {
		b.WriteString(g.digits)
	}
	return b.String()
}

// nationalNumber recognises a Belgian national register (or BIS) number:
// 11 digits, bare or written YY.MM.DD-XXX.CC (or grouped 6-3-2, 6-5),
// whose last two digits are 97 minus the first nine modulo 97 (for births
// from 2000, with 2 put before the nine), and whose month and day can be a
// birth date (BIS numbers add 20 or 40 to the month; 00 is an unknown
// month or day).
func nationalNumber(w []group, n int) (finding, bool) {
	if n != 11 {
		return finding{}, false
	}
	bare := layout(w, 11)
	if !bare && !layout(w, 2, 2, 2, 3, 2) && !layout(w, 6, 3, 2) && !layout(w, 6, 5) {
		return finding{}, false
	}
	d := joined(w)
	return finding{kind: idNationalNumber, bare: bare, valid: validNationalNumber(d)}, true
}

func validNationalNumber(d string) bool {
	month := atoi(d[2:4])
	day := atoi(d[4:6])
	if !(month <= 12 || month >= 20 && month <= 32 || month >= 40 && month <= 52) || day > 31 {
		return false
	}
	base := int64(atoi(d[0:9]))
	check := int64(atoi(d[9:11]))
	return 97-base%97 == check || 97-(2_000_000_000+base)%97 == check
}

// bsn recognises a Dutch citizen service number: 9 digits, bare or
// written 1234.56.789 or 123 456 789, passing the 11-test (9×d1 + 8×d2 +
// … + 2×d8 − d9 divisible by 11, and not all zeros).
func bsn(w []group, n int) (finding, bool) {
	if n != 9 {
		return finding{}, false
	}
	bare := layout(w, 9)
	if !bare && !layout(w, 4, 2, 3) && !layout(w, 3, 3, 3) {
		return finding{}, false
	}
	d := joined(w)
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum -= int(d[8] - '0')
	return finding{kind: idBSN, bare: bare, valid: sum%11 == 0 && d != "000000000"}, true
}

// phone recognises a phone number: international (+ or 00, then 9 to 15
// digits, the first not 0) or Belgian/Dutch national (0, a non-zero
// digit, 9 or 10 digits in all). A national number written as one bare
// run counts only with a mobile prefix (04 in Belgium, 06 in the
// Netherlands), since bare runs are also case numbers; written with
// separators it counts unless the groups make a date.
func phone(w []group, n int, plus bool) bool {
	if n < 9 {
		return false // no phone number has fewer digits; "0" alone is a count
	}
	d := joined(w)
	if dateShaped(w) {
		return false
	}
	if plus {
		return n >= 9 && d[0] != '0'
	}
	if strings.HasPrefix(d, "00") {
		rest := d[2:]
		if len(w) == 1 { // bare: only the network's own countries
			return (strings.HasPrefix(rest, "32") || strings.HasPrefix(rest, "31")) && len(rest) >= 10 && len(rest) <= 12
		}
		return len(rest) >= 9 && len(rest) <= 15 && rest[0] != '0'
	}
	if d[0] != '0' || d[1] == '0' || (n != 9 && n != 10) {
		return false
	}
	if len(w) == 1 {
		return n == 10 && (strings.HasPrefix(d, "04") || strings.HasPrefix(d, "06"))
	}
	for _, g := range w {
		if len(g.digits) > 8 {
			return false
		}
	}
	return true
}

// dateShaped reports whether three consecutive groups of the window read
// as a date, 31/03/2026 or 2026-03-31 (the same separator twice and a year
// of the 1900s or 2000s), which phone numbers never contain.
func dateShaped(w []group) bool {
	year := func(g group) bool {
		return len(g.digits) == 4 && (strings.HasPrefix(g.digits, "19") || strings.HasPrefix(g.digits, "20"))
	}
	for i := 0; i+2 < len(w); i++ {
		a, b, c := w[i], w[i+1], w[i+2]
		if b.sep != c.sep || b.spaced() || len(b.digits) > 2 {
			continue
		}
		if len(a.digits) <= 2 && year(c) || year(a) && len(c.digits) <= 2 {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// hasEmail reports whether s holds an e-mail address: a local part, @, and
// a domain with a dot and a top-level label of two or more letters.
func hasEmail(s string) bool {
	for at := strings.IndexByte(s, '@'); at >= 0; {
		i := at
		for i > 0 && isLocalByte(s[i-1]) {
			i--
		}
		j := at + 1
		for j < len(s) && isDomainByte(s[j]) {
			j++
		}
		if i < at && validDomain(strings.TrimRight(s[at+1:j], ".-")) {
			return true
		}
		next := strings.IndexByte(s[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
	return false
}

func isLocalByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-'", c) >= 0 || c >= 0x80
}

func isDomainByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c >= 0x80
}

func validDomain(d string) bool {
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || dot == len(d)-1 {
		return false
	}
	tld := d[dot+1:]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		c := tld[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
