package record

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SelfReport is a fact a user enters by hand: a medication they take, an
// allergy they know of, a blood pressure they measured at home. Kind,
// Title, Date, Value, Unit and Note apply to every kind; the other fields
// to the kinds their comments name, and are ignored by the others.
type SelfReport struct {
	Kind  Kind
	Title string
	Date  Date
	// End is when it stopped: a medication's last day, the day a condition
	// resolved.
	End Date
	// Status is a condition's clinical status ("active", the default, or
	// "resolved", "inactive", "remission"), a medication statement's
	// ("active", the default, "stopped", "completed", "on-hold") or an
	// allergy's ("active", the default, "inactive", "resolved").
	Status string
	// Value and Unit are a measurement, or a medication's dose ("10" "mg",
	// "2" "tablets"). A numeric Value becomes a FHIR quantity; a unit of
	// [DoseUnits] or of the [VitalSign] is coded in UCUM.
	Value string
	Unit  string
	Note  string

	// Vital is the key of one of [VitalSigns] (vital signs and lab
	// results): the observation is coded in LOINC and its unit in UCUM, and
	// Value must be a number in one of the sign's units (the first when Unit
	// is empty and it has only one). A reading of two numbers (blood
	// pressure) takes Systolic and Diastolic, or a Value of "128/82".
	Vital     string
	Systolic  string
	Diastolic string

	// How a medication is taken: Route and Frequency are keys of [Routes]
	// and [Frequencies] (coded in SNOMED CT and as a FHIR Timing) or other
	// words (kept as text); Instructions are any other words ("with food");
	// Reason is what it is for.
	Route        string
	Frequency    string
	AsNeeded     bool
	Instructions string
	Reason       string

	// An allergy's reactions (coded when one of [Reactions]), their
	// severity (one of [AllergySeverities]) and category (a code of
	// [AllergyCategories]). NoKnownAllergies states that there are none:
	// the resource is then coded with [NoKnownAllergy] and has no substance
	// or reactions.
	Reactions        []string
	Severity         string
	Category         string
	NoKnownAllergies bool
}

// ErrNotSelfReportable: claims cannot be entered by hand; SelfReport needs
// a title, and its kind-specific fields must make sense.
var ErrNotSelfReportable = errors.New("cannot be entered by hand")

// SelfReportTag marks resources a user entered by hand (meta.tag).
var SelfReportTag = Coding{System: SystemKinfolioTags, Code: "self-reported", Display: "Entered by the patient"}

// NoKnownAllergiesTitle is the title of a "no known allergies" statement.
const NoKnownAllergiesTitle = "No known allergies"

// NewSelfReported builds the FHIR R4 resource for a hand-entered fact, with
// the given resource id and the patient reference "Patient/<patientID>".
// The resource is tagged with [SelfReportTag]; [Project] gives back an entry
// with the same kind, title, date, value, unit and note, and [SelfReportOf]
// gives back s.
//
// Kinds map to: condition → Condition (clinical status, onset, abatement),
// medication → MedicationStatement (a dosage with its text, a dose in UCUM,
// a SNOMED CT route and a Timing), allergy → AllergyIntolerance (reactions
// with their manifestations and severity, or the "no known allergy"
// concept), immunization → Immunization, lab and vital → Observation (a
// known vital sign coded in LOINC with a UCUM quantity; blood pressure as
// one panel with systolic and diastolic components), procedure → Procedure,
// encounter → Encounter, document → DocumentReference (the note as
// text/plain), other → Observation.
//
// It returns an error wrapping [ErrNotSelfReportable] for claims, an empty
// title (a vital sign, a note with text and "no known allergies" have
// their own), or kind-specific fields that do not fit: an unknown vital
// sign or a unit it is not measured in, a reading that is not a number, a
// severity without a reaction, an active condition with an end, a status
// or category that is not one of FHIR's.
func NewSelfReported(s SelfReport, id, patientID string) (Resource, error) {
	b := builder{s: s, r: map[string]any{"id": id, "meta": map[string]any{"tag": []Coding{SelfReportTag}}},
		subject: map[string]any{"reference": "Patient/" + patientID}}
	b.title = strings.TrimSpace(s.Title)
	b.date = s.Date.String()
	if n := strings.TrimSpace(s.Note); n != "" {
		b.notes = []map[string]any{{"text": n}}
	}
	if err := b.build(); err != nil {
		return Resource{}, fmt.Errorf("%w: %s", ErrNotSelfReportable, err)
	}
	data, err := json.Marshal(b.r)
	if err != nil {
		return Resource{}, fmt.Errorf("building self-reported %s: %w", s.Kind, err)
	}
	return Resource{Type: b.r["resourceType"].(string), ID: id, JSON: data}, nil
}

// builder writes one hand-entered resource.
type builder struct {
	s       SelfReport
	r       map[string]any
	subject map[string]any
	title   string
	date    string
	notes   []map[string]any
}

// put sets a field unless v is empty.
func (b *builder) put(k string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case []map[string]any:
		if len(x) == 0 {
			return
		}
	}
	b.r[k] = v
}

func (b *builder) needTitle() error {
	if b.title == "" {
		return errors.New("a title is required")
	}
	return nil
}

func text(t string) map[string]any { return map[string]any{"text": t} }

func statusConcept(system, code string) map[string]any {
	return map[string]any{"coding": []Coding{{System: system, Code: code}}}
}

func (b *builder) build() error {
	s := b.s
	if s.NoKnownAllergies && s.Kind != KindAllergy {
		return fmt.Errorf("only allergies can be stated as none known, not a %s", s.Kind)
	}
	if s.Vital != "" && s.Kind != KindVital && s.Kind != KindLab {
		return fmt.Errorf("a %s is not a measurement", s.Kind)
	}
	switch s.Kind {
	case KindCondition:
		return b.condition()
	case KindMedication:
		return b.medication()
	case KindAllergy:
		return b.allergy()
	case KindImmunization:
		if err := b.needTitle(); err != nil {
			return err
		}
		b.r["resourceType"] = "Immunization"
		b.r["status"] = "completed"
		b.r["vaccineCode"], b.r["patient"] = text(b.title), b.subject
		if b.date != "" {
			b.r["occurrenceDateTime"] = b.date
		} else {
			b.r["occurrenceString"] = "date unknown"
		}
		b.r["primarySource"] = false
		b.put("note", b.notes)
	case KindLab, KindVital, KindOther:
		if s.Vital != "" {
			return b.vitalSign()
		}
		return b.observation()
	case KindProcedure:
		if err := b.needTitle(); err != nil {
			return err
		}
		b.r["resourceType"] = "Procedure"
		b.r["status"] = "completed"
		b.r["code"], b.r["subject"] = text(b.title), b.subject
		b.put("performedDateTime", b.date)
		b.put("note", b.notes)
	case KindEncounter:
		if err := b.needTitle(); err != nil {
			return err
		}
		b.r["resourceType"] = "Encounter"
		b.r["status"] = "finished"
		b.r["class"] = Coding{System: "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code: "AMB", Display: "ambulatory"}
		b.r["type"] = []map[string]any{text(b.title)}
		b.r["subject"] = b.subject
		if b.date != "" {
			b.r["period"] = map[string]string{"start": b.date}
		}
	case KindDocument:
		return b.document()
	default:
		return fmt.Errorf("%s", s.Kind)
	}
	return nil
}

func (b *builder) condition() error {
	s := b.s
	if err := b.needTitle(); err != nil {
		return err
	}
	status := cmpOr(s.Status, "active")
	switch status {
	case "active", "recurrence", "relapse":
		if !s.End.IsZero() {
			return errors.New("an active condition has no end date")
		}
	case "resolved", "inactive", "remission":
	default:
		return fmt.Errorf("condition status %q", status)
	}
	b.r["resourceType"] = "Condition"
	b.r["clinicalStatus"] = statusConcept(SystemConditionStatus, status)
	b.r["code"], b.r["subject"] = text(b.title), b.subject
	b.put("onsetDateTime", b.date)
	b.put("abatementDateTime", s.End.String())
	b.put("note", b.notes)
	return nil
}

// medicationStatuses are the MedicationStatement.status codes.
var medicationStatuses = []string{"active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"}

func (b *builder) medication() error {
	s := b.s
	if err := b.needTitle(); err != nil {
		return err
	}
	status := cmpOr(s.Status, "active")
	if !slices.Contains(medicationStatuses, status) {
		return fmt.Errorf("medication status %q", status)
	}
	b.r["resourceType"] = "MedicationStatement"
	b.r["status"] = status
	b.r["medicationCodeableConcept"], b.r["subject"] = text(b.title), b.subject
	if s.End.IsZero() {
		b.put("effectiveDateTime", b.date)
	} else {
		p := map[string]string{"end": s.End.String()}
		if b.date != "" {
			p["start"] = b.date
		}
		b.r["effectivePeriod"] = p
	}
	if r := strings.TrimSpace(s.Reason); r != "" {
		b.r["reasonCode"] = []map[string]any{text(r)}
	}
	if d := dosageOf(s); d != nil {
		b.r["dosage"] = []map[string]any{d}
	}
	b.put("note", b.notes)
	return nil
}

// dosageOf builds a medication's Dosage: its text in plain words, the dose
// as a quantity, the route coded in SNOMED CT, the timing; nil when nothing
// is said of how it is taken.
func dosageOf(s SelfReport) map[string]any {
	d := map[string]any{}
	amount, unitText := strings.TrimSpace(s.Value), strings.TrimSpace(s.Unit)
	dose := ""
	if amount != "" {
		dose = amount
		if n, ok := NumberText(amount); ok {
			q := map[string]any{"value": n}
			if u, ok := DoseUnit(unitText); ok {
				unitText = u.TextFor(string(n))
				q["unit"], q["system"], q["code"] = unitText, SystemUCUM, u.Code
			} else if unitText != "" {
				q["unit"] = unitText
			}
			d["doseAndRate"] = []map[string]any{{"doseQuantity": q}}
		}
		if unitText != "" {
			dose += " " + unitText
		}
	}
	routeWords := ""
	if rt := strings.TrimSpace(s.Route); rt != "" {
		if r, ok := FindRoute(rt); ok {
			routeWords = r.Words
			d["route"] = map[string]any{"coding": []Coding{r.Code}, "text": r.Words}
		} else {
			routeWords = rt
			d["route"] = text(rt)
		}
	}
	freqWords := ""
	if fq := strings.TrimSpace(s.Frequency); fq != "" {
		if f, ok := FindFrequency(fq); ok {
			freqWords = f.Words
			repeat := map[string]any{"frequency": f.Times, "period": f.Period, "periodUnit": f.PeriodUnit}
			if f.When != "" {
				repeat["when"] = []string{f.When}
			}
			timing := map[string]any{"repeat": repeat}
			code := text(f.Words)
			if f.Code != "" {
				code["coding"] = []Coding{{System: SystemGTSAbbreviation, Code: f.Code}}
			}
			timing["code"] = code
			d["timing"] = timing
		} else {
			freqWords = fq
			d["timing"] = map[string]any{"code": text(fq)}
		}
	}
	if s.AsNeeded {
		d["asNeededBoolean"] = true
	}
	instr := strings.TrimSpace(s.Instructions)
	if instr != "" {
		d["patientInstruction"] = instr
	}
	var parts []string
	if head := strings.TrimSpace(dose + " " + routeWords); head != "" {
		parts = append(parts, head)
	}
	if freqWords != "" {
		parts = append(parts, freqWords)
	}
	if s.AsNeeded {
		parts = append(parts, "as needed")
	}
	if instr != "" {
		parts = append(parts, instr)
	}
	if len(parts) == 0 {
		return nil
	}
	d["text"] = strings.Join(parts, ", ")
	return d
}

func (b *builder) allergy() error {
	s := b.s
	b.r["resourceType"] = "AllergyIntolerance"
	b.r["patient"] = b.subject
	if s.NoKnownAllergies {
		if len(s.Reactions) > 0 || s.Severity != "" || s.Category != "" {
			return errors.New("no known allergies has no reactions, severity or category")
		}
		b.r["clinicalStatus"] = statusConcept(SystemAllergyClinical, "active")
		b.r["verificationStatus"] = statusConcept(SystemAllergyVerify, "confirmed")
		b.r["code"] = map[string]any{"coding": []Coding{NoKnownAllergy}, "text": cmpOr(b.title, NoKnownAllergiesTitle)}
		b.put("recordedDate", b.date)
		b.put("note", b.notes)
		return nil
	}
	if err := b.needTitle(); err != nil {
		return err
	}
	status := cmpOr(s.Status, "active")
	if !slices.Contains([]string{"active", "inactive", "resolved"}, status) {
		return fmt.Errorf("allergy status %q", status)
	}
	b.r["clinicalStatus"] = statusConcept(SystemAllergyClinical, status)
	b.r["code"] = text(b.title)
	if s.Category != "" {
		if !slices.ContainsFunc(AllergyCategories, func(c struct{ Code, Words string }) bool { return c.Code == s.Category }) {
			return fmt.Errorf("allergy category %q", s.Category)
		}
		b.r["category"] = []string{s.Category}
	}
	b.put("onsetDateTime", b.date)
	var manifest []map[string]any
	for _, rx := range s.Reactions {
		rx = strings.TrimSpace(rx)
		if rx == "" {
			continue
		}
		cc := text(rx)
		if known, ok := FindReaction(rx); ok {
			cc["coding"] = []Coding{known.Code}
		}
		manifest = append(manifest, cc)
	}
	if s.Severity != "" && !slices.Contains(AllergySeverities, s.Severity) {
		return fmt.Errorf("severity %q", s.Severity)
	}
	switch {
	case len(manifest) > 0:
		reaction := map[string]any{"manifestation": manifest}
		if s.Severity != "" {
			reaction["severity"] = s.Severity
		}
		b.r["reaction"] = []map[string]any{reaction}
	case s.Severity != "":
		return errors.New("a severity needs the reaction it describes")
	}
	b.put("note", b.notes)
	return nil
}

// categoryOfKind is the category of an observation of kind k.
func categoryOfKind(k Kind) []map[string]any {
	code := map[Kind]string{KindLab: "laboratory", KindVital: "vital-signs", KindOther: "survey"}[k]
	return []map[string]any{{"coding": []Coding{{System: SystemObsCat, Code: code}}}}
}

func (b *builder) observation() error {
	s := b.s
	if err := b.needTitle(); err != nil {
		return err
	}
	b.r["resourceType"] = "Observation"
	b.r["status"] = "final"
	b.r["category"] = categoryOfKind(s.Kind)
	b.r["code"], b.r["subject"] = text(b.title), b.subject
	b.put("effectiveDateTime", b.date)
	if v := strings.TrimSpace(s.Value); v != "" {
		if n, ok := NumberText(v); ok {
			q := map[string]any{"value": n}
			if s.Unit != "" {
				q["unit"] = s.Unit
			}
			b.r["valueQuantity"] = q
		} else {
			b.r["valueString"] = strings.TrimSpace(v + " " + s.Unit)
		}
	}
	b.put("note", b.notes)
	return nil
}

// quantity is a UCUM quantity of a vital sign's unit.
func quantity(n json.Number, u Unit) map[string]any {
	return map[string]any{"value": n, "unit": u.Text, "system": SystemUCUM, "code": u.Code}
}

func (b *builder) vitalSign() error {
	s := b.s
	sign, ok := FindVitalSign(s.Vital)
	if !ok {
		return fmt.Errorf("no vital sign %q", s.Vital)
	}
	unit := sign.Units[0]
	if s.Unit != "" {
		if unit, ok = sign.Unit(s.Unit); !ok {
			return fmt.Errorf("%s is not measured in %q", strings.ToLower(sign.Title), s.Unit)
		}
	} else if len(sign.Units) > 1 && len(sign.Parts) == 0 {
		return fmt.Errorf("%s needs its unit (%s)", strings.ToLower(sign.Title), sign.UnitTexts())
	}
	code := sign.Code
	if unit.LOINC.Code != "" {
		code = unit.LOINC
	}
	b.r["resourceType"] = "Observation"
	b.r["status"] = "final"
	b.r["category"] = categoryOfKind(s.Kind)
	b.r["code"] = map[string]any{"coding": []Coding{code}, "text": cmpOr(b.title, sign.Title)}
	b.r["subject"] = b.subject
	b.put("effectiveDateTime", b.date)
	if len(sign.Parts) > 0 {
		values := []string{s.Systolic, s.Diastolic}
		if strings.TrimSpace(values[0]) == "" && strings.TrimSpace(values[1]) == "" {
			if hi, lo, ok := SplitReading(s.Value); ok {
				values = []string{hi, lo}
			}
		}
		var comps []map[string]any
		for i, part := range sign.Parts {
			n, ok := NumberText(values[i])
			if !ok {
				return fmt.Errorf("%s %q is not a number", part.Key, values[i])
			}
			comps = append(comps, map[string]any{"code": map[string]any{"coding": []Coding{part.Code}, "text": part.Code.Display},
				"valueQuantity": quantity(n, unit)})
		}
		b.r["component"] = comps
	} else {
		n, ok := NumberText(s.Value)
		if !ok {
			return fmt.Errorf("%s %q is not a number", strings.ToLower(sign.Title), s.Value)
		}
		b.r["valueQuantity"] = quantity(n, unit)
	}
	b.put("note", b.notes)
	return nil
}

// SplitReading reads a two-number reading such as "128/82", "128 / 82" or
// "128/82 mmHg" (a unit after it is ignored).
func SplitReading(v string) (first, second string, ok bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return "", "", false
	}
	b = strings.TrimSpace(b)
	if i := strings.IndexFunc(b, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') }); i >= 0 {
		b = strings.TrimSpace(b[:i])
	}
	a = strings.TrimSpace(a)
	if _, ok := NumberText(a); !ok {
		return "", "", false
	}
	if _, ok := NumberText(b); !ok {
		return "", "", false
	}
	return a, b, true
}

func (b *builder) document() error {
	note := strings.TrimSpace(b.s.Note)
	title := b.title
	if title == "" {
		title = firstLine(note, 60)
	}
	if title == "" {
		return errors.New("a title or a text is required")
	}
	b.r["resourceType"] = "DocumentReference"
	b.r["status"] = "current"
	b.r["description"], b.r["subject"] = title, b.subject
	if b.date != "" {
		// DocumentReference.date is an instant; the day as entered goes
		// in the context period, which allows partial dates.
		b.r["context"] = map[string]any{"period": map[string]string{"start": b.date}}
	}
	att := map[string]any{"contentType": "text/plain; charset=utf-8", "title": title}
	if note != "" {
		att["data"] = base64.StdEncoding.EncodeToString([]byte(note))
	}
	b.r["content"] = []map[string]any{{"attachment": att}}
	return nil
}

// firstLine returns the first line of s, cut at a word before max runes.
func firstLine(s string, max int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	line = strings.TrimSpace(line)
	rs := []rune(line)
	if len(rs) <= max {
		return line
	}
	cut := string(rs[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

func cmpOr(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

// IsSelfReported reports whether a resource carries [SelfReportTag].
func IsSelfReported(r Resource) bool {
	var m struct {
		Meta struct {
			Tag []Coding `json:"tag"`
		} `json:"meta"`
	}
	if json.Unmarshal(r.JSON, &m) != nil {
		return false
	}
	for _, t := range m.Meta.Tag {
		if CanonicalKinfolioURL(t.System) == SelfReportTag.System && t.Code == SelfReportTag.Code {
			return true
		}
	}
	return false
}
