package dashboards

import "testing"

// splitPairs must agree with joinPairs for every value of the key, or a
// table row would look up another breakdown than its own.
func TestSplitPairsAgreesWithJoinPairs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pairs map[string]string
		key   string
	}{
		{"alone", map[string]string{}, "class"},
		{"first", map[string]string{"type": "work", "months": "6"}, "class"},
		{"last", map[string]string{"class": "durable", "months": "6"}, "type"},
		{"middle", map[string]string{"a": "1", "z": "2"}, "m"},
		{"key already set", map[string]string{"class": "old", "type": "work"}, "class"},
		{"keys sorting around =", map[string]string{"a": "1", "a-b": "2", "a_b": "3"}, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"", "x", "12"} {
				p := clonePairs(tc.pairs)
				p[tc.key] = v
				prefix, suffix := splitPairs(tc.pairs, tc.key)
				if got, want := prefix+v+suffix, joinPairs(p); got != want {
					t.Errorf("value %q: %q, want %q", v, got, want)
				}
			}
		})
	}
}
