package record

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// SelfReport is a fact a user enters by hand: a medication they take, an
// allergy they know of, a blood pressure they measured at home.
type SelfReport struct {
	Kind  Kind
	Title string
	Date  Date
	// Value and Unit are optional; a numeric Value becomes a FHIR quantity.
	Value string
	Unit  string
	Note  string
}

// ErrNotSelfReportable: claims cannot be entered by hand; SelfReport needs a title.
var ErrNotSelfReportable = errors.New("cannot be entered by hand")

// SelfReportTag marks resources a user entered by hand (meta.tag).
var SelfReportTag = Coding{System: SystemKinfolioTags, Code: "self-reported", Display: "Entered by the patient"}

// NewSelfReported builds the FHIR R4 resource for a hand-entered fact, with
// the given resource id and the patient reference "Patient/<patientID>".
// The resource is tagged with [SelfReportTag]; [Project] gives back an entry
// with the same kind, title, date, value, unit and note (a medication's value
// and unit become its dosage; a document's note is its attached text).
//
// Kinds map to: condition → Condition, medication → MedicationStatement,
// allergy → AllergyIntolerance, immunization → Immunization, lab and vital →
// Observation, procedure → Procedure, encounter → Encounter, document →
// DocumentReference (the note as text/plain), other → Observation.
// It returns an error wrapping [ErrNotSelfReportable] for claims or an empty title.
func NewSelfReported(s SelfReport, id, patientID string) (Resource, error) {
	title := strings.TrimSpace(s.Title)
	if title == "" {
		return Resource{}, fmt.Errorf("%w: a title is required", ErrNotSelfReportable)
	}
	concept := map[string]any{"text": title}
	subject := map[string]any{"reference": "Patient/" + patientID}
	date := s.Date.String()
	var notes []map[string]any
	if n := strings.TrimSpace(s.Note); n != "" {
		notes = append(notes, map[string]any{"text": n})
	}
	r := map[string]any{"id": id, "meta": map[string]any{"tag": []Coding{SelfReportTag}}}
	put := func(k string, v any) {
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
		r[k] = v
	}
	switch s.Kind {
	case KindCondition:
		r["resourceType"] = "Condition"
		r["clinicalStatus"] = map[string]any{"coding": []Coding{{System: "http://terminology.hl7.org/CodeSystem/condition-clinical", Code: "active"}}}
		r["code"], r["subject"] = concept, subject
		put("onsetDateTime", date)
		put("note", notes)
	case KindMedication:
		r["resourceType"] = "MedicationStatement"
		r["status"] = "active"
		r["medicationCodeableConcept"], r["subject"] = concept, subject
		put("effectiveDateTime", date)
		if s.Value != "" {
			r["dosage"] = []map[string]any{{"text": strings.TrimSpace(s.Value + " " + s.Unit)}}
		}
		put("note", notes)
	case KindAllergy:
		r["resourceType"] = "AllergyIntolerance"
		r["clinicalStatus"] = map[string]any{"coding": []Coding{{System: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", Code: "active"}}}
		r["code"], r["patient"] = concept, subject
		put("onsetDateTime", date)
		put("note", notes)
	case KindImmunization:
		r["resourceType"] = "Immunization"
		r["status"] = "completed"
		r["vaccineCode"], r["patient"] = concept, subject
		if date != "" {
			r["occurrenceDateTime"] = date
		} else {
			r["occurrenceString"] = "date unknown"
		}
		r["primarySource"] = false
		put("note", notes)
	case KindLab, KindVital, KindOther:
		r["resourceType"] = "Observation"
		r["status"] = "final"
		code := map[Kind]string{KindLab: "laboratory", KindVital: "vital-signs", KindOther: "survey"}[s.Kind]
		r["category"] = []map[string]any{{"coding": []Coding{{System: SystemObsCat, Code: code}}}}
		r["code"], r["subject"] = concept, subject
		put("effectiveDateTime", date)
		if v := strings.TrimSpace(s.Value); v != "" {
			if _, ok := parseNumber(v); ok && !strings.ContainsAny(v, "<>") {
				q := map[string]any{"value": json.Number(v)}
				if s.Unit != "" {
					q["unit"] = s.Unit
				}
				r["valueQuantity"] = q
			} else {
				r["valueString"] = strings.TrimSpace(v + " " + s.Unit)
			}
		}
		put("note", notes)
	case KindProcedure:
		r["resourceType"] = "Procedure"
		r["status"] = "completed"
		r["code"], r["subject"] = concept, subject
		put("performedDateTime", date)
		put("note", notes)
	case KindEncounter:
		r["resourceType"] = "Encounter"
		r["status"] = "finished"
		r["class"] = Coding{System: "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code: "AMB", Display: "ambulatory"}
		r["type"] = []map[string]any{concept}
		r["subject"] = subject
		if date != "" {
			r["period"] = map[string]string{"start": date}
		}
	case KindDocument:
		r["resourceType"] = "DocumentReference"
		r["status"] = "current"
		r["description"], r["subject"] = title, subject
		if date != "" {
			// DocumentReference.date is an instant; the day as entered goes
			// in the context period, which allows partial dates.
			r["context"] = map[string]any{"period": map[string]string{"start": date}}
		}
		att := map[string]any{"contentType": "text/plain; charset=utf-8", "title": title}
		if n := strings.TrimSpace(s.Note); n != "" {
			att["data"] = base64.StdEncoding.EncodeToString([]byte(n))
		}
		r["content"] = []map[string]any{{"attachment": att}}
	default:
		return Resource{}, fmt.Errorf("%w: %s", ErrNotSelfReportable, s.Kind)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return Resource{}, fmt.Errorf("building self-reported %s: %w", s.Kind, err)
	}
	return Resource{Type: r["resourceType"].(string), ID: id, JSON: data}, nil
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
