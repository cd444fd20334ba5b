package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// Kind names one of the three printouts. Its values are those of
// `kin export pdf --kind`.
type Kind string

// The printouts.
const (
	// KindSummary is the visit summary, the default.
	KindSummary Kind = "summary"
	// KindCard is the emergency wallet card.
	KindCard Kind = "card"
	// KindFull is the full record.
	KindFull Kind = "full"
)

// Kinds lists the printouts in the order a menu offers them.
var Kinds = []Kind{KindSummary, KindCard, KindFull}

// ParseKind returns the printout named s ("summary", "card", "full"; case
// and surrounding spaces ignored; "" is the summary). Anything else returns
// an error wrapping [ErrUnknownKind].
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if k == "" {
		return KindSummary, nil
	}
	for _, known := range Kinds {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: %q (want summary, card or full)", ErrUnknownKind, s)
}

// Label is the printout's name for people ("Visit summary").
func (k Kind) Label() string {
	switch k {
	case KindCard:
		return "Emergency card"
	case KindFull:
		return "Full record"
	}
	return "Visit summary"
}

// Paper is a sheet size. The zero value is US Letter.
type Paper int

// The sheet sizes.
const (
	Letter Paper = iota // 8.5 × 11 in (215.9 × 279.4 mm)
	A4                  // 210 × 297 mm
)

// String returns "Letter" or "A4".
func (p Paper) String() string {
	if p == A4 {
		return "A4"
	}
	return "Letter"
}

// size returns the sheet's width and height in millimetres.
func (p Paper) size() (w, h float64) {
	if p == A4 {
		return 210, 297
	}
	return 215.9, 279.4
}

// letterRegions are the countries (ISO 3166 codes) whose printers hold
// Letter paper: the United States and its territories, Canada, Mexico, the
// Philippines, and most of Central America and the Andes.
var letterRegions = map[string]bool{
	"US": true, "PR": true, "GU": true, "VI": true, "AS": true, "MP": true, "UM": true,
	"CA": true, "MX": true, "PH": true, "GT": true, "SV": true, "HN": true, "NI": true,
	"CR": true, "PA": true, "DO": true, "VE": true, "CO": true, "CL": true, "BZ": true,
}

// PaperForLocale returns the paper the printers of a locale hold: Letter for
// the United States, Canada, Mexico, the Philippines and the neighbours that
// use it, A4 everywhere else. locale is a POSIX or BCP 47 locale
// ("en_US.UTF-8", "fr-CA", "de_DE"). Without a region it guesses from the
// language: Letter for English, A4 for any other; "", "C" and "POSIX" give
// Letter.
func PaperForLocale(locale string) Paper {
	l := locale
	if i := strings.IndexAny(l, ".@"); i >= 0 {
		l = l[:i]
	}
	parts := strings.FieldsFunc(l, func(r rune) bool { return r == '_' || r == '-' })
	if len(parts) == 0 || strings.EqualFold(parts[0], "C") || strings.EqualFold(parts[0], "POSIX") {
		return Letter
	}
	for _, p := range parts[1:] {
		if len(p) == 2 {
			if letterRegions[strings.ToUpper(p)] {
				return Letter
			}
			return A4
		}
	}
	if strings.EqualFold(parts[0], "en") {
		return Letter
	}
	return A4
}

// Section is one part of the visit summary, in the order it prints.
type Section string

// The visit summary's sections, in print order ([SummarySections]).
const (
	SectionReason        Section = "reason"        // Reason for visit (printed when Options.Reason is given)
	SectionAlerts        Section = "alerts"        // Alerts and allergies; always printed
	SectionMedications   Section = "medications"   // Current medications
	SectionProblems      Section = "problems"      // Active problems, and past history in one line
	SectionResults       Section = "results"       // Key results: lab trend rows
	SectionVitals        Section = "vitals"        // Vital signs: trend rows
	SectionProcedures    Section = "procedures"    // Procedures and hospital stays
	SectionDevices       Section = "devices"       // Implanted devices
	SectionCareTeam      Section = "care-team"     // Care team and contacts, recent visits
	SectionImmunizations Section = "immunizations" // Latest dose of each vaccine
	SectionSources       Section = "sources"       // Where the records came from
)

// SummarySections lists every section of the visit summary in print order.
var SummarySections = []Section{
	SectionReason, SectionAlerts, SectionMedications, SectionProblems, SectionResults,
	SectionVitals, SectionProcedures, SectionDevices, SectionCareTeam, SectionImmunizations,
	SectionSources,
}

// ParseSection returns the section named s (see the constants; case and
// spaces ignored), or an error wrapping [ErrUnknownSection].
func ParseSection(s string) (Section, error) {
	sec := Section(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range SummarySections {
		if sec == known {
			return sec, nil
		}
	}
	names := make([]string, len(SummarySections))
	for i, k := range SummarySections {
		names[i] = string(k)
	}
	return "", fmt.Errorf("%w: %q (want one of %s)", ErrUnknownSection, s, strings.Join(names, ", "))
}

// Options shape a printout. The zero value prints on Letter paper in normal
// type, every section, every date.
type Options struct {
	// Paper is the sheet size; pick it with [PaperForLocale].
	Paper Paper
	// LargePrint sets body text at 13 pt instead of 10.5 pt (headings and
	// the name grow with it); the printout runs longer. The emergency card
	// has a fixed size and ignores it.
	LargePrint bool
	// Since, when known, leaves out history dated before it: results, vital
	// signs, procedures, visits, immunizations, past problems (and in the
	// full record every dated entry of those kinds, documents and claims).
	// What is current (allergies, current medications, active problems,
	// devices) is printed whatever its date. Printouts say "since <date>".
	Since record.Date
	// Sections selects the visit summary's sections; nil prints them all.
	// Alerts and allergies print whether listed or not: no summary leaves
	// them out; so does the reason for visit when one is given.
	Sections []Section
	// Reason is the reason for the visit in the person's own words (visit
	// summary, first section; 3-5 lines read best). Empty leaves the
	// section out.
	Reason string
	// ReferredBy is who referred the person, printed with the reason.
	ReferredBy string
	// CardStrip prints the emergency card alone on a 171.2 × 54 mm page
	// (front and back side by side), for print shops and card printers.
	// The default puts it on a Letter or A4 sheet with cut marks, the
	// instructions and a calibration bar, which is what prints at the
	// right size on a home printer.
	CardStrip bool
}

// wants reports whether the visit summary prints section s.
func (o *Options) wants(s Section) bool {
	if s == SectionAlerts || s == SectionReason || o.Sections == nil {
		return true
	}
	for _, x := range o.Sections {
		if x == s {
			return true
		}
	}
	return false
}

// Errors the printouts return. Errors writing to the destination are
// returned wrapped as they come.
var (
	// ErrUnknownKind: a printout name other than summary, card or full.
	ErrUnknownKind = errors.New("unknown printout")
	// ErrUnknownSection: a visit summary section that does not exist.
	ErrUnknownSection = errors.New("unknown section")
	// ErrNoPerson: the Input names no person (no name), so nothing
	// printed could say whose record it is.
	ErrNoPerson = errors.New("the record names no person")
	// ErrRender: the PDF library failed to lay out the document (a bug,
	// reported with the library's reason).
	ErrRender = errors.New("making the PDF failed")
)

// Write prints the printout k of in to w with the options o. It is
// [VisitSummary], [EmergencyCard] or [FullRecord] by name.
func Write(w io.Writer, k Kind, in export.Input, o Options) error {
	switch k {
	case KindSummary, "":
		return VisitSummary(w, in, o)
	case KindCard:
		return EmergencyCard(w, in, o)
	case KindFull:
		return FullRecord(w, in, o)
	}
	return fmt.Errorf("%w: %q", ErrUnknownKind, string(k))
}

// checkInput refuses an Input no printout can be made of.
func checkInput(in *export.Input) error {
	if strings.TrimSpace(in.Person.Name) == "" {
		return ErrNoPerson
	}
	return nil
}
