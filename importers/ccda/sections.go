package ccda

import (
	"encoding/base64"
	"strings"
)

// secKind is what a section holds, as far as reading its entries goes.
type secKind int

const (
	secNarrative secKind = iota // no coded entries expected: text for people
	secProblems
	secPastHistory
	secHealthConcerns
	secDiagnoses // discharge, admission, pre- and post-operative diagnoses
	secMedications
	secMedsAdministered
	secAllergies
	secImmunizations
	secResults
	secVitals
	secProcedures
	secEncounters
	secSocial
	secPlan
	secGoals
	secInterventions
	secOutcomes
	secFunctional
	secMental
	secFamily
	secEquipment
	secPayers
	secAdvanceDirectives
	secNutrition
	secImaging
)

// keepsNarrative lists coded kinds whose narrative is worth keeping beside
// their entries: plans and instructions are written for the patient.
var keepsNarrative = map[secKind]bool{secNarrative: true, secPlan: true, secImaging: true}

// Section templates (C-CDA R1.1/R2.x, CCD R1, HITSP C32, IHE PCC) by root.
var sectionTemplates = map[string]secKind{
	"2.16.840.1.113883.10.20.22.2.1": secMedications, "2.16.840.1.113883.10.20.22.2.1.1": secMedications,
	"2.16.840.1.113883.10.20.22.2.2": secImmunizations, "2.16.840.1.113883.10.20.22.2.2.1": secImmunizations,
	"2.16.840.1.113883.10.20.22.2.3": secResults, "2.16.840.1.113883.10.20.22.2.3.1": secResults,
	"2.16.840.1.113883.10.20.22.2.4": secVitals, "2.16.840.1.113883.10.20.22.2.4.1": secVitals,
	"2.16.840.1.113883.10.20.22.2.5": secProblems, "2.16.840.1.113883.10.20.22.2.5.1": secProblems,
	"2.16.840.1.113883.10.20.22.2.6": secAllergies, "2.16.840.1.113883.10.20.22.2.6.1": secAllergies,
	"2.16.840.1.113883.10.20.22.2.7": secProcedures, "2.16.840.1.113883.10.20.22.2.7.1": secProcedures,
	"2.16.840.1.113883.10.20.22.2.9":  secPlan,
	"2.16.840.1.113883.10.20.22.2.10": secPlan,
	"2.16.840.1.113883.10.20.22.2.11": secMedications, "2.16.840.1.113883.10.20.22.2.11.1": secMedications,
	"2.16.840.1.113883.10.20.22.2.14": secFunctional,
	"2.16.840.1.113883.10.20.22.2.15": secFamily,
	"2.16.840.1.113883.10.20.22.2.17": secSocial,
	"2.16.840.1.113883.10.20.22.2.18": secPayers,
	"2.16.840.1.113883.10.20.22.2.20": secPastHistory,
	"2.16.840.1.113883.10.20.22.2.21": secAdvanceDirectives, "2.16.840.1.113883.10.20.22.2.21.1": secAdvanceDirectives,
	"2.16.840.1.113883.10.20.22.2.22": secEncounters, "2.16.840.1.113883.10.20.22.2.22.1": secEncounters,
	"2.16.840.1.113883.10.20.22.2.23": secEquipment,
	"2.16.840.1.113883.10.20.22.2.24": secDiagnoses,
	"2.16.840.1.113883.10.20.22.2.25": secProcedures,
	"2.16.840.1.113883.10.20.22.2.28": secProblems,
	"2.16.840.1.113883.10.20.22.2.30": secPlan,
	"2.16.840.1.113883.10.20.22.2.34": secDiagnoses,
	"2.16.840.1.113883.10.20.22.2.35": secDiagnoses,
	"2.16.840.1.113883.10.20.22.2.36": secDiagnoses,
	"2.16.840.1.113883.10.20.22.2.37": secProblems,
	"2.16.840.1.113883.10.20.22.2.38": secMedsAdministered,
	"2.16.840.1.113883.10.20.22.2.39": secPastHistory,
	"2.16.840.1.113883.10.20.22.2.40": secEquipment,
	"2.16.840.1.113883.10.20.22.2.43": secDiagnoses,
	"2.16.840.1.113883.10.20.22.2.44": secMedications,
	"2.16.840.1.113883.10.20.22.2.45": secPlan,
	"2.16.840.1.113883.10.20.22.2.41": secPlan,
	"2.16.840.1.113883.10.20.22.2.56": secMental,
	"2.16.840.1.113883.10.20.22.2.57": secNutrition,
	"2.16.840.1.113883.10.20.22.2.58": secHealthConcerns,
	"2.16.840.1.113883.10.20.22.2.60": secGoals,
	"2.16.840.1.113883.10.20.22.2.61": secOutcomes,
	"2.16.840.1.113883.10.20.21.2.3":  secInterventions,
	"2.16.840.1.113883.10.20.6.1.1":   secImaging,
	"2.16.840.1.113883.10.20.6.1.2":   secImaging,
	// CCD R1 (HL7 ASTM CCD, 2007)
	"2.16.840.1.113883.10.20.1.1":  secAdvanceDirectives,
	"2.16.840.1.113883.10.20.1.2":  secAllergies,
	"2.16.840.1.113883.10.20.1.3":  secEncounters,
	"2.16.840.1.113883.10.20.1.4":  secFamily,
	"2.16.840.1.113883.10.20.1.5":  secFunctional,
	"2.16.840.1.113883.10.20.1.6":  secImmunizations,
	"2.16.840.1.113883.10.20.1.7":  secEquipment,
	"2.16.840.1.113883.10.20.1.8":  secMedications,
	"2.16.840.1.113883.10.20.1.9":  secPayers,
	"2.16.840.1.113883.10.20.1.10": secPlan,
	"2.16.840.1.113883.10.20.1.11": secProblems,
	"2.16.840.1.113883.10.20.1.12": secProcedures,
	"2.16.840.1.113883.10.20.1.14": secResults,
	"2.16.840.1.113883.10.20.1.15": secSocial,
	"2.16.840.1.113883.10.20.1.16": secVitals,
	// HITSP C83 sections of C32
	"2.16.840.1.113883.3.88.11.83.102": secAllergies,
	"2.16.840.1.113883.3.88.11.83.103": secProblems,
	"2.16.840.1.113883.3.88.11.83.104": secPastHistory,
	"2.16.840.1.113883.3.88.11.83.108": secProcedures,
	"2.16.840.1.113883.3.88.11.83.109": secFunctional,
	"2.16.840.1.113883.3.88.11.83.110": secDiagnoses,
	"2.16.840.1.113883.3.88.11.83.111": secDiagnoses,
	"2.16.840.1.113883.3.88.11.83.112": secMedications,
	"2.16.840.1.113883.3.88.11.83.113": secMedications,
	"2.16.840.1.113883.3.88.11.83.114": secMedications,
	"2.16.840.1.113883.3.88.11.83.115": secMedsAdministered,
	"2.16.840.1.113883.3.88.11.83.116": secAdvanceDirectives,
	"2.16.840.1.113883.3.88.11.83.117": secImmunizations,
	"2.16.840.1.113883.3.88.11.83.119": secVitals,
	"2.16.840.1.113883.3.88.11.83.122": secResults,
	"2.16.840.1.113883.3.88.11.83.124": secPlan,
	"2.16.840.1.113883.3.88.11.83.125": secFamily,
	"2.16.840.1.113883.3.88.11.83.126": secSocial,
	"2.16.840.1.113883.3.88.11.83.127": secEncounters,
	"2.16.840.1.113883.3.88.11.83.128": secEquipment,
	// IHE PCC coded sections
	"1.3.6.1.4.1.19376.1.5.3.1.3.6":     secProblems,
	"1.3.6.1.4.1.19376.1.5.3.1.3.7":     secProblems,
	"1.3.6.1.4.1.19376.1.5.3.1.3.8":     secPastHistory,
	"1.3.6.1.4.1.19376.1.5.3.1.3.12":    secProcedures,
	"1.3.6.1.4.1.19376.1.5.3.1.3.13":    secAllergies,
	"1.3.6.1.4.1.19376.1.5.3.1.3.14":    secFamily,
	"1.3.6.1.4.1.19376.1.5.3.1.3.15":    secFamily,
	"1.3.6.1.4.1.19376.1.5.3.1.3.16":    secSocial,
	"1.3.6.1.4.1.19376.1.5.3.1.3.19":    secMedications,
	"1.3.6.1.4.1.19376.1.5.3.1.3.20":    secMedications,
	"1.3.6.1.4.1.19376.1.5.3.1.3.21":    secMedsAdministered,
	"1.3.6.1.4.1.19376.1.5.3.1.3.22":    secMedications,
	"1.3.6.1.4.1.19376.1.5.3.1.3.23":    secImmunizations,
	"1.3.6.1.4.1.19376.1.5.3.1.3.25":    secVitals,
	"1.3.6.1.4.1.19376.1.5.3.1.3.27":    secResults,
	"1.3.6.1.4.1.19376.1.5.3.1.3.28":    secResults,
	"1.3.6.1.4.1.19376.1.5.3.1.3.31":    secPlan,
	"1.3.6.1.4.1.19376.1.5.3.1.3.34":    secAdvanceDirectives,
	"1.3.6.1.4.1.19376.1.5.3.1.3.35":    secAdvanceDirectives,
	"1.3.6.1.4.1.19376.1.5.3.1.1.5.3.1": secProblems,
	"1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2": secVitals,
	"1.3.6.1.4.1.19376.1.5.3.1.1.5.3.3": secImmunizations,
}

// Section LOINC codes, for sections without a known template.
var sectionCodes = map[string]secKind{
	"10160-0": secMedications, "42346-7": secMedications, "10183-2": secMedications, "75311-1": secMedications,
	"29549-3": secMedsAdministered, "18610-6": secMedsAdministered,
	"11369-6": secImmunizations, "30954-2": secResults, "8716-3": secVitals,
	"11450-4": secProblems, "11348-0": secPastHistory, "75310-3": secHealthConcerns,
	"11535-2": secDiagnoses, "46241-6": secDiagnoses, "10218-6": secDiagnoses, "10219-4": secDiagnoses, "59769-0": secDiagnoses,
	"48765-2": secAllergies, "47519-4": secProcedures, "46240-8": secEncounters,
	"29762-2": secSocial, "18776-5": secPlan, "61146-7": secGoals, "62387-6": secInterventions,
	"11383-7": secOutcomes, "47420-5": secFunctional, "10190-7": secMental, "10157-6": secFamily,
	"46264-8": secEquipment, "48768-6": secPayers, "42348-3": secAdvanceDirectives, "61144-2": secNutrition,
	"51847-2": secPlan, "69730-0": secPlan, "8653-8": secPlan,
}

// section is one section being read.
type section struct {
	n      *node
	kind   secKind
	title  string
	code   *obj
	refs   []any // references to what its entries became
	stored int   // entries stored
}

// classify decides what a section holds: by template, else by LOINC code,
// else by title.
func classify(n *node) secKind {
	for _, t := range n.templates() {
		if k, ok := sectionTemplates[t]; ok {
			return k
		}
	}
	if c := n.child("code"); c != nil {
		if k, ok := sectionCodes[strings.TrimSpace(c.attr("code"))]; ok {
			return k
		}
	}
	t := strings.ToLower(n.child("title").textContent())
	switch {
	case strings.Contains(t, "allerg"):
		return secAllergies
	case strings.Contains(t, "immuniz") || strings.Contains(t, "vaccin"):
		return secImmunizations
	case strings.Contains(t, "vital"):
		return secVitals
	case strings.Contains(t, "medication"):
		return secMedications
	case strings.Contains(t, "problem") || strings.Contains(t, "diagnos"):
		return secProblems
	case strings.Contains(t, "result") || strings.Contains(t, "lab"):
		return secResults
	case strings.Contains(t, "procedure"):
		return secProcedures
	case strings.Contains(t, "encounter"):
		return secEncounters
	case strings.Contains(t, "social"):
		return secSocial
	case strings.Contains(t, "family"):
		return secFamily
	}
	return secNarrative
}

// body reads the document body: structured sections, or a nonXMLBody.
func (m *mapper) body() []any {
	comp := m.root.child("component")
	if comp == nil {
		m.warn("the document has no body")
		return nil
	}
	if sb := comp.child("structuredBody"); sb != nil {
		var out []any
		for _, c := range sb.children("component") {
			if s := c.child("section"); s != nil {
				if cs := m.section(s); cs != nil {
					out = append(out, cs)
				}
			}
		}
		return out
	}
	if nb := comp.child("nonXMLBody"); nb != nil {
		m.nonXMLBody(nb)
		return nil
	}
	m.warn("the document body is neither structured nor a nonXMLBody")
	return nil
}

// section reads one section and its subsections and returns its
// Composition.section.
func (m *mapper) section(n *node) *obj {
	if err := m.ctx.Err(); err != nil {
		return nil
	}
	s := &section{n: n, kind: classify(n)}
	s.title = collapse(n.child("title").textContent())
	s.code = m.concept(n.child("code"))
	if s.title == "" {
		s.title = conceptText(s.code)
	}
	if s.title == "" {
		s.title = "Untitled section"
	}
	entries := n.children("entry")
	for _, e := range entries {
		m.readEntry(s, e)
	}
	text := ""
	if t := n.child("text"); t != nil {
		text = plainText(t)
	}
	nullSection := n.nullFlavor() != ""
	// The narrative is kept when the section is written for people, or when
	// none of its entries could be stored (so what it says is not lost).
	if text != "" && !nullSection && (keepsNarrative[s.kind] || len(entries) == 0 || s.stored == 0) {
		if r := m.textDocument(n, s.title, s.code, text); r != nil {
			s.refs = append(s.refs, r)
		}
	}
	cs := newObj("title", s.title, "code", s.code)
	var subs []any
	for _, c := range n.children("component") {
		if sub := c.child("section"); sub != nil {
			if o := m.section(sub); o != nil {
				subs = append(subs, o)
			}
		}
	}
	cs.SetNonEmpty("entry", s.refs)
	if len(s.refs) == 0 && len(subs) == 0 {
		reason := "notasked"
		display := "Not Asked"
		switch strings.ToUpper(n.nullFlavor()) {
		case "NI", "UNK", "NAV", "NASK":
			reason, display = "unavailable", "Unavailable"
		}
		if nullSection || text == "" {
			cs.SetNonEmpty("emptyReason", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/list-empty-reason", "code", reason, "display", display)}))
		}
	}
	cs.SetNonEmpty("section", subs)
	return cs
}

// textDocument stores narrative as a DocumentReference with a text/plain
// attachment titled like the section, dated like the document.
func (m *mapper) textDocument(n *node, title string, code *obj, text string) *obj {
	d := m.newResActor("DocumentReference", "text|"+n.xpath())
	d.SetNonEmpty("status", "current")
	d.SetNonEmpty("docStatus", "final")
	d.SetNonEmpty("type", code)
	d.SetNonEmpty("category", []any{newObj("text", "Clinical note")})
	d.SetNonEmpty("subject", m.subject())
	d.SetNonEmpty("date", instant(m.docDate))
	d.SetNonEmpty("author", m.authorRefs)
	d.SetNonEmpty("custodian", m.custodianRef)
	desc := title
	if m.docTitle != "" && !strings.EqualFold(m.docTitle, title) {
		desc = title + " (" + m.docTitle + ")"
	}
	d.SetNonEmpty("description", desc)
	d.SetNonEmpty("content", []any{newObj("attachment", newObj(
		"contentType", "text/plain; charset=utf-8",
		"data", b64(text),
		"title", title,
		"creation", m.docDate,
	))})
	if m.encounterRef != nil {
		d.SetNonEmpty("context", newObj("encounter", []any{m.encounterRef}))
	}
	return ref(m.emit(d), desc)
}

// instant returns a dateTime usable as a FHIR instant (DocumentReference.date)
// only when it has a time and an offset; "" otherwise.
func instant(dt string) string {
	if len(dt) > 19 && (strings.HasSuffix(dt, "Z") || strings.ContainsAny(dt[19:], "+-")) {
		return dt
	}
	return ""
}

// nonXMLBody keeps an unstructured document's content (PDF, text, RTF,
// an image) as a DocumentReference. A reference to outside content is
// never fetched.
func (m *mapper) nonXMLBody(nb *node) {
	text := nb.child("text")
	if text == nil {
		m.warn("the unstructured document has no content")
		return
	}
	media := strings.TrimSpace(text.attr("mediaType"))
	if media == "" {
		media = "text/plain"
	}
	var data string
	if strings.EqualFold(text.attr("representation"), "B64") {
		raw := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, directText(text))
		if _, err := base64.StdEncoding.DecodeString(raw); err != nil {
			m.warn("the unstructured document's base64 content is damaged; it is kept as written")
		}
		data = raw
	} else {
		body := ""
		for _, k := range text.kids {
			if k.name == "" {
				body += k.text
			}
		}
		body = strings.TrimSpace(body)
		if body != "" {
			data = base64.StdEncoding.EncodeToString([]byte(body))
		}
	}
	att := newObj("contentType", media, "data", data, "title", m.docTitle, "creation", m.docDate)
	if r := text.child("reference"); r != nil && data == "" {
		att.SetNonEmpty("url", strings.TrimSpace(r.attr("value")))
		m.warn("the unstructured document refers to content outside the file; it was not fetched")
	}
	if data == "" && att.Get("url") == nil {
		m.warn("the unstructured document has no content")
		return
	}
	d := m.newResActor("DocumentReference", "nonXMLBody")
	d.SetNonEmpty("status", "current")
	d.SetNonEmpty("docStatus", "final")
	d.SetNonEmpty("type", m.concept(m.root.child("code")))
	d.SetNonEmpty("subject", m.subject())
	d.SetNonEmpty("date", instant(m.docDate))
	d.SetNonEmpty("author", m.authorRefs)
	d.SetNonEmpty("custodian", m.custodianRef)
	d.SetNonEmpty("description", m.docTitle)
	d.SetNonEmpty("content", []any{newObj("attachment", att)})
	m.emit(d)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
