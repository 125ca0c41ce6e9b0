package anonymize

import (
	"testing"

	"doorstroom/config"
)

func TestPseudonyms(t *testing.T) {
	k1 := testKey(t, "a-secret-key-of-at-least-32-characters!")
	k2 := testKey(t, "another-secret-key-of-32-characters!!")
	a := NewPseudonymizer(k1, "2026Q3-aaaa")
	t.Run("stable for the same release", func(t *testing.T) {
		b := NewPseudonymizer(k1, "2026Q3-aaaa")
		if a.Pseudonym("gent", "GNT-1") != b.Pseudonym("gent", "GNT-1") {
			t.Error("same key, release, partner and case give different pseudonyms")
		}
	})
	t.Run("different across releases", func(t *testing.T) {
		b := NewPseudonymizer(k1, "2026Q3-bbbb")
		if a.Pseudonym("gent", "GNT-1") == b.Pseudonym("gent", "GNT-1") {
			t.Error("two releases share a pseudonym")
		}
	})
	t.Run("different across keys", func(t *testing.T) {
		b := NewPseudonymizer(k2, "2026Q3-aaaa")
		if a.Pseudonym("gent", "GNT-1") == b.Pseudonym("gent", "GNT-1") {
			t.Error("two keys give the same pseudonym")
		}
	})
	t.Run("parts cannot be shifted", func(t *testing.T) {
		if a.Pseudonym("ab", "c") == a.Pseudonym("a", "bc") {
			t.Error("(ab, c) and (a, bc) collide")
		}
	})
	t.Run("length and no case id", func(t *testing.T) {
		p := a.Pseudonym("gent", "GNT-1")
		if len(p) != PseudonymLength {
			t.Errorf("length %d, want %d", len(p), PseudonymLength)
		}
	})
}

// testKey loads a key through the configuration's demo key, the only way
// to make a Key outside package config.
func testKey(t *testing.T, secret string) config.Key {
	t.Helper()
	k, err := config.KeySpec{Env: "DOORSTROOM_TEST_KEY_UNSET", Demo: secret}.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
