package audit

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// MinCaseIDLength is the shortest case number searched: shorter ones (a
// numeric case number 1234) cannot be told from the counts and years of a
// published page.
const MinCaseIDLength = 6

// prefixLen is the length of the index key of an idSet.
const prefixLen = MinCaseIDLength

// idSet finds case numbers in bytes: an index by their first bytes, and
// a match only where the case number is not part of a longer word or
// number.
type idSet struct {
	byPrefix map[string][]string
	n        int
}

func newIDSet() *idSet { return &idSet{byPrefix: map[string][]string{}} }

// add adds a case number; it reports false for one too short to search.
func (s *idSet) add(id string) bool {
	if len(id) < MinCaseIDLength {
		return false
	}
	p := id[:prefixLen]
	for _, have := range s.byPrefix[p] {
		if have == id {
			return true
		}
	}
	s.byPrefix[p] = append(s.byPrefix[p], id)
	s.n++
	return true
}

// scan calls found for every case number in data, with its offset and
// length.
func (s *idSet) scan(data []byte, found func(off, n int)) {
	if s.n == 0 {
		return
	}
	for i := 0; i+prefixLen <= len(data); i++ {
		if i > 0 && isWordByte(data[i-1]) {
			continue
		}
		cands, ok := s.byPrefix[string(data[i:i+prefixLen])]
		if !ok {
			continue
		}
		for _, id := range cands {
			end := i + len(id)
			if end <= len(data) && string(data[i:end]) == id && (end == len(data) || !isWordByte(data[end])) {
				found(i, len(id))
				break
			}
		}
	}
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// keyForms are the ways a key can be written: its bytes, hex and base64.
func keyForms(key []byte) [][]byte {
	if len(key) == 0 {
		return nil
	}
	h := hex.EncodeToString(key)
	forms := []string{string(key), h, strings.ToUpper(h),
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key)}
	var out [][]byte
	seen := map[string]bool{}
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, []byte(f))
		}
	}
	return out
}
