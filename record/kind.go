package record

import (
	"fmt"
	"strings"
)

// Kind is the normalized category of an [Entry]. The set is fixed by the
// command-line contract; the zero value is not a valid kind.
type Kind string

// The kinds of entries, in the order screens list them.
const (
	KindCondition    Kind = "condition"
	KindMedication   Kind = "medication"
	KindAllergy      Kind = "allergy"
	KindImmunization Kind = "immunization"
	KindLab          Kind = "lab"
	KindVital        Kind = "vital"
	KindProcedure    Kind = "procedure"
	KindEncounter    Kind = "encounter"
	KindDocument     Kind = "document"
	KindClaim        Kind = "claim"
	KindOther        Kind = "other"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{
	KindCondition, KindMedication, KindAllergy, KindImmunization, KindLab,
	KindVital, KindProcedure, KindEncounter, KindDocument, KindClaim, KindOther,
}

// ParseKind returns the kind named s (case-insensitive, surrounding spaces
// ignored). It returns an error wrapping [ErrUnknownKind] for anything else.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Kinds {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: %q (want one of %s)", ErrUnknownKind, s, kindList())
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Noun names one entry of the kind with its article, for sentences: "a lab
// result", "an allergy".
func (k Kind) Noun() string {
	switch k {
	case KindCondition:
		return "a problem"
	case KindMedication:
		return "a medication"
	case KindAllergy:
		return "an allergy"
	case KindImmunization:
		return "an immunization"
	case KindLab:
		return "a lab result"
	case KindVital:
		return "a vital sign"
	case KindProcedure:
		return "a procedure"
	case KindEncounter:
		return "a visit"
	case KindDocument:
		return "a document"
	case KindClaim:
		return "a claim"
	}
	return "a record"
}

// Label is the kind's plural heading for people, such as "Lab results".
func (k Kind) Label() string {
	switch k {
	case KindCondition:
		return "Problems"
	case KindMedication:
		return "Medications"
	case KindAllergy:
		return "Allergies"
	case KindImmunization:
		return "Immunizations"
	case KindLab:
		return "Lab results"
	case KindVital:
		return "Vital signs"
	case KindProcedure:
		return "Procedures"
	case KindEncounter:
		return "Visits"
	case KindDocument:
		return "Documents"
	case KindClaim:
		return "Claims"
	case KindOther:
		return "Other"
	}
	return string(k)
}
