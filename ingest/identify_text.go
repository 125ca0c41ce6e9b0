package ingest

import "strings"

// IdentifierKinds returns the kinds of direct identifier (national_number,
// bsn, email, phone, iban) that the text s holds, by the same detectors
// that guard the inbox. doorstroom audit uses it on every piece of text of
// a published file. Unlike in a partner's file, where bare runs of 9 or 11
// digits are weighed per column, a bare run counts here when its checksum
// holds; a run glued to letters (a hash, a pseudonym, a code word) does
// not, as published files are full of hex digests.
func IdentifierKinds(s string) []string {
	var fs []finding
	if strings.IndexByte(s, '@') >= 0 && hasEmail(s) {
		fs = append(fs, finding{kind: idEmail, valid: true})
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits >= 9 {
		if hasIBAN(s) {
			fs = append(fs, finding{kind: idIBAN, valid: true})
		}
		for start := 0; start < len(s); {
			seg, from, next := nextSegment(s, start)
			start = next
			if seg == "" {
				continue
			}
			attached := from > 0 && isLetter(s[from-1]) && !isSpaceOrParen(seg[0]) ||
				next < len(s) && isLetter(s[next]) && !isSpaceOrParen(seg[len(seg)-1])
			if !attached {
				fs = scanSegment(seg, false, fs)
			}
		}
	}
	var kinds []string
	seen := map[string]bool{}
	for _, f := range fs {
		if f.valid && !seen[f.kind] {
			seen[f.kind] = true
			kinds = append(kinds, f.kind)
		}
	}
	return kinds
}
