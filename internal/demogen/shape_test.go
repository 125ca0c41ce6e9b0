package demogen

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		bad  bool
	}{
		{in: "10k", want: 10000}, {in: "100K", want: 100000}, {in: "1M", want: 1000000},
		{in: "2.5M", want: 2500000}, {in: "12345", want: 12345}, {in: "x", bad: true}, {in: "0", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSize(tc.in)
			if tc.bad != (err != nil) || got != tc.want {
				t.Fatalf("ParseSize(%q) = %d, %v", tc.in, got, err)
			}
			if !tc.bad && tc.in != "2.5M" && tc.in != "100K" && FormatSize(got) != tc.in {
				t.Fatalf("FormatSize(%d) = %q", got, FormatSize(got))
			}
		})
	}
}

func TestShape(t *testing.T) {
	for _, tc := range []struct{ total, partners int }{{10000, 5}, {100000, 5}, {1000000, 50}, {5000000, 50}} {
		t.Run(FormatSize(tc.total), func(t *testing.T) {
			o := Shape(tc.total, 8)
			if o.Partners != tc.partners {
				t.Fatalf("partners = %d, want %d", o.Partners, tc.partners)
			}
			// On average a partner has three quarters of Trajectories.
			if got := o.Partners * o.Trajectories * 3 / 4; got < tc.total || got > tc.total+tc.total/100 {
				t.Fatalf("expected trajectories %d, want about %d", got, tc.total)
			}
		})
	}
}
