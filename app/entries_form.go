package app

import (
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// The forms of "Add entry": what each asks, in its order, with labels,
// hints, choices and units, so the window builds them from data and
// [CheckEntry] applies the rules. A form's Field.Name is the name of the
// [NewEntry] field it edits ([NewEntry.Get], [NewEntry.Set]), of the
// [FieldError] that marks it, and of kin add's flag.

// Input is the kind of control a field needs.
type Input string

// The inputs.
const (
	// InputText is one line of text.
	InputText Input = "text"
	// InputLongText is several lines (a note).
	InputLongText Input = "long-text"
	// InputNumber is a number; with Units, a unit is chosen beside it.
	InputNumber Input = "number"
	// InputDate is a date: 2024-03-01, 2024-03 or 2024.
	InputDate Input = "date"
	// InputChoice is one of Choices (or, when Open, other words).
	InputChoice Input = "choice"
	// InputList is several values, from Choices or typed (an allergy's
	// reactions); Set takes them separated by commas.
	InputList Input = "list"
	// InputCheck is yes or no ("yes" or "").
	InputCheck Input = "check"
)

// Field is one field of an entry form.
type Field struct {
	// Name is the NewEntry field it edits ("dose", "systolic").
	Name string
	// Label is its label ("Dose", "Upper number (systolic)").
	Label string
	// Hint is an example shown in the empty field ("e.g. 10").
	Hint string
	// Help is a sentence under the field, or "".
	Help     string
	Input    Input
	Required bool
	// Choices are the values to choose from (InputChoice, InputList): the
	// value stored and the words shown.
	Choices []Choice
	// Open says other words than the Choices (or Units) are accepted.
	Open bool
	// Units are the units a number is entered in, the usual one first;
	// UnitField is the NewEntry field that holds the chosen unit's Code.
	Units     []UnitChoice
	UnitField string
	// Default is the value a new entry starts with ("" none).
	Default string
}

// Choice is one value of a choice.
type Choice struct {
	Value string
	Label string
}

// UnitChoice is a unit a number may be entered in, with the values that
// are plausible in it (others are refused as typing mistakes).
type UnitChoice struct {
	// Code is the UCUM code stored ("kg", "[lb_av]").
	Code string
	// Label is how it is written ("kg", "lb", "tablets").
	Label    string
	Min, Max float64
}

// Form is one form of "Add entry": a kind of entry, or one vital sign.
type Form struct {
	// ID names the form: "medication", "allergy", "no-known-allergies",
	// "condition", a vital sign's key ("blood-pressure", "weight"...),
	// "vital" (another measurement), "note", "immunization", "lab",
	// "procedure", "encounter", "other".
	ID   string
	Kind record.Kind
	// Vital is the vital sign's key for its form, else "".
	Vital string
	// NoKnownAllergies is set for the "no known allergies" form.
	NoKnownAllergies bool
	// Group is the part of the Add entry menu it is in ("Vital signs").
	Group string
	// Label is its name in the menu ("Blood pressure").
	Label string
	// Heading and EditHeading title the form when adding and editing.
	Heading     string
	EditHeading string
	// Intro is a sentence above the fields, or "".
	Intro  string
	Fields []Field
}

// Field returns the form's field called name.
func (f Form) Field(name string) (Field, bool) {
	i := slices.IndexFunc(f.Fields, func(x Field) bool { return x.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return f.Fields[i], true
}

// New returns a new entry for the form: its kind, vital sign and the
// fields' defaults (the usual unit of a number).
func (f Form) New() NewEntry {
	n := NewEntry{Kind: f.Kind, Vital: f.Vital, NoKnownAllergies: f.NoKnownAllergies}
	for _, fd := range f.Fields {
		if fd.Default != "" {
			n.Set(fd.Name, fd.Default)
		}
		if fd.UnitField != "" && len(fd.Units) > 0 && n.Get(fd.UnitField) == "" && !fd.Open {
			n.Set(fd.UnitField, fd.Units[0].Code)
		}
	}
	return n
}

// The groups of the Add entry menu, in its order.
const (
	MenuMedicines = "Medicines and allergies"
	MenuProblems  = "Problems"
	MenuVitals    = "Vital signs"
	MenuNotes     = "Notes"
	MenuOther     = "Other"
)

// EntryForms returns every form of Add entry, in the menu's order:
// medicine, allergy, no known allergies, problem, each vital sign, another
// measurement, note, then vaccination, test result, procedure, visit and
// something else.
func EntryForms() []Form {
	forms := []Form{medicationForm(), allergyForm(), noKnownAllergiesForm(), conditionForm()}
	for _, v := range record.VitalSigns {
		forms = append(forms, vitalForm(v))
	}
	forms = append(forms, otherVitalForm(), noteForm())
	return append(forms, simpleForms()...)
}

// EntryForm returns the form called id (a [Form.ID]).
func EntryForm(id string) (Form, bool) {
	for _, f := range EntryForms() {
		if f.ID == id {
			return f, true
		}
	}
	return Form{}, false
}

// FormOf returns the form that edits n: its kind's, its vital sign's (set,
// or recognized from the title), or "no known allergies".
func FormOf(n NewEntry) Form {
	id := string(n.Kind)
	switch n.Kind {
	case record.KindVital:
		id = "vital"
		if v, ok := record.FindVitalSign(n.Vital); ok {
			id = v.Key
		} else if v, ok := record.VitalSignNamed(n.Title); ok && n.Vital == "" {
			id = v.Key
		}
	case record.KindAllergy:
		if n.NoKnownAllergies || slices.Contains(noKnownTitles, record.NormalizeText(n.Title)) {
			id = "no-known-allergies"
		}
	case record.KindDocument:
		id = "note"
	}
	if f, ok := EntryForm(id); ok {
		return f
	}
	f, _ := EntryForm("other")
	return f
}

func noteField() Field {
	return Field{Name: FieldNote, Label: "Note", Input: InputLongText, Hint: "Anything else worth knowing"}
}

func dateField(label, help string) Field {
	return Field{Name: FieldDate, Label: label, Input: InputDate, Hint: "e.g. 2024-03-01, 2024-03 or 2024", Help: help}
}

func unitChoices(us []record.Unit) []UnitChoice {
	var out []UnitChoice
	for _, u := range us {
		label := u.Text
		if u.Plural != "" {
			label = u.Plural
		}
		out = append(out, UnitChoice{Code: u.Code, Label: label, Min: u.Min, Max: u.Max})
	}
	return out
}

func medicationForm() Form {
	var routes, freqs []Choice
	for _, r := range record.Routes {
		routes = append(routes, Choice{r.Key, r.Words})
	}
	for _, f := range record.Frequencies {
		freqs = append(freqs, Choice{f.Key, f.Words})
	}
	return Form{ID: "medication", Kind: record.KindMedication, Group: MenuMedicines, Label: "Medicine",
		Heading: "Add a medicine", EditHeading: "Edit medicine",
		Intro: "A medicine you take: prescribed, bought at a pharmacy, or a supplement.",
		Fields: []Field{
			{Name: FieldTitle, Label: "Medicine", Input: InputText, Required: true, Hint: "e.g. Lisinopril 10 mg tablets"},
			{Name: FieldDose, Label: "Dose", Input: InputNumber, Hint: "e.g. 10", Help: "How much you take each time.",
				Units: unitChoices(record.DoseUnits), UnitField: FieldDoseUnit, Open: true},
			{Name: FieldRoute, Label: "How taken", Input: InputChoice, Choices: routes, Open: true, Hint: "e.g. by mouth"},
			{Name: FieldFrequency, Label: "How often", Input: InputChoice, Choices: freqs, Open: true, Hint: "e.g. twice a day"},
			{Name: FieldAsNeeded, Label: "Only when needed", Input: InputCheck},
			{Name: FieldInstructions, Label: "Other instructions", Input: InputText, Hint: "e.g. with food"},
			{Name: FieldReason, Label: "What it is for", Input: InputText, Hint: "e.g. high blood pressure"},
			dateField("Since", "When you started; a year is enough."),
			{Name: FieldStatus, Label: "Taking it now", Input: InputChoice, Hint: "Yes, unless it has an end date that has passed",
				Choices: []Choice{{"active", "Yes, I take it now"}, {"stopped", "No, I have stopped"}}},
			{Name: FieldUntil, Label: "Until", Input: InputDate, Hint: "e.g. 2024-06", Help: "When you stopped, or will stop. Leave it empty if you go on taking it."},
			noteField(),
		}}
}

func allergyForm() Form {
	var cats, reactions, sevs []Choice
	for _, c := range record.AllergyCategories {
		cats = append(cats, Choice{c.Code, capital(c.Words)})
	}
	for _, r := range record.Reactions {
		reactions = append(reactions, Choice{r.Words, r.Words})
	}
	for _, s := range record.AllergySeverities {
		label := capital(s)
		if s == "severe" {
			label = "Severe (it needed urgent care)"
		}
		sevs = append(sevs, Choice{s, label})
	}
	return Form{ID: "allergy", Kind: record.KindAllergy, Group: MenuMedicines, Label: "Allergy",
		Heading: "Add an allergy", EditHeading: "Edit allergy",
		Intro: "Something that gives you an allergic reaction or that you cannot take.",
		Fields: []Field{
			{Name: FieldTitle, Label: "Allergic to", Input: InputText, Required: true, Hint: "e.g. Penicillin, peanuts, cats"},
			{Name: FieldCategory, Label: "What it is", Input: InputChoice, Choices: cats},
			{Name: FieldReaction, Label: "Reaction", Input: InputList, Choices: reactions, Open: true, Hint: "e.g. hives, swelling",
				Help: "What happens; choose or type one or more."},
			{Name: FieldSeverity, Label: "How bad", Input: InputChoice, Choices: sevs},
			dateField("Since", "When you first had it; a year is enough."),
			noteField(),
		}}
}

func noKnownAllergiesForm() Form {
	return Form{ID: "no-known-allergies", Kind: record.KindAllergy, NoKnownAllergies: true, Group: MenuMedicines,
		Label: "No known allergies", Heading: "Record no known allergies", EditHeading: "Edit no known allergies",
		Intro:  "Say that you have no known allergies. A doctor reads this differently from a record that says nothing about allergies.",
		Fields: []Field{dateField("As of", "Today if left empty."), noteField()}}
}

func conditionForm() Form {
	return Form{ID: "condition", Kind: record.KindCondition, Group: MenuProblems, Label: "Problem",
		Heading: "Add a problem", EditHeading: "Edit problem",
		Intro: "A health problem or diagnosis, now or in the past.",
		Fields: []Field{
			{Name: FieldTitle, Label: "Problem", Input: InputText, Required: true, Hint: "e.g. Asthma"},
			{Name: FieldStatus, Label: "Status", Input: InputChoice, Hint: "I still have it, unless it has a resolved date",
				Choices: []Choice{{"active", "I still have it"}, {"resolved", "It has gone (resolved)"}}},
			dateField("Since", "When it started; a year is enough."),
			{Name: FieldUntil, Label: "Resolved on", Input: InputDate, Hint: "e.g. 2023", Help: "Only if it has gone."},
			noteField(),
		}}
}

func vitalForm(v record.VitalSign) Form {
	f := Form{ID: v.Key, Kind: record.KindVital, Vital: v.Key, Group: MenuVitals, Label: v.Title,
		Heading: "Add " + article(signWords(v)), EditHeading: "Edit " + signWords(v)}
	if v.Key == "blood-pressure" {
		f.Heading, f.EditHeading = "Add a blood pressure reading", "Edit blood pressure reading"
		f.Intro = "Both numbers of one reading, as your monitor shows them: upper (systolic) over lower (diastolic)."
		units := unitChoices(v.Units)
		f.Fields = []Field{
			{Name: FieldSystolic, Label: "Upper number (systolic)", Input: InputNumber, Required: true, Hint: "e.g. 128",
				Units: units, UnitField: FieldUnit},
			{Name: FieldDiastolic, Label: "Lower number (diastolic)", Input: InputNumber, Required: true, Hint: "e.g. 82",
				Units: units, UnitField: FieldUnit},
		}
	} else {
		f.Fields = []Field{{Name: FieldValue, Label: v.Title, Input: InputNumber, Required: true,
			Hint: "e.g. " + signExamples[v.Units[0].Code], Units: unitChoices(v.Units), UnitField: FieldUnit}}
	}
	f.Fields = append(f.Fields, dateField("When", "Today if left empty; add the time as 2024-03-01T08:30."), noteField())
	return f
}

func otherVitalForm() Form {
	return Form{ID: "vital", Kind: record.KindVital, Group: MenuVitals, Label: "Other measurement",
		Heading: "Add a measurement", EditHeading: "Edit measurement",
		Fields: []Field{
			{Name: FieldTitle, Label: "What was measured", Input: InputText, Required: true, Hint: "e.g. Peak flow"},
			{Name: FieldValue, Label: "Value", Input: InputText, Hint: "e.g. 450"},
			{Name: FieldUnit, Label: "Unit", Input: InputText, Hint: "e.g. L/min"},
			dateField("When", "Today if left empty."),
			noteField(),
		}}
}

func noteForm() Form {
	return Form{ID: "note", Kind: record.KindDocument, Group: MenuNotes, Label: "Note",
		Heading: "Add a note", EditHeading: "Edit note",
		Intro: "Anything you want to keep with your records: questions for a visit, how you felt, what a doctor said.",
		Fields: []Field{
			{Name: FieldTitle, Label: "Title", Input: InputText, Hint: "e.g. Questions for my next visit", Help: "If left empty, the first line of the text."},
			{Name: FieldNote, Label: "Text", Input: InputLongText, Required: true, Hint: "e.g. Ask about the cough at my next visit"},
			dateField("Date", "Today if left empty."),
		}}
}

func simpleForms() []Form {
	simple := func(id string, kind record.Kind, label, heading, titleLabel, hint, dateLabel string, value bool) Form {
		f := Form{ID: id, Kind: kind, Group: MenuOther, Label: label, Heading: "Add " + heading,
			EditHeading: "Edit " + strings.SplitN(heading, " ", 2)[1],
			Fields:      []Field{{Name: FieldTitle, Label: titleLabel, Input: InputText, Required: true, Hint: hint}}}
		if value {
			f.Fields = append(f.Fields,
				Field{Name: FieldValue, Label: "Result", Input: InputText, Hint: "e.g. 5.2"},
				Field{Name: FieldUnit, Label: "Unit", Input: InputText, Hint: "e.g. mmol/L"})
		}
		f.Fields = append(f.Fields, dateField(dateLabel, ""), noteField())
		return f
	}
	return []Form{
		simple("immunization", record.KindImmunization, "Vaccination", "a vaccination", "Vaccine", "e.g. Tetanus booster", "When given", false),
		simple("lab", record.KindLab, "Test result", "a test result", "Test", "e.g. Cholesterol", "Date", true),
		simple("procedure", record.KindProcedure, "Procedure", "a procedure", "Procedure", "e.g. Wisdom teeth removed", "When", false),
		simple("encounter", record.KindEncounter, "Visit", "a visit", "Visit", "e.g. Physiotherapy", "When", false),
		simple("other", record.KindOther, "Something else", "an entry", "What it is", "e.g. Steps per day", "Date", true),
	}
}
