package record

import (
	"fmt"
	"strings"
)

// SelfReportOf reads a hand-entered resource back into the [SelfReport]
// that made it, so a form can show it for editing: for every s,
// SelfReportOf(NewSelfReported(s)) gives back s with its route, frequency
// and units as keys and codes, and its words trimmed. Resources entered
// before the fields of their kind existed give what they hold (a dose as
// Value and Unit, a reading as Value).
//
// It returns an error wrapping [ErrNotSelfReportable] for a resource not
// tagged with [SelfReportTag], and the decoder's error for JSON that does
// not fit its type.
func SelfReportOf(r Resource) (SelfReport, error) {
	if !IsSelfReported(r) {
		return SelfReport{}, fmt.Errorf("%w: %s was not entered by hand", ErrNotSelfReportable, r.Type)
	}
	e, ok, err := Project(r, nil)
	if err != nil {
		return SelfReport{}, err
	}
	if !ok {
		return SelfReport{}, fmt.Errorf("%w: %s", ErrNotSelfReportable, r.Type)
	}
	s := SelfReport{Kind: e.Kind, Title: e.Title, Date: e.Date, Note: e.Note}
	switch r.Type {
	case "Condition":
		s.Status, s.End = e.Status, e.End
	case "MedicationStatement":
		m, err := Decode[MedicationStatement](r)
		if err != nil {
			return SelfReport{}, err
		}
		s.Status, s.End, s.Reason = m.Status, e.End, e.Reason
		if len(m.Dosage) > 0 {
			readDosage(&s, &m.Dosage[0])
		}
	case "AllergyIntolerance":
		a, err := Decode[AllergyIntolerance](r)
		if err != nil {
			return SelfReport{}, err
		}
		if a.Code.HasCode(SystemSNOMED, NoKnownAllergy.Code) {
			s.NoKnownAllergies = true
			break
		}
		s.Status, s.Reactions = e.Status, e.Reactions
		if len(a.Category) > 0 {
			s.Category = a.Category[0]
		}
		for _, rx := range a.Reaction {
			if rx.Severity != "" {
				s.Severity = rx.Severity
				break
			}
		}
	case "Observation":
		o, err := Decode[Observation](r)
		if err != nil {
			return SelfReport{}, err
		}
		readObservation(&s, o, e)
	}
	return s, nil
}

// readDosage reads a medication's dose, route, frequency and instructions.
func readDosage(s *SelfReport, d *Dosage) {
	s.AsNeeded = d.AsNeededBoolean
	s.Instructions = strings.TrimSpace(d.PatientInstruction)
	for _, dr := range d.DoseAndRate {
		if q := dr.DoseQuantity; q != nil && q.Value != "" {
			s.Value, s.Unit = string(q.Value), q.UnitText()
			if u, ok := DoseUnit(q.Code); ok && SameSystem(q.System, SystemUCUM) {
				s.Unit = u.Code
			}
			break
		}
	}
	if d.Route != nil {
		s.Route = d.Route.Display()
		for _, c := range d.Route.Coding {
			for _, rt := range Routes {
				if c.Code == rt.Code.Code && SameSystem(c.System, SystemSNOMED) {
					s.Route = rt.Key
				}
			}
		}
	}
	if t := d.Timing; t != nil {
		if t.Code != nil {
			s.Frequency = strings.TrimSpace(t.Code.Text)
			if f, ok := FindFrequency(s.Frequency); ok {
				s.Frequency = f.Key
			}
			for _, c := range t.Code.Coding {
				for _, f := range Frequencies {
					if f.Code != "" && c.Code == f.Code && SameSystem(c.System, SystemGTSAbbreviation) {
						s.Frequency = f.Key
					}
				}
			}
		}
		if s.Frequency == "" && t.Repeat != nil {
			for _, f := range Frequencies {
				if f.Times == t.Repeat.Frequency && string(t.Repeat.Period) == fmt.Sprint(f.Period) && f.PeriodUnit == t.Repeat.PeriodUnit &&
					(f.When == "" && len(t.Repeat.When) == 0 || len(t.Repeat.When) == 1 && t.Repeat.When[0] == f.When) {
					s.Frequency = f.Key
					break
				}
			}
		}
	}
	if s.Value == "" && s.Route == "" && s.Frequency == "" && !s.AsNeeded && s.Instructions == "" {
		// Written before dosages were structured: the text was the dose.
		text := strings.TrimSpace(d.Text)
		if amount, unit, ok := strings.Cut(text, " "); ok {
			if _, isNum := NumberText(amount); isNum {
				s.Value, s.Unit = amount, strings.TrimSpace(unit)
				return
			}
		}
		s.Value = text
	}
}

// readObservation reads a measurement: a known vital sign with its unit's
// code, a reading of two numbers, or a value as stated.
func readObservation(s *SelfReport, o *Observation, e Entry) {
	s.Value, s.Unit = e.Value, e.Unit
	var sign VitalSign
	found := false
	if o.Code != nil {
		for _, c := range o.Code.Coding {
			if SameSystem(c.System, SystemLOINC) {
				if sign, found = vitalSignOfCode(c.Code); found {
					break
				}
			}
		}
	}
	if !found {
		return
	}
	s.Vital = sign.Key
	if q := o.ValueQuantity; q != nil {
		s.Value = string(q.Value)
		if u, ok := sign.Unit(q.Code); ok {
			s.Unit = u.Code
		}
	}
	if len(sign.Parts) == 0 {
		return
	}
	s.Value, s.Unit = "", ""
	for _, c := range o.Component {
		if c.ValueQuantity == nil {
			continue
		}
		v := string(c.ValueQuantity.Value)
		switch {
		case c.Code.HasCode(SystemLOINC, sign.Parts[0].Code.Code):
			s.Systolic = v
		case c.Code.HasCode(SystemLOINC, sign.Parts[1].Code.Code):
			s.Diastolic = v
		default:
			continue
		}
		if u, ok := sign.Unit(c.ValueQuantity.Code); ok {
			s.Unit = u.Code
		}
	}
}
