package record

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// The vocabularies of facts entered by hand: the vital signs a person can
// measure at home with their units, the ways medicines are taken and how
// often, allergic reactions, severities and allergy categories. Each term
// has the words a person reads, the code a clinician's system reads, and
// the other ways people type it, so that "2 tabs by mouth bid" and a form's
// choices end up as the same coded FHIR.

// Code systems of hand-entered facts.
const (
	SystemGTSAbbreviation = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
	SystemAllergyClinical = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
	SystemAllergyVerify   = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
	SystemConditionStatus = "http://terminology.hl7.org/CodeSystem/condition-clinical"
)

// Unit is a unit a value can be entered in: its UCUM code, how people write
// it, and the values that are plausible in it.
type Unit struct {
	// Code is the UCUM code ("kg", "[lb_av]", "mm[Hg]", "Cel", "{tablet}").
	Code string
	// Text is how people write it ("kg", "lb", "mmHg", "°C", "tablet").
	Text string
	// Plural is Text for amounts other than one ("tablets"); "" when the
	// unit does not change.
	Plural string
	// Min and Max bound the plausible values, both included.
	Min, Max float64
	// LOINC is the code of a measurement in this unit when it differs by
	// unit (glucose: mass or moles per volume); zero when the sign's own
	// code holds.
	LOINC Coding
	// Aliases are other ways people type the unit, matched without case.
	Aliases []string
}

// TextFor returns the unit as written after amount: "1 tablet", "2 tablets".
func (u Unit) TextFor(amount string) string {
	if u.Plural == "" {
		return u.Text
	}
	if f, err := strconv.ParseFloat(amount, 64); err == nil && f == 1 {
		return u.Text
	}
	return u.Plural
}

// Plausible reports whether f is within the unit's plausible range.
func (u Unit) Plausible(f float64) bool { return f >= u.Min && f <= u.Max }

// matches reports whether text names the unit: its code, text, plural or an alias.
func (u Unit) matches(text string) bool {
	t := strings.TrimSpace(text)
	if t == u.Code || strings.EqualFold(t, u.Text) || (u.Plural != "" && strings.EqualFold(t, u.Plural)) {
		return true
	}
	for _, a := range u.Aliases {
		if strings.EqualFold(t, a) {
			return true
		}
	}
	return false
}

// findUnit returns the unit among units that text names.
func findUnit(units []Unit, text string) (Unit, bool) {
	for _, u := range units {
		if u.matches(text) {
			return u, true
		}
	}
	return Unit{}, false
}

// VitalSign is a measurement a person can take at home and enter by hand.
type VitalSign struct {
	// Key names it in a [SelfReport] and a form: "blood-pressure", "weight".
	Key string
	// Title is what the entry is called unless the person names it.
	Title string
	// Code is its LOINC code.
	Code Coding
	// Units are the units it may be entered in, the usual one first.
	Units []Unit
	// Parts are the components of a reading of two numbers (blood
	// pressure: systolic, then diastolic); nil for a single value.
	Parts []VitalPart
	// Names are the words a title is recognized by ("weight", "body weight").
	Names []string
}

// VitalPart is one number of a two-number reading.
type VitalPart struct {
	Key  string // "systolic"
	Code Coding
	// Min and Max bound plausible values, in the sign's first unit.
	Min, Max float64
}

// The LOINC codes of blood pressure.
const (
	LOINCBloodPressure = "85354-9"
	LOINCSystolic      = "8480-6"
	LOINCDiastolic     = "8462-4"
)

func loincCoding(code, display string) Coding {
	return Coding{System: SystemLOINC, Code: code, Display: display}
}

// VitalSigns are the measurements Kinfolio's forms and `kin add` know,
// in the order forms offer them. Values outside a unit's Min and Max are
// refused as typing mistakes.
var VitalSigns = []VitalSign{
	{Key: "blood-pressure", Title: "Blood pressure", Code: loincCoding(LOINCBloodPressure, "Blood pressure panel with all children optional"),
		Units: []Unit{{Code: "mm[Hg]", Text: "mmHg", Min: 20, Max: 300, Aliases: []string{"mm hg", "mmhg", "mm of hg", "mm"}}},
		Parts: []VitalPart{
			{Key: "systolic", Code: loincCoding(LOINCSystolic, "Systolic blood pressure"), Min: 50, Max: 300},
			{Key: "diastolic", Code: loincCoding(LOINCDiastolic, "Diastolic blood pressure"), Min: 20, Max: 200},
		},
		Names: []string{"blood pressure", "bp", "bloodpressure"}},
	{Key: "weight", Title: "Weight", Code: loincCoding("29463-7", "Body weight"),
		Units: []Unit{
			{Code: "kg", Text: "kg", Min: 0.2, Max: 500, Aliases: []string{"kgs", "kilo", "kilos", "kilogram", "kilograms"}},
			{Code: "[lb_av]", Text: "lb", Min: 0.5, Max: 1100, Aliases: []string{"lbs", "pound", "pounds", "lb_av"}},
		},
		Names: []string{"weight", "body weight", "wt"}},
	{Key: "height", Title: "Height", Code: loincCoding("8302-2", "Body height"),
		Units: []Unit{
			{Code: "cm", Text: "cm", Min: 20, Max: 280, Aliases: []string{"centimetre", "centimetres", "centimeter", "centimeters"}},
			{Code: "[in_i]", Text: "in", Min: 8, Max: 110, Aliases: []string{"inch", "inches", "in_i", "\""}},
			{Code: "m", Text: "m", Min: 0.2, Max: 2.8, Aliases: []string{"metre", "metres", "meter", "meters"}},
		},
		Names: []string{"height", "body height", "length", "ht"}},
	{Key: "temperature", Title: "Temperature", Code: loincCoding("8310-5", "Body temperature"),
		Units: []Unit{
			{Code: "Cel", Text: "°C", Min: 25, Max: 45, Aliases: []string{"c", "degc", "deg c", "° c", "celsius", "centigrade", "cel", "ºc"}},
			{Code: "[degF]", Text: "°F", Min: 77, Max: 113, Aliases: []string{"f", "degf", "deg f", "° f", "fahrenheit", "ºf"}},
		},
		Names: []string{"temperature", "body temperature", "temp", "fever"}},
	{Key: "heart-rate", Title: "Heart rate", Code: loincCoding("8867-4", "Heart rate"),
		Units: []Unit{{Code: "/min", Text: "beats/min", Min: 20, Max: 300,
			Aliases: []string{"bpm", "beats per minute", "beats/minute", "per minute", "/minute", "{beats}/min"}}},
		Names: []string{"heart rate", "pulse", "pulse rate", "hr", "heartrate"}},
	{Key: "oxygen-saturation", Title: "Oxygen saturation", Code: loincCoding("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
		Units: []Unit{{Code: "%", Text: "%", Min: 50, Max: 100, Aliases: []string{"percent", "per cent"}}},
		Names: []string{"oxygen saturation", "spo2", "sp o2", "o2 sat", "o2 saturation", "oxygen", "pulse oximetry", "pulse ox", "sats"}},
	{Key: "respiratory-rate", Title: "Breathing rate", Code: loincCoding("9279-1", "Respiratory rate"),
		Units: []Unit{{Code: "/min", Text: "breaths/min", Min: 4, Max: 80,
			Aliases: []string{"breaths per minute", "breaths/minute", "per minute", "/minute", "{breaths}/min"}}},
		Names: []string{"respiratory rate", "breathing rate", "respiration rate", "respirations", "rr"}},
	{Key: "glucose", Title: "Blood glucose", Code: loincCoding("2339-0", "Glucose [Mass/volume] in Blood"),
		Units: []Unit{
			{Code: "mg/dL", Text: "mg/dL", Min: 10, Max: 1500, Aliases: []string{"mg/dl", "mg per dl", "mg%"}},
			{Code: "mmol/L", Text: "mmol/L", Min: 0.5, Max: 85, LOINC: loincCoding("15074-8", "Glucose [Moles/volume] in Blood"), Aliases: []string{"mmol/l", "mmol", "mmol per l"}},
		},
		Names: []string{"blood glucose", "glucose", "blood sugar", "sugar", "bg"}},
}

// FindVitalSign returns the vital sign whose key is key.
func FindVitalSign(key string) (VitalSign, bool) {
	for _, v := range VitalSigns {
		if v.Key == key {
			return v, true
		}
	}
	return VitalSign{}, false
}

// VitalSignNamed returns the vital sign a title names: "Weight", "Blood
// pressure (home)", "Pulse", "Blood sugar before breakfast". The title
// must begin with one of the sign's [VitalSign.Names] as whole words;
// longer names are tried first, so "Pulse oximetry" is oxygen saturation,
// not a pulse. A name followed by a word that makes it another measure
// ("Heart rate variability", "Weight loss", "Weight goal") names none.
func VitalSignNamed(title string) (VitalSign, bool) {
	t := " " + NormalizeText(title) + " "
	best, bestLen := -1, 0
	for i, v := range VitalSigns {
		for _, n := range v.Names {
			if strings.HasPrefix(t, " "+n+" ") && len(n) > bestLen {
				best, bestLen = i, len(n)
			}
		}
	}
	if best < 0 {
		return VitalSign{}, false
	}
	if next, _, _ := strings.Cut(strings.TrimSpace(t[bestLen+1:]), " "); slices.Contains(otherMeasures, next) {
		return VitalSign{}, false
	}
	return VitalSigns[best], true
}

// otherMeasures are words that, after a vital sign's name, make it
// another measurement.
var otherMeasures = []string{"variability", "loss", "gain", "change", "goal", "target", "reserve", "recovery", "trend", "average", "percentile", "velocity"}

// vitalSignOfCode returns the vital sign coded by a LOINC code, its own or
// that of one of its units.
func vitalSignOfCode(loinc string) (VitalSign, bool) {
	for _, v := range VitalSigns {
		if v.Code.Code == loinc {
			return v, true
		}
		for _, u := range v.Units {
			if u.LOINC.Code != "" && u.LOINC.Code == loinc {
				return v, true
			}
		}
	}
	return VitalSign{}, false
}

// Unit returns the sign's unit that text names: a UCUM code ("[lb_av]"),
// the unit as written ("lb") or another usual spelling ("lbs", "pounds").
func (v VitalSign) Unit(text string) (Unit, bool) { return findUnit(v.Units, text) }

// UnitTexts lists the sign's units as people write them: "kg or lb".
func (v VitalSign) UnitTexts() string {
	var ts []string
	for _, u := range v.Units {
		ts = append(ts, u.Text)
	}
	return orList(ts)
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// DoseUnits are the units a medication's dose is entered in, the usual
// ones first: measures (UCUM) and counted forms (UCUM annotations such as
// {tablet}, which mean "one of them").
var DoseUnits = []Unit{
	{Code: "{tablet}", Text: "tablet", Plural: "tablets", Min: 0.25, Max: 20, Aliases: []string{"tab", "tabs", "tbl", "pill", "pills"}},
	{Code: "{capsule}", Text: "capsule", Plural: "capsules", Min: 1, Max: 20, Aliases: []string{"cap", "caps"}},
	{Code: "mg", Text: "mg", Min: 0.01, Max: 10000, Aliases: []string{"milligram", "milligrams", "mgs"}},
	{Code: "ug", Text: "mcg", Min: 0.1, Max: 100000, Aliases: []string{"µg", "μg", "microgram", "micrograms"}},
	{Code: "g", Text: "g", Min: 0.001, Max: 100, Aliases: []string{"gram", "grams", "gm"}},
	{Code: "mL", Text: "mL", Min: 0.05, Max: 1000, Aliases: []string{"ml", "cc", "millilitre", "millilitres", "milliliter", "milliliters"}},
	{Code: "[iU]", Text: "units", Min: 0.1, Max: 500000, Aliases: []string{"unit", "iu", "i.u.", "international units", "u"}},
	{Code: "{puff}", Text: "puff", Plural: "puffs", Min: 1, Max: 20, Aliases: []string{"inhalation", "inhalations"}},
	{Code: "[drp]", Text: "drop", Plural: "drops", Min: 1, Max: 50, Aliases: []string{"gtt", "gtts"}},
	{Code: "{spray}", Text: "spray", Plural: "sprays", Min: 1, Max: 20},
	{Code: "{patch}", Text: "patch", Plural: "patches", Min: 0.5, Max: 10},
}

// DoseUnit returns the dose unit text names (a UCUM code, the unit as
// written, its plural or another spelling).
func DoseUnit(text string) (Unit, bool) { return findUnit(DoseUnits, text) }

// Route is a way a medicine is taken, in words and as a SNOMED CT route
// code (the FHIR route-codes value set).
type Route struct {
	// Key names it in a [SelfReport] and a form: "oral".
	Key string
	// Words say it after a dose: "by mouth".
	Words string
	Code  Coding
	// Aliases are other ways people write it ("orally", "po").
	Aliases []string
}

func snomed(code, display string) Coding {
	return Coding{System: SystemSNOMED, Code: code, Display: display}
}

// Routes are the ways of taking a medicine the forms offer, most usual first.
var Routes = []Route{
	{Key: "oral", Words: "by mouth", Code: snomed("26643006", "Oral route"), Aliases: []string{"oral", "orally", "po", "p o", "per os", "mouth", "swallowed"}},
	{Key: "sublingual", Words: "under the tongue", Code: snomed("37839007", "Sublingual route"), Aliases: []string{"sublingual", "sublingually", "sl"}},
	{Key: "topical", Words: "on the skin", Code: snomed("6064005", "Topical route"), Aliases: []string{"topical", "topically", "applied to the skin", "to the skin", "skin"}},
	{Key: "transdermal", Words: "as a skin patch", Code: snomed("45890007", "Transdermal route"), Aliases: []string{"transdermal", "patch", "skin patch", "by patch"}},
	{Key: "inhaled", Words: "inhaled", Code: snomed("447694001", "Respiratory tract route"), Aliases: []string{"inhalation", "by inhalation", "inhaler", "by inhaler", "nebulised", "nebulized", "inh"}},
	{Key: "subcutaneous", Words: "injected under the skin", Code: snomed("34206005", "Subcutaneous route"), Aliases: []string{"subcutaneous", "subcutaneously", "sc", "sq", "subq", "sub q", "injection under the skin"}},
	{Key: "intramuscular", Words: "injected into a muscle", Code: snomed("78421000", "Intramuscular route"), Aliases: []string{"intramuscular", "intramuscularly", "im", "injection into a muscle"}},
	{Key: "intravenous", Words: "into a vein", Code: snomed("47625008", "Intravenous route"), Aliases: []string{"intravenous", "intravenously", "iv", "by drip"}},
	{Key: "eye", Words: "in the eye", Code: snomed("54485002", "Ophthalmic route"), Aliases: []string{"ophthalmic", "eye", "eyes", "in the eyes", "eye drops"}},
	{Key: "ear", Words: "in the ear", Code: snomed("10547007", "Otic route"), Aliases: []string{"otic", "ear", "ears", "in the ears", "ear drops"}},
	{Key: "nose", Words: "in the nose", Code: snomed("46713006", "Nasal route"), Aliases: []string{"nasal", "nasally", "nose", "intranasal", "nasal spray"}},
	{Key: "rectal", Words: "rectally", Code: snomed("37161004", "Rectal route"), Aliases: []string{"rectal", "per rectum", "pr", "suppository"}},
	{Key: "vaginal", Words: "vaginally", Code: snomed("16857009", "Vaginal route"), Aliases: []string{"vaginal", "per vagina", "pv"}},
}

// FindRoute returns the route text names: its key, its words or an alias.
func FindRoute(text string) (Route, bool) {
	t := NormalizeText(text)
	for _, r := range Routes {
		if t == r.Key || t == NormalizeText(r.Words) || slices.Contains(r.Aliases, t) {
			return r, true
		}
	}
	return Route{}, false
}

// Frequency is how often a medicine is taken, in words and as a FHIR
// Timing: a repeat (times per period, or at a time of day) and, where one
// exists, its HL7 timing abbreviation (BID, QD...).
type Frequency struct {
	// Key names it in a [SelfReport] and a form: "twice-a-day".
	Key string
	// Words say it: "twice a day".
	Words string
	// Code is the v3 GTS abbreviation ("BID"); "" when there is none.
	Code string
	// Times per Period PeriodUnit (a UCUM time unit: h, d, wk, mo).
	Times      int
	Period     int
	PeriodUnit string
	// When is a time of day (FHIR event timing: MORN, EVE, HS).
	When string
	// Aliases are other ways people write it.
	Aliases []string
}

// Frequencies are the frequencies the forms offer, most usual first.
var Frequencies = []Frequency{
	{Key: "once-a-day", Words: "once a day", Code: "QD", Times: 1, Period: 1, PeriodUnit: "d",
		Aliases: []string{"once daily", "daily", "every day", "1 time a day", "one time a day", "1 times a day", "1x a day", "1x daily", "qd", "od", "once per day", "1 a day", "one a day", "a day", "per day", "each day"}},
	{Key: "twice-a-day", Words: "twice a day", Code: "BID", Times: 2, Period: 1, PeriodUnit: "d",
		Aliases: []string{"twice daily", "two times a day", "2 times a day", "2 times daily", "2x a day", "2x daily", "bid", "bd", "b i d", "twice per day", "2 a day", "morning and evening", "morning and night"}},
	{Key: "three-times-a-day", Words: "three times a day", Code: "TID", Times: 3, Period: 1, PeriodUnit: "d",
		Aliases: []string{"three times daily", "3 times a day", "3 times daily", "3x a day", "3x daily", "tid", "tds", "t i d", "3 a day"}},
	{Key: "four-times-a-day", Words: "four times a day", Code: "QID", Times: 4, Period: 1, PeriodUnit: "d",
		Aliases: []string{"four times daily", "4 times a day", "4 times daily", "4x a day", "4x daily", "qid", "qds", "q i d", "4 a day"}},
	{Key: "every-morning", Words: "every morning", Code: "AM", Times: 1, Period: 1, PeriodUnit: "d", When: "MORN",
		Aliases: []string{"in the morning", "each morning", "mornings", "morning", "am", "qam", "every am"}},
	{Key: "every-evening", Words: "every evening", Times: 1, Period: 1, PeriodUnit: "d", When: "EVE",
		Aliases: []string{"in the evening", "each evening", "evenings", "evening", "pm", "qpm", "every pm"}},
	{Key: "at-bedtime", Words: "at bedtime", Code: "BED", Times: 1, Period: 1, PeriodUnit: "d", When: "HS",
		Aliases: []string{"bedtime", "before bed", "at night", "nightly", "every night", "each night", "qhs", "hs", "nocte"}},
	{Key: "every-other-day", Words: "every other day", Code: "QOD", Times: 1, Period: 2, PeriodUnit: "d",
		Aliases: []string{"every second day", "alternate days", "on alternate days", "qod", "every 2 days"}},
	{Key: "every-4-hours", Words: "every 4 hours", Code: "Q4H", Times: 1, Period: 4, PeriodUnit: "h",
		Aliases: []string{"q4h", "4 hourly", "every four hours"}},
	{Key: "every-6-hours", Words: "every 6 hours", Code: "Q6H", Times: 1, Period: 6, PeriodUnit: "h",
		Aliases: []string{"q6h", "6 hourly", "every six hours"}},
	{Key: "every-8-hours", Words: "every 8 hours", Code: "Q8H", Times: 1, Period: 8, PeriodUnit: "h",
		Aliases: []string{"q8h", "8 hourly", "every eight hours"}},
	{Key: "every-12-hours", Words: "every 12 hours", Times: 1, Period: 12, PeriodUnit: "h",
		Aliases: []string{"q12h", "12 hourly", "every twelve hours"}},
	{Key: "once-a-week", Words: "once a week", Code: "WK", Times: 1, Period: 1, PeriodUnit: "wk",
		Aliases: []string{"weekly", "once weekly", "every week", "each week", "1 time a week", "one time a week", "1x a week", "qw", "qwk", "a week", "per week"}},
	{Key: "once-a-month", Words: "once a month", Code: "MO", Times: 1, Period: 1, PeriodUnit: "mo",
		Aliases: []string{"monthly", "once monthly", "every month", "each month", "1x a month", "a month", "per month"}},
}

// FindFrequency returns the frequency text names: its key, its words, its
// abbreviation or another way of saying it.
func FindFrequency(text string) (Frequency, bool) {
	t := NormalizeText(text)
	for _, f := range Frequencies {
		if t == f.Key || t == NormalizeText(f.Words) || slices.Contains(f.Aliases, t) {
			return f, true
		}
	}
	return Frequency{}, false
}

// asNeededWords say a medicine is taken only when needed.
var asNeededWords = []string{"as needed", "when needed", "if needed", "as required", "when required", "prn", "p r n", "as necessary", "when necessary"}

// HowTaken is how a medicine is taken, read from plain words by [ParseHow].
type HowTaken struct {
	// Route and Frequency are keys of [Routes] and [Frequencies] ("" when not said).
	Route     string
	Frequency string
	AsNeeded  bool
	// Rest are the words that are neither ("with food"), as written.
	Rest string
}

// ParseHow reads how a medicine is taken from plain words, such as "by
// mouth, twice a day", "orally bid prn" or "1 puff inhaled as needed,
// shake well". Parts it does not know are kept, as written, in Rest.
func ParseHow(text string) HowTaken {
	var h HowTaken
	var rest []string
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		words := strings.Fields(NormalizeText(part))
		var left []string
		matched := false
		for i := 0; i < len(words); {
			n, kind, key := longestTerm(words[i:])
			switch {
			case n > 0 && kind == 'r' && h.Route == "":
				h.Route = key
			case n > 0 && kind == 'f' && h.Frequency == "":
				h.Frequency = key
			case n > 0 && kind == 'n':
				h.AsNeeded = true
			default:
				left = append(left, words[i])
				i++
				continue
			}
			matched = true
			i += n
		}
		for len(left) > 0 && isFiller(left[0]) {
			left = left[1:]
		}
		for len(left) > 0 && isFiller(left[len(left)-1]) {
			left = left[:len(left)-1]
		}
		switch {
		case !matched:
			rest = append(rest, part)
		case len(left) > 0:
			rest = append(rest, strings.Join(left, " "))
		}
	}
	h.Rest = strings.Join(rest, ", ")
	return h
}

// isFiller reports whether a word left around known terms says nothing
// ("take", "and").
func isFiller(w string) bool {
	switch w {
	case "take", "taken", "use", "used", "and", "then", "to", "be", "apply", "inject", "give", "given":
		return true
	}
	return false
}

// longestTerm finds the longest route ('r'), frequency ('f') or as-needed
// ('n') phrase that words begin with; n is its length in words.
func longestTerm(words []string) (n int, kind byte, key string) {
	try := func(phrase string, k byte, kk string) {
		ws := strings.Fields(NormalizeText(phrase))
		if len(ws) > n && len(ws) <= len(words) && slices.Equal(ws, words[:len(ws)]) {
			n, kind, key = len(ws), k, kk
		}
	}
	for _, r := range Routes {
		try(r.Words, 'r', r.Key)
		for _, a := range r.Aliases {
			try(a, 'r', r.Key)
		}
	}
	for _, f := range Frequencies {
		try(f.Words, 'f', f.Key)
		for _, a := range f.Aliases {
			try(a, 'f', f.Key)
		}
	}
	for _, a := range asNeededWords {
		try(a, 'n', "")
	}
	return n, kind, key
}

// Reaction is an allergic reaction the forms suggest, with its SNOMED CT code.
type Reaction struct {
	Words   string // "Hives"
	Code    Coding
	Aliases []string
}

// Reactions are the reactions the allergy form suggests. Others may be typed.
var Reactions = []Reaction{
	{Words: "Hives", Code: snomed("126485001", "Urticaria"), Aliases: []string{"urticaria", "welts", "wheals"}},
	{Words: "Rash", Code: snomed("271807003", "Eruption of skin"), Aliases: []string{"skin rash", "eruption"}},
	{Words: "Itching", Code: snomed("418290006", "Itching"), Aliases: []string{"itch", "itchy", "pruritus", "itchiness"}},
	{Words: "Swelling", Code: snomed("65124004", "Swelling"), Aliases: []string{"swollen"}},
	{Words: "Swelling of the face or throat", Code: snomed("41291007", "Angioedema"), Aliases: []string{"angioedema", "angio oedema", "facial swelling", "swollen face", "swollen lips", "swollen tongue", "throat swelling",
		"swelling of the face", "swelling of the lips", "swelling of the tongue", "swelling of the throat", "lip swelling"}},
	{Words: "Wheezing", Code: snomed("56018004", "Wheezing"), Aliases: []string{"wheeze"}},
	{Words: "Shortness of breath", Code: snomed("267036007", "Dyspnea"), Aliases: []string{"dyspnea", "dyspnoea", "trouble breathing", "difficulty breathing", "breathlessness"}},
	{Words: "Anaphylaxis", Code: snomed("39579001", "Anaphylaxis"), Aliases: []string{"anaphylactic shock", "anaphylactic reaction"}},
	{Words: "Nausea", Code: snomed("422587007", "Nausea"), Aliases: []string{"feeling sick", "nauseous"}},
	{Words: "Vomiting", Code: snomed("422400008", "Vomiting"), Aliases: []string{"vomit", "throwing up"}},
	{Words: "Diarrhea", Code: snomed("62315008", "Diarrhea"), Aliases: []string{"diarrhoea"}},
	{Words: "Sneezing", Code: snomed("76067001", "Sneezing"), Aliases: []string{"sneeze"}},
}

// FindReaction returns the suggested reaction text names.
func FindReaction(text string) (Reaction, bool) {
	t := NormalizeText(text)
	for _, r := range Reactions {
		if t == NormalizeText(r.Words) || slices.Contains(r.Aliases, t) {
			return r, true
		}
	}
	return Reaction{}, false
}

// AllergySeverities are the severities of an allergic reaction, mildest
// first (the FHIR AllergyIntolerance.reaction.severity codes).
var AllergySeverities = []string{"mild", "moderate", "severe"}

// AllergyCategories are what an allergy may be to (the FHIR
// AllergyIntolerance.category codes) with their words.
var AllergyCategories = []struct{ Code, Words string }{
	{"medication", "a medicine"},
	{"food", "a food"},
	{"environment", "something around you (pollen, animals, latex...)"},
	{"biologic", "a vaccine or blood product"},
}

// NoKnownAllergy is the SNOMED CT concept an allergy list states "no known
// allergies" with (the code IPS uses for it).
var NoKnownAllergy = snomed("716186003", "No known allergy")

// NumberText returns s as a JSON number if it is a plain decimal number
// (a comma as the decimal mark is read as a point: "72,5" is 72.5), with
// false otherwise. Digits are kept as typed: "7.20" stays "7.20".
func NumberText(s string) (json.Number, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	s = strings.TrimPrefix(s, "+")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || s == "-" {
		return "", false
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil || !json.Valid([]byte(s)) {
		return "", false
	}
	return json.Number(s), true
}
