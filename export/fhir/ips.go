package fhir

import (
	"io"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// IPS profiles and codes.
const (
	profileIPSBundle      = "http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips"
	profileIPSComposition = "http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips"
	loincPatientSummary   = "60591-5"
)

// A Section of the International Patient Summary, by its LOINC code.
type Section struct {
	Code, Display, Title string
	// Required sections are always present, with an emptyReason when
	// there is nothing to list.
	Required bool
}

// The IPS sections this package writes, in the order it writes them
// (the IPS order: required, recommended, optional).
var (
	SectionMedications   = Section{"10160-0", "History of Medication use Narrative", "Medications", true}
	SectionAllergies     = Section{"48765-2", "Allergies and adverse reactions Document", "Allergies and intolerances", true}
	SectionProblems      = Section{"11450-4", "Problem list - Reported", "Problems", true}
	SectionImmunizations = Section{"11369-6", "History of Immunization Narrative", "Immunizations", false}
	SectionProcedures    = Section{"47519-4", "History of Procedures Document", "Procedures", false}
	SectionDevices       = Section{"46264-8", "History of medical device use", "Medical devices", false}
	SectionResults       = Section{"30954-2", "Relevant diagnostic tests/laboratory data Narrative", "Results", false}
	SectionVitalSigns    = Section{"8716-3", "Vital signs", "Vital signs", false}
	SectionPastIllness   = Section{"11348-0", "History of Past illness Narrative", "Past problems", false}
	SectionPlanOfCare    = Section{"18776-5", "Plan of care note", "Plan of care", false}
	SectionSocialHistory = Section{"29762-2", "Social history Narrative", "Social history", false}
)

// Empty reasons (http://terminology.hl7.org/CodeSystem/list-empty-reason)
// of a required section with nothing to list.
const (
	// EmptyNoneKnown: a source states there is none ("No known allergies").
	EmptyNoneKnown = "nilknown"
	// EmptyNoInformation: no source says anything about it.
	EmptyNoInformation = "unavailable"
)

type section struct {
	Title       string                 `json:"title"`
	Code        record.CodeableConcept `json:"code"`
	Text        *narrative             `json:"text"`
	Entry       []reference            `json:"entry,omitempty"`
	EmptyReason *emptyReason           `json:"emptyReason,omitempty"`
}

// emptyReason is a section's emptyReason: a CodeableConcept that may carry
// the date a source stated there is none (extStatedOn).
type emptyReason struct {
	Extension []extension     `json:"extension,omitempty"`
	Coding    []record.Coding `json:"coding,omitempty"`
	Text      string          `json:"text,omitempty"`
}

type composition struct {
	ResourceType string                 `json:"resourceType"`
	ID           string                 `json:"id"`
	Meta         *meta                  `json:"meta"`
	Text         *narrative             `json:"text"`
	Status       string                 `json:"status"`
	Type         record.CodeableConcept `json:"type"`
	Subject      reference              `json:"subject"`
	Date         string                 `json:"date"`
	Author       []reference            `json:"author"`
	Title        string                 `json:"title"`
	Section      []section              `json:"section"`
}

// column is one column of a section's narrative table.
type column struct {
	head string
	cell func(e *record.Entry) string
}

var (
	colWhat = func(head string) column { return column{head, func(e *record.Entry) string { return e.Title }} }
	colDate = func(head string) column {
		return column{head, func(e *record.Entry) string { return dateText(e.Date) }}
	}
	colStat = column{"Status", func(e *record.Entry) string { return e.Status }}
	colVal  = column{"Value", func(e *record.Entry) string {
		v := e.ValueText()
		if e.Abnormal() {
			v += " (" + e.Interpretation + ")"
		}
		return v
	}}
	colRange = column{"Normal range", func(e *record.Entry) string { return e.Range.String() }}
	colDose  = column{"How taken", func(e *record.Entry) string { return e.Dosage }}
	colReact = column{"Reactions", func(e *record.Entry) string { return strings.Join(e.Reactions, ", ") }}
	colSev   = column{"Severity", func(e *record.Entry) string { return e.Severity }}
	colEnd   = column{"Until", func(e *record.Entry) string {
		if e.End.IsZero() {
			return ""
		}
		return e.End.Human()
	}}
)

func dateText(d record.Date) string {
	if d.IsZero() {
		return "date unknown"
	}
	return d.Human()
}

// ipsSection is what goes into one section: entries, or why there are none.
type ipsSection struct {
	def     Section
	entries []record.Entry
	cols    []column
	// noneKnown is set when a source states there is none; on is the date
	// of that statement (may be zero).
	noneKnown bool
	on        record.Date
	// emptyText is the narrative when nothing is listed.
	emptyText string
}

// WriteIPS writes the person's International Patient Summary: a FHIR R4
// document Bundle (IPS profile) whose first entry is the Composition
// (LOINC 60591-5), then the person's Patient, then the resources the
// sections list and those they refer to. The required sections
// (medications, allergies, problems) are always there; with nothing to
// list, a section has an emptyReason that keeps "none known" (a source
// says so: nilknown) apart from "no information" (unavailable). The
// recommended and optional sections are written when there is something
// in them. The output is the same, byte for byte, for the same Input.
//
// It returns an error wrapping [ErrNoPerson] or [ErrBadResource], or the
// error of w.
func WriteIPS(w io.Writer, in *export.Input) error {
	p, err := newPlan(in)
	if err != nil {
		return err
	}
	t := now(in)
	sum := record.Summarize(in.Entries, t)
	sections := p.ipsSections(&sum)

	// What each section lists, and everything those resources refer to
	// within their source.
	var include []*resPlan
	seen := map[*resPlan]bool{}
	var add func(rp *resPlan) error
	add = func(rp *resPlan) error {
		if seen[rp] {
			return nil
		}
		seen[rp] = true
		include = append(include, rp)
		var refs []string
		if err := references(rp.res.JSON, func(r string) { refs = append(refs, r) }); err != nil {
			return errBad(rp, err)
		}
		for _, r := range refs {
			url, ok := rp.src.refs[r]
			if !ok || url == p.patientURL {
				continue
			}
			if target := p.byURL(url); target != nil {
				if err := add(target); err != nil {
					return err
				}
			}
		}
		return nil
	}
	comp := composition{ResourceType: "Composition", ID: derivedID("kinfolio-summary", in.Person.ID, instant(t)),
		Meta:   &meta{Profile: []string{profileIPSComposition}, Tag: []record.Coding{record.SummaryTag}},
		Status: "final",
		Type: record.CodeableConcept{Coding: []record.Coding{{System: record.SystemLOINC, Code: loincPatientSummary,
			Display: "Patient summary Document"}}},
		Subject: reference{Reference: p.patientURL, Display: in.Person.Name},
		Date:    instant(t),
		Author:  []reference{{Reference: p.patientURL, Display: in.Person.Name}},
		Title:   "Patient summary: " + in.Person.Name,
	}
	for _, s := range sections {
		sec := section{Title: s.def.Title, Code: record.CodeableConcept{Coding: []record.Coding{{System: record.SystemLOINC, Code: s.def.Code, Display: s.def.Display}}}}
		var listed []record.Entry
		for _, e := range s.entries {
			rp := p.entryResource(&e)
			if rp == nil {
				continue
			}
			if err := add(rp); err != nil {
				return err
			}
			sec.Entry = append(sec.Entry, reference{Reference: rp.url})
			listed = append(listed, e)
		}
		if len(listed) > 0 {
			sec.Text = div(table(s.cols, listed))
		} else {
			code, display := EmptyNoInformation, "Unavailable"
			if s.noneKnown {
				code, display = EmptyNoneKnown, "Nil Known"
			}
			sec.EmptyReason = &emptyReason{Coding: []record.Coding{{System: systemListEmpty, Code: code, Display: display}},
				Text: s.emptyText}
			if s.noneKnown && !s.on.IsZero() {
				sec.EmptyReason.Extension = []extension{{URL: extStatedOn, ValueDateTime: s.on.String()}}
			}
			sec.Text = div("<p>" + esc(s.emptyText) + "</p>")
		}
		comp.Section = append(comp.Section, sec)
	}
	comp.Text = div("<p>" + esc("Patient summary of "+in.Person.Name+", made "+record.DateOf(t).Human()+
		" by Kinfolio from the person's own records ("+plural(len(in.Sources), "source", "sources")+").") + "</p>")

	head := bundleHead{ResourceType: "Bundle", ID: derivedID("kinfolio-ips", in.Person.ID, instant(t)),
		Meta:       &bundleMeta{Profile: []string{profileIPSBundle}},
		Identifier: identifier{System: "urn:ietf:rfc:3986", Value: urnUUID("ips", in.Person.ID, instant(t))},
		Type:       "document", Timestamp: instant(t)}
	bw, err := newBundleWriter(w, head)
	if err != nil {
		return err
	}
	cjs, err := marshal(comp)
	if err != nil {
		return err
	}
	bw.entry(urnUUID("composition", in.Person.ID, instant(t)), cjs)
	pt, err := p.patientJSON(nil, true)
	if err != nil {
		return err
	}
	bw.entry(p.patientURL, pt)
	var buf []byte
	for _, rp := range include {
		if buf, err = p.editResource(buf[:0], rp, false); err != nil {
			return err
		}
		bw.entry(rp.url, buf)
	}
	return bw.close()
}

func errBad(rp *resPlan, err error) error {
	return &badResource{rp.ref.Type + "/" + rp.ref.ID, err}
}

type badResource struct {
	ref string
	err error
}

func (e *badResource) Error() string {
	return ErrBadResource.Error() + ": " + e.ref + ": " + e.err.Error()
}
func (e *badResource) Unwrap() []error { return []error{ErrBadResource, e.err} }

// byURL finds an exported resource by its full URL.
func (p *plan) byURL(url string) *resPlan {
	if p.urls == nil {
		p.urls = make(map[string]*resPlan, len(p.resources))
		for _, rp := range p.resources {
			p.urls[rp.url] = rp
		}
	}
	return p.urls[url]
}

// entryResource is the stored resource an entry is shown from.
func (p *plan) entryResource(e *record.Entry) *resPlan {
	for _, ref := range e.Resources {
		if rp := p.byRef[ref]; rp != nil {
			return rp
		}
	}
	return nil
}

// ipsSections selects each section's entries from the summary.
func (p *plan) ipsSections(sum *record.Summary) []ipsSection {
	none := func(k record.Kind) (bool, record.Date) {
		d, ok := sum.NoneKnown[k]
		return ok, d
	}
	var out []ipsSection
	req := func(def Section, entries []record.Entry, cols []column, kind record.Kind, what string) {
		s := ipsSection{def: def, entries: entries, cols: cols}
		s.noneKnown, s.on = none(kind)
		switch {
		case s.noneKnown:
			s.emptyText = "No known " + what + confirmed(s.on)
		default:
			s.emptyText = "No information about " + what
		}
		out = append(out, s)
	}
	req(SectionMedications, sum.Medications, []column{colWhat("Medication"), colDose, colDate("Since"), colStat}, record.KindMedication, "medications")
	allergies := ipsSection{def: SectionAllergies, entries: sum.Allergies.Entries, cols: []column{colWhat("Substance"), colReact, colSev, colDate("Since")}}
	switch sum.Allergies.State {
	case record.NoKnownAllergies:
		allergies.noneKnown, allergies.on = true, sum.Allergies.ConfirmedOn
		allergies.emptyText = "No known allergies" + confirmed(sum.Allergies.ConfirmedOn)
	default:
		allergies.emptyText = "No information about allergies"
	}
	out = append(out, allergies)
	req(SectionProblems, sum.Problems, []column{colWhat("Problem"), colDate("Since"), colStat}, record.KindCondition, "problems")
	if len(sum.Problems) == 0 && len(sum.PastProblems) > 0 && !out[len(out)-1].noneKnown {
		out[len(out)-1].emptyText = "No current problems recorded; see past problems"
	}

	optional := func(def Section, entries []record.Entry, cols []column, kind record.Kind, what string) {
		s := ipsSection{def: def, entries: entries, cols: cols}
		if kind != "" {
			s.noneKnown, s.on = none(kind)
		}
		if len(entries) == 0 && !s.noneKnown {
			return
		}
		s.emptyText = "No known " + what + confirmed(s.on)
		out = append(out, s)
	}
	optional(SectionImmunizations, p.immunizations(), []column{colWhat("Vaccine"), colDate("Date"), colStat}, record.KindImmunization, "immunizations")
	optional(SectionProcedures, sum.Procedures, []column{colWhat("Procedure"), colDate("Date"), colStat}, record.KindProcedure, "procedures")
	optional(SectionDevices, sum.Devices, []column{colWhat("Device"), colDate("Since"), colStat}, "", "")
	optional(SectionResults, latest(sum.Labs), []column{colWhat("Test"), colVal, colRange, colDate("Date")}, "", "")
	optional(SectionVitalSigns, latest(sum.Vitals), []column{colWhat("Vital sign"), colVal, colDate("Date")}, "", "")
	optional(SectionPastIllness, sum.PastProblems, []column{colWhat("Problem"), colDate("Since"), colEnd, colStat}, "", "")
	optional(SectionPlanOfCare, p.selectOther(func(e *record.Entry) bool {
		return (e.Category == "care-plan" || e.Category == "goal") && !closedStatus(e.Status)
	}, false), []column{colWhat("Plan or goal"), colDate("Date"), colStat}, "", "")
	optional(SectionSocialHistory, p.selectOther(func(e *record.Entry) bool { return e.Category == "social-history" }, true),
		[]column{colWhat("Observation"), colVal, colDate("Date")}, "", "")
	return out
}

func confirmed(d record.Date) string {
	if d.IsZero() {
		return ""
	}
	return " (stated " + d.Human() + ")"
}

// latest returns the newest result of each series.
func latest(series []record.Series) []record.Entry {
	out := make([]record.Entry, 0, len(series))
	for i := range series {
		out = append(out, *series[i].Latest())
	}
	return out
}

func removed(status string) bool {
	switch strings.ToLower(status) {
	case "entered-in-error", "refuted", "cancelled", "not-done", "rejected":
		return true
	}
	return false
}

func closedStatus(status string) bool {
	switch strings.ToLower(status) {
	case "completed", "revoked", "cancelled", "rejected", "entered-in-error", "achieved", "not-achieved", "abandoned":
		return true
	}
	return false
}

// immunizations lists every dose, newest first (the summary keeps only
// the latest of each vaccine; a patient summary lists the history).
func (p *plan) immunizations() []record.Entry {
	var out []record.Entry
	for _, e := range p.in.Entries {
		if e.Kind == record.KindImmunization && !removed(e.Status) && !noInfo(&e) {
			out = append(out, e)
		}
	}
	return out
}

// noInfo reports an entry that only states an absence (IPS absent/unknown codes).
func noInfo(e *record.Entry) bool {
	for _, c := range e.Codes {
		if record.SameSystem(c.System, record.SystemAbsentIPS) {
			return true
		}
	}
	t := record.NormalizeText(e.Title)
	return strings.HasPrefix(t, "no known ") || strings.HasPrefix(t, "no current ")
}

// selectOther lists the entries of kind other that keep says; with
// newestOnly, the newest of each title.
func (p *plan) selectOther(keep func(e *record.Entry) bool, newestOnly bool) []record.Entry {
	var out []record.Entry
	seen := map[string]bool{}
	for _, e := range p.in.Entries { // newest first
		if e.Kind != record.KindOther || removed(e.Status) || !keep(&e) {
			continue
		}
		if newestOnly {
			k := record.NormalizeText(e.Title)
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, e)
	}
	return out
}

// table renders entries as an XHTML table.
func table(cols []column, entries []record.Entry) string {
	var b strings.Builder
	b.WriteString("<table><thead><tr>")
	for _, c := range cols {
		b.WriteString("<th>" + esc(c.head) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for i := range entries {
		b.WriteString("<tr>")
		for _, c := range cols {
			b.WriteString("<td>" + esc(c.cell(&entries[i])) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
