package anonymize

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"doorstroom/config"
)

// Pseudonymizer computes release pseudonyms: HMAC-SHA-256 with the secret
// key over the release id, the partner code and the case number. Without
// the key a pseudonym cannot be recomputed from a case number; because the
// release id is in the message, the same case has unrelated pseudonyms in
// two releases, so releases cannot be joined on them.
type Pseudonymizer struct {
	mac     hash.Hash
	release string
	buf     []byte
	sum     []byte
}

// NewPseudonymizer prepares pseudonyms for one release.
func NewPseudonymizer(key config.Key, releaseID string) *Pseudonymizer {
	return &Pseudonymizer{mac: hmac.New(sha256.New, key.Bytes()), release: releaseID}
}

// PseudonymLength is the number of hex characters of a pseudonym: 128 bits,
// far beyond collision range for any register.
const PseudonymLength = 32

// Pseudonym returns the pseudonym of a partner's case number. Each part is
// length-prefixed, so ("ab", "c") and ("a", "bc") never collide.
func (p *Pseudonymizer) Pseudonym(partner, caseID string) string {
	return string(p.AppendPseudonym(nil, partner, caseID))
}

// AppendPseudonym appends the pseudonym of a partner's case number, its
// PseudonymLength hex characters, to dst: a release's pseudonyms go into
// one buffer instead of a string each.
func (p *Pseudonymizer) AppendPseudonym(dst []byte, partner, caseID string) []byte {
	p.buf = p.buf[:0]
	for _, part := range []string{p.release, partner, caseID} {
		p.buf = binary.BigEndian.AppendUint32(p.buf, uint32(len(part)))
		p.buf = append(p.buf, part...)
	}
	p.mac.Reset()
	p.mac.Write(p.buf)
	p.sum = p.mac.Sum(p.sum[:0])
	return hex.AppendEncode(dst, p.sum[:PseudonymLength/2])
}
