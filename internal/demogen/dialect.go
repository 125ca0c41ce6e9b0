package demogen

import (
	"strings"
	"time"
)

// dialect is how one demo partner's case-management tool writes its
// export: the delimiter, encoding, date layout, language of headers and
// labels, and line ending. The demo network mixes them the way real
// partners do, so every run exercises the inbox's readers.
type dialect struct {
	comma     rune
	encoding  string // utf8, utf8bom, cp1252, utf16
	dates     string // a time layout
	lang      string // en, nl, fr: headers, yes/no and code labels
	crlf      bool
	alpha3    bool // nationality as ISO alpha-3
	extraCols int  // trailing empty columns, as Excel leaves them
}

// canonical is format v1 in its agreed form: English headers, comma,
// UTF-8, ISO dates.
var canonical = dialect{comma: ',', encoding: "utf8", dates: "2006-01-02", lang: "en"}

// dialects of the five demo partners, in partner order; partners beyond
// five use the canonical form.
var dialects = []dialect{
	canonical, // antwerpen
	{comma: ';', encoding: "cp1252", dates: "02/01/2006", lang: "nl", crlf: true, extraCols: 2}, // gent: Excel, Dutch locale
	{comma: ',', encoding: "utf8bom", dates: "2006-01-02", lang: "fr", alpha3: true},            // brussel
	{comma: ';', encoding: "utf8bom", dates: "02.01.2006", lang: "fr", crlf: true},              // liege
	{comma: '\t', encoding: "utf16", dates: "02-01-2006", lang: "fr", crlf: true},               // charleroi: Excel "Unicode text"
}

// headers are the header names per language, in format order.
var headers = map[string][]string{
	"en": {"case_id", "birth_year", "sex", "nationality", "household", "arrival_year", "intake_date", "shelter",
		"exploration_date", "realisation_date", "dvz_consent_date", "dvz_first_talk_date", "dvz_talks",
		"fedasil_first_talk_date", "fedasil_talks", "procedure", "outflow_date", "outflow_type"},
	"nl": {"Dossiernummer", "Geboortejaar", "Geslacht", "Nationaliteit", "Gezinssituatie", "Jaar van aankomst",
		"Datum intake", "Opvang", "Start verkenning", "Start realisatie", "Toestemming DVZ", "Eerste gesprek DVZ",
		"Gesprekken DVZ", "Eerste gesprek Fedasil", "Gesprekken Fedasil", "Verblijfsprocedure", "Uitstroomdatum",
		"Type uitstroom"},
	"fr": {"Numéro de dossier", "Année de naissance", "Sexe", "Nationalité", "Ménage", "Année d'arrivée",
		"Date d'entrée", "Hébergement", "Phase d'exploration", "Phase de réalisation", "Consentement OE",
		"Premier entretien OE", "Entretiens OE", "Premier entretien Fedasil", "Entretiens Fedasil",
		"Procédure de séjour", "Date de sortie", "Type de sortie"},
}

// labels are the code labels per language; English uses the codes.
var labels = map[string]map[string]string{
	"nl": {
		"F": "V", "M": "M", "X": "X", "U": "onbekend",
		"single": "alleenstaand", "couple": "koppel", "single_parent": "éénoudergezin", "family": "gezin",
		"none": "geen", "regularisation": "regularisatie", "medical": "medisch", "asylum": "asiel",
		"family_reunification": "gezinshereniging", "statelessness": "staatloosheid", "other": "andere",
		"legal_residence": "wettig verblijf", "voluntary_return": "vrijwillige terugkeer",
		"onward_migration": "doormigratie", "forced_return": "gedwongen terugkeer",
		"new_asylum_application": "nieuwe asielaanvraag", "medical_postponement": "medisch uitstel",
		"stopped_no_cooperation": "stopgezet", "lost_contact": "uit beeld", "not_eligible": "niet toegelaten",
		"deceased": "overleden", "yes": "ja", "no": "nee",
	},
	"fr": {
		"F": "F", "M": "H", "X": "X", "U": "inconnu",
		"single": "isolé", "couple": "couple", "single_parent": "famille monoparentale", "family": "famille",
		"none": "aucune", "regularisation": "régularisation", "medical": "médical", "asylum": "asile",
		"family_reunification": "regroupement familial", "statelessness": "apatridie", "other": "autre",
		"legal_residence": "séjour légal", "voluntary_return": "retour volontaire",
		"onward_migration": "migration ultérieure", "forced_return": "retour forcé",
		"new_asylum_application": "nouvelle demande d'asile", "medical_postponement": "report médical",
		"stopped_no_cooperation": "arrêté", "lost_contact": "perdu de vue", "not_eligible": "non éligible",
		"deceased": "décédé", "yes": "oui", "no": "non",
	},
}

func (d dialect) label(code string) string {
	if code == "" {
		return ""
	}
	if l, ok := labels[d.lang][code]; ok {
		return l
	}
	return code
}

func (d dialect) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(d.dates)
}

func (d dialect) yesNo(b bool) string {
	if b {
		return d.label("yes")
	}
	return d.label("no")
}

func (d dialect) header() []string {
	h := append([]string(nil), headers[d.lang]...)
	for range d.extraCols {
		h = append(h, "")
	}
	return h
}

// alpha3 maps the demo's nationalities to ISO alpha-3.
var alpha3 = map[string]string{
	"MA": "MAR", "DZ": "DZA", "GN": "GIN", "AF": "AFG", "SY": "SYR", "ER": "ERI", "CD": "COD", "CM": "CMR",
	"BR": "BRA", "UA": "UKR", "RU": "RUS", "PS": "PSE", "TR": "TUR", "SN": "SEN", "NG": "NGA", "IQ": "IRQ",
	"TN": "TUN", "EG": "EGY", "PK": "PAK", "BD": "BGD", "GE": "GEO", "AL": "ALB", "XX": "XXX",
}

func (d dialect) country(c string) string {
	if d.alpha3 && c != "" {
		if a3, ok := alpha3[c]; ok {
			return strings.ToLower(a3)
		}
	}
	return c
}
