package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kinfolio/kinfolio/record"
)

// FieldError is one field of a typed entry that cannot be used: its name
// (a [Field]'s Name, and kin add's flag) and a sentence that says what is
// wrong and what to do.
type FieldError struct {
	Field string
	Text  string
}

// InputError lists the fields of a typed entry that cannot be used, in
// the order of the entry's form, so a form can mark each with its
// sentence. It wraps [ErrBadInput]; find it with errors.As.
type InputError struct {
	Fields []FieldError
}

func (e *InputError) Error() string {
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Text)
	}
	return strings.Join(parts, "; ")
}

// Unwrap makes an InputError an [ErrBadInput].
func (e *InputError) Unwrap() error { return ErrBadInput }

// Text returns the sentence for the field called name, "" when it is fine.
func (e *InputError) Text(name string) string {
	for _, f := range e.Fields {
		if f.Field == name {
			return f.Text
		}
	}
	return ""
}

func inputError(field, text string) *InputError {
	return &InputError{Fields: []FieldError{{Field: field, Text: text}}}
}

// Limits on what is typed: a title is a line, a note a page or so (the
// detail view and printouts show notes up to 64 KiB).
const (
	maxTitle = 500
	maxNote  = 60000
	maxWords = 500 // reason, instructions, a route or frequency in other words
)

// CheckEntry checks a typed entry as of now, with the rules of the window's
// forms and of kin add. It returns nil, an error wrapping
// [record.ErrNotSelfReportable] for claims (they come from insurers'
// files), or an [*InputError] (wrapping [ErrBadInput]) that names every
// field that cannot be used, each with a sentence saying what to do:
//
//   - a title is needed (a vital sign, a note with text and "no known
//     allergies" have their own); dates are 2024-03-01, 2024-03 or 2024 and
//     not after today (a medicine's end may be); an end is not before the
//     start;
//   - a vital sign ([record.VitalSigns], chosen by [NewEntry.Vital] or
//     recognized from the title) needs a number in one of its units, within
//     the unit's plausible range (a weight of 7000 kg or a temperature of
//     60 °C is refused); a blood pressure needs both numbers, the upper one
//     larger;
//   - a medicine's dose is a number with a unit, a plausible amount in
//     units Kinfolio knows; its status is active or stopped, and one it
//     still takes has no end that has passed;
//   - an allergy's severity is mild, moderate or severe and describes a
//     reaction; "no known allergies" names no substance or reaction;
//   - a problem is active or resolved, and only a resolved one has an end;
//   - a note has text; fields a kind does not use are left empty.
func CheckEntry(n NewEntry, now time.Time) error {
	_, err := checkEntry(n, now)
	return err
}

// checker collects the problems of one typed entry.
type checker struct {
	n    NewEntry
	now  time.Time
	errs []FieldError
}

func (c *checker) fail(field, format string, args ...any) {
	if c.failed(field) {
		return
	}
	c.errs = append(c.errs, FieldError{Field: field, Text: fmt.Sprintf(format, args...)})
}

func (c *checker) failed(field string) bool {
	return slices.ContainsFunc(c.errs, func(f FieldError) bool { return f.Field == field })
}

// fieldsOf lists the fields each kind uses; any other field must be empty.
var fieldsOf = map[record.Kind][]string{
	record.KindCondition: {FieldTitle, FieldStatus, FieldDate, FieldUntil, FieldNote},
	record.KindMedication: {FieldTitle, FieldDose, FieldDoseUnit, FieldValue, FieldUnit, FieldRoute, FieldFrequency, FieldAsNeeded,
		FieldInstructions, FieldHow, FieldDate, FieldUntil, FieldStatus, FieldReason, FieldNote},
	record.KindAllergy:      {FieldNoKnownAllergies, FieldTitle, FieldCategory, FieldReaction, FieldSeverity, FieldStatus, FieldDate, FieldNote},
	record.KindVital:        {FieldVital, FieldTitle, FieldSystolic, FieldDiastolic, FieldValue, FieldUnit, FieldDate, FieldNote},
	record.KindLab:          {FieldTitle, FieldValue, FieldUnit, FieldDate, FieldNote},
	record.KindOther:        {FieldTitle, FieldValue, FieldUnit, FieldDate, FieldNote},
	record.KindImmunization: {FieldTitle, FieldDate, FieldNote},
	record.KindProcedure:    {FieldTitle, FieldDate, FieldNote},
	record.KindEncounter:    {FieldTitle, FieldDate, FieldNote},
	record.KindDocument:     {FieldTitle, FieldDate, FieldNote},
}

// fieldWords name fields in sentences.
var fieldWords = map[string]string{
	FieldUntil: "end date", FieldValue: "value", FieldUnit: "unit", FieldStatus: "status", FieldVital: "vital sign",
	FieldSystolic: "upper number", FieldDiastolic: "lower number", FieldDose: "dose", FieldDoseUnit: "dose unit",
	FieldRoute: "way of taking it", FieldFrequency: "frequency", FieldAsNeeded: "\"as needed\"",
	FieldInstructions: "instructions", FieldHow: "way of taking it", FieldReason: "reason", FieldReaction: "reaction",
	FieldSeverity: "severity", FieldCategory: "category", FieldNoKnownAllergies: "\"no known allergies\"",
}

// kindsWords names the entries of a kind in a sentence: "Vital signs".
func kindsWords(k record.Kind) string {
	if k == record.KindOther {
		return "Other entries"
	}
	return k.Label()
}

// checkEntry checks a typed entry and returns the fact to store.
func checkEntry(n NewEntry, now time.Time) (record.SelfReport, error) {
	kind, err := record.ParseKind(string(n.Kind))
	if err != nil {
		return record.SelfReport{}, inputError(FieldKind, "Choose what kind of entry it is: a problem, medication, allergy, vital sign, note or another kind.")
	}
	if kind == record.KindClaim {
		return record.SelfReport{}, fmt.Errorf("%w: claims come from your insurer's files and cannot be entered by hand", record.ErrNotSelfReportable)
	}
	n.Kind = kind
	c := &checker{n: n, now: now}
	for _, name := range EntryFieldNames()[1:] {
		if strings.TrimSpace(n.Get(name)) != "" && !slices.Contains(fieldsOf[kind], name) {
			c.fail(name, "%s have no %s: leave it empty.", kindsWords(kind), fieldWords[name])
		}
	}
	s := record.SelfReport{Kind: kind, Title: oneLine(n.Title), Note: strings.TrimSpace(n.Note)}
	if utf8.RuneCountInString(s.Title) > maxTitle {
		c.fail(FieldTitle, "This is %d characters long; keep it under %d and put the rest in the note.", utf8.RuneCountInString(s.Title), maxTitle)
	}
	if l := utf8.RuneCountInString(s.Note); l > maxNote {
		c.fail(FieldNote, "This note is %d characters long; keep it under %d, or split it into several notes.", l, maxNote)
	}
	s.Date = c.date(FieldDate, n.Date, false)
	switch kind {
	case record.KindMedication:
		c.medication(&s)
	case record.KindAllergy:
		c.allergy(&s)
	case record.KindCondition:
		c.condition(&s)
	case record.KindVital:
		c.vital(&s)
	case record.KindDocument:
		if s.Note == "" {
			c.fail(FieldNote, "Type the note's text.")
		}
		if s.Date.IsZero() && !c.failed(FieldDate) {
			s.Date = record.DateOf(now)
		}
	default:
		c.needTitle(&s)
		c.value(&s)
	}
	if len(c.errs) > 0 {
		return s, &InputError{Fields: c.ordered()}
	}
	return s, nil
}

// ordered returns the problems in the order of the entry's form.
func (c *checker) ordered() []FieldError {
	form := FormOf(c.n)
	pos := func(name string) int {
		for i, f := range form.Fields {
			if f.Name == name || f.UnitField == name {
				return i
			}
		}
		return len(form.Fields) + slices.Index(EntryFieldNames(), name)
	}
	out := slices.Clone(c.errs)
	slices.SortStableFunc(out, func(a, b FieldError) int { return pos(a.Field) - pos(b.Field) })
	return out
}

// oneLine trims s and joins its lines and runs of spaces into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// titleHints say what a kind's title is, for "Type ...".
var titleHints = map[record.Kind]string{
	record.KindCondition:    "the problem's name, such as Asthma or High blood pressure",
	record.KindMedication:   "the medicine's name, such as Lisinopril",
	record.KindAllergy:      "what you are allergic to, such as Penicillin, peanuts or cats",
	record.KindImmunization: "the vaccine's name, such as Tetanus booster",
	record.KindLab:          "the test's name, such as Cholesterol",
	record.KindVital:        "what was measured, such as Peak flow",
	record.KindProcedure:    "what was done, such as Knee arthroscopy",
	record.KindEncounter:    "what the visit was, such as Physiotherapy",
	record.KindOther:        "what it is",
}

func (c *checker) needTitle(s *record.SelfReport) {
	if s.Title == "" {
		c.fail(FieldTitle, "Type %s.", titleHints[s.Kind])
	}
}

// date reads a typed date. A time of day without a zone is local.
func (c *checker) date(field, typed string, futureOK bool) record.Date {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return record.Date{}
	}
	d, err := record.ParseDate(typed)
	if err != nil {
		c.fail(field, "%q is not a date: write it as 2024-03-01, 2024-03 or 2024.", typed)
		return record.Date{}
	}
	if d.Precision == record.PrecisionTime && !d.Zoned {
		t := d.T
		d.T = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, c.now.Location())
		d.Zoned = true
	}
	today := record.DateOf(c.now)
	future := today.T.Before(d.T)
	if d.Precision == record.PrecisionTime {
		future = d.T.After(c.now.Add(5 * time.Minute))
	}
	if future && !futureOK {
		c.fail(field, "%s is after today: write when it happened.", d.Human())
		return record.Date{}
	}
	return d
}

// until reads an end date, which is not before the start.
func (c *checker) until(s *record.SelfReport, futureOK bool) {
	s.End = c.date(FieldUntil, c.n.Until, futureOK)
	if !s.End.IsZero() && !s.Date.IsZero() && s.End.T.Before(s.Date.Truncate(s.End.Precision).T) {
		c.fail(FieldUntil, "The end (%s) is before the start (%s): check both dates.", s.End.Human(), s.Date.Human())
	}
}

// value checks a free measurement or result: a unit needs a value.
func (c *checker) value(s *record.SelfReport) {
	s.Value, s.Unit = strings.TrimSpace(c.n.Value), strings.TrimSpace(c.n.Unit)
	if s.Unit != "" && s.Value == "" {
		c.fail(FieldValue, "Type the value the unit %q belongs to, or clear the unit.", s.Unit)
	}
	if utf8.RuneCountInString(s.Value) > maxWords {
		c.fail(FieldValue, "A value is a number or a few words; put the rest in the note.")
	}
}

// number reads a typed number (a comma as the decimal mark is fine).
func number(typed string) (json.Number, float64, bool) {
	n, ok := record.NumberText(typed)
	if !ok {
		return "", 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return n, f, err == nil
}

// amount writes a number and its unit for a sentence: "7000 kg", "60 °C".
func amount(n json.Number, unit string) string {
	if unit == "%" {
		return string(n) + "%"
	}
	return string(n) + " " + unit
}

func (c *checker) words(field, typed string) string {
	t := oneLine(typed)
	if utf8.RuneCountInString(t) > maxWords {
		c.fail(field, "Keep this to a few words (under %d characters); put the rest in the note.", maxWords)
	}
	return t
}

func (c *checker) medication(s *record.SelfReport) {
	n := c.n
	c.needTitle(s)
	dose, unit := strings.TrimSpace(n.Dose), strings.TrimSpace(n.DoseUnit)
	doseField, unitField := FieldDose, FieldDoseUnit
	howText := n.How
	// kin add's --value and --unit were a medication's dose in words
	// ("1 capsule" "a day"); they are read as such, and what is not a
	// dose is kept as the way it is taken.
	legacy := false
	if dose == "" && unit == "" && (n.Value != "" || n.Unit != "") {
		dose, unit = strings.TrimSpace(n.Value), strings.TrimSpace(n.Unit)
		doseField, unitField = FieldValue, FieldUnit
		legacy = true
	} else if n.Value != "" || n.Unit != "" {
		c.fail(FieldValue, "Give the dose once: as the dose, or as a value and unit.")
	}
	if _, known := record.DoseUnit(unit); unit == "" || legacy && !known {
		// "10 mg", "2 tablets", "1 capsule a day" typed as one dose.
		if amount, u, rest := splitDose(strings.TrimSpace(dose + " " + unit)); amount != "" {
			dose, unit = amount, u
			howText = strings.Trim(rest+", "+howText, ", ")
		}
	}
	if _, _, isNum := number(dose); legacy && !isNum {
		howText = strings.Trim(strings.TrimSpace(dose+" "+unit)+", "+howText, ", ")
		dose, unit = "", ""
	}
	switch {
	case dose == "" && unit != "":
		c.fail(doseField, "Type how much you take each time, or clear the unit.")
	case dose != "":
		num, f, ok := number(dose)
		switch {
		case !ok:
			c.fail(doseField, "Type the dose as a number, such as 10 or 0.5; put other words (\"1 or 2\") in the instructions.")
		case f <= 0:
			c.fail(doseField, "A dose is more than zero: check the number.")
		case unit == "":
			c.fail(unitField, "Choose the dose's unit, such as mg or tablets.")
		default:
			if u, known := record.DoseUnit(unit); known {
				unit = u.Code
				if !u.Plausible(f) {
					c.fail(doseField, "%s %s at a time is not a likely dose: check the number and the unit.", num, u.TextFor(string(num)))
				}
			} else {
				unit = c.words(unitField, unit)
			}
			s.Value, s.Unit = string(num), unit
		}
	}
	how := record.ParseHow(howText)
	s.Route = c.choice(FieldRoute, n.Route, how.Route, func(t string) (string, bool) {
		r, ok := record.FindRoute(t)
		return r.Key, ok
	})
	s.Frequency = c.choice(FieldFrequency, n.Frequency, how.Frequency, func(t string) (string, bool) {
		f, ok := record.FindFrequency(t)
		return f.Key, ok
	})
	s.AsNeeded = n.AsNeeded || how.AsNeeded
	var instr []string
	for _, t := range []string{n.Instructions, how.Rest} {
		if t = strings.TrimSpace(t); t != "" {
			instr = append(instr, t)
		}
	}
	s.Instructions = c.words(FieldInstructions, strings.Join(instr, ", "))
	s.Reason = c.words(FieldReason, n.Reason)
	c.until(s, true)
	ended := !s.End.IsZero() && s.End.T.Before(record.DateOf(c.now).T)
	switch st := strings.ToLower(strings.TrimSpace(n.Status)); st {
	case "", "active", "taking":
		switch {
		case ended && st == "":
			s.Status = "completed"
		case ended:
			c.fail(FieldUntil, "You said you take it now, but this end date has passed: clear it, or say you have stopped.")
		default:
			s.Status = "active"
		}
	case "stopped", "completed":
		s.Status = st
	default:
		c.fail(FieldStatus, "Say whether you take it now (active) or have stopped (stopped).")
	}
}

// splitDose reads a dose typed as words: its amount ("10", "0.5"), its
// unit (a dose unit of one or two words, else the first word) and the
// words after it ("twice a day"). The amount is "" when text does not
// begin with a number.
func splitDose(text string) (amount, unit, rest string) {
	i := strings.IndexFunc(text, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') })
	if i == 0 || text == "" {
		return "", "", text
	}
	if i < 0 {
		return text, "", ""
	}
	amount = text[:i]
	words := strings.Fields(text[i:])
	for n := min(2, len(words)); n >= 1; n-- {
		if u, ok := record.DoseUnit(strings.Join(words[:n], " ")); ok {
			return amount, u.Code, strings.Join(words[n:], " ")
		}
	}
	if len(words) == 0 {
		return amount, "", ""
	}
	return amount, words[0], strings.Join(words[1:], " ")
}

// choice reads a field whose value is a key of a vocabulary or other
// words; how is what the plain-words field gave.
func (c *checker) choice(field, typed, how string, find func(string) (string, bool)) string {
	t := strings.TrimSpace(typed)
	if t == "" {
		return how
	}
	if key, ok := find(t); ok {
		return key
	}
	return c.words(field, t)
}

// noKnownTitles are titles that say "no known allergies".
var noKnownTitles = []string{"no known allergies", "no known allergy", "nka", "nkda", "no known drug allergies", "no allergies", "none known"}

func (c *checker) allergy(s *record.SelfReport) {
	n := c.n
	none := n.NoKnownAllergies || slices.Contains(noKnownTitles, record.NormalizeText(s.Title))
	if none {
		s.NoKnownAllergies = true
		if n.NoKnownAllergies && s.Title != "" && !slices.Contains(noKnownTitles, record.NormalizeText(s.Title)) || len(n.Reactions) > 0 || n.Severity != "" || n.Category != "" ||
			n.Status != "" && n.Status != "active" {
			c.fail(FieldNoKnownAllergies, "You said there are no known allergies, and also described one: choose one of the two.")
		}
		s.Title = record.NoKnownAllergiesTitle
		if s.Date.IsZero() && !c.failed(FieldDate) {
			s.Date = record.DateOf(c.now)
		}
		return
	}
	c.needTitle(s)
	for _, r := range n.Reactions {
		if r = oneLine(r); r != "" {
			s.Reactions = append(s.Reactions, c.words(FieldReaction, r))
		}
	}
	if sev := strings.ToLower(strings.TrimSpace(n.Severity)); sev != "" {
		switch {
		case !slices.Contains(record.AllergySeverities, sev):
			c.fail(FieldSeverity, "Choose how bad the reaction is: mild, moderate or severe.")
		case len(s.Reactions) == 0:
			c.fail(FieldReaction, "Say what the reaction is (hives, swelling, trouble breathing...) so its severity describes something.")
		default:
			s.Severity = sev
		}
	}
	if cat := strings.TrimSpace(n.Category); cat != "" {
		s.Category = allergyCategory(cat)
		if s.Category == "" {
			c.fail(FieldCategory, "Choose what it is: a medicine, a food, something around you (environment) or a vaccine or blood product (biologic).")
		}
	}
	switch st := strings.ToLower(strings.TrimSpace(n.Status)); st {
	case "", "active":
		s.Status = "active"
	case "inactive", "resolved":
		s.Status = st
	default:
		c.fail(FieldStatus, "An allergy is active, or inactive or resolved when you no longer have it.")
	}
}

// allergyCategory returns the FHIR code of an allergy's category, typed
// as a code or in words; "" when it is none.
func allergyCategory(typed string) string {
	t := record.NormalizeText(typed)
	for _, cat := range record.AllergyCategories {
		if t == cat.Code {
			return cat.Code
		}
	}
	switch t {
	case "medicine", "a medicine", "drug", "medicines", "drugs":
		return "medication"
	case "a food", "foods":
		return "food"
	case "environmental", "something around you":
		return "environment"
	case "vaccine", "blood product", "biological":
		return "biologic"
	}
	return ""
}

func (c *checker) condition(s *record.SelfReport) {
	n := c.n
	c.needTitle(s)
	c.until(s, false)
	switch st := strings.ToLower(strings.TrimSpace(n.Status)); st {
	case "":
		s.Status = "active"
		if !s.End.IsZero() {
			s.Status = "resolved"
		}
	case "active", "recurrence", "relapse":
		s.Status = st
		if !s.End.IsZero() {
			c.fail(FieldUntil, "A problem you still have has no end date: clear it, or choose resolved.")
		}
	case "resolved", "inactive", "remission":
		s.Status = st
	default:
		c.fail(FieldStatus, "Choose active (you still have it) or resolved (it has gone).")
	}
}

// signWords name a vital sign inside a sentence: "weight", "blood pressure".
func signWords(v record.VitalSign) string { return strings.ToLower(v.Title) }

// signExamples are typical values for "such as ..." in sentences, per unit code.
var signExamples = map[string]string{
	"kg": "72.5", "[lb_av]": "160", "cm": "170", "[in_i]": "67", "m": "1.70", "Cel": "37.2", "[degF]": "98.6",
	"/min": "64", "%": "97", "mg/dL": "98", "mmol/L": "5.4",
}

func (c *checker) vital(s *record.SelfReport) {
	n := c.n
	var sign record.VitalSign
	found := false
	if key := strings.TrimSpace(n.Vital); key != "" {
		if sign, found = record.FindVitalSign(key); !found {
			var names []string
			for _, v := range record.VitalSigns {
				names = append(names, v.Key)
			}
			c.fail(FieldVital, "Kinfolio has no vital sign %q: choose one of %s, or leave it empty and name the measurement in the title.", key, strings.Join(names, ", "))
			return
		}
	} else {
		sign, found = record.VitalSignNamed(s.Title)
	}
	if s.Date.IsZero() && !c.failed(FieldDate) {
		s.Date = record.DateOf(c.now)
	}
	if !found {
		if n.Systolic != "" || n.Diastolic != "" {
			c.fail(FieldSystolic, "Upper and lower numbers are for a blood pressure: choose blood pressure, or type the value.")
		}
		c.needTitle(s)
		c.value(s)
		return
	}
	s.Vital = sign.Key
	unitText := strings.TrimSpace(n.Unit)
	var unit record.Unit
	switch {
	case unitText != "":
		var ok bool
		if unit, ok = sign.Unit(unitText); !ok {
			c.fail(FieldUnit, "%s is recorded in %s, not %q: choose one of those.", sign.Title, sign.UnitTexts(), unitText)
		}
	case len(sign.Units) == 1:
		unit = sign.Units[0]
	default:
		c.fail(FieldUnit, "Choose the unit of the %s: %s.", signWords(sign), sign.UnitTexts())
	}
	s.Unit = unit.Code
	if len(sign.Parts) > 0 {
		c.reading(s, sign, unit)
		return
	}
	if n.Systolic != "" || n.Diastolic != "" {
		c.fail(FieldSystolic, "Upper and lower numbers are for a blood pressure; a %s is one number: type it as the value.", signWords(sign))
	}
	v := strings.TrimSpace(n.Value)
	example := signExamples[cmpOr(unit.Code, sign.Units[0].Code)]
	num, f, ok := number(v)
	switch {
	case v == "":
		c.fail(FieldValue, "Type the %s, such as %s.", signWords(sign), example)
	case !ok:
		c.fail(FieldValue, "%q is not a number: type the %s as a number, such as %s.", v, signWords(sign), example)
	case unit.Code != "" && !unit.Plausible(f):
		c.fail(FieldValue, "%s of %s is not possible: check the number and the unit.", capital(article(signWords(sign))), amount(num, unit.Text))
	default:
		s.Value = string(num)
	}
}

// reading checks a reading of two numbers (blood pressure).
func (c *checker) reading(s *record.SelfReport, sign record.VitalSign, unit record.Unit) {
	n := c.n
	hi, lo := strings.TrimSpace(n.Systolic), strings.TrimSpace(n.Diastolic)
	if v := strings.TrimSpace(n.Value); v != "" {
		a, b, ok := record.SplitReading(v)
		switch {
		case hi != "" || lo != "":
			c.fail(FieldValue, "Give the reading once: as its two numbers, or as a value such as 128/82.")
			return
		case !ok:
			c.fail(FieldValue, "Type the blood pressure as its two numbers, upper over lower, such as 128/82.")
			return
		}
		hi, lo = a, b
	}
	unitText := cmpOr(unit.Text, "mmHg")
	var vals [2]float64
	for i, part := range sign.Parts {
		field, typed, words, example := FieldSystolic, hi, "upper number (systolic)", "128"
		if i == 1 {
			field, typed, words, example = FieldDiastolic, lo, "lower number (diastolic)", "82"
		}
		num, f, ok := number(typed)
		switch {
		case typed == "":
			c.fail(field, "Type the %s of the reading, such as %s.", words, example)
		case !ok:
			c.fail(field, "%q is not a number: type the %s, such as %s.", typed, words, example)
		case f < part.Min || f > part.Max:
			c.fail(field, "An %s of %s is not possible: check the reading.", words, amount(num, unitText))
		default:
			vals[i] = f
			if i == 0 {
				s.Systolic = string(num)
			} else {
				s.Diastolic = string(num)
			}
		}
	}
	if s.Systolic != "" && s.Diastolic != "" && vals[1] >= vals[0] {
		c.fail(FieldDiastolic, "The lower number (%s) must be less than the upper one (%s): check the reading.", s.Diastolic, s.Systolic)
	}
}

// article puts "a" or "an" before a noun phrase.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func cmpOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
