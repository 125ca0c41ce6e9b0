package ingest

// ibanLengths is the length of an IBAN per country (ISO 13616 registry),
// for the countries whose accounts partners' participants are likely to
// hold. An IBAN is recognised only at its country's exact length, which
// keeps case numbers such as "GE2024000123" from matching by chance.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "DZ": 26, "EE": 20,
	"EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30,
	"KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MA": 28, "MC": 27, "MD": 24,
	"ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
	"PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
	"SN": 28, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// hasIBAN reports whether s holds an IBAN: two letters of a known country,
// two check digits and the account, written compact or in groups of four,
// exactly as long as the country's IBANs, ending at a word boundary, with
// the ISO 7064 mod-97 check equal to 1.
func hasIBAN(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if i > 0 && isAlnum(s[i-1]) {
			continue
		}
		if !isLetter(s[i]) || !isLetter(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		country := string([]byte{upper(s[i]), upper(s[i+1])})
		want, ok := ibanLengths[country]
		if !ok {
			continue
		}
		buf := make([]byte, 0, want)
		j := i
		for j < len(s) && len(buf) < want {
			c := s[j]
			switch {
			case isAlnum(c):
				buf = append(buf, upper(c))
			case c == ' ' && len(buf) > 0 && j+1 < len(s) && isAlnum(s[j+1]):
			default:
				j = len(s) // stop
				continue
			}
			j++
		}
		if len(buf) == want && (j >= len(s) || !isAlnum(s[j])) && ibanChecksum(buf) {
			return true
		}
	}
	return false
}

// ibanChecksum computes ISO 7064 mod 97-10 over the IBAN with its first
// four characters moved to the end and letters as 10..35; a valid IBAN
// gives 1.
func ibanChecksum(iban []byte) bool {
	rem := 0
	for k := 0; k < len(iban); k++ {
		c := iban[(k+4)%len(iban)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}
