package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// Code systems and URLs this package writes.
const (
	systemListEmpty   = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
	systemParticipant = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
	systemV2Relation  = "http://terminology.hl7.org/CodeSystem/v2-0131"
	systemSourceHash  = record.SystemSourceSHA256
	extSourceFormat   = record.ExtensionSourceFormat
	extSourceFile     = record.ExtensionSourceFile
	extSourceTitle    = record.ExtensionSourceTitle
	extSourcePatient  = record.ExtensionSourcePatient
	extStatedOn       = record.ExtensionStatedOn
	extDataAbsent     = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
	xhtmlNS           = "http://www.w3.org/1999/xhtml"
)

// reference is a FHIR Reference as this package writes it.
type reference struct {
	Reference  string             `json:"reference,omitempty"`
	Identifier *record.Identifier `json:"identifier,omitempty"`
	Display    string             `json:"display,omitempty"`
}

type narrative struct {
	Status string `json:"status"`
	Div    string `json:"div"`
}

type extension struct {
	URL           string `json:"url"`
	ValueCode     string `json:"valueCode,omitempty"`
	ValueString   string `json:"valueString,omitempty"`
	ValueDateTime string `json:"valueDateTime,omitempty"`
}

type meta struct {
	Profile []string        `json:"profile,omitempty"`
	Tag     []record.Coding `json:"tag,omitempty"`
}

// div wraps XHTML content as a FHIR narrative div.
func div(content string) *narrative {
	return &narrative{Status: "generated", Div: `<div xmlns="` + xhtmlNS + `">` + content + `</div>`}
}

// esc escapes text for XHTML.
func esc(s string) string { return html.EscapeString(s) }

// marshal encodes v as compact JSON without escaping <, > and & (the
// narrative's XHTML stays readable).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// patient is the person's Patient resource.
type patient struct {
	ResourceType  string              `json:"resourceType"`
	ID            string              `json:"id"`
	Meta          *meta               `json:"meta,omitempty"`
	Text          *narrative          `json:"text,omitempty"`
	Contained     []json.RawMessage   `json:"contained,omitempty"`
	Identifier    []record.Identifier `json:"identifier,omitempty"`
	Name          []record.HumanName  `json:"name"`
	Gender        string              `json:"gender,omitempty"`
	BirthDate     string              `json:"birthDate,omitempty"`
	BirthDateExt  *primitiveExtension `json:"_birthDate,omitempty"`
	Contact       []patientContact    `json:"contact,omitempty"`
	Communication []communication     `json:"communication,omitempty"`
	Link          []patientLink       `json:"link,omitempty"`
}

type primitiveExtension struct {
	Extension []extension `json:"extension"`
}

type patientContact struct {
	Relationship []record.CodeableConcept `json:"relationship"`
	Name         *record.HumanName        `json:"name,omitempty"`
	Telecom      []record.ContactPoint    `json:"telecom,omitempty"`
}

type communication struct {
	Language  record.CodeableConcept `json:"language"`
	Preferred bool                   `json:"preferred"`
}

type patientLink struct {
	Other reference `json:"other"`
	Type  string    `json:"type"`
}

// patientJSON builds the person's Patient: the profile's name (structured
// as a source wrote it, when one did), other names, birth date, sex,
// record numbers, emergency contacts and language. With sourcePatients
// (already edited for containment), each source's own Patient resource is
// contained and linked as "seealso": the same person as that file
// describes them. ips adds the IPS profile and marks an unknown birth date.
func (p *plan) patientJSON(sourcePatients []json.RawMessage, ips bool) ([]byte, error) {
	per := p.in.Person
	pt := patient{ResourceType: "Patient", ID: p.patientID, Identifier: per.Identifiers, Gender: per.Sex}
	usual := record.HumanName{Use: "usual", Text: per.Name}
	want := record.NormalizeText(per.Name)
	for _, rp := range p.patients {
		src, err := record.Decode[record.Patient](rp.res)
		if err != nil {
			continue
		}
		for _, n := range src.Name {
			// A source's structured name, where it reads as the profile's.
			if n.Family != "" && n.String() == strings.Join(strings.Fields(per.Name), " ") {
				usual.Family, usual.Given, usual.Prefix, usual.Suffix = n.Family, n.Given, n.Prefix, n.Suffix
				break
			}
		}
		if usual.Family != "" {
			break
		}
	}
	pt.Name = append(pt.Name, usual)
	for _, n := range per.Names {
		if record.NormalizeText(n) != want {
			pt.Name = append(pt.Name, record.HumanName{Text: n})
		}
	}
	if !per.BirthDate.IsZero() {
		pt.BirthDate = per.BirthDate.Truncate(record.PrecisionDay).String()
	} else if ips {
		pt.BirthDateExt = &primitiveExtension{Extension: []extension{{URL: extDataAbsent, ValueCode: "unknown"}}}
	}
	for _, c := range per.Contacts {
		pc := patientContact{Relationship: []record.CodeableConcept{{
			Coding: []record.Coding{{System: systemV2Relation, Code: "C", Display: "Emergency Contact"}}, Text: c.Relation}}}
		if c.Name != "" {
			pc.Name = &record.HumanName{Text: c.Name}
		}
		if c.Phone != "" {
			pc.Telecom = []record.ContactPoint{{System: "phone", Value: c.Phone}}
		}
		pt.Contact = append(pt.Contact, pc)
	}
	if per.Language != "" {
		pt.Communication = []communication{{Language: record.CodeableConcept{Text: per.Language}, Preferred: true}}
	}
	pt.Contained = sourcePatients
	for _, rp := range p.patients[:len(sourcePatients)] {
		pt.Link = append(pt.Link, patientLink{Other: reference{Reference: "#" + rp.id}, Type: "seealso"})
	}
	if ips {
		pt.Meta = &meta{Profile: []string{"http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips"}}
	}
	line := esc(per.Name)
	if !per.BirthDate.IsZero() {
		line += ", born " + esc(per.BirthDate.Human())
	}
	pt.Text = div("<p>" + line + "</p>")
	return marshal(pt)
}

// provenance says where one source's resources came from.
type provenance struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id"`
	Extension    []extension  `json:"extension,omitempty"`
	Target       []reference  `json:"target"`
	Occurred     string       `json:"occurredDateTime,omitempty"`
	Recorded     string       `json:"recorded"`
	Agent        []provAgent  `json:"agent"`
	Entity       []provEntity `json:"entity,omitempty"`
}

type provAgent struct {
	Type *record.CodeableConcept `json:"type,omitempty"`
	Who  reference               `json:"who"`
}

type provEntity struct {
	Role string    `json:"role"`
	What reference `json:"what"`
}

func participant(code, display string) *record.CodeableConcept {
	return &record.CodeableConcept{Coding: []record.Coding{{System: systemParticipant, Code: code, Display: display}}}
}

// provenanceJSON builds the Provenance of one source: every entry the
// source gave (targets), when it was imported (recorded), when the
// document was written (occurred), who wrote it and the file it was read
// from, with its SHA-256. It returns nil when the source gave nothing.
func (p *plan) provenanceJSON(sp *sourcePlan, targets []string, now time.Time) ([]byte, string, error) {
	if len(targets) == 0 {
		return nil, "", nil
	}
	s := sp.src
	id := p.claim(record.ResourceRef{Source: s.ID, Type: "Provenance", ID: derivedID("kinfolio-source", p.in.Person.ID, s.ID)})
	url := urnUUID("provenance", p.in.Person.ID, s.ID)
	pv := provenance{ResourceType: "Provenance", ID: id}
	for _, t := range targets {
		pv.Target = append(pv.Target, reference{Reference: t})
	}
	recorded := s.ImportedAt
	if recorded.IsZero() {
		recorded = now
	}
	pv.Recorded = instant(recorded)
	if !s.DocumentDate.IsZero() {
		pv.Occurred = s.DocumentDate.String()
	}
	switch {
	case s.Format == record.SelfReported:
		pv.Agent = append(pv.Agent, provAgent{Type: participant("author", "Author"),
			Who: reference{Reference: p.patientURL, Display: p.in.Person.Name}})
	case s.Author != "":
		pv.Agent = append(pv.Agent, provAgent{Type: participant("author", "Author"), Who: reference{Display: s.Author}})
	}
	pv.Agent = append(pv.Agent, provAgent{Type: participant("assembler", "Assembler"), Who: reference{Display: "Kinfolio"}})
	if s.Format != record.SelfReported && (s.File != "" || s.SHA256 != "") {
		what := reference{Display: s.File}
		if s.Title != "" && s.Title != s.File {
			what.Display = strings.TrimSpace(s.Title + " (" + s.File + ")")
		}
		if s.SHA256 != "" && !s.Shared {
			what.Identifier = &record.Identifier{System: systemSourceHash, Value: s.SHA256}
		}
		pv.Entity = []provEntity{{Role: "source", What: what}}
	}
	// What a reader needs to make the source again (importers/fhir reads
	// Kinfolio's own export back one source at a time): its format, file
	// name and title as such, and which of the person's contained Patients
	// were the source's own.
	if s.Format != "" {
		pv.Extension = append(pv.Extension, extension{URL: extSourceFormat, ValueCode: string(s.Format)})
	}
	if s.File != "" {
		pv.Extension = append(pv.Extension, extension{URL: extSourceFile, ValueString: s.File})
	}
	if s.Title != "" {
		pv.Extension = append(pv.Extension, extension{URL: extSourceTitle, ValueString: s.Title})
	}
	for _, rp := range sp.resources {
		if rp.ref.Type == "Patient" {
			pv.Extension = append(pv.Extension, extension{URL: extSourcePatient, ValueString: rp.id})
		}
	}
	js, err := marshal(pv)
	return js, url, err
}

// instant writes a time as a FHIR instant, to the second.
func instant(t time.Time) string { return t.Truncate(time.Second).Format(time.RFC3339) }

// editResource returns the resource's JSON as it goes into the bundle:
// its bundle id, its references within its source pointing at the
// bundle's entries.
func (p *plan) editResource(dst []byte, rp *resPlan, contained bool) ([]byte, error) {
	out, err := appendEdited(dst, rp.res.JSON, &edit{id: rp.id, refs: rp.src.refs, contained: contained})
	if err != nil {
		return dst, fmt.Errorf("%w: %s/%s: %v", ErrBadResource, rp.ref.Type, rp.ref.ID, err)
	}
	return out, nil
}
