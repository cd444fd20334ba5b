package record

import (
	"strings"
	"time"
)

// Profile is one person in the vault: the patient, a child, a parent.
type Profile struct {
	// ID is the vault's opaque identifier for the person.
	ID string `json:"id"`
	// Name is the name as the user knows the person ("Anna Smith").
	Name string `json:"name"`
	// BirthDate is the person's birth date, unknown when zero.
	BirthDate Date `json:"birth_date"`
	// Sex is the administrative gender as FHIR codes it: male, female, other, unknown.
	Sex string `json:"sex,omitempty"`
	// Identifiers are record numbers the person is known by (MRNs, Medicare ids).
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// Names are further names seen in imported records ("SMITH, ANNA M").
	Names []string `json:"names,omitempty"`
	// Contacts are the people to call in an emergency, first first; the
	// emergency card prints two. Entered by the user, never from a file.
	Contacts []Contact `json:"contacts,omitempty"`
	// Language is the language the person prefers to be spoken to in, in
	// words ("Spanish"), when it matters for care; entered by the user.
	Language string `json:"language,omitempty"`
}

// Contact is someone to call about a person: an emergency contact, a
// health-care proxy.
type Contact struct {
	Name string `json:"name"`
	// Relation is how they are related, in words ("mother", "neighbour",
	// "health-care proxy").
	Relation string `json:"relation,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Person is the demographics an imported file states about its patient,
// used to match the file to a [Profile].
type Person struct {
	// Name is the full name as written, in any order ("SMITH, JOHN A").
	Name string `json:"name"`
	// Family and Given are the structured name when the file gives one.
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	// BirthDate is unknown when zero.
	BirthDate   Date         `json:"birth_date"`
	Sex         string       `json:"sex,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
}

// PersonFromPatient reads the demographics of a FHIR Patient: its official
// (else first) name, birth date, gender and identifiers. An unreadable birth
// date is left unknown.
func PersonFromPatient(p *Patient) Person {
	var per Person
	if p == nil {
		return per
	}
	name := pickName(p.Name)
	per.Family = strings.TrimSpace(name.Family)
	for _, g := range name.Given {
		if g = strings.TrimSpace(g); g != "" {
			per.Given = append(per.Given, g)
		}
	}
	per.Name = strings.TrimSpace(strings.Join(append(append([]string{}, per.Given...), per.Family), " "))
	if per.Name == "" {
		per.Name = strings.TrimSpace(name.Text)
	}
	per.BirthDate, _ = ParseDate(p.BirthDate)
	per.Sex = p.Gender
	for _, id := range p.Identifier {
		if strings.TrimSpace(id.Value) != "" {
			per.Identifiers = append(per.Identifiers, Identifier{System: id.System, Value: id.Value})
		}
	}
	return per
}

func pickName(names []HumanName) HumanName {
	for _, n := range names {
		if n.Use == "official" || n.Use == "usual" {
			return n
		}
	}
	for _, n := range names {
		if n.Use != "old" && n.Use != "nickname" && n.Use != "maiden" {
			return n
		}
	}
	if len(names) > 0 {
		return names[0]
	}
	return HumanName{}
}

// Age returns the person's age in whole years on the given day, or -1 when
// the birth date is unknown or after that day.
func Age(birth Date, on time.Time) int {
	if birth.IsZero() {
		return -1
	}
	b := birth.T
	years := on.Year() - b.Year()
	if birth.Precision >= PrecisionDay && (on.Month() < b.Month() || (on.Month() == b.Month() && on.Day() < b.Day())) {
		years--
	}
	if years < 0 {
		return -1
	}
	return years
}

// Source is one imported file and what is known about where it came from.
// The original bytes are stored beside it, sealed, by the vault.
type Source struct {
	// ID is the vault's opaque identifier for the source.
	ID string `json:"id"`
	// File is the file's base name as imported (for a file inside a zip, its
	// path inside the zip).
	File string `json:"file"`
	// Format names what the file was read as: fhir-r4, ccda, xdm, ...
	Format Format `json:"format"`
	// SHA256 is the hex SHA-256 of the file's bytes; the vault imports a
	// given content once.
	SHA256 string `json:"sha256"`
	// Size is the file's length in bytes.
	Size int64 `json:"size"`
	// ImportedAt is when the file was imported (set by the vault).
	ImportedAt time.Time `json:"imported_at"`
	// Author is the organization that wrote the document ("Greenway Medical").
	Author string `json:"author,omitempty"`
	// DocumentDate is the date the document was written, when it says.
	DocumentDate Date `json:"document_date"`
	// Title is the document's own title, when it has one.
	Title string `json:"title,omitempty"`
	// Parent is the id of the package (zip, folder) this file came in, if any.
	Parent string `json:"parent,omitempty"`
}

// SelfReported is the [Source.Format] of entries a user adds by hand.
const SelfReported = "self-reported"
