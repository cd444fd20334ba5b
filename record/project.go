package record

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Resolver finds a resource another resource refers to, by the reference
// as written in the JSON ("Practitioner/123", "urn:uuid:..."). It returns
// false when the reference does not resolve. A nil Resolver resolves nothing.
// Contained resources ("#med1") are found by [Project] itself.
type Resolver func(reference string) (Resource, bool)

// supporting are resource types that describe who, where and what for other
// resources and have no entry of their own.
var supporting = map[string]bool{
	"Patient": true, "Practitioner": true, "PractitionerRole": true, "Organization": true,
	"Location": true, "Medication": true, "RelatedPerson": true, "Binary": true,
	"Provenance": true, "OperationOutcome": true, "Bundle": true, "Substance": true,
	"Group": true, "Endpoint": true, "HealthcareService": true, "CareTeam": false,
}

// IsSupporting reports whether resources of type t (Practitioner,
// Organization, Location, Medication, Patient, ...) only describe others and
// have no entry of their own.
func IsSupporting(t string) bool { return supporting[t] }

// Project computes the normalized [Entry] of a resource. Resources that only
// describe others ([IsSupporting]) have no entry: ok is false. Every other
// resource type has one; types Kinfolio does not know become [KindOther]
// entries titled from their code or type, so nothing is hidden. The entry's
// ID, Profile, Sources and Resources are left for the caller.
//
// Reading is lenient: a field of the wrong JSON type is read anyway or left
// out (see [Decode]), and the entry holds every other field;
// [ProjectChecked] also says which fields. It returns an error wrapping
// [ErrNotResource] only when the JSON is not a well-formed object.
func Project(r Resource, resolve Resolver) (e Entry, ok bool, err error) {
	e, ok, _, err = ProjectChecked(r, resolve)
	return e, ok, err
}

// ProjectChecked is [Project] that also returns the resource's fields it
// could not read as they are, for the import report.
func ProjectChecked(r Resource, resolve Resolver) (e Entry, ok bool, problems []FieldProblem, err error) {
	if IsSupporting(r.Type) {
		return Entry{}, false, nil, nil
	}
	p := projector{res: r, resolve: resolve}
	e, ok, err = p.project()
	if err != nil {
		return Entry{}, false, nil, err
	}
	e.Title = strings.Join(strings.Fields(e.Title), " ")
	if e.Title == "" {
		e.Title = untitled(e.Kind)
	}
	return e, ok, p.problems, nil
}

func (p *projector) project() (Entry, bool, error) {
	r := p.res
	switch r.Type {
	case "Condition":
		return p.condition()
	case "MedicationRequest":
		return p.medicationRequest()
	case "MedicationStatement":
		return p.medicationStatement()
	case "MedicationDispense":
		return p.medicationDispense()
	case "AllergyIntolerance":
		return p.allergy()
	case "Immunization":
		return p.immunization()
	case "Observation":
		return p.observation()
	case "DiagnosticReport":
		return p.diagnosticReport()
	case "Procedure":
		return p.procedure()
	case "Encounter":
		return p.encounter()
	case "DocumentReference":
		return p.documentReference()
	case "Composition":
		return p.composition()
	case "CarePlan":
		return p.carePlan()
	case "Goal":
		return p.goal()
	case "FamilyMemberHistory":
		return p.familyHistory()
	case "Device":
		return p.device()
	case "DeviceUseStatement":
		return p.deviceUse()
	case "ExplanationOfBenefit":
		return p.eob()
	case "Claim":
		return p.claim()
	case "Coverage":
		return p.coverage()
	}
	return p.other()
}

func untitled(k Kind) string {
	switch k {
	case KindMedication:
		return "Unnamed medication"
	case KindCondition:
		return "Unnamed problem"
	case KindAllergy:
		return "Unnamed allergy"
	case KindLab, KindVital:
		return "Unnamed result"
	}
	return "Untitled " + string(k)
}

type projector struct {
	res      Resource
	resolve  Resolver
	cont     map[string]Resource // contained resources by id, read on first use
	problems []FieldProblem      // the resource's fields not read as they are
}

// decode reads the projected resource, noting its odd fields.
func decode[T any](p *projector) (*T, error) {
	v, problems, err := DecodeChecked[T](p.res)
	p.problems = append(p.problems, problems...)
	return v, err
}

// lookup resolves a reference, contained ones included.
func (p *projector) lookup(ref *Reference) (Resource, bool) {
	if ref == nil || ref.Reference == "" {
		return Resource{}, false
	}
	if id, ok := strings.CutPrefix(ref.Reference, "#"); ok {
		if p.cont == nil {
			p.cont = map[string]Resource{}
			var c struct {
				Contained []json.RawMessage `json:"contained"`
			}
			if _, err := decodeLenient(p.res.JSON, &c, p.res.Type); err == nil {
				for _, raw := range c.Contained {
					if cr, err := ParseResource(raw); err == nil {
						p.cont[cr.ID] = cr
					}
				}
			}
		}
		r, ok := p.cont[id]
		return r, ok
	}
	if p.resolve == nil {
		return Resource{}, false
	}
	return p.resolve(ref.Reference)
}

// name returns a readable name for whoever or whatever ref points at.
func (p *projector) name(ref *Reference) string {
	if ref == nil {
		return ""
	}
	if r, ok := p.lookup(ref); ok {
		if n := ResourceName(r); n != "" {
			return n
		}
	}
	return strings.TrimSpace(ref.Display)
}

// ResourceName returns the readable name of a Practitioner, Organization,
// Location, Patient, RelatedPerson, PractitionerRole or Medication; "" for
// other types or when it has none.
func ResourceName(r Resource) string {
	switch r.Type {
	case "Practitioner":
		if v, err := Decode[Practitioner](r); err == nil && len(v.Name) > 0 {
			return pickName(v.Name).String()
		}
	case "Patient":
		if v, err := Decode[Patient](r); err == nil && len(v.Name) > 0 {
			return pickName(v.Name).String()
		}
	case "RelatedPerson":
		if v, err := Decode[RelatedPerson](r); err == nil && len(v.Name) > 0 {
			return pickName(v.Name).String()
		}
	case "Organization":
		if v, err := Decode[Organization](r); err == nil {
			return strings.TrimSpace(v.Name)
		}
	case "Location":
		if v, err := Decode[Location](r); err == nil {
			return strings.TrimSpace(v.Name)
		}
	case "Medication":
		if v, err := Decode[Medication](r); err == nil {
			return v.Code.Display()
		}
	}
	return ""
}

func codings(ccs ...*CodeableConcept) []Coding {
	var out []Coding
	for _, cc := range ccs {
		if cc == nil {
			continue
		}
		for _, c := range cc.Coding {
			if c.Code == "" {
				continue
			}
			out = append(out, Coding{System: CanonicalSystem(c.System), Code: strings.TrimSpace(c.Code), Display: Readable(c.Display)})
		}
	}
	return out
}

func firstDate(texts ...string) Date {
	for _, t := range texts {
		if d, err := ParseDate(t); err == nil && !d.IsZero() {
			return d
		}
	}
	return Date{}
}

func periodDates(p *Period) (Date, Date) {
	if p == nil {
		return Date{}, Date{}
	}
	return firstDate(p.Start), firstDate(p.End)
}

func statusCode(cc *CodeableConcept) string {
	if cc == nil {
		return ""
	}
	if c := cc.FirstCode(); c != "" {
		return strings.ToLower(c)
	}
	return strings.ToLower(strings.TrimSpace(cc.Text))
}

func notes(ns []Annotation) string {
	var parts []string
	for _, n := range ns {
		if t := strings.TrimSpace(n.Text); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

func displays(ccs []CodeableConcept) string {
	var parts []string
	for i := range ccs {
		if d := ccs[i].Display(); d != "" && !slices.Contains(parts, d) {
			parts = append(parts, d)
		}
	}
	return strings.Join(parts, ", ")
}

func (p *projector) condition() (Entry, bool, error) {
	c, err := decode[Condition](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindCondition, Title: c.Code.Display(), Codes: codings(c.Code)}
	e.Date = firstDate(c.OnsetDateTime)
	if e.Date.IsZero() && c.OnsetPeriod != nil {
		e.Date, _ = periodDates(c.OnsetPeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(c.OnsetString)
	}
	e.End = firstDate(c.AbatementDateTime)
	if e.End.IsZero() && c.AbatementPeriod != nil {
		e.End, _ = periodDates(c.AbatementPeriod)
	}
	e.Status = statusCode(c.ClinicalStatus)
	if v := statusCode(c.VerificationStatus); v == "entered-in-error" || v == "refuted" {
		e.Status = v
	}
	for _, cat := range c.Category {
		if code := cat.FirstCode(); code != "" {
			e.Category = code
			break
		}
	}
	e.Severity = c.Severity.Display()
	e.Performer = p.name(c.Asserter)
	if e.Performer == "" {
		e.Performer = p.name(c.Recorder)
	}
	e.Note = notes(c.Note)
	if e.Date.IsZero() {
		e.Date = firstDate(c.RecordedDate)
	}
	return e, true, nil
}

// medication returns the drug's name and codes from a concept or reference.
func (p *projector) medication(cc *CodeableConcept, ref *Reference) (string, []Coding) {
	if cc != nil {
		return cc.Display(), codings(cc)
	}
	if r, ok := p.lookup(ref); ok && r.Type == "Medication" {
		if m, err := Decode[Medication](r); err == nil {
			title := m.Code.Display()
			if title == "" && len(m.Ingredient) > 0 {
				title = m.Ingredient[0].ItemCodeableConcept.Display()
			}
			return title, codings(m.Code)
		}
	}
	if ref != nil {
		return strings.TrimSpace(ref.Display), nil
	}
	return "", nil
}

func (p *projector) reasons(codes []CodeableConcept, refs []Reference) string {
	if s := displays(codes); s != "" {
		return s
	}
	var parts []string
	for i := range refs {
		name := refs[i].Display
		if r, ok := p.lookup(&refs[i]); ok && r.Type == "Condition" {
			if c, err := Decode[Condition](r); err == nil && c.Code.Display() != "" {
				name = c.Code.Display()
			}
		}
		if name = strings.TrimSpace(name); name != "" {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, ", ")
}

func (p *projector) medicationRequest() (Entry, bool, error) {
	m, err := decode[MedicationRequest](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindMedication, Status: m.Status, Category: "order"}
	e.Title, e.Codes = p.medication(m.MedicationCodeableConcept, m.MedicationReference)
	e.Date = firstDate(m.AuthoredOn)
	if m.DispenseRequest != nil && m.DispenseRequest.ValidityPeriod != nil {
		start, end := periodDates(m.DispenseRequest.ValidityPeriod)
		if e.Date.IsZero() {
			e.Date = start
		}
		e.End = end
	}
	for _, d := range m.DosageInstruction {
		if e.Date.IsZero() && d.Timing != nil && d.Timing.Repeat != nil && d.Timing.Repeat.BoundsPeriod != nil {
			e.Date, e.End = periodDates(d.Timing.Repeat.BoundsPeriod)
		}
	}
	e.Dosage = DosageText(m.DosageInstruction)
	e.Reason = p.reasons(m.ReasonCode, m.ReasonReference)
	e.Performer = p.name(m.Requester)
	e.Note = notes(m.Note)
	return e, true, nil
}

func (p *projector) medicationStatement() (Entry, bool, error) {
	m, err := decode[MedicationStatement](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindMedication, Status: m.Status, Category: "statement"}
	e.Title, e.Codes = p.medication(m.MedicationCodeableConcept, m.MedicationReference)
	e.Date = firstDate(m.EffectiveDateTime)
	if m.EffectivePeriod != nil {
		e.Date, e.End = periodDates(m.EffectivePeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(m.DateAsserted)
	}
	e.Dosage = DosageText(m.Dosage)
	e.Reason = p.reasons(m.ReasonCode, m.ReasonReference)
	e.Performer = p.name(m.InformationSource)
	e.Note = notes(m.Note)
	return e, true, nil
}

func (p *projector) medicationDispense() (Entry, bool, error) {
	m, err := decode[MedicationDispense](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindMedication, Status: m.Status, Category: "fill"}
	e.Title, e.Codes = p.medication(m.MedicationCodeableConcept, m.MedicationReference)
	e.Date = firstDate(m.WhenHandedOver, m.WhenPrepared)
	if m.Quantity != nil {
		e.Value, e.Unit = string(m.Quantity.Value), m.Quantity.UnitText()
	}
	e.Dosage = DosageText(m.DosageInstruction)
	if len(m.Performer) > 0 {
		e.Place = p.name(&m.Performer[0].Actor)
	}
	return e, true, nil
}

// DosageText renders dosage instructions in plain words: the text when the
// source wrote one, else built from dose, route and timing ("2 tablet by
// mouth, 2 times a day, as needed").
func DosageText(ds []Dosage) string {
	var out []string
	for _, d := range ds {
		if t := strings.TrimSpace(d.Text); t != "" {
			out = append(out, t)
			continue
		}
		var parts []string
		for _, dr := range d.DoseAndRate {
			if q := dr.DoseQuantity; q != nil && q.Value != "" {
				parts = append(parts, strings.TrimSpace(string(q.Value)+" "+q.UnitText()))
				break
			}
		}
		if r := d.Route.Display(); r != "" {
			parts = append(parts, strings.ToLower(r))
		}
		if t := timingText(d.Timing); t != "" {
			parts = append(parts, t)
		}
		if d.AsNeededBoolean {
			parts = append(parts, "as needed")
		}
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, ", "))
		}
		if pi := strings.TrimSpace(d.PatientInstruction); pi != "" {
			out = append(out, pi)
		}
	}
	return strings.Join(out, "; ")
}

func timingText(t *Timing) string {
	if t == nil {
		return ""
	}
	if d := t.Code.Display(); d != "" {
		return d
	}
	if t.Repeat == nil || t.Repeat.Frequency == 0 {
		return ""
	}
	unit := map[string]string{"s": "second", "min": "minute", "h": "hour", "d": "day", "wk": "week", "mo": "month", "a": "year"}[t.Repeat.PeriodUnit]
	if unit == "" {
		return ""
	}
	period := string(t.Repeat.Period)
	if period == "" || period == "1" || period == "1.0" {
		if t.Repeat.Frequency == 1 {
			return "once a " + unit
		}
		return strconv.Itoa(t.Repeat.Frequency) + " times a " + unit
	}
	return fmt.Sprintf("%d time(s) every %s %ss", t.Repeat.Frequency, period, unit)
}

func (p *projector) allergy() (Entry, bool, error) {
	a, err := decode[AllergyIntolerance](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindAllergy, Title: a.Code.Display(), Codes: codings(a.Code)}
	e.Status = statusCode(a.ClinicalStatus)
	if v := statusCode(a.VerificationStatus); v == "entered-in-error" || v == "refuted" {
		e.Status = v
	}
	e.Date = firstDate(a.OnsetDateTime)
	if e.Date.IsZero() && a.OnsetPeriod != nil {
		e.Date, _ = periodDates(a.OnsetPeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(a.RecordedDate)
	}
	if len(a.Category) > 0 {
		e.Category = a.Category[0]
	}
	e.Severity = a.Criticality
	for _, r := range a.Reaction {
		for i := range r.Manifestation {
			if d := r.Manifestation[i].Display(); d != "" && !slices.Contains(e.Reactions, d) {
				e.Reactions = append(e.Reactions, d)
			}
		}
		if d := strings.TrimSpace(r.Description); d != "" && len(r.Manifestation) == 0 && !slices.Contains(e.Reactions, d) {
			e.Reactions = append(e.Reactions, d)
		}
		if r.Severity != "" && (e.Severity == "" || e.Severity == "unable-to-assess") {
			e.Severity = r.Severity
		}
		if e.Title == "" {
			e.Title = r.Substance.Display()
			e.Codes = append(e.Codes, codings(r.Substance)...)
		}
	}
	e.Note = notes(a.Note)
	return e, true, nil
}

func (p *projector) immunization() (Entry, bool, error) {
	im, err := decode[Immunization](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindImmunization, Title: im.VaccineCode.Display(), Codes: codings(im.VaccineCode), Status: im.Status}
	e.Date = firstDate(im.OccurrenceDateTime, im.OccurrenceString)
	e.Place = p.name(im.Location)
	if len(im.Performer) > 0 {
		e.Performer = p.name(&im.Performer[0].Actor)
	}
	if im.Status == "not-done" && im.StatusReason != nil {
		e.Reason = im.StatusReason.Display()
	}
	if len(im.ProtocolApplied) > 0 {
		if n := im.ProtocolApplied[0].DoseNumberPositiveInt; n > 0 {
			e.Value = "dose " + strconv.Itoa(n)
		} else if s := im.ProtocolApplied[0].DoseNumberString; s != "" {
			e.Value = "dose " + s
		}
	}
	e.Note = notes(im.Note)
	return e, true, nil
}

// vitalLOINC are LOINC codes of vital signs, so results without a category
// still land among the vitals.
var vitalLOINC = map[string]bool{
	"85353-1": true, "9279-1": true, "8867-4": true, "2708-6": true, "59408-5": true,
	"8310-5": true, "8302-2": true, "9843-4": true, "29463-7": true, "39156-5": true,
	"85354-9": true, "8480-6": true, "8462-4": true, "8478-0": true, "8287-5": true,
	"3141-9": true, "3137-7": true, "8306-3": true, "8308-9": true, "40443-4": true,
	"8331-1": true, "8333-7": true, "8332-9": true, "77606-2": true, "59576-9": true,
	"8289-1": true, "2710-2": true, "3140-1": true, "55284-4": true, "8716-3": true,
	"39156-5 ": true, "72514-3": true,
}

// IsVitalSign reports whether a LOINC code names a vital sign (blood
// pressure, heart rate, weight, BMI, temperature, ...).
func IsVitalSign(loinc string) bool { return vitalLOINC[loinc] }

// interpretationFlag reduces an interpretation to its v3 code (H, L, A, N...).
func interpretationFlag(ccs []CodeableConcept) string {
	for i := range ccs {
		if c := ccs[i].FirstCode(); c != "" {
			c = strings.ToUpper(strings.TrimSpace(c))
			switch c {
			case "HIGH", "ABOVE HIGH NORMAL":
				return "H"
			case "LOW", "BELOW LOW NORMAL":
				return "L"
			case "NORMAL":
				return "N"
			case "ABNORMAL":
				return "A"
			}
			return c
		}
		switch strings.ToLower(strings.TrimSpace(ccs[i].Text)) {
		case "high":
			return "H"
		case "low":
			return "L"
		case "normal":
			return "N"
		case "abnormal":
			return "A"
		}
	}
	return ""
}

func rangeOf(rr []ReferenceRange) *RefRange {
	if len(rr) == 0 {
		return nil
	}
	r := rr[0]
	out := &RefRange{Text: strings.TrimSpace(r.Text)}
	if r.Low != nil {
		if f, ok := parseNumber(string(r.Low.Value)); ok {
			out.Low = &f
		}
	}
	if r.High != nil {
		if f, ok := parseNumber(string(r.High.Value)); ok {
			out.High = &f
		}
	}
	if out.Low == nil && out.High == nil && out.Text == "" {
		return nil
	}
	return out
}

// valueText renders value[x] as text and unit.
func valueText(v *ObservationValue) (string, string) {
	switch {
	case v.ValueQuantity != nil:
		val := string(v.ValueQuantity.Value)
		if v.ValueQuantity.Comparator != "" {
			val = v.ValueQuantity.Comparator + val
		}
		return val, v.ValueQuantity.UnitText()
	case v.ValueCodeableConcept != nil:
		return v.ValueCodeableConcept.Display(), ""
	case v.ValueString != nil:
		return strings.TrimSpace(*v.ValueString), ""
	case v.ValueBoolean != nil:
		if *v.ValueBoolean {
			return "Yes", ""
		}
		return "No", ""
	case v.ValueInteger != nil:
		return string(*v.ValueInteger), ""
	case v.ValueRange != nil:
		var lo, hi, unit string
		if v.ValueRange.Low != nil {
			lo, unit = string(v.ValueRange.Low.Value), v.ValueRange.Low.UnitText()
		}
		if v.ValueRange.High != nil {
			hi, unit = string(v.ValueRange.High.Value), v.ValueRange.High.UnitText()
		}
		return lo + "–" + hi, unit
	case v.ValueRatio != nil && v.ValueRatio.Numerator != nil && v.ValueRatio.Denominator != nil:
		return string(v.ValueRatio.Numerator.Value) + ":" + string(v.ValueRatio.Denominator.Value), ""
	case v.ValueDateTime != "":
		return firstDate(v.ValueDateTime).Human(), ""
	}
	return "", ""
}

func observationCategory(o *Observation) string {
	for _, c := range o.Category {
		for _, cd := range c.Coding {
			if cd.Code != "" {
				return strings.ToLower(cd.Code)
			}
		}
		if t := strings.TrimSpace(c.Text); t != "" {
			return strings.ToLower(t)
		}
	}
	return ""
}

func (p *projector) observation() (Entry, bool, error) {
	o, err := decode[Observation](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Title: o.Code.Display(), Codes: codings(o.Code), Status: o.Status}
	e.Category = observationCategory(o)
	loinc := o.Code.Code(SystemLOINC)
	switch {
	case e.Category == "vital-signs" || IsVitalSign(loinc):
		e.Kind = KindVital
		if e.Category == "" {
			e.Category = "vital-signs"
		}
	case e.Category == "laboratory" || e.Category == "lab":
		e.Kind = KindLab
		e.Category = "laboratory"
	case e.Category != "":
		e.Kind = KindOther
	case o.ValueQuantity != nil || len(o.ReferenceRange) > 0 || len(o.Interpretation) > 0:
		e.Kind = KindLab
	default:
		e.Kind = KindOther
	}
	e.Date = firstDate(o.EffectiveDateTime, o.EffectiveInstant)
	if e.Date.IsZero() && o.EffectivePeriod != nil {
		e.Date, e.End = periodDates(o.EffectivePeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(o.Issued)
	}
	e.Value, e.Unit = valueText(&o.ObservationValue)
	e.Range = rangeOf(o.ReferenceRange)
	e.Interpretation = interpretationFlag(o.Interpretation)
	for _, c := range o.Component {
		v, u := valueText(&c.ObservationValue)
		e.Components = append(e.Components, Component{Title: c.Code.Display(), Codes: codings(c.Code), Value: v, Unit: u})
		if e.Interpretation == "" {
			if f := interpretationFlag(c.Interpretation); f != "" && f != "N" {
				e.Interpretation = f
			}
		}
	}
	if e.Value == "" && len(e.Components) > 0 {
		e.Value, e.Unit = componentsValue(loinc, e.Components)
	}
	if e.Value == "" && o.DataAbsentReason != nil {
		e.Note = "No value: " + o.DataAbsentReason.Display()
	}
	if len(o.Performer) > 0 {
		e.Performer = p.name(&o.Performer[0])
	}
	if n := notes(o.Note); n != "" {
		e.Note = strings.TrimSpace(e.Note + "\n" + n)
	}
	return e, true, nil
}

// componentsValue joins component values: blood pressure reads "120/80".
func componentsValue(loinc string, cs []Component) (string, string) {
	var sys, dia *Component
	for i := range cs {
		for _, c := range cs[i].Codes {
			switch c.Code {
			case "8480-6":
				sys = &cs[i]
			case "8462-4":
				dia = &cs[i]
			}
		}
	}
	if sys != nil && dia != nil && sys.Value != "" && dia.Value != "" {
		return sys.Value + "/" + dia.Value, sys.Unit
	}
	var parts []string
	unit := ""
	for _, c := range cs {
		if c.Value != "" {
			parts = append(parts, c.Value)
			if unit == "" {
				unit = c.Unit
			} else if unit != c.Unit {
				unit = "-"
			}
		}
	}
	if unit == "-" {
		unit = ""
	}
	return strings.Join(parts, " / "), unit
}

func (p *projector) diagnosticReport() (Entry, bool, error) {
	d, err := decode[DiagnosticReport](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Title: d.Code.Display(), Codes: codings(d.Code), Status: d.Status, Category: "report"}
	e.Kind = KindLab
	for _, c := range d.Category {
		switch strings.ToUpper(c.FirstCode()) {
		case "RAD", "IMG", "CT", "MR", "US", "NMR", "RX", "CUS", "VUS", "XRC", "OUS":
			e.Kind = KindDocument
			e.Category = "imaging"
		}
	}
	e.Date = firstDate(d.EffectiveDateTime)
	if e.Date.IsZero() && d.EffectivePeriod != nil {
		e.Date, e.End = periodDates(d.EffectivePeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(d.Issued)
	}
	if len(d.Performer) > 0 {
		e.Performer = p.name(&d.Performer[0])
	}
	e.Note = strings.TrimSpace(d.Conclusion)
	if len(d.Result) > 0 {
		e.Value = strconv.Itoa(len(d.Result)) + " results"
	}
	return e, true, nil
}

func (p *projector) procedure() (Entry, bool, error) {
	pr, err := decode[Procedure](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindProcedure, Title: pr.Code.Display(), Codes: codings(pr.Code), Status: pr.Status}
	e.Date = firstDate(pr.PerformedDateTime)
	if e.Date.IsZero() && pr.PerformedPeriod != nil {
		e.Date, e.End = periodDates(pr.PerformedPeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(pr.PerformedString)
	}
	if len(pr.BodySite) > 0 {
		if site := displays(pr.BodySite); site != "" && e.Title != "" && !strings.Contains(strings.ToLower(e.Title), strings.ToLower(site)) {
			e.Title += " (" + site + ")"
		}
	}
	e.Place = p.name(pr.Location)
	if len(pr.Performer) > 0 {
		e.Performer = p.name(&pr.Performer[0].Actor)
	}
	e.Reason = displays(pr.ReasonCode)
	e.Note = notes(pr.Note)
	return e, true, nil
}

var encounterClass = map[string]string{
	"AMB": "Outpatient visit", "IMP": "Hospital stay", "EMER": "Emergency visit",
	"HH": "Home visit", "VR": "Virtual visit", "ACUTE": "Hospital stay", "NONAC": "Hospital stay",
	"OBSENC": "Observation stay", "SS": "Day surgery", "FLD": "Field visit", "PRENC": "Pre-admission",
}

func (p *projector) encounter() (Entry, bool, error) {
	en, err := decode[Encounter](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindEncounter, Status: en.Status}
	var types []*CodeableConcept
	for i := range en.Type {
		types = append(types, &en.Type[i])
	}
	e.Codes = codings(types...)
	e.Title = displays(en.Type)
	if en.Class != nil {
		e.Category = en.Class.Code
		if e.Title == "" {
			e.Title = encounterClass[strings.ToUpper(en.Class.Code)]
			if e.Title == "" {
				e.Title = en.Class.Display
			}
		}
	}
	if e.Title == "" {
		e.Title = en.ServiceType.Display()
	}
	if e.Title == "" {
		e.Title = "Visit"
	}
	e.Date, e.End = periodDates(en.Period)
	for i := range en.Location {
		if n := p.name(&en.Location[i].Location); n != "" {
			e.Place = n
			break
		}
	}
	if e.Place == "" {
		e.Place = p.name(en.ServiceProvider)
	}
	for _, part := range en.Participant {
		if n := p.name(part.Individual); n != "" {
			e.Performer = n
			break
		}
	}
	e.Reason = p.reasons(en.ReasonCode, en.ReasonReference)
	return e, true, nil
}

func (p *projector) documentReference() (Entry, bool, error) {
	d, err := decode[DocumentReference](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindDocument, Title: strings.TrimSpace(d.Description), Codes: codings(d.Type), Status: d.Status}
	if e.Title == "" {
		e.Title = d.Type.Display()
	}
	if e.Title == "" {
		for _, c := range d.Content {
			if c.Attachment.Title != "" {
				e.Title = c.Attachment.Title
				break
			}
		}
	}
	e.Date = firstDate(d.Date)
	if e.Date.IsZero() && d.Context != nil && d.Context.Period != nil {
		e.Date, e.End = periodDates(d.Context.Period)
	}
	if e.Date.IsZero() {
		for _, c := range d.Content {
			if e.Date = firstDate(c.Attachment.Creation); !e.Date.IsZero() {
				break
			}
		}
	}
	if len(d.Author) > 0 {
		e.Performer = p.name(&d.Author[0])
	}
	e.Place = p.name(d.Custodian)
	if len(d.Content) > 0 {
		att := d.Content[0].Attachment
		e.Category = att.ContentType
		e.Note = inlineText(att)
	}
	return e, true, nil
}

// maxInlineNote caps the inline text an attachment gives an entry's note.
const maxInlineNote = 64 << 10

// inlineText returns an attachment's inline plain text (a short note), or "".
func inlineText(a Attachment) string {
	if !strings.HasPrefix(strings.ToLower(a.ContentType), "text/plain") || a.Data == "" || len(a.Data) > maxInlineNote*4/3+4 {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil || !utf8.Valid(b) {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (p *projector) composition() (Entry, bool, error) {
	c, err := decode[Composition](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindDocument, Title: strings.TrimSpace(c.Title), Codes: codings(c.Type), Status: c.Status, Category: "composition"}
	if e.Title == "" {
		e.Title = c.Type.Display()
	}
	e.Date = firstDate(c.Date)
	if len(c.Author) > 0 {
		e.Performer = p.name(&c.Author[0])
	}
	e.Place = p.name(c.Custodian)
	if n := len(c.Section); n > 0 {
		e.Value = strconv.Itoa(n) + " sections"
	}
	return e, true, nil
}

func (p *projector) carePlan() (Entry, bool, error) {
	c, err := decode[CarePlan](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindOther, Category: "care-plan", Status: c.Status, Title: strings.TrimSpace(c.Title)}
	var cats []*CodeableConcept
	for i := range c.Category {
		cats = append(cats, &c.Category[i])
	}
	e.Codes = codings(cats...)
	if e.Title == "" {
		e.Title = strings.TrimSpace(c.Description)
	}
	if e.Title == "" {
		e.Title = displays(c.Category)
	}
	var acts []string
	for _, a := range c.Activity {
		if a.Detail == nil {
			continue
		}
		if d := a.Detail.Code.Display(); d != "" {
			acts = append(acts, d)
		} else if d := strings.TrimSpace(a.Detail.Description); d != "" {
			acts = append(acts, d)
		}
	}
	if e.Title == "" && len(acts) > 0 {
		e.Title = acts[0]
	}
	if e.Title == "" {
		e.Title = "Care plan"
	}
	e.Note = strings.Join(acts, "\n")
	e.Date, e.End = periodDates(c.Period)
	if e.Date.IsZero() {
		e.Date = firstDate(c.Created)
	}
	return e, true, nil
}

func (p *projector) goal() (Entry, bool, error) {
	g, err := decode[Goal](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindOther, Category: "goal", Status: g.LifecycleStatus, Title: g.Description.Display(), Codes: codings(g.Description)}
	e.Date = firstDate(g.StartDate)
	for _, t := range g.Target {
		switch {
		case t.DetailQuantity != nil:
			e.Value, e.Unit = string(t.DetailQuantity.Value), t.DetailQuantity.UnitText()
			if t.DetailQuantity.Comparator != "" {
				e.Value = t.DetailQuantity.Comparator + e.Value
			}
		case t.DetailRange != nil:
			e.Value, e.Unit = valueText(&ObservationValue{ValueRange: t.DetailRange})
		case t.DetailString != "":
			e.Value = t.DetailString
		}
		if e.Title == "" {
			e.Title = t.Measure.Display()
		}
		if e.End.IsZero() {
			e.End = firstDate(t.DueDate)
		}
	}
	if e.Title == "" {
		e.Title = "Goal"
	}
	return e, true, nil
}

func (p *projector) familyHistory() (Entry, bool, error) {
	f, err := decode[FamilyMemberHistory](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindOther, Category: "family-history", Status: f.Status, Date: firstDate(f.Date)}
	rel := f.Relationship.Display()
	if rel == "" {
		rel = strings.TrimSpace(f.Name)
	}
	var conds []string
	for _, c := range f.Condition {
		if d := c.Code.Display(); d != "" {
			conds = append(conds, d)
		}
		e.Codes = append(e.Codes, codings(c.Code)...)
	}
	switch {
	case rel != "" && len(conds) > 0:
		e.Title = rel + ": " + strings.Join(conds, ", ")
	case rel != "":
		e.Title = rel
	default:
		e.Title = strings.Join(conds, ", ")
	}
	if e.Title == "" {
		e.Title = "Family history"
	}
	e.Codes = append(codings(f.Relationship), e.Codes...)
	return e, true, nil
}

func (p *projector) device() (Entry, bool, error) {
	d, err := decode[Device](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindOther, Category: "device", Status: d.Status, Title: d.Type.Display(), Codes: codings(d.Type)}
	if e.Title == "" {
		for _, n := range d.DeviceName {
			if n.Name != "" {
				e.Title = n.Name
				break
			}
		}
	}
	if e.Title == "" {
		e.Title = "Device"
	}
	e.Date = firstDate(d.ManufactureDate)
	if len(d.UDICarrier) > 0 {
		e.Value = d.UDICarrier[0].DeviceIdentifier
		if e.Value == "" {
			e.Value = d.UDICarrier[0].CarrierHRF
		}
	}
	e.Performer = strings.TrimSpace(d.Manufacturer)
	e.Note = notes(d.Note)
	return e, true, nil
}

func (p *projector) deviceUse() (Entry, bool, error) {
	d, err := decode[DeviceUseStatement](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindOther, Category: "device", Status: d.Status}
	if r, ok := p.lookup(&d.Device); ok && r.Type == "Device" {
		if de, ok, err := Project(r, p.resolve); err == nil && ok {
			e.Title, e.Codes, e.Value = de.Title, de.Codes, de.Value
		}
	}
	if e.Title == "" {
		e.Title = strings.TrimSpace(d.Device.Display)
	}
	e.Date = firstDate(d.TimingDateTime)
	if e.Date.IsZero() && d.TimingPeriod != nil {
		e.Date, e.End = periodDates(d.TimingPeriod)
	}
	if e.Date.IsZero() {
		e.Date = firstDate(d.RecordedOn)
	}
	if site := d.BodySite.Display(); site != "" {
		e.Note = "Site: " + site
	}
	return e, true, nil
}

var claimTypes = map[string]string{
	"carrier": "Doctor's bill", "professional": "Doctor's bill", "inpatient": "Hospital stay claim",
	"outpatient": "Outpatient claim", "institutional": "Facility claim", "pharmacy": "Pharmacy claim",
	"oral": "Dental claim", "vision": "Vision claim", "dme": "Medical equipment claim",
	"hha": "Home health claim", "hospice": "Hospice claim", "snf": "Nursing facility claim",
}

// claimTitle names a claim by its type in plain words.
func claimTitle(t *CodeableConcept) string {
	if t != nil {
		for _, c := range t.Coding {
			if name, ok := claimTypes[strings.ToLower(c.Code)]; ok {
				return name
			}
		}
		for _, c := range t.Coding {
			if c.Display != "" {
				return c.Display + " claim"
			}
		}
		if t.Text != "" {
			return t.Text
		}
	}
	return "Claim"
}

func (p *projector) eob() (Entry, bool, error) {
	c, err := decode[ExplanationOfBenefit](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindClaim, Status: c.Status, Title: claimTitle(c.Type), Codes: codings(c.Type)}
	if c.Type != nil {
		e.Category = strings.ToLower(c.Type.FirstCode())
	}
	e.Date, e.End = periodDates(c.BillablePeriod)
	if e.Date.IsZero() {
		for _, it := range c.Item {
			if e.Date = firstDate(it.ServicedDate); !e.Date.IsZero() {
				break
			}
			if it.ServicedPeriod != nil {
				if e.Date, e.End = periodDates(it.ServicedPeriod); !e.Date.IsZero() {
					break
				}
			}
		}
	}
	if e.Date.IsZero() {
		e.Date = firstDate(c.Created)
	}
	e.Place = p.name(c.Provider)
	if e.Place == "" {
		e.Place = p.name(c.Facility)
	}
	for i := 0; e.Place == "" && i < len(c.CareTeam); i++ {
		e.Place = p.name(c.CareTeam[i].Provider)
	}
	var diags []string
	for _, d := range c.Diagnosis {
		if d.DiagnosisCodeableConcept != nil {
			if s := d.DiagnosisCodeableConcept.Display(); s != "" {
				diags = append(diags, s)
			} else if code := d.DiagnosisCodeableConcept.FirstCode(); code != "" {
				diags = append(diags, code)
			}
		}
	}
	e.Reason = strings.Join(diags, ", ")
	var items []string
	for _, it := range c.Item {
		if s := it.ProductOrService.Display(); s != "" && !slices.Contains(items, s) {
			items = append(items, s)
		}
		// Drugs are named by NDC: keep their codes with the claim.
		if it.ProductOrService != nil {
			for _, cd := range codings(it.ProductOrService) {
				if SameSystem(cd.System, SystemNDC) {
					e.Codes = append(e.Codes, cd)
				}
			}
		}
	}
	for _, pr := range c.Procedure {
		if s := pr.ProcedureCodeableConcept.Display(); s != "" && !slices.Contains(items, s) {
			items = append(items, s)
		}
	}
	e.Note = strings.Join(items, "\n")
	for _, t := range c.Total {
		if t.Amount == nil || t.Amount.Value == "" {
			continue
		}
		cat := strings.ToLower(t.Category.FirstCode())
		if e.Value == "" || cat == "submitted" {
			e.Value, e.Unit = string(t.Amount.Value), t.Amount.Currency
		}
	}
	if e.Value == "" && c.Payment != nil && c.Payment.Amount != nil {
		e.Value, e.Unit = string(c.Payment.Amount.Value), c.Payment.Amount.Currency
	}
	if e.Value == "" {
		e.Value, e.Unit = lineAmount(c)
	}
	return e, true, nil
}

// lineAmount adds up a claim's line amounts when it has no total: what was
// charged ("submitted"), else the drug cost of a pharmacy claim.
func lineAmount(c *ExplanationOfBenefit) (string, string) {
	for _, cat := range []string{"submitted", "drugcost"} {
		sum, cur, found := 0.0, "", false
		for _, it := range c.Item {
			for _, a := range it.Adjudication {
				if a.Amount == nil || !hasCode(a.Category, cat) {
					continue
				}
				f, err := strconv.ParseFloat(string(a.Amount.Value), 64)
				if err != nil {
					continue
				}
				sum += f
				found = true
				if cur == "" {
					cur = a.Amount.Currency
				}
				break
			}
		}
		if found {
			return strconv.FormatFloat(sum, 'f', 2, 64), cur
		}
	}
	return "", ""
}

// hasCode reports whether the concept has code in any system.
func hasCode(cc *CodeableConcept, code string) bool {
	if cc == nil {
		return false
	}
	for _, cd := range cc.Coding {
		if strings.EqualFold(cd.Code, code) {
			return true
		}
	}
	return false
}

func (p *projector) claim() (Entry, bool, error) {
	c, err := decode[Claim](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindClaim, Status: c.Status, Title: claimTitle(c.Type), Codes: codings(c.Type), Category: "claim"}
	e.Date, e.End = periodDates(c.BillablePeriod)
	if e.Date.IsZero() {
		e.Date = firstDate(c.Created)
	}
	e.Place = p.name(c.Provider)
	if c.Total != nil {
		e.Value, e.Unit = string(c.Total.Value), c.Total.Currency
	}
	var items []string
	for _, it := range c.Item {
		if s := it.ProductOrService.Display(); s != "" && !slices.Contains(items, s) {
			items = append(items, s)
		}
	}
	e.Note = strings.Join(items, "\n")
	return e, true, nil
}

func (p *projector) coverage() (Entry, bool, error) {
	c, err := decode[Coverage](p)
	if err != nil {
		return Entry{}, false, err
	}
	e := Entry{Kind: KindClaim, Category: "coverage", Status: c.Status, Codes: codings(c.Type)}
	var plan []string
	for _, cl := range c.Class {
		if s := strings.TrimSpace(cl.Name); s != "" {
			plan = append(plan, s)
		} else if s := strings.TrimSpace(cl.Value); s != "" && cl.Type != nil && strings.EqualFold(cl.Type.FirstCode(), "plan") {
			plan = append(plan, s)
		}
	}
	e.Title = strings.Join(plan, ", ")
	if e.Title == "" {
		e.Title = c.Type.Display()
	}
	if e.Title == "" {
		e.Title = "Insurance coverage"
	} else {
		e.Title = "Insurance: " + e.Title
	}
	e.Date, e.End = periodDates(c.Period)
	if len(c.Payor) > 0 {
		e.Place = p.name(&c.Payor[0])
	}
	return e, true, nil
}

// other projects a resource type Kinfolio has no view for, so it is still
// listed: titled by its code or text, dated by the usual date fields.
func (p *projector) other() (Entry, bool, error) {
	var g struct {
		Status         string           `json:"status"`
		Code           *CodeableConcept `json:"code"`
		Title          string           `json:"title"`
		Description    string           `json:"description"`
		Date           string           `json:"date"`
		Authored       string           `json:"authored"`
		AuthoredOn     string           `json:"authoredOn"`
		OccurrenceDate string           `json:"occurrenceDateTime"`
		Period         *Period          `json:"period"`
		Text           *Narrative       `json:"text"`
	}
	problems, err := decodeLenient(p.res.JSON, &g, p.res.Type)
	if err != nil {
		return Entry{}, false, fmt.Errorf("decoding %s: %w", p.res.Type, err)
	}
	p.problems = append(p.problems, problems...)
	e := Entry{Kind: KindOther, Category: splitCamel(p.res.Type), Status: g.Status, Codes: codings(g.Code)}
	e.Title = g.Code.Display()
	for _, t := range []string{g.Title, g.Description} {
		if e.Title == "" {
			e.Title = strings.TrimSpace(t)
		}
	}
	if e.Title == "" {
		e.Title = splitCamel(p.res.Type)
		e.Title = strings.ToUpper(e.Title[:1]) + e.Title[1:]
	}
	e.Date = firstDate(g.OccurrenceDate, g.AuthoredOn, g.Authored, g.Date)
	if e.Date.IsZero() && g.Period != nil {
		e.Date, e.End = periodDates(g.Period)
	}
	return e, true, nil
}

// splitCamel turns "QuestionnaireResponse" into "questionnaire response".
func splitCamel(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}
