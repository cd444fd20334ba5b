package ccda

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// EntryPathExtension is the URL of the extension on every resource read
// from a section entry: its valueString is the entry's XPath-like path in
// the document ("/ClinicalDocument/component/structuredBody/component[3]/section/entry[2]"),
// so each stored fact can be traced back to where the document states it.
const EntryPathExtension = record.ExtensionCCDAEntryPath

// mapper holds the state of reading one document.
type mapper struct {
	ctx    context.Context
	root   *node
	docKey string // what resource ids are derived from
	ids    map[string]*node
	report *record.Report

	res   []record.Resource
	index map[string]int // "Type/id" -> position in res

	patient      *obj
	patientRef   string
	docDate      string
	docTitle     string
	authorRefs   []any // document authors, for narrative documents
	custodian    string
	custodianRef *obj
	encounterRef *obj
	sexAtBirth   string

	entry        *node    // the entry being read, for the path extension
	placeholders []string // "not available" texts met in the current entry
	entryPath    string   // its path
	sec          *section // the section being read
	produced     int      // resources produced for the current entry
	warned       map[string]bool
	warnings     int
	// textUses are the coded elements by the text they take from the
	// document ("#id" of a narrative reference, "=text" written out),
	// built on first need.
	textUses map[string][]*node
}

const maxWarnings = 200

// warn records a warning for the user; repeated text is recorded once.
func (m *mapper) warn(msg string) {
	if m.warned[msg] {
		return
	}
	m.warned[msg] = true
	m.warnings++
	if m.warnings > maxWarnings {
		if m.warnings == maxWarnings+1 {
			m.report.Warn("more warnings were left out")
		}
		return
	}
	m.report.Warn(msg)
}

// warnOnce records a warning once per kind, whatever its text.
func (m *mapper) warnOnce(kind, msg string) {
	if m.warned["once:"+kind] {
		return
	}
	m.warned["once:"+kind] = true
	m.warn(msg)
}

// id derives a stable resource id from the document and a key (usually the
// path of the element the resource comes from).
func (m *mapper) id(typ, key string) string {
	h := sha256.New()
	h.Write([]byte(m.docKey))
	h.Write([]byte{0})
	h.Write([]byte(typ))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// newRes starts a resource of type typ with an id derived from key. When
// an entry is being read, the resource carries the entry's path.
func (m *mapper) newRes(typ, key string) *obj {
	o := newObj("resourceType", typ, "id", m.id(typ, key))
	if m.entry != nil {
		o.SetNonEmpty("extension", []any{newObj("url", EntryPathExtension, "valueString", m.entryPath)})
	}
	return o
}

// emit stores a finished resource and returns its reference ("Type/id").
// A resource whose id is already stored is not stored twice.
func (m *mapper) emit(o *obj) string {
	typ := o.Get("resourceType").(string)
	id := o.Get("id").(string)
	ref := typ + "/" + id
	if m.entry != nil {
		if p := placeholder(o); p != "" {
			// Not a fact: the vendor's way of saying there is none to give.
			m.placeholders = append(m.placeholders, p)
			return ""
		}
	}
	if _, dup := m.index[ref]; dup {
		return ref
	}
	m.index[ref] = len(m.res)
	m.res = append(m.res, record.Resource{Type: typ, ID: id, JSON: marshal(o)})
	if m.entry != nil && !record.IsSupporting(typ) {
		m.produced++
		if m.sec != nil {
			m.sec.refs = append(m.sec.refs, newObj("reference", ref))
		}
	}
	return ref
}

// ref is a Reference to a stored resource with its display name.
func ref(reference, display string) *obj {
	if reference == "" {
		return nil
	}
	return newObj("reference", reference, "display", display)
}

func (m *mapper) subject() *obj { return newObj("reference", m.patientRef) }

// ---- people and places -------------------------------------------------

// practitioner stores the person of an assignedAuthor/assignedEntity
// (with their organization) and returns a reference, or nil when it names
// nobody.
func (m *mapper) practitioner(assigned *node) *obj {
	if assigned == nil {
		return nil
	}
	person := assigned.child("assignedPerson")
	if person == nil {
		person = assigned.child("associatedPerson")
	}
	name := humanName(person.child("name"))
	ids := identifiers(assigned.children("id"))
	if name == nil {
		// A device author, or only an organization.
		if dev := assigned.child("assignedAuthoringDevice"); dev != nil {
			return nil
		}
		if org := m.organization(assigned.child("representedOrganization")); org != nil {
			return org
		}
		return nil
	}
	display := nameText(person.child("name"))
	key := "practitioner|" + idKey(ids) + "|" + strings.ToLower(display)
	p := m.newResActor("Practitioner", key)
	p.SetNonEmpty("identifier", ids)
	p.SetNonEmpty("name", []any{name})
	p.SetNonEmpty("telecom", m.listOf(assigned.children("telecom"), telecom))
	p.SetNonEmpty("address", m.listOf(assigned.children("addr"), address))
	if q := m.concept(assigned.child("code")); q != nil {
		p.SetNonEmpty("qualification", []any{newObj("code", q)})
	}
	return ref(m.emit(p), display)
}

// organization stores an organization element (representedOrganization,
// providerOrganization, ...) and returns a reference, or nil.
func (m *mapper) organization(org *node) *obj {
	if org == nil {
		return nil
	}
	name := collapse(org.child("name").textContent())
	ids := identifiers(org.children("id"))
	if name == "" && len(ids) == 0 {
		return nil
	}
	o := m.newResActor("Organization", "organization|"+idKey(ids)+"|"+strings.ToLower(name))
	o.SetNonEmpty("identifier", ids)
	o.SetNonEmpty("name", name)
	o.SetNonEmpty("telecom", m.listOf(org.children("telecom"), telecom))
	o.SetNonEmpty("address", m.listOf(org.children("addr"), address))
	return ref(m.emit(o), name)
}

// location stores a participantRole/healthCareFacility as a Location.
func (m *mapper) location(role *node) *obj {
	if role == nil {
		return nil
	}
	place := role.child("playingEntity")
	if place == nil {
		place = role.child("location")
	}
	name := collapse(place.child("name").textContent())
	addr := address(role.child("addr"))
	if addr == nil && place != nil {
		addr = address(place.child("addr"))
	}
	typ := m.concept(role.child("code"))
	if name == "" && addr == nil {
		if org := role.child("serviceProviderOrganization"); org != nil {
			return m.organization(org)
		}
		return nil
	}
	if name == "" {
		if t, ok := addr.Get("text").(string); ok {
			name = t
		} else if c, ok := addr.Get("city").(string); ok {
			name = c
		}
	}
	key := "location|" + idKey(identifiers(role.children("id"))) + "|" + strings.ToLower(name)
	l := m.newResActor("Location", key)
	l.SetNonEmpty("identifier", identifiers(role.children("id")))
	l.SetNonEmpty("name", name)
	if typ != nil {
		l.SetNonEmpty("type", []any{typ})
	}
	l.SetNonEmpty("telecom", m.listOf(role.children("telecom"), telecom))
	l.SetNonEmpty("address", addr)
	l.SetNonEmpty("managingOrganization", m.organization(role.child("serviceProviderOrganization")))
	return ref(m.emit(l), name)
}

// newResActor starts a supporting resource that is shared by the whole
// document (no entry path: one practitioner is named by many entries).
func (m *mapper) newResActor(typ, key string) *obj {
	return newObj("resourceType", typ, "id", m.id(typ, key))
}

func idKey(ids []any) string {
	var parts []string
	for _, i := range ids {
		o := i.(*obj)
		s, _ := o.Get("system").(string)
		v, _ := o.Get("value").(string)
		parts = append(parts, s+"="+v)
	}
	return strings.Join(parts, ",")
}

// authorRef returns a reference to the author of a statement (its first
// author's person or organization).
func (m *mapper) authorRef(stmt *node) *obj {
	for _, a := range stmt.children("author") {
		if r := m.practitioner(a.child("assignedAuthor")); r != nil {
			return r
		}
	}
	return nil
}

// performerRefs returns references for a statement's performers.
func (m *mapper) performerRefs(stmt *node) []*obj {
	var out []*obj
	for _, p := range stmt.children("performer") {
		if r := m.practitioner(p.child("assignedEntity")); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// ---- header ------------------------------------------------------------

// header reads the document's header: patient, authors, custodian, care
// team and the encounter the document is about, and fills the source.
func (m *mapper) header(src *record.Source) {
	doc := m.root
	m.docTitle = collapse(doc.child("title").textContent())
	if m.docTitle == "" {
		if c := m.concept(doc.child("code")); c != nil {
			m.docTitle = conceptText(c)
		}
	}
	src.Title = m.docTitle
	m.docDate = m.ts(doc.child("effectiveTime"))
	if m.docDate == "" {
		m.warn("the document does not say when it was written")
	}
	src.DocumentDate, _ = record.ParseDate(m.docDate)

	m.readPatient()

	// Authors: people and the organization they write for.
	var authorOrg, authorPerson string
	for _, a := range doc.children("author") {
		aa := a.child("assignedAuthor")
		if r := m.practitioner(aa); r != nil {
			m.authorRefs = append(m.authorRefs, r)
			if authorPerson == "" {
				authorPerson, _ = r.Get("display").(string)
			}
		}
		if org := m.organization(aa.child("representedOrganization")); org != nil {
			if authorOrg == "" {
				authorOrg, _ = org.Get("display").(string)
			}
			if !containsRef(m.authorRefs, org) {
				m.authorRefs = append(m.authorRefs, org)
			}
		}
	}
	if cust := m.organization(doc.path("custodian", "assignedCustodian", "representedCustodianOrganization")); cust != nil {
		m.custodian, _ = cust.Get("display").(string)
		m.custodianRef = cust
	}
	switch {
	case authorOrg != "":
		src.Author = authorOrg
	case m.custodian != "":
		src.Author = m.custodian
	}

	// Legal authenticator and care team: practitioners the patient may
	// look for.
	if la := doc.child("legalAuthenticator"); la != nil {
		m.practitioner(la.child("assignedEntity"))
		if src.Author == "" {
			if org := m.organization(la.path("assignedEntity", "representedOrganization")); org != nil {
				src.Author, _ = org.Get("display").(string)
			}
		}
	}
	if src.Author == "" {
		src.Author = authorPerson
	}
	m.careTeam()
	m.encompassingEncounter()
}

func containsRef(list []any, r *obj) bool {
	for _, x := range list {
		if x.(*obj).Get("reference") == r.Get("reference") {
			return true
		}
	}
	return false
}

// conceptText is what a person reads for a CodeableConcept: its text, else
// the first display.
func conceptText(cc *obj) string {
	if cc == nil {
		return ""
	}
	if t, ok := cc.Get("text").(string); ok && t != "" {
		return t
	}
	if list, ok := cc.Get("coding").([]any); ok {
		for _, c := range list {
			if d, ok := c.(*obj).Get("display").(string); ok && d != "" {
				return d
			}
		}
	}
	return ""
}

var genders = map[string]string{"M": "male", "F": "female", "UN": "other", "U": "unknown", "UNK": "unknown", "O": "other"}

// readPatient builds the Patient from the first recordTarget.
func (m *mapper) readPatient() {
	targets := m.root.children("recordTarget")
	if len(targets) > 1 {
		m.warn("the document names more than one patient; everything is filed under the first")
	}
	role := targets0(targets).child("patientRole")
	p := newObj("resourceType", "Patient", "id", m.id("Patient", "recordTarget"))
	m.patient = p
	m.patientRef = "Patient/" + p.Get("id").(string)
	if role == nil {
		return
	}
	pat := role.child("patient")
	p.SetNonEmpty("identifier", identifiers(role.children("id")))
	var names []any
	for _, n := range pat.children("name") {
		if h := humanName(n); h != nil {
			names = append(names, h)
		}
	}
	p.SetNonEmpty("name", names)
	p.SetNonEmpty("telecom", m.listOf(role.children("telecom"), telecom))
	if g := pat.child("administrativeGenderCode"); g != nil {
		code := strings.ToUpper(strings.TrimSpace(g.attr("code")))
		if v, ok := genders[code]; ok {
			p.SetNonEmpty("gender", v)
		} else if code != "" || g.nullFlavor() != "" {
			p.SetNonEmpty("gender", "unknown")
		}
	}
	if bt := m.ts(pat.child("birthTime")); bt != "" {
		if len(bt) > 10 {
			bt = bt[:10]
		}
		p.SetNonEmpty("birthDate", bt)
	}
	for _, k := range pat.elems() {
		if k.space != nsSDTC {
			continue
		}
		switch k.name {
		case "deceasedInd":
			if strings.EqualFold(k.attr("value"), "true") {
				p.SetNonEmpty("deceasedBoolean", true)
			}
		case "deceasedTime":
			if t := m.ts(k); t != "" {
				p.SetNonEmpty("deceasedDateTime", t)
				p.SetNonEmpty("deceasedBoolean", nil)
			}
		}
	}
	if d := p.Get("deceasedDateTime"); d != nil {
		// deceased[x] is one choice: the time says more.
		q := &obj{}
		for k, v := range p.All() {
			if k != "deceasedBoolean" {
				q.SetNonEmpty(k, v)
			}
		}
		*p = *q
	}
	p.SetNonEmpty("address", m.listOf(role.children("addr"), address))
	p.SetNonEmpty("maritalStatus", m.concept(pat.child("maritalStatusCode")))
	var ext []any
	if race := m.raceExtension(pat, "raceCode", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"); race != nil {
		ext = append(ext, race)
	}
	if eth := m.raceExtension(pat, "ethnicGroupCode", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"); eth != nil {
		ext = append(ext, eth)
	}
	p.SetNonEmpty("extension", ext)
	var contacts []any
	for _, g := range pat.children("guardian") {
		c := &obj{}
		if rel := m.concept(g.child("code")); rel != nil {
			c.SetNonEmpty("relationship", []any{rel})
		} else {
			c.SetNonEmpty("relationship", []any{newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code", "GUARD", "display", "guardian")})})
		}
		c.SetNonEmpty("name", humanName(g.path("guardianPerson", "name")))
		c.SetNonEmpty("telecom", m.listOf(g.children("telecom"), telecom))
		if a := m.listOf(g.children("addr"), address); len(a) > 0 {
			c.SetNonEmpty("address", a[0])
		}
		if c.Get("name") != nil || c.Get("telecom") != nil {
			contacts = append(contacts, c)
		}
	}
	for _, part := range m.root.children("participant") {
		ae := part.child("associatedEntity")
		if ae == nil || part.attr("typeCode") != "IND" {
			continue
		}
		c := &obj{}
		rel := m.concept(ae.child("code"))
		if rel == nil {
			if cls := ae.attr("classCode"); cls != "" {
				rel = newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/v3-RoleClass", "code", cls)})
			}
		}
		if rel != nil {
			c.SetNonEmpty("relationship", []any{rel})
		}
		c.SetNonEmpty("name", humanName(ae.path("associatedPerson", "name")))
		c.SetNonEmpty("telecom", m.listOf(ae.children("telecom"), telecom))
		if a := m.listOf(ae.children("addr"), address); len(a) > 0 {
			c.SetNonEmpty("address", a[0])
		}
		if c.Get("name") != nil || c.Get("telecom") != nil {
			contacts = append(contacts, c)
		}
	}
	p.SetNonEmpty("contact", contacts)
	var comms []any
	for _, lc := range pat.children("languageCommunication") {
		code := strings.TrimSpace(lc.child("languageCode").attr("code"))
		if code == "" {
			continue
		}
		c := newObj("language", newObj("coding", []any{newObj("system", "urn:ietf:bcp:47", "code", code)}))
		if strings.EqualFold(lc.child("preferenceInd").attr("value"), "true") {
			c.SetNonEmpty("preferred", true)
		}
		comms = append(comms, c)
	}
	p.SetNonEmpty("communication", comms)
	p.SetNonEmpty("managingOrganization", m.organization(role.child("providerOrganization")))
}

func targets0(t []*node) *node {
	if len(t) == 0 {
		return nil
	}
	return t[0]
}

// raceExtension builds the US Core race or ethnicity extension from
// raceCode/ethnicGroupCode and their sdtc repetitions.
func (m *mapper) raceExtension(pat *node, name, url string) *obj {
	var codes []*node
	for _, k := range pat.elems() {
		if k.name == name && (k.isCDA() || k.space == nsSDTC) {
			codes = append(codes, k)
		}
	}
	var parts []any
	var texts []string
	for _, c := range codes {
		cd := coding(c)
		if cd == nil {
			continue
		}
		cd.SetNonEmpty("system", "urn:oid:2.16.840.1.113883.6.238")
		slot := "ombCategory"
		if c.space == nsSDTC {
			slot = "detailed"
		}
		parts = append(parts, newObj("url", slot, "valueCoding", cd))
		if d, ok := cd.Get("display").(string); ok && d != "" {
			texts = append(texts, d)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	text := strings.Join(texts, ", ")
	if text == "" {
		text = "unknown"
	}
	parts = append(parts, newObj("url", "text", "valueString", text))
	return newObj("url", url, "extension", parts)
}

// careTeam stores the practitioners of documentationOf/serviceEvent and a
// CareTeam listing them; the primary care provider becomes the patient's
// generalPractitioner.
func (m *mapper) careTeam() {
	var members []any
	var period when
	for _, d := range m.root.children("documentationOf") {
		ev := d.child("serviceEvent")
		if ev == nil {
			continue
		}
		if period.zero() {
			period = m.effective(ev.child("effectiveTime"))
		}
		for _, perf := range ev.children("performer") {
			r := m.practitioner(perf.child("assignedEntity"))
			if r == nil {
				continue
			}
			role := m.concept(perf.child("functionCode"))
			mem := newObj("role", listIf(role), "member", r)
			members = append(members, mem)
			if fc := perf.child("functionCode"); fc != nil && strings.EqualFold(fc.attr("code"), "PCP") {
				add(m.patient, "generalPractitioner", r)
			}
		}
	}
	if len(members) == 0 {
		return
	}
	ct := m.newResActor("CareTeam", "careteam")
	ct.SetNonEmpty("status", "active")
	name := "Care team"
	if m.docTitle != "" {
		name = "Care team (" + m.docTitle + ")"
	}
	ct.SetNonEmpty("name", name)
	ct.SetNonEmpty("subject", m.subject())
	ct.SetNonEmpty("period", period.period())
	ct.SetNonEmpty("participant", members)
	m.emit(ct)
}

func listIf(o *obj) []any {
	if o == nil {
		return nil
	}
	return []any{o}
}

// encompassingEncounter stores the visit the document is about.
func (m *mapper) encompassingEncounter() {
	ee := m.root.path("componentOf", "encompassingEncounter")
	if ee == nil {
		return
	}
	w := m.effective(ee.child("effectiveTime"))
	if w.zero() {
		return
	}
	e := m.newResActor("Encounter", "encompassingEncounter")
	e.SetNonEmpty("identifier", identifiers(ee.children("id")))
	e.SetNonEmpty("status", "finished")
	typ := m.concept(ee.child("code"))
	e.SetNonEmpty("class", encounterClass(ee.child("code")))
	if typ != nil {
		e.SetNonEmpty("type", []any{typ})
	}
	e.SetNonEmpty("subject", m.subject())
	var parts []any
	if rp := ee.child("responsibleParty"); rp != nil {
		if r := m.practitioner(rp.child("assignedEntity")); r != nil {
			parts = append(parts, newObj("individual", r))
		}
	}
	for _, ep := range ee.children("encounterParticipant") {
		if r := m.practitioner(ep.child("assignedEntity")); r != nil {
			parts = append(parts, newObj("individual", r))
		}
	}
	e.SetNonEmpty("participant", parts)
	e.SetNonEmpty("period", w.period())
	if dd := m.concept(sdtcChild(ee, "dischargeDispositionCode")); dd != nil {
		e.SetNonEmpty("hospitalization", newObj("dischargeDisposition", dd))
	}
	if hcf := ee.path("location", "healthCareFacility"); hcf != nil {
		if l := m.location(hcf); l != nil {
			if strings.HasPrefix(l.Get("reference").(string), "Location/") {
				e.SetNonEmpty("location", []any{newObj("location", l)})
			} else {
				e.SetNonEmpty("serviceProvider", l)
			}
		}
		if e.Get("serviceProvider") == nil {
			e.SetNonEmpty("serviceProvider", m.organization(hcf.child("serviceProviderOrganization")))
		}
	}
	m.encounterRef = ref(m.emit(e), "")
}

// sdtcChild returns the first child in the sdtc namespace named name.
func sdtcChild(n *node, name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name && k.space == nsSDTC {
			return k
		}
	}
	return nil
}

// encounterClass derives Encounter.class from an encounter code when it
// says the setting: an ActCode (AMB, IMP, EMER...) or a CPT evaluation and
// management code. Nil when the code does not say.
func encounterClass(code *node) *obj {
	cls := func(c, d string) *obj {
		return newObj("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", c, "display", d)
	}
	for _, c := range append([]*node{code}, code.children("translation")...) {
		if c == nil {
			continue
		}
		v := strings.ToUpper(strings.TrimSpace(c.attr("code")))
		switch strings.TrimSpace(c.attr("codeSystem")) {
		case "2.16.840.1.113883.5.4":
			switch v {
			case "AMB":
				return cls("AMB", "ambulatory")
			case "IMP", "ACUTE", "NONAC":
				return cls("IMP", "inpatient encounter")
			case "EMER":
				return cls("EMER", "emergency")
			case "HH":
				return cls("HH", "home health")
			case "VR":
				return cls("VR", "virtual")
			case "OBSENC":
				return cls("OBSENC", "observation encounter")
			}
		case "2.16.840.1.113883.6.12":
			if n, err := strconv.Atoi(v); err == nil {
				switch {
				case n >= 99201 && n <= 99215, n >= 99241 && n <= 99245, n >= 99381 && n <= 99429:
					return cls("AMB", "ambulatory")
				case n >= 99221 && n <= 99239, n >= 99251 && n <= 99255:
					return cls("IMP", "inpatient encounter")
				case n >= 99281 && n <= 99288:
					return cls("EMER", "emergency")
				case n >= 99341 && n <= 99350:
					return cls("HH", "home health")
				}
			}
		}
	}
	return nil
}

// primaryConcepts name, per resource type, the field that says what the
// fact is about.
var primaryConcepts = map[string]string{
	"Condition": "code", "AllergyIntolerance": "code", "Procedure": "code", "ServiceRequest": "code",
	"Observation": "code", "MedicationStatement": "medicationCodeableConcept",
	"MedicationRequest": "medicationCodeableConcept", "MedicationDispense": "medicationCodeableConcept",
	"Immunization": "vaccineCode", "Goal": "description",
}

// placeholderWords are what exports write where an entry has no content.
var placeholderWords = []string{"excluded", "not available", "no information", "not recorded",
	"none recorded", "no data", "not applicable", "none indicated", "not indicated", "information unavailable"}

// placeholder returns the text of a resource whose subject is an uncoded
// placeholder ("Medication excluded/not available", "No Information About
// Procedures"), or "". "No known allergies" and the like are facts, coded
// by the reader, and never placeholders.
func placeholder(o *obj) string {
	field, ok := primaryConcepts[o.Get("resourceType").(string)]
	if !ok {
		if o.Get("resourceType") == "Encounter" {
			types, _ := o.Get("type").([]any)
			if len(types) == 1 {
				return placeholderText(types[0].(*obj))
			}
		}
		return ""
	}
	cc, _ := o.Get(field).(*obj)
	if cc == nil {
		return ""
	}
	if o.Get("resourceType") == "Observation" {
		for k := range o.All() {
			if strings.HasPrefix(k, "value") {
				return "" // an observation with a value says something
			}
		}
	}
	return placeholderText(cc)
}

// genericConcepts are codes that say only what kind of thing an entry is
// ("drug or medication", "procedure").
var genericConcepts = map[string]bool{
	"410942007": true, "71388002": true, "363787002": true, "404684003": true, "55607006": true,
	"105590001": true, "362956003": true, "ASSERTION": true,
}

func placeholderText(cc *obj) string {
	if cc == nil {
		return ""
	}
	if list, ok := cc.Get("coding").([]any); ok {
		for _, c := range list {
			code, _ := c.(*obj).Get("code").(string)
			if !genericConcepts[code] {
				return ""
			}
		}
	}
	t, _ := cc.Get("text").(string)
	low := strings.ToLower(t)
	if len(low) > 80 {
		return ""
	}
	for _, w := range placeholderWords {
		if strings.Contains(low, w) {
			return t
		}
	}
	// "No Encounters Indicated", "No medications information available",
	// "No immunizations administered during visit".
	if strings.HasPrefix(low, "no ") && !strings.HasPrefix(low, "no known") &&
		(strings.Contains(low, " indicated") || strings.Contains(low, " available") || strings.Contains(low, "during visit")) {
		return t
	}
	return ""
}
