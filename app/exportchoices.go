package app

import (
	"fmt"
	"os"
	"strings"

	"github.com/kinfolio/kinfolio/export/pdf"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// What the window's Print / Export dialog offers, in words, and the calls
// it makes: the same exports kin makes, with the window's own names for
// them. (The screens never name the exporters' types.)

// ExportKind is one thing the Print / Export dialog makes.
type ExportKind string

// The exports, in the order the dialog offers them.
const (
	ExportVisitSummary  ExportKind = "summary"
	ExportEmergencyCard ExportKind = "card"
	ExportFullRecord    ExportKind = "full"
	ExportFHIR          ExportKind = "fhir"
	ExportIPS           ExportKind = "ips"
	ExportBackup        ExportKind = "backup"
	ExportHandover      ExportKind = "handover"
)

// ExportChoice describes one export for the dialog.
type ExportChoice struct {
	Kind ExportKind
	// Label names it ("Visit summary"); About says in a sentence what it
	// is and whom it is for.
	Label, About string
	// PDF says it is a printout (paper, large print apply); Person says it
	// is of one person (the one on screen), not of the whole vault.
	PDF, Person bool
	// Ext is the file name's extension.
	Ext string
}

// ExportChoices lists what the dialog offers, printouts first.
func ExportChoices() []ExportChoice {
	return []ExportChoice{
		{Kind: ExportVisitSummary, Label: "Visit summary", PDF: true, Person: true, Ext: ".pdf",
			About: "One or two pages for a new doctor: allergies, current medications, active problems, key results with trends, procedures, immunizations and where the records came from."},
		{Kind: ExportEmergencyCard, Label: "Emergency card", PDF: true, Person: true, Ext: ".pdf",
			About: "A wallet card (front and back, to fold) with allergies, critical conditions, medications and emergency contacts. Print it at 100%, never \"fit to page\"."},
		{Kind: ExportFullRecord, Label: "Full record", PDF: true, Person: true, Ext: ".pdf",
			About: "Everything, by kind and date, with contents and page numbers, and appendices of the sources and of what differs between them."},
		{Kind: ExportFHIR, Label: "FHIR record (for another app)", Person: true, Ext: ".json",
			About: "Every record of the person as imported, in one FHIR R4 file that other health apps and Kinfolio read back. It is not encrypted: keep it safe."},
		{Kind: ExportIPS, Label: "International Patient Summary (IPS)", Person: true, Ext: ".json",
			About: "The standard patient summary (FHIR IPS) that clinics and apps in many countries read: medications, allergies, problems and more. It is not encrypted: keep it safe."},
		{Kind: ExportBackup, Label: "Backup of everyone", Ext: ".age",
			About: "An encrypted copy of the whole vault: every person, entry and original file. It opens with a passphrase or with chosen keys, in Kinfolio or with the age tool."},
		{Kind: ExportHandover, Label: "Handover backup", Person: true, Ext: ".age",
			About: "An encrypted backup of this one person only, with nothing of anyone else: for an adult child taking over their own records, or another caregiver. Restore it into a new vault."},
	}
}

// ExportChoiceOf returns the choice of kind k (the zero choice when k is
// not one).
func ExportChoiceOf(k ExportKind) ExportChoice {
	for _, c := range ExportChoices() {
		if c.Kind == k {
			return c
		}
	}
	return ExportChoice{}
}

// ExportFileName is the name the dialog suggests for an export made now:
// what it is and the day, never whose it is or anything of their health
// ("visit-summary-2026-12-01.pdf").
func (s *Session) ExportFileName(k ExportKind) string {
	stem := map[ExportKind]string{
		ExportVisitSummary: "visit-summary", ExportEmergencyCard: "emergency-card", ExportFullRecord: "full-record",
		ExportFHIR: "fhir-record", ExportIPS: "patient-summary-ips", ExportBackup: "kinfolio-backup",
		ExportHandover: "kinfolio-handover",
	}[k]
	if stem == "" {
		stem = "kinfolio-export"
	}
	return stem + "-" + s.now().Format("2006-01-02") + ExportChoiceOf(k).Ext
}

// SummarySection is one section of the visit summary, for the dialog's
// checkboxes.
type SummarySection struct {
	ID    string
	Label string
	// Always says it prints whatever is chosen (alerts and allergies).
	Always bool
}

// SummarySections lists the visit summary's sections in print order
// (the reason for visit, printed when one is typed, is not among them).
func SummarySections() []SummarySection {
	labels := map[pdf.Section]string{
		pdf.SectionAlerts: "Alerts and allergies", pdf.SectionMedications: "Current medications",
		pdf.SectionProblems: "Active problems", pdf.SectionResults: "Key results",
		pdf.SectionVitals: "Vital signs", pdf.SectionProcedures: "Procedures and hospital stays",
		pdf.SectionDevices: "Implanted devices", pdf.SectionCareTeam: "Care team and recent visits",
		pdf.SectionImmunizations: "Immunizations", pdf.SectionSources: "Sources",
	}
	var out []SummarySection
	for _, sec := range pdf.SummarySections {
		if sec == pdf.SectionReason {
			continue
		}
		out = append(out, SummarySection{ID: string(sec), Label: labels[sec], Always: sec == pdf.SectionAlerts})
	}
	return out
}

// The paper sizes the dialog offers.
const (
	PaperLetter = "Letter"
	PaperA4     = "A4"
)

// LocalPaper is the paper of this computer's locale: "Letter" in the
// United States and Canada (and their neighbours that use it), "A4"
// elsewhere (see [PaperForEnvironment]).
func LocalPaper() string { return PaperForEnvironment(os.Getenv).String() }

// PrintRequest is what the dialog asks for a printout.
type PrintRequest struct {
	// Kind is ExportVisitSummary, ExportEmergencyCard or ExportFullRecord.
	Kind ExportKind
	// Sections are the visit summary's sections to print (SummarySection
	// ids); nil prints them all.
	Sections []string
	// Since leaves out history before it (zero: everything).
	Since record.Date
	// LargePrint prints body text at 13 pt.
	LargePrint bool
	// Paper is PaperLetter or PaperA4; "" is [LocalPaper].
	Paper string
	// Reason and ReferredBy head the visit summary, in the person's words.
	Reason, ReferredBy string
	// CardStrip prints the emergency card alone on a 171.2 × 54 mm page.
	CardStrip bool
}

// Print makes the printout req asks for, of person (an id or a name), at
// path (see [Session.ExportPDF]: written whole or not at all, never over
// the vault, recorded in the audit log). Errors wrap [ErrOverVault],
// [ErrBadInput] (a section or paper that is not one), and those of
// ExportPDF.
func (s *Session) Print(person string, req PrintRequest, path string) (*Written, error) {
	var kind pdf.Kind
	switch req.Kind {
	case ExportVisitSummary, "":
		kind = pdf.KindSummary
	case ExportEmergencyCard:
		kind = pdf.KindCard
	case ExportFullRecord:
		kind = pdf.KindFull
	default:
		return nil, fmt.Errorf("%w: %q is not a printout", ErrBadInput, req.Kind)
	}
	o := pdf.Options{LargePrint: req.LargePrint, Since: req.Since, Reason: strings.TrimSpace(req.Reason),
		ReferredBy: strings.TrimSpace(req.ReferredBy), CardStrip: req.CardStrip}
	switch req.Paper {
	case "":
		o.Paper = PaperForEnvironment(os.Getenv)
	case PaperLetter:
		o.Paper = pdf.Letter
	case PaperA4:
		o.Paper = pdf.A4
	default:
		return nil, fmt.Errorf("%w: %q is not a paper size", ErrBadInput, req.Paper)
	}
	if req.Sections != nil {
		o.Sections = []pdf.Section{}
		for _, id := range req.Sections {
			sec, err := pdf.ParseSection(id)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
			}
			o.Sections = append(o.Sections, sec)
		}
	}
	p, err := s.Person(person)
	if err != nil {
		return nil, err
	}
	n, err := s.ExportPDF(p.ID, kind, o, path)
	if err != nil {
		return nil, err
	}
	return &Written{Path: path, Bytes: n, Person: p.ID, PersonName: p.Name, Entries: p.Entries}, nil
}

// notOverVault refuses a path that is the vault file itself.
func (s *Session) notOverVault(path string) error {
	vf, err := os.Stat(s.path)
	if err != nil {
		return nil
	}
	if pf, err := os.Stat(path); err == nil && os.SameFile(vf, pf) {
		return fmt.Errorf("%w: %s", ErrOverVault, path)
	}
	return nil
}

// ParseSince reads the "leave out history before" date a person typed
// ("" is none). Errors wrap [ErrBadInput].
func (s *Session) ParseSince(text string) (record.Date, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return record.Date{}, nil
	}
	d, err := record.ParseDate(text)
	if err != nil {
		return record.Date{}, fmt.Errorf("%w: since: %q is not a date (write it as 2020-01-31, or just the year)", ErrBadInput, text)
	}
	if d.T.After(s.now()) {
		return record.Date{}, fmt.Errorf("%w: since: %s is in the future", ErrBadInput, d.Human())
	}
	return d, nil
}

// Text says what a backup holds and how it opens, for the window.
func (w *BackupWritten) Text(toKeys int) string {
	m := w.Manifest
	who := Plural(m.Counts.People, "person", "people")
	if w.PersonName != "" {
		who = w.PersonName + " only"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The backup holds %s: %s and %s.", who, Plural(m.Counts.Entries, "entry", "entries"),
		Plural(m.Counts.Originals, "original file", "original files"))
	for _, src := range m.Sources {
		if src.OriginalLeftOut != "" {
			fmt.Fprintf(&b, " The original of %s is left out (%s); its records of this person are in the backup.", src.File, src.OriginalLeftOut)
		}
	}
	if toKeys > 0 {
		fmt.Fprintf(&b, " It opens with the secret half of %s.", Plural(toKeys, "key", "keys"))
	} else {
		b.WriteString(" It opens with the passphrase it was locked with.")
	}
	b.WriteString(" Keep it somewhere other than this computer: a USB stick, another disk.")
	return b.String()
}

// RestoredText says what a restore put back.
func RestoredText(r *vault.RestoreReport) string {
	return fmt.Sprintf("Restored %s, %s and %s.", Plural(r.People, "person", "people"),
		Plural(r.Entries, "entry", "entries"), Plural(r.Sources, "imported file", "imported files"))
}
