package ccda

import (
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// Code systems: C-CDA names them by OID, FHIR by URI. Systems not listed
// become "urn:oid:<oid>", which FHIR allows.
var systemURIs = map[string]string{
	"2.16.840.1.113883.6.1":              record.SystemLOINC,
	"2.16.840.1.113883.6.96":             record.SystemSNOMED,
	"2.16.840.1.113883.6.88":             record.SystemRxNorm,
	"2.16.840.1.113883.12.292":           record.SystemCVX,
	"2.16.840.1.113883.6.90":             record.SystemICD10CM,
	"2.16.840.1.113883.6.3":              record.SystemICD10,
	"2.16.840.1.113883.6.103":            record.SystemICD9CM,
	"2.16.840.1.113883.6.104":            "http://terminology.hl7.org/CodeSystem/icd9cm-procedures",
	"2.16.840.1.113883.6.4":              "http://www.cms.gov/Medicare/Coding/ICD10",
	"2.16.840.1.113883.6.69":             record.SystemNDC,
	"2.16.840.1.113883.6.12":             record.SystemCPT,
	"2.16.840.1.113883.6.285":            "urn:oid:2.16.840.1.113883.6.285",
	"2.16.840.1.113883.6.14":             "urn:oid:2.16.840.1.113883.6.14",
	"2.16.840.1.113883.6.8":              record.SystemUCUM,
	"2.16.840.1.113883.4.9":              "http://fdasis.nlm.nih.gov",
	"2.16.840.1.113883.3.26.1.1":         "http://ncithesaurus-stage.nci.nih.gov",
	"2.16.840.1.113883.3.26.1.5":         "http://hl7.org/fhir/ndfrt",
	"2.16.840.1.113883.6.101":            "http://nucc.org/provider-taxonomy",
	"2.16.840.1.113883.6.238":            "urn:oid:2.16.840.1.113883.6.238",
	"2.16.840.1.113883.6.259":            "https://www.cdc.gov/nhsn/cdaportal/terminology/codesystem/hsloc.html",
	"2.16.840.1.113883.3.221.5":          "https://nahdo.org/sopt",
	"2.16.840.1.113883.12.227":           "http://hl7.org/fhir/sid/mvx",
	"2.16.840.1.113883.6.13":             "http://ada.org/cdt",
	"2.16.840.1.113883.5.1":              "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender",
	"2.16.840.1.113883.5.2":              "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
	"2.16.840.1.113883.5.4":              "http://terminology.hl7.org/CodeSystem/v3-ActCode",
	"2.16.840.1.113883.5.6":              "http://terminology.hl7.org/CodeSystem/v3-ActClass",
	"2.16.840.1.113883.5.8":              "http://terminology.hl7.org/CodeSystem/v3-ActReason",
	"2.16.840.1.113883.5.14":             "http://terminology.hl7.org/CodeSystem/v3-ActStatus",
	"2.16.840.1.113883.5.25":             "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
	"2.16.840.1.113883.5.83":             "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
	"2.16.840.1.113883.5.88":             "http://terminology.hl7.org/CodeSystem/v3-ParticipationFunction",
	"2.16.840.1.113883.5.90":             "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
	"2.16.840.1.113883.5.110":            "http://terminology.hl7.org/CodeSystem/v3-RoleClass",
	"2.16.840.1.113883.5.111":            "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
	"2.16.840.1.113883.5.112":            "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
	"2.16.840.1.113883.5.1063":           "http://terminology.hl7.org/CodeSystem/v3-SeverityObservation",
	"2.16.840.1.113883.5.1076":           "http://terminology.hl7.org/CodeSystem/v3-ReligiousAffiliation",
	"2.16.840.1.113883.5.139":            "http://terminology.hl7.org/CodeSystem/v3-TimingEvent",
	"2.16.840.1.113883.5.1008":           "http://terminology.hl7.org/CodeSystem/v3-NullFlavor",
	"2.16.840.1.113883.5.85":             "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm",
	"2.16.840.1.113883.3.88.12.3221.8.9": "urn:oid:2.16.840.1.113883.3.88.12.3221.8.9",
	"2.16.840.1.113883.1.11.19830":       "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
}

// Identifier roots with a FHIR naming system.
var identifierSystems = map[string]string{
	"2.16.840.1.113883.4.1":   "http://hl7.org/fhir/sid/us-ssn",
	"2.16.840.1.113883.4.6":   "http://hl7.org/fhir/sid/us-npi",
	"2.16.840.1.113883.4.572": "http://hl7.org/fhir/sid/us-medicare",
}

// systemURI returns the FHIR system for a C-CDA codeSystem attribute.
func systemURI(oid string) string {
	oid = strings.TrimSpace(oid)
	if oid == "" {
		return ""
	}
	if u, ok := systemURIs[oid]; ok {
		return u
	}
	if isOID(oid) {
		return "urn:oid:" + oid
	}
	if isUUID(oid) {
		return "urn:uuid:" + strings.ToLower(oid)
	}
	return oid
}

func isOID(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if dot {
				return false
			}
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
		dot = false
	}
	return !dot
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i] | 0x20
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// coding converts one CD/CE element's own code (not its translations).
func coding(n *node) *obj {
	code := strings.TrimSpace(n.attr("code"))
	if code == "" {
		return nil
	}
	if nf := n.nullFlavor(); nf != "" && (strings.EqualFold(code, nf) || nullFlavors[strings.ToUpper(code)]) {
		// code="UNK" nullFlavor="UNK": no code at all.
		return nil
	}
	c := &obj{}
	sys := systemURI(n.attr("codeSystem"))
	c.SetNonEmpty("system", sys)
	c.SetNonEmpty("code", code)
	display := collapse(n.attr("displayName"))
	if strings.EqualFold(display, code) || isNullWord(display) {
		// A display that repeats the code ("TEST", "PLACEHOLDER") or says
		// "null" names nothing.
		display = ""
	}
	if display == "" && sys == record.SystemLOINC {
		// Vendors often leave vital sign codes without a name; these are
		// LOINC's own short names.
		display = vitalNames[code]
	}
	c.SetNonEmpty("display", display)
	return c
}

// nullFlavors are the HL7 v3 null flavors, which some vendors also write as codes.
var nullFlavors = map[string]bool{"NI": true, "NA": true, "UNK": true, "ASKU": true, "NAV": true, "NASK": true,
	"OTH": true, "NINF": true, "PINF": true, "MSK": true, "TRC": true, "QS": true, "NP": true}

// vitalNames are LOINC display names of vital signs, for codes a document
// gives without one.
var vitalNames = map[string]string{
	"8480-6": "Systolic blood pressure", "8462-4": "Diastolic blood pressure",
	"85354-9": "Blood pressure panel", "8867-4": "Heart rate", "9279-1": "Respiratory rate",
	"8310-5": "Body temperature", "8302-2": "Body height", "8306-3": "Body height (lying)",
	"29463-7": "Body weight", "3141-9": "Body weight (measured)", "39156-5": "Body mass index (BMI)",
	"59408-5": "Oxygen saturation (pulse oximetry)", "2708-6": "Oxygen saturation",
	"8287-5": "Head circumference", "9843-4": "Head circumference", "8289-1": "Head circumference",
	"3140-1": "Body surface area", "85353-1": "Vital signs panel", "72166-2": "Tobacco smoking status",
	"8716-3": "Vital signs", "3150-0": "Inhaled oxygen concentration", "77606-2": "Weight-for-length percentile",
	"59576-9": "BMI percentile", "8478-0": "Mean blood pressure", "72514-3": "Pain severity (0-10)", "75278-2": "Advance directive", "11369-6": "Immunization history",
}

// concept converts a CD, CE or CV element to a CodeableConcept: the code
// and its translations as codings, the original text (resolved through the
// narrative when it is a reference) as text. A nullFlavor code with a
// translation or original text still says something and is kept. Nil when
// the element says nothing.
func (m *mapper) concept(n *node) *obj {
	if n == nil {
		return nil
	}
	cc := &obj{}
	var codings []any
	if c := coding(n); c != nil {
		codings = append(codings, c)
	}
	for _, t := range n.children("translation") {
		if c := coding(t); c != nil && !hasCoding(codings, c) {
			codings = append(codings, c)
		}
	}
	cc.SetNonEmpty("coding", codings)
	cc.SetNonEmpty("text", m.originalText(n))
	if cc.Len() == 0 {
		return nil
	}
	return cc
}

func hasCoding(list []any, c *obj) bool {
	for _, x := range list {
		o := x.(*obj)
		if o.Get("code") == c.Get("code") && o.Get("system") == c.Get("system") {
			return true
		}
	}
	return false
}

// originalText returns the text of an element's originalText, following a
// reference into the narrative.
func (m *mapper) originalText(n *node) string {
	ot := n.child("originalText")
	if ot == nil {
		return ""
	}
	if t := directText(ot); t != "" && !isNullWord(t) {
		return t
	}
	return m.refText(ot.child("reference"))
}

// directText is an element's own text, without its reference child.
func directText(n *node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range n.kids {
		if k.name == "" {
			b.WriteString(k.text)
		} else if k.name != "reference" {
			b.WriteString(" " + k.textContent() + " ")
		}
	}
	return collapse(b.String())
}

// refText resolves <reference value="#id"/> against the narrative ids.
func (m *mapper) refText(ref *node) string {
	if ref == nil {
		return ""
	}
	v := strings.TrimSpace(ref.attr("value"))
	if v == "" {
		return ""
	}
	id, ok := strings.CutPrefix(v, "#")
	if !ok {
		// Some vendors leave out the '#'.
		id = v
	}
	target := m.ids[id]
	if target == nil {
		if ok {
			m.warnOnce("narrative-ref", "some references into the narrative point at ids that do not exist (first at "+ref.xpath()+")")
		}
		return ""
	}
	return inlineText(target)
}

// statementText is the text of a clinical statement's own <text> element:
// its words, or the narrative it references.
func (m *mapper) statementText(n *node) string {
	t := n.child("text")
	if t == nil {
		return ""
	}
	if s := directText(t); s != "" {
		return s
	}
	return m.refText(t.child("reference"))
}

// identifiers converts II elements; nullFlavor ids are left out.
func identifiers(ids []*node) []any {
	var out []any
	for _, id := range ids {
		if o := identifier(id); o != nil {
			out = append(out, o)
		}
	}
	return out
}

func identifier(id *node) *obj {
	root := strings.TrimSpace(id.attr("root"))
	ext := strings.TrimSpace(id.attr("extension"))
	if id.nullFlavor() != "" && root == "" && ext == "" {
		return nil
	}
	switch {
	case root != "" && ext != "":
		sys, ok := identifierSystems[root]
		if !ok {
			sys = systemURI(root)
		}
		return newObj("system", sys, "value", ext)
	case root != "":
		v := root
		switch {
		case isOID(root):
			v = "urn:oid:" + root
		case isUUID(root):
			v = "urn:uuid:" + strings.ToLower(root)
		}
		return newObj("system", "urn:ietf:rfc:3986", "value", v)
	case ext != "":
		return newObj("value", ext)
	}
	return nil
}

// name converts a PN or ON element.
func humanName(n *node) *obj {
	if n == nil || (n.nullFlavor() != "" && len(n.elems()) == 0) {
		return nil
	}
	o := &obj{}
	switch strings.ToUpper(n.attr("use")) {
	case "L", "OR":
		o.SetNonEmpty("use", "official")
	case "P", "A":
		o.SetNonEmpty("use", "nickname")
	case "ASGN":
		o.SetNonEmpty("use", "usual")
	}
	var family []string
	var given, prefix, suffix []string
	structured := false
	for _, k := range n.elems() {
		t := k.textContent()
		if isNullWord(t) {
			// A vendor's empty value written out as a word.
			t = ""
		}
		switch k.name {
		case "family":
			structured = true
			if t != "" {
				family = append(family, t)
			}
		case "given":
			structured = true
			if t != "" {
				given = append(given, t)
			}
		case "prefix":
			structured = true
			if t != "" {
				prefix = append(prefix, t)
			}
		case "suffix":
			structured = true
			if t != "" {
				suffix = append(suffix, t)
			}
		}
	}
	if !structured {
		o.SetNonEmpty("text", n.textContent())
		if o.Get("text") == nil {
			return nil
		}
		return o
	}
	o.SetNonEmpty("family", strings.Join(family, " "))
	if len(given) > 0 {
		o.SetNonEmpty("given", given)
	}
	if len(prefix) > 0 {
		o.SetNonEmpty("prefix", prefix)
	}
	if len(suffix) > 0 {
		o.SetNonEmpty("suffix", suffix)
	}
	if o.Get("family") == nil && o.Get("given") == nil {
		return nil
	}
	return o
}

// nameText renders a PN/ON element as one line ("Dr. Henry Seven").
func nameText(n *node) string {
	h := humanName(n)
	if h == nil {
		return ""
	}
	if t, ok := h.Get("text").(string); ok {
		return t
	}
	var parts []string
	for _, k := range []string{"prefix", "given"} {
		if v, ok := h.Get(k).([]string); ok {
			parts = append(parts, v...)
		}
	}
	if f, ok := h.Get("family").(string); ok {
		parts = append(parts, f)
	}
	if v, ok := h.Get("suffix").([]string); ok {
		parts = append(parts, v...)
	}
	return strings.Join(parts, " ")
}

func address(n *node) *obj {
	if n == nil || (n.nullFlavor() != "" && len(n.elems()) == 0) {
		return nil
	}
	o := &obj{}
	switch strings.ToUpper(strings.Fields(n.attr("use") + " x")[0]) {
	case "H", "HP", "HV":
		o.SetNonEmpty("use", "home")
	case "WP", "DIR", "PUB":
		o.SetNonEmpty("use", "work")
	case "TMP":
		o.SetNonEmpty("use", "temp")
	case "OLD", "BAD":
		o.SetNonEmpty("use", "old")
	}
	var lines []string
	structured := false
	for _, k := range n.elems() {
		t := k.textContent()
		if t == "" {
			continue
		}
		switch k.name {
		case "streetAddressLine", "houseNumber", "streetName", "additionalLocator", "unitID", "deliveryAddressLine":
			lines = append(lines, t)
			structured = true
		case "city":
			o.SetNonEmpty("city", t)
			structured = true
		case "state":
			o.SetNonEmpty("state", t)
			structured = true
		case "postalCode":
			o.SetNonEmpty("postalCode", t)
			structured = true
		case "country":
			o.SetNonEmpty("country", t)
			structured = true
		case "county":
			o.SetNonEmpty("district", t)
			structured = true
		}
	}
	if len(lines) > 0 {
		o.SetNonEmpty("line", lines)
	}
	if !structured {
		o.SetNonEmpty("text", n.textContent())
	}
	if o.Get("line") == nil && o.Get("city") == nil && o.Get("state") == nil && o.Get("postalCode") == nil && o.Get("text") == nil && o.Get("country") == nil {
		return nil
	}
	return o
}

func telecom(n *node) *obj {
	v := strings.TrimSpace(n.attr("value"))
	if v == "" {
		return nil
	}
	o := &obj{}
	low := strings.ToLower(v)
	switch {
	case strings.HasPrefix(low, "tel:"):
		o.SetNonEmpty("system", "phone").SetNonEmpty("value", strings.TrimSpace(v[4:]))
	case strings.HasPrefix(low, "fax:"):
		o.SetNonEmpty("system", "fax").SetNonEmpty("value", strings.TrimSpace(v[4:]))
	case strings.HasPrefix(low, "mailto:"):
		o.SetNonEmpty("system", "email").SetNonEmpty("value", strings.TrimSpace(v[7:]))
	case strings.HasPrefix(low, "http:"), strings.HasPrefix(low, "https:"):
		o.SetNonEmpty("system", "url").SetNonEmpty("value", v)
	default:
		if strings.Contains(v, "@") {
			o.SetNonEmpty("system", "email")
		} else {
			o.SetNonEmpty("system", "phone")
		}
		o.SetNonEmpty("value", v)
	}
	if o.Get("value") == nil {
		return nil
	}
	switch strings.ToUpper(strings.Fields(n.attr("use") + " x")[0]) {
	case "H", "HP", "HV":
		o.SetNonEmpty("use", "home")
	case "WP", "DIR", "PUB":
		o.SetNonEmpty("use", "work")
	case "MC", "PG":
		o.SetNonEmpty("use", "mobile")
	case "TMP":
		o.SetNonEmpty("use", "temp")
	case "BAD", "OLD":
		o.SetNonEmpty("use", "old")
	}
	return o
}

func (m *mapper) listOf(nodes []*node, conv func(*node) *obj) []any {
	var out []any
	for _, n := range nodes {
		if o := conv(n); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// isNullWord reports text that is a programming language's empty value
// written out by a vendor's export ("null", "nil", "undefined").
func isNullWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "null", "nil", "undefined", "(null)":
		return true
	}
	return false
}
