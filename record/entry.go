package record

import (
	"strconv"
	"strings"
)

// Entry is the normalized view of one health fact, what screens, search,
// merging and printouts use. [Project] computes it from a FHIR resource; the
// vault stores it beside the resource(s) it came from.
//
// The JSON names are those of the `kin list --json` contract.
type Entry struct {
	// ID is the vault's opaque identifier for the entry.
	ID string `json:"id"`
	// Profile is the id of the person the entry belongs to.
	Profile string `json:"profile"`
	Kind    Kind   `json:"kind"`
	// Title is what a patient reads: display text, never a bare code.
	Title string `json:"title"`
	// Date is when it happened or started (onset, effective, performed);
	// unknown when zero.
	Date Date `json:"date"`
	// End is the end of a period (resolved, stopped, discharged), when known.
	End Date `json:"end,omitzero"`
	// Status is a plain-language status: active, resolved, stopped, completed, final...
	Status string `json:"status"`
	// Value is the result or measurement as text ("7.2", "Positive", "120/80").
	Value string `json:"value"`
	// Unit is the value's unit as written ("mg/dL", "mm[Hg]").
	Unit string `json:"unit"`
	// Range is the reference range, when the source gives one.
	Range *RefRange `json:"range,omitempty"`
	// Interpretation flags an abnormal result: H, L, HH, LL, A, AA, or N for normal.
	Interpretation string `json:"interpretation,omitempty"`
	// Codes are the fact's codes (LOINC, SNOMED CT, RxNorm, CVX, ICD-10...).
	Codes []Coding `json:"codes"`
	// Category refines the kind: "vital-signs", "laboratory", "social-history",
	// "problem-list-item", "device", "care-plan", "goal", "family-history",
	// "coverage", "fill", "report"...
	Category string `json:"category,omitempty"`
	// Dosage is how a medication is taken, in words ("1 tablet twice daily").
	Dosage string `json:"dosage,omitempty"`
	// Reason is what it is for ("For: high blood pressure").
	Reason string `json:"reason,omitempty"`
	// Reactions are an allergy's manifestations ("Hives", "Anaphylaxis").
	Reactions []string `json:"reactions,omitempty"`
	// Severity is an allergy's criticality or reaction severity, or a condition's severity.
	Severity string `json:"severity,omitempty"`
	// Place is where it happened (clinic, hospital, lab).
	Place string `json:"place,omitempty"`
	// Performer is who did it, ordered it or recorded it.
	Performer string `json:"performer,omitempty"`
	// Note is free text attached to the fact.
	Note string `json:"note,omitempty"`
	// Components are the parts of a multi-part measurement (blood pressure).
	Components []Component `json:"components,omitempty"`
	// Sources are the ids of the sources that state this fact.
	Sources []string `json:"sources"`
	// Resources are the stored resources behind the entry, one per source.
	Resources []ResourceRef `json:"resources,omitempty"`
	// Conflict is true when another entry has the same merge key but
	// different content; both are kept for the user to judge.
	Conflict bool `json:"conflict"`
}

// RefRange is a result's reference (normal) range.
type RefRange struct {
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
	// Text is the range as written ("<200", "Negative", "3.5-5.0 mmol/L").
	Text string `json:"text,omitempty"`
}

// String renders the range as "3.5–5.0", "< 200", "> 40", or its text.
func (r *RefRange) String() string {
	if r == nil {
		return ""
	}
	switch {
	case r.Low != nil && r.High != nil:
		return fmtNum(*r.Low) + "–" + fmtNum(*r.High)
	case r.High != nil:
		return "≤ " + fmtNum(*r.High)
	case r.Low != nil:
		return "≥ " + fmtNum(*r.Low)
	}
	return r.Text
}

// Component is one part of a multi-part observation.
type Component struct {
	Title string   `json:"title"`
	Codes []Coding `json:"codes,omitempty"`
	Value string   `json:"value"`
	Unit  string   `json:"unit,omitempty"`
}

// ResourceRef locates a stored resource: the source it came from and its
// type and id within that source.
type ResourceRef struct {
	Source string `json:"source"`
	Type   string `json:"type"`
	ID     string `json:"id"`
}

// Numeric returns the entry's value as a number when it is one.
func (e *Entry) Numeric() (float64, bool) {
	return parseNumber(e.Value)
}

// Code returns the entry's code in system ("" when it has none).
func (e *Entry) Code(system string) string {
	for _, c := range e.Codes {
		if SameSystem(c.System, system) && c.Code != "" {
			return c.Code
		}
	}
	return ""
}

// HasSource reports whether source id is among the entry's sources.
func (e *Entry) HasSource(id string) bool {
	for _, s := range e.Sources {
		if s == id {
			return true
		}
	}
	return false
}

// Abnormal reports whether the interpretation flags the value as outside normal.
func (e *Entry) Abnormal() bool {
	switch e.Interpretation {
	case "", "N":
		return false
	}
	return true
}

// ValueText returns value and unit together ("7.2 %", "120/80 mm[Hg]", "Positive").
func (e *Entry) ValueText() string {
	v := strings.TrimSpace(e.Value)
	if v == "" {
		return ""
	}
	if e.Unit == "" || e.Unit == "1" || e.Unit == "{score}" {
		return v
	}
	return v + " " + e.Unit
}

func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "<>=≤≥~ ")
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func fmtNum(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
