package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// NewEntry is what a person types to add or edit an entry by hand, in the
// window's forms or with `kin add`: every value as typed. The fields a
// kind uses are those of its [Form]; [CheckEntry] says which values cannot
// be used and why. A form reads and writes the fields by name with
// [NewEntry.Get] and [NewEntry.Set], the names of its [Field]s (and of
// kin add's flags).
type NewEntry struct {
	Kind record.Kind
	// Title is what it is: the medicine, the allergy's substance, the
	// problem, the note's subject (field "title").
	Title string
	// Date is when ("" or "2024-03-01", "2024-03", "2024", or a time of
	// day "2024-03-01T08:30"), as typed: a medicine's or problem's start,
	// a measurement's, a note's or a "no known allergies" statement's day
	// (today when empty) (field "date").
	Date string
	// Until is when it ended: a medicine's last day, the day a problem
	// resolved (field "until").
	Until string
	// Value and Unit are a measurement ("72.5" "kg"), a result, or for a
	// medication its dose (fields "value", "unit").
	Value string
	Unit  string
	Note  string // field "note"
	// Status is a problem's ("active" or "resolved"), a medicine's
	// ("active" or "stopped") or an allergy's ("active", "inactive" or
	// "resolved"); "" means active, or stopped for a medicine whose Until
	// has passed (field "status").
	Status string

	// Vital is the key of a [record.VitalSigns] measurement
	// ("blood-pressure", "weight"); for kind vital, "" is recognized from
	// the title ("Weight", "Blood pressure (home)") or is a measurement
	// Kinfolio has no rules for (field "vital").
	Vital string
	// Systolic and Diastolic are a blood pressure's two numbers (fields
	// "systolic", "diastolic"); a Value of "128/82" gives both.
	Systolic  string
	Diastolic string

	// Dose and DoseUnit are how much of a medicine is taken each time
	// ("10" "mg"; "2 tablets" as one Dose is read too) (fields "dose",
	// "dose-unit").
	Dose     string
	DoseUnit string
	// Route and Frequency are how and how often: keys of [record.Routes]
	// and [record.Frequencies] (a form's choices) or other words (fields
	// "route", "frequency"). AsNeeded: only when needed (field "as-needed").
	Route     string
	Frequency string
	AsNeeded  bool
	// Instructions are any other words on taking it ("with food") (field
	// "instructions").
	Instructions string
	// How is route, frequency and instructions in plain words as one text
	// ("by mouth, twice a day, with food"), as kin add --how takes them;
	// they add to Route, Frequency and Instructions (field "how").
	How string
	// Reason is what the medicine is for (field "reason").
	Reason string

	// Reactions, Severity and Category describe an allergy: what happens,
	// how bad (mild, moderate, severe) and what it is to (medication, food,
	// environment, biologic) (fields "reaction", "severity", "category").
	Reactions []string
	Severity  string
	Category  string
	// NoKnownAllergies states that the person has no known allergies
	// (field "no-known-allergies").
	NoKnownAllergies bool
}

// The names of [NewEntry]'s fields, as forms, errors and kin add's flags use them.
const (
	FieldKind             = "kind"
	FieldTitle            = "title"
	FieldDate             = "date"
	FieldUntil            = "until"
	FieldValue            = "value"
	FieldUnit             = "unit"
	FieldNote             = "note"
	FieldStatus           = "status"
	FieldVital            = "vital"
	FieldSystolic         = "systolic"
	FieldDiastolic        = "diastolic"
	FieldDose             = "dose"
	FieldDoseUnit         = "dose-unit"
	FieldRoute            = "route"
	FieldFrequency        = "frequency"
	FieldAsNeeded         = "as-needed"
	FieldInstructions     = "instructions"
	FieldHow              = "how"
	FieldReason           = "reason"
	FieldReaction         = "reaction"
	FieldSeverity         = "severity"
	FieldCategory         = "category"
	FieldNoKnownAllergies = "no-known-allergies"
)

// EntryFieldNames lists the names [NewEntry.Get] and [NewEntry.Set] know,
// "kind" first.
func EntryFieldNames() []string {
	return []string{FieldKind, FieldTitle, FieldDate, FieldUntil, FieldValue, FieldUnit, FieldNote, FieldStatus, FieldVital,
		FieldSystolic, FieldDiastolic, FieldDose, FieldDoseUnit, FieldRoute, FieldFrequency, FieldAsNeeded, FieldInstructions,
		FieldHow, FieldReason, FieldReaction, FieldSeverity, FieldCategory, FieldNoKnownAllergies}
}

// text returns the string field called name, or nil.
func (n *NewEntry) text(name string) *string {
	switch name {
	case FieldTitle:
		return &n.Title
	case FieldDate:
		return &n.Date
	case FieldUntil:
		return &n.Until
	case FieldValue:
		return &n.Value
	case FieldUnit:
		return &n.Unit
	case FieldNote:
		return &n.Note
	case FieldStatus:
		return &n.Status
	case FieldVital:
		return &n.Vital
	case FieldSystolic:
		return &n.Systolic
	case FieldDiastolic:
		return &n.Diastolic
	case FieldDose:
		return &n.Dose
	case FieldDoseUnit:
		return &n.DoseUnit
	case FieldRoute:
		return &n.Route
	case FieldFrequency:
		return &n.Frequency
	case FieldInstructions:
		return &n.Instructions
	case FieldHow:
		return &n.How
	case FieldReason:
		return &n.Reason
	case FieldSeverity:
		return &n.Severity
	case FieldCategory:
		return &n.Category
	}
	return nil
}

// Get returns the field called name as text: a yes-or-no field is "yes"
// or "", the reactions are joined by ", ". An unknown name gives "".
func (n NewEntry) Get(name string) string {
	switch name {
	case FieldKind:
		return string(n.Kind)
	case FieldAsNeeded:
		return yes(n.AsNeeded)
	case FieldNoKnownAllergies:
		return yes(n.NoKnownAllergies)
	case FieldReaction:
		return strings.Join(n.Reactions, ", ")
	}
	if p := n.text(name); p != nil {
		return *p
	}
	return ""
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// Set sets the field called name from text: a yes-or-no field takes
// "yes", "true", "1" or "no", "false", "0", ""; the reactions are split at
// commas, semicolons and line breaks. It returns an error wrapping
// [ErrBadInput] for an unknown name or a yes-or-no value it cannot read.
func (n *NewEntry) Set(name, value string) error {
	switch name {
	case FieldKind:
		n.Kind = record.Kind(strings.ToLower(strings.TrimSpace(value)))
		return nil
	case FieldAsNeeded, FieldNoKnownAllergies:
		var b bool
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "yes", "y", "true", "1", "on":
			b = true
		case "no", "n", "false", "0", "off", "":
		default:
			return inputError(name, fmt.Sprintf("Answer yes or no, not %q.", value))
		}
		if name == FieldAsNeeded {
			n.AsNeeded = b
		} else {
			n.NoKnownAllergies = b
		}
		return nil
	case FieldReaction:
		n.Reactions = splitList(value)
		return nil
	}
	p := n.text(name)
	if p == nil {
		return fmt.Errorf("%w: no field %q", ErrBadInput, name)
	}
	*p = value
	return nil
}

// splitList splits a typed list at commas, semicolons and line breaks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// CheckEntry checks a typed entry as of today (the session's clock) with
// the same rules [Session.AddEntry] and [Session.EditEntry] apply, so a
// form can mark what is wrong before saving. See [CheckEntry].
func (s *Session) CheckEntry(n NewEntry) error {
	_, err := checkEntry(n, s.now())
	return err
}

// AddEntry adds an entry the person entered by hand (person: an id or a
// name; "" when the vault holds exactly one person) and returns its row.
// Errors wrap [ErrBadInput] (an [*InputError] naming the fields),
// [record.ErrNotSelfReportable], [vault.ErrNoSuchProfile] or
// [vault.ErrNeedProfile].
func (s *Session) AddEntry(person string, n NewEntry) (Row, error) {
	sr, err := checkEntry(n, s.now())
	if err != nil {
		return Row{}, err
	}
	v, err := s.vault()
	if err != nil {
		return Row{}, err
	}
	people, err := v.Profiles()
	if err != nil {
		return Row{}, locked(err)
	}
	if person == "" && len(people) != 1 {
		if len(people) == 0 {
			return Row{}, fmt.Errorf("%w: the vault holds no people yet; add a person first", vault.ErrNeedProfile)
		}
		return Row{}, fmt.Errorf("%w: the vault holds %d people; say whose entry it is", vault.ErrNeedProfile, len(people))
	}
	e, err := v.AddSelfReported(person, sr)
	if err != nil {
		return Row{}, locked(err)
	}
	s.changed(ChangeRecords)
	return s.row(v, &e), nil
}

// EditEntry replaces the content of an entry the person entered, keeping
// its id. Errors wrap [ErrBadInput], [record.ErrNotSelfReportable],
// [vault.ErrNoSuchEntry] or [vault.ErrNotSelfReported] (an imported entry:
// those are read-only).
func (s *Session) EditEntry(id string, n NewEntry) (Row, error) {
	sr, err := checkEntry(n, s.now())
	if err != nil {
		return Row{}, err
	}
	v, err := s.vault()
	if err != nil {
		return Row{}, err
	}
	e, err := v.EditSelfReported(id, sr)
	if err != nil {
		return Row{}, locked(err)
	}
	s.changed(ChangeRecords)
	return s.row(v, &e), nil
}

// EntryInput returns what the person typed for an entry they entered, as
// the form that edits it shows it ([NewEntry.Form]). Errors wrap
// [vault.ErrNoSuchEntry] or [vault.ErrNotSelfReported] (an imported entry).
func (s *Session) EntryInput(id string) (NewEntry, error) {
	v, err := s.vault()
	if err != nil {
		return NewEntry{}, err
	}
	e, resources, err := v.Entry(id)
	if err != nil {
		return NewEntry{}, locked(err)
	}
	if len(e.Sources) != 1 || len(resources) != 1 {
		return NewEntry{}, vault.ErrNotSelfReported
	}
	if src, err := v.Source(e.Sources[0]); err != nil || src.Format != record.SelfReported {
		return NewEntry{}, vault.ErrNotSelfReported
	}
	sr, err := record.SelfReportOf(resources[0])
	if err != nil {
		return NewEntry{}, fmt.Errorf("%w: %v", vault.ErrNotSelfReported, err)
	}
	return inputOf(sr, s.now().Location()), nil
}

// inputOf words a hand-entered fact as a form shows it; a time of day
// as it was typed, in loc (the session clock's).
func inputOf(sr record.SelfReport, loc *time.Location) NewEntry {
	n := NewEntry{Kind: sr.Kind, Title: sr.Title, Date: typedDate(sr.Date, loc), Until: typedDate(sr.End, loc), Note: sr.Note,
		Status: sr.Status, Vital: sr.Vital, Systolic: sr.Systolic, Diastolic: sr.Diastolic,
		Route: sr.Route, Frequency: sr.Frequency, AsNeeded: sr.AsNeeded, Instructions: sr.Instructions, Reason: sr.Reason,
		Reactions: sr.Reactions, Severity: sr.Severity, Category: sr.Category, NoKnownAllergies: sr.NoKnownAllergies}
	switch sr.Kind {
	case record.KindMedication:
		n.Dose, n.DoseUnit = sr.Value, sr.Unit
		if u, ok := record.DoseUnit(n.DoseUnit); ok {
			n.DoseUnit = u.Code
		}
		if n.Status == "completed" || n.Status == "active" && sr.End.IsZero() {
			n.Status = "" // derived again from Until
		}
	default:
		n.Value, n.Unit = sr.Value, sr.Unit
	}
	// A status that follows from the end date is left for the check to derive.
	switch {
	case sr.Kind == record.KindCondition && (sr.Status == "active" && sr.End.IsZero() || sr.Status == "resolved" && !sr.End.IsZero()),
		sr.Kind == record.KindAllergy && sr.Status == "active":
		n.Status = ""
	}
	if sr.Kind == record.KindVital && sr.Vital == "" {
		upgradeReading(&n)
	}
	if sr.NoKnownAllergies {
		n.Title = ""
	}
	if sign, ok := record.FindVitalSign(sr.Vital); ok && sr.Title == sign.Title {
		n.Title = ""
	}
	return n
}

// typedDate writes a date as a person types it: 2024-03-01, 2024-03,
// 2024, or with a time of day 2024-03-01T08:30 in loc (the zone the
// check gave it).
func typedDate(d record.Date, loc *time.Location) string {
	if d.Precision != record.PrecisionTime {
		return d.String()
	}
	t := d.T.In(loc)
	if t.Second() != 0 {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format("2006-01-02T15:04")
}

// upgradeReading fills a vital sign's form from an entry made before
// vital signs were coded ("Blood pressure" "128/82 mm[Hg]"), when its
// title names the sign and its value fits.
func upgradeReading(n *NewEntry) {
	sign, ok := record.VitalSignNamed(n.Title)
	if !ok {
		return
	}
	if len(sign.Parts) > 0 {
		hi, lo, ok := record.SplitReading(n.Value)
		if !ok {
			return
		}
		n.Systolic, n.Diastolic, n.Value, n.Unit = hi, lo, "", sign.Units[0].Code
	} else if u, ok := sign.Unit(n.Unit); ok {
		n.Unit = u.Code
	} else if n.Unit != "" || len(sign.Units) > 1 {
		return
	}
	n.Vital = sign.Key
}

// DeleteEntry deletes an entry the person entered. Errors wrap
// [vault.ErrNoSuchEntry] or [vault.ErrNotSelfReported].
func (s *Session) DeleteEntry(id string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	if err := v.DeleteSelfReported(id); err != nil {
		return locked(err)
	}
	s.changed(ChangeRecords)
	return nil
}

func (s *Session) row(v *vault.Vault, e *record.Entry) Row {
	name := ""
	if p, err := v.Profile(e.Profile); err == nil {
		name = p.Name
	}
	return rowOf(e, s.keysFor(v, e.Profile), name)
}
