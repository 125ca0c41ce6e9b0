package disclosure

import "testing"

func TestPolicy(t *testing.T) {
	p := Policy{Threshold: 5}
	tests := []struct {
		name     string
		num, den float64
		count    bool // CountOK(num)
		share    bool // ShareOK(num, den)
	}{
		{"both large", 20, 50, true, true},
		{"numerator small", 4, 50, false, false},
		{"numerator at threshold", 5, 50, true, true},
		{"denominator small", 3, 4, false, false},
		{"complement small", 47, 50, true, false},
		{"complement zero", 50, 50, true, true},
		{"zero count", 0, 50, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.CountOK(tt.num); got != tt.count {
				t.Errorf("CountOK(%v) = %v", tt.num, got)
			}
			if got := p.ShareOK(tt.num, tt.den); got != tt.share {
				t.Errorf("ShareOK(%v, %v) = %v", tt.num, tt.den, got)
			}
		})
	}
}
