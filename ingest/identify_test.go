package ingest

import (
	"slices"
	"testing"
)

// flagged returns the kinds scanValue finds in s, counting a bare digit
// run only when its checksum holds (the per-column judgement is tested in
// the reader's tests).
func flagged(s string) []string {
	var kinds []string
	for _, f := range scanValue(s, nil) {
		if f.valid && !slices.Contains(kinds, f.kind) {
			kinds = append(kinds, f.kind)
		}
	}
	slices.Sort(kinds)
	return kinds
}

func TestScanValueFindsIdentifiers(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{"85.07.30-033.28", []string{idNationalNumber}},
		{"85073003328", []string{idNationalNumber}},
		{"850730-033-28", []string{idNationalNumber}},
		{"85 07 30 033 28", []string{idNationalNumber}},
		{"RRN: 93.05.18-223.61 (moeder)", []string{idNationalNumber}},
		{"05.03.12-123.60", []string{idNationalNumber}}, // born 2005: check digits over 2 and the nine
		{"01123145609", []string{idNationalNumber}},     // born 2001
		{"85.27.30-033.xx", nil},                        // not digits
		{"1234.56.782", []string{idBSN}},                // official BSN notation
		{"123456782", []string{idBSN}},                  // bare, 11-test holds
		{"111 222 333", []string{idBSN}},                // grouped in threes
		{"jan.peeters@example.be", []string{idEmail}},   // e-mail
		{"mail: Marie-Claire.Dupont+cas@asbl-liege.org", []string{idEmail}},
		{"0470 12 34 56", []string{idPhone}},                    // Belgian mobile
		{"0470/12.34.56", []string{idPhone}},                    // with slash and dots
		{"0470123456", []string{idPhone}},                       // bare mobile
		{"02 123 45 67", []string{idPhone}},                     // Brussels landline
		{"+32 470 12 34 56", []string{idPhone}},                 // international
		{"+32 (0)470 12 34 56", []string{idPhone}},              // with (0)
		{"0032470123456", []string{idPhone}},                    // 00 prefix
		{"+212 6 61 23 45 67", []string{idPhone}},               // Moroccan mobile
		{"06-12345678", []string{idPhone}},                      // Dutch mobile
		{"BE71 0961 2345 6769", []string{idIBAN}},               // IBAN in groups
		{"iban NL91ABNA0417164300.", []string{idIBAN}},          // compact, in text
		{"FR14 2004 1010 0505 0001 3M02 606", []string{idIBAN}}, // letters in the account
		{"tel 0470 12 34 56, jan@example.org", []string{idEmail, idPhone}},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			if got := flagged(tt.value); !slices.Equal(got, tt.want) {
				t.Errorf("scanValue(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

// TestScanValueLeavesOrdinaryValues lists what partners' exports are full
// of and must never be taken for an identifier.
func TestScanValueLeavesOrdinaryValues(t *testing.T) {
	for _, v := range []string{
		"ANT-2024-00001", "GEN-2025-00317", "CHA-2024-00001", "2024/00123", "D-2025-0042", "12345",
		"31/03/2026", "2026-03-31", "31-03-2026", "31.03.2026", "1/4/2026", "31/03/2026 00:00", "2026-03-31T14:05:00",
		"1987", "2026", "0", "12", "100000",
		"vrijwillige terugkeer", "retour volontaire", "famille monoparentale", "9bis", "9 ter",
		"BE", "BEL", "MAR", "GE2024000123", "NL91ABNA0417164301", "BE71 0961 2345 6768",
		"85.07.30-033.29",              // national number with a wrong check
		"85.13.30-033.xx", "123456789", // a BSN failing the 11-test
		"1234567", "0123456", "01/02/2026 1234", "2026-03-31 0470", "31/03/2026 - 30/06/2026",
		"jan@localhost", "@gent", "a@b", "info at example dot be",
		"+", "0000000000", "000000000", "00000000000",
		"0 00000000", "0", "0 0", "+0", "00", // found by FuzzRead: short windows once crashed the phone check
	} {
		if got := flagged(v); len(got) > 0 {
			t.Errorf("scanValue(%q) = %v, want nothing", v, got)
		}
	}
}

func TestScanValueReportsBareRunsAsBare(t *testing.T) {
	for _, tt := range []struct {
		value, kind string
		valid       bool
	}{
		{"85073003328", idNationalNumber, true},
		{"85073003329", idNationalNumber, false},
		{"123456782", idBSN, true},
		{"123456789", idBSN, false},
		{"ANT-202400001", idBSN, true}, // a case number can pass the 11-test by chance
	} {
		fs := scanValue(tt.value, nil)
		i := slices.IndexFunc(fs, func(f finding) bool { return f.kind == tt.kind })
		if i < 0 || !fs[i].bare || fs[i].valid != tt.valid {
			t.Errorf("scanValue(%q) = %+v, want a bare %s finding, valid %v", tt.value, fs, tt.kind, tt.valid)
		}
	}
}

func TestValidNationalNumberRules(t *testing.T) {
	for _, tt := range []struct {
		nrn  string
		want bool
	}{
		{"85073003328", true},
		{"93051822361", true},
		{"05031212360", true},  // born 2005: check over 2 followed by the nine digits
		{"05031212331", true},  // the same nine digits, born 1905
		{"05031212342", false}, // neither check
		{"00010100303", true},
		{"85133003312", false}, // month 13 is no birth month
		{"85473003317", true},  // BIS number: month + 40
		{"85074003351", false}, // day 40
	} {
		if got := validNationalNumber(tt.nrn); got != tt.want {
			t.Errorf("validNationalNumber(%s) = %v, want %v", tt.nrn, got, tt.want)
		}
	}
}
