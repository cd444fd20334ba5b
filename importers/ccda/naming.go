package ccda

import (
	"strings"
	"unicode"

	"github.com/kinfolio/kinfolio/record"
)

// ---- what an entry's title names ----------------------------------------
//
// An entry's title must name the thing itself (the substance, drug,
// vaccine, problem, procedure, test, device), never one of its attributes
// (a reaction, a severity, a status) or a template word ("Substance",
// "drug or medication"). A concept's text comes from the document's
// originalText, often a reference into the section's narrative; vendors
// point it at the wrong place (a substance's originalText at the reaction
// cell of its table row) or copy it from a neighbouring entry. named checks
// the text against what the codes name and the place it comes from, and
// when the evidence says the text names something else, titles the entry by
// what the codes name, keeps the document's text in the standard
// originalText extension, and warns.

// originalTextExtension is FHIR's extension for the text a concept was
// given in the source, kept when it is not the concept's title.
const originalTextExtension = "http://hl7.org/fhir/StructureDefinition/originalText"

// thing says what a concept names and how the warnings call its entry.
type thing struct {
	entry, what string // "an allergy", "substance"
}

var (
	thingSubstance = thing{"an allergy", "substance"}
	thingDrug      = thing{"a medication", "drug"}
	thingVaccine   = thing{"an immunization", "vaccine"}
	thingProblem   = thing{"a problem", "problem"}
	thingProcedure = thing{"a procedure", "procedure"}
	thingTest      = thing{"a result", "test"}
	thingDevice    = thing{"a device", "device"}
)

// named checks the text of cc, the concept read from the CD element code of
// the statement stmt, against what its codes name (see above) and returns
// the concept, its text corrected when the text names something else.
func (m *mapper) named(cc *obj, code, stmt *node, th thing) *obj {
	if cc == nil || code == nil || stmt == nil {
		return cc
	}
	text := cc.Str("text")
	displays := codingDisplays(cc)
	if text == "" || len(displays) == 0 || agreesAny(text, displays) {
		return cc
	}
	refID := ""
	if r := code.path("originalText", "reference"); r != nil {
		refID = strings.TrimPrefix(strings.TrimSpace(r.attr("value")), "#")
	}
	names := "" // what the text names instead, in words
	title := "" // the narrative's own name for the thing, when it agrees with the codes
	if refID != "" {
		if target := m.ids[refID]; target != nil {
			header, rowName := cellContext(target)
			if attributeHeader(header) {
				names = "its " + strings.ToLower(strings.TrimSpace(header))
			}
			if rowName != "" && agreesAny(rowName, displays) {
				title = rowName
			}
		}
		if names == "" {
			names = partUsing(stmt, code, func(n *node) bool {
				return n.name == "reference" && strings.TrimPrefix(strings.TrimSpace(n.attr("value")), "#") == refID
			})
		}
	}
	if names == "" {
		names = partUsing(stmt, code, func(n *node) bool {
			if n.name != "value" && n.name != "code" {
				return false
			}
			return sameWords(n.attr("displayName"), text)
		})
	}
	if names == "" && m.otherEntryAgrees(code, refID, text) {
		names = "another entry of the document"
	}
	if names == "" {
		// The statement's own narrative agrees with the codes, the text
		// does not. (Where both narratives agree against the code, the
		// text stays the title: brand and generic names disagree so, and
		// the code is kept beside it.)
		if st := m.statementText(stmt); st != "" && agreesAny(st, displays) && !agrees(st, text) {
			names = "something other than what the entry's narrative and codes name"
		}
	}
	if names == "" {
		return cc
	}
	if title == "" {
		title = displays[0]
	}
	cc.Set("text", title)
	add(cc, "extension", newObj("url", originalTextExtension, "valueString", text))
	m.warn(th.entry + "'s text in the document, \"" + text + "\", names " + names + ", not the " + th.what +
		" its code names; it is titled \"" + title + "\", and the document's text is kept beside the code (at " + stmt.xpath() + ")")
	return cc
}

// codingDisplays returns the displays of a concept's codings.
func codingDisplays(cc *obj) []string {
	var out []string
	for _, c := range cc.Objects("coding") {
		if d := strings.TrimSpace(c.Str("display")); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// cellContext returns, for a narrative element inside a table cell, the
// header of its column and the cell of its row under a name-like header
// ("Substance", "Medication", "Vaccine", ...) other than its own.
func cellContext(n *node) (header, rowName string) {
	cell := n
	for cell != nil && !strings.EqualFold(cell.name, "td") && !strings.EqualFold(cell.name, "th") {
		cell = cell.parent
	}
	if cell == nil || cell.parent == nil {
		return "", ""
	}
	tr := cell.parent
	col := -1
	i := 0
	for _, k := range tr.kids {
		if strings.EqualFold(k.name, "td") || strings.EqualFold(k.name, "th") {
			if k == cell {
				col = i
			}
			i++
		}
	}
	table := tr.parent
	for table != nil && !strings.EqualFold(table.name, "table") {
		table = table.parent
	}
	if table == nil || col < 0 {
		return "", ""
	}
	rows, hasHeader := tableRows(table)
	if !hasHeader || len(rows) == 0 || col >= len(rows[0]) {
		return "", ""
	}
	header = rows[0][col]
	cells := rowCells(tr)
	for j, h := range rows[0] {
		if j != col && j < len(cells) && nameHeader(h) && cells[j] != "" {
			return header, cells[j]
		}
	}
	return header, ""
}

// nameHeader reports a table header under which a row's thing is named.
func nameHeader(h string) bool {
	hl := strings.ToLower(h)
	if strings.Contains(hl, "code") || strings.Contains(hl, "date") {
		return false
	}
	for _, k := range nameHeaders {
		if strings.Contains(hl, k) {
			return true
		}
	}
	return false
}

// attributeWords are table headers of what a thing has rather than what it
// is.
var attributeWords = []string{"reaction", "severity", "status", "criticality", "onset", "comment", "note",
	"frequency", "dose", "route", "instruction", "interpretation", "range", "date", "time", "manifestation"}

// attributeHeader reports a table header that names an attribute of the
// row's thing (a reaction, a severity, a status) and not the thing.
func attributeHeader(h string) bool {
	if h == "" || nameHeader(h) {
		return false
	}
	hl := strings.ToLower(h)
	for _, k := range attributeWords {
		if strings.Contains(hl, k) {
			return true
		}
	}
	return false
}

// partUsing looks inside stmt, outside the element code, for a node that
// match accepts and which sits in a statement nested in stmt that gives an
// attribute of the thing (a reaction, a severity, a status observation); it
// names that part ("its reaction"), or returns "".
func partUsing(stmt, code *node, match func(*node) bool) string {
	var found *node
	var walk func(n *node, nested bool)
	walk = func(n *node, nested bool) {
		for _, k := range n.kids {
			if found != nil || k.name == "" || k == code {
				continue
			}
			if nested && match(k) {
				found = k
				return
			}
			walk(k, nested || k.name == "entryRelationship")
		}
	}
	walk(stmt, false)
	if found == nil {
		return ""
	}
	for p := found.parent; p != nil && p != stmt; p = p.parent {
		switch {
		case p.name == "entryRelationship" && strings.EqualFold(p.attr("typeCode"), "MFST"),
			p.hasTemplate("2.16.840.1.113883.10.20.22.4.9", "2.16.840.1.113883.10.20.1.54"):
			return "its reaction"
		case p.hasTemplate("2.16.840.1.113883.10.20.22.4.8", "2.16.840.1.113883.10.20.1.55") || p.child("code").attr("code") == "SEV":
			return "its severity"
		case p.hasTemplate("2.16.840.1.113883.10.20.22.4.145"):
			return "its criticality"
		case isStatusObs(p):
			return "its status"
		}
	}
	// Indications, instructions and the like refer to the whole row of
	// the narrative, as the entry itself does.
	return ""
}

// otherEntryAgrees reports whether the text this code takes from the
// document (by reference, or written out) is also the text of another coded
// element whose codes agree with it: the text was written for that one.
func (m *mapper) otherEntryAgrees(code *node, refID, text string) bool {
	if m.textUses == nil {
		m.textUses = map[string][]*node{}
		var walk func(n *node)
		walk = func(n *node) {
			for _, k := range n.kids {
				if k.name == "" {
					continue
				}
				if ot := k.child("originalText"); ot != nil && k.has("code") {
					if r := ot.child("reference"); r != nil {
						key := "#" + strings.TrimPrefix(strings.TrimSpace(r.attr("value")), "#")
						m.textUses[key] = append(m.textUses[key], k)
					} else if t := directText(ot); t != "" {
						key := "=" + strings.ToLower(t)
						m.textUses[key] = append(m.textUses[key], k)
					}
				}
				walk(k)
			}
		}
		walk(m.root)
	}
	key := "=" + strings.ToLower(text)
	if refID != "" {
		key = "#" + refID
	}
	for _, other := range m.textUses[key] {
		if other == code {
			continue
		}
		var ds []string
		if d := collapse(other.attr("displayName")); d != "" {
			ds = append(ds, d)
		}
		for _, t := range other.children("translation") {
			if d := collapse(t.attr("displayName")); d != "" {
				ds = append(ds, d)
			}
		}
		if agreesAny(text, ds) {
			return true
		}
	}
	return false
}

// formWords are words every kind of name is full of, which say nothing
// about which thing is named.
var formWords = map[string]bool{
	"vaccine": true, "vaccines": true, "virus": true, "tablet": true, "tablets": true, "capsule": true,
	"capsules": true, "oral": true, "solution": true, "injection": true, "injectable": true, "suspension": true,
	"cream": true, "unit": true, "units": true, "dose": true, "allergy": true, "allergic": true, "the": true,
	"and": true, "with": true, "for": true, "unspecified": true, "formulation": true, "product": true,
	"drug": true, "medication": true, "test": true, "panel": true, "measurement": true, "level": true,
	"serum": true, "plasma": true, "not": true, "other": true, "disorder": true, "finding": true,
	"procedure": true, "history": true, "of": true, "to": true, "in": true, "by": true, "or": true,
}

// words are a name's distinctive words, lower case.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 3 && !formWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// agrees reports whether two names share a distinctive word (or the start
// of one: "egg" and "eggs", "penicillin" and "penicillins").
func agrees(a, b string) bool {
	wb := words(b)
	for _, x := range words(a) {
		for _, y := range wb {
			if x == y || strings.HasPrefix(x, y) || strings.HasPrefix(y, x) {
				return true
			}
		}
	}
	return false
}

func agreesAny(a string, bs []string) bool {
	for _, b := range bs {
		if agrees(a, b) {
			return true
		}
	}
	return false
}

// sameWords reports whether two texts say the same, ignoring case,
// punctuation and spacing.
func sameWords(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
	}
	na := norm(a)
	return na != "" && na == norm(b)
}

// ---- template words --------------------------------------------------------

// genericThings are codes that name only the class of a thing (SNOMED CT
// "Substance", "Drug or medicament", "Vaccine", ...): an entry that names
// nothing more names nothing, and negated it says "none known".
var genericThings = map[string]string{
	"105590001": "", "410942007": "medication", "373873005": "medication", "71181003": "", "787859002": "",
	"762766007": "food", "255620007": "food", "413477004": "", "71388002": "", "55607006": "", "404684003": "",
	"64572001": "", "260787004": "",
}

// generic1 reports whether a concept's only words are a template word
// ("Clinical finding"), whatever its code system.
func generic1(cc *obj) bool {
	t := strings.ToLower(strings.TrimSpace(conceptText(cc)))
	return t != "" && genericWords[t]
}

// genericWords are texts that say no more than those codes.
var genericWords = map[string]bool{
	"substance": true, "drug": true, "medication": true, "medicine": true, "drug or medication": true,
	"drug or medicament": true, "vaccine": true, "vaccination": true, "immunization": true, "allergen": true,
	"food": true, "product": true, "procedure": true, "problem": true, "condition": true, "finding": true,
	"pharmaceutical / biologic product": true, "physical object": true, "clinical finding": true,
	"disease": true, "disorder": true, "vaccine product": true, "edible substance": true, "foods": true,
	"allergen or pseudoallergen": true, "pharmaceutical / biologic product (product)": true, "substance (substance)": true,
}

// generic reports whether a concept names only the class of a thing: every
// code is one of [genericThings] and its text, if any, says no more. It
// also returns the category a generic code implies ("medication", "food").
func generic(cc *obj) (bool, string) {
	if cc == nil {
		return false, ""
	}
	if t := strings.ToLower(strings.TrimSpace(cc.Str("text"))); t != "" && !genericWords[t] {
		return false, ""
	}
	cat := ""
	codes := cc.Objects("coding")
	if len(codes) == 0 {
		return cc.Str("text") != "", ""
	}
	for _, c := range codes {
		code := c.Str("code")
		if c.Str("system") != record.SystemSNOMED && c.Str("system") != "" {
			return false, ""
		}
		if d := strings.ToLower(strings.TrimSpace(c.Str("display"))); d != "" && !genericWords[d] {
			// "No Known Problems" under the code of "Problem" says more.
			return false, ""
		}
		k, ok := genericThings[code]
		if !ok {
			return false, ""
		}
		if k != "" {
			cat = k
		}
	}
	return true, cat
}
