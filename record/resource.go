package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Resource is one FHIR R4 resource as stored: its type, its id and its JSON,
// kept byte for byte as the importer normalized it. The JSON is the source of
// truth; typed views ([Decode]) and entries ([Project]) are derived from it.
type Resource struct {
	Type string          `json:"resourceType"`
	ID   string          `json:"id"`
	JSON json.RawMessage `json:"json"`
}

// ParseResource wraps JSON text as a Resource, reading its resourceType and
// id. The bytes are kept as given (not copied). It returns an error wrapping
// [ErrNotResource] when data is not a JSON object with a resourceType.
func ParseResource(data []byte) (Resource, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Resource{}, fmt.Errorf("%w: %v", ErrNotResource, err)
	}
	if head.ResourceType == "" {
		return Resource{}, fmt.Errorf("%w: no resourceType", ErrNotResource)
	}
	return Resource{Type: head.ResourceType, ID: head.ID, JSON: data}, nil
}

// Ref returns the resource's relative reference, "Type/id".
func (r Resource) Ref() string { return r.Type + "/" + r.ID }

// Decode reads the resource's JSON into a new T, one of this package's slim
// resource structs (or any struct with json tags). Reading is lenient, so
// that one odd field never hides a resource: a field whose JSON type is not
// the one FHIR R4 gives it is read anyway where its value still says what
// FHIR means, or left out ([DecodeChecked] lists them as [FieldProblem]s).
// Keys match the tags exactly, as FHIR spells them.
//
// It returns an error wrapping [ErrWrongType] when T is a typed view of
// another resource type, and one wrapping [ErrNotResource] when the JSON is
// not a well-formed object.
func Decode[T any](r Resource) (*T, error) {
	v, _, err := DecodeChecked[T](r)
	return v, err
}

// DecodeChecked is [Decode] that also returns the fields it could not read
// as they are.
func DecodeChecked[T any](r Resource) (*T, []FieldProblem, error) {
	v := new(T)
	if named, ok := any(v).(interface{ resourceType() string }); ok && named.resourceType() != r.Type {
		return nil, nil, fmt.Errorf("%w: %s is not %s", ErrWrongType, r.Type, named.resourceType())
	}
	problems, err := decodeLenient(r.JSON, v, r.Type)
	if err != nil {
		return nil, nil, fmt.Errorf("decoding %s: %w", r.Type, err)
	}
	return v, problems, nil
}

// Equivalent reports whether two resources hold the same JSON once
// insignificant whitespace is ignored.
func (r Resource) Equivalent(o Resource) bool {
	if r.Type != o.Type {
		return false
	}
	var a, b bytes.Buffer
	if json.Compact(&a, r.JSON) != nil || json.Compact(&b, o.JSON) != nil {
		return bytes.Equal(r.JSON, o.JSON)
	}
	return bytes.Equal(a.Bytes(), b.Bytes())
}

// Coding is a code in a code system, as FHIR writes it.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a concept given as codes and/or text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Display returns what a person should read for the concept: its text, else
// the first coding's display, else "" (never a bare code). Placeholders some
// systems write instead of a name ("null", "undefined") count as no text.
func (c *CodeableConcept) Display() string {
	if c == nil {
		return ""
	}
	if t := Readable(c.Text); t != "" {
		return t
	}
	for _, cd := range c.Coding {
		if d := Readable(cd.Display); d != "" {
			return d
		}
	}
	return ""
}

// Readable returns s trimmed, or "" when it is a placeholder a system wrote
// for a missing value ("null", "NULL", "undefined", "(null)", "N/A").
func Readable(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "null", "(null)", "<null>", "undefined", "nil", "n/a":
		return ""
	}
	return s
}

// Code returns the first code in the given system ("" when there is none).
// System URIs are compared with [SameSystem].
func (c *CodeableConcept) Code(system string) string {
	if c == nil {
		return ""
	}
	for _, cd := range c.Coding {
		if SameSystem(cd.System, system) && cd.Code != "" {
			return cd.Code
		}
	}
	return ""
}

// HasCode reports whether the concept carries code in system.
func (c *CodeableConcept) HasCode(system, code string) bool {
	if c == nil {
		return false
	}
	for _, cd := range c.Coding {
		if cd.Code == code && SameSystem(cd.System, system) {
			return true
		}
	}
	return false
}

// FirstCode returns the concept's first non-empty code, whatever its system.
func (c *CodeableConcept) FirstCode() string {
	if c == nil {
		return ""
	}
	for _, cd := range c.Coding {
		if cd.Code != "" {
			return cd.Code
		}
	}
	return ""
}

// Reference points at another resource.
type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// Identifier is a business identifier such as a medical record number.
type Identifier struct {
	System string           `json:"system,omitempty"`
	Value  string           `json:"value,omitempty"`
	Type   *CodeableConcept `json:"type,omitempty"`
}

// Period is a time span; either end may be missing.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Quantity is a measured amount. Value is kept as the JSON number text so
// that "7.20" is not read as "7.2".
type Quantity struct {
	Value      json.Number `json:"value,omitempty"`
	Comparator string      `json:"comparator,omitempty"`
	Unit       string      `json:"unit,omitempty"`
	System     string      `json:"system,omitempty"`
	Code       string      `json:"code,omitempty"`
}

// UnitText returns the unit as people read it: the human unit, else the code.
func (q *Quantity) UnitText() string {
	if q == nil {
		return ""
	}
	if q.Unit != "" {
		return q.Unit
	}
	return q.Code
}

// Range is a low and high quantity.
type Range struct {
	Low  *Quantity `json:"low,omitempty"`
	High *Quantity `json:"high,omitempty"`
}

// Ratio is a numerator over a denominator.
type Ratio struct {
	Numerator   *Quantity `json:"numerator,omitempty"`
	Denominator *Quantity `json:"denominator,omitempty"`
}

// HumanName is a person's name as FHIR writes it.
type HumanName struct {
	Use    string   `json:"use,omitempty"`
	Text   string   `json:"text,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	Prefix []string `json:"prefix,omitempty"`
	Suffix []string `json:"suffix,omitempty"`
}

// String returns the name in reading order: "Dr. Jane Q. Doe".
func (n HumanName) String() string {
	if n.Family == "" && len(n.Given) == 0 {
		return strings.TrimSpace(n.Text)
	}
	parts := append([]string{}, n.Prefix...)
	parts = append(parts, n.Given...)
	if n.Family != "" {
		parts = append(parts, n.Family)
	}
	parts = append(parts, n.Suffix...)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// ContactPoint is a phone number, email address and the like.
type ContactPoint struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
	Use    string `json:"use,omitempty"`
}

// Address is a postal address.
type Address struct {
	Text       string   `json:"text,omitempty"`
	Line       []string `json:"line,omitempty"`
	City       string   `json:"city,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
	Country    string   `json:"country,omitempty"`
}

// Annotation is a note with its author and time.
type Annotation struct {
	Text string `json:"text,omitempty"`
	Time string `json:"time,omitempty"`
}

// Attachment is content carried inline (base64 data) or by URL.
type Attachment struct {
	ContentType string `json:"contentType,omitempty"`
	Data        string `json:"data,omitempty"`
	URL         string `json:"url,omitempty"`
	Title       string `json:"title,omitempty"`
	Creation    string `json:"creation,omitempty"`
}

// Narrative is a resource's human-readable XHTML summary.
type Narrative struct {
	Status string `json:"status,omitempty"`
	Div    string `json:"div,omitempty"`
}

// Extension is a FHIR extension with the value types Kinfolio reads.
type Extension struct {
	URL                  string           `json:"url"`
	ValueString          string           `json:"valueString,omitempty"`
	ValueCode            string           `json:"valueCode,omitempty"`
	ValueCoding          *Coding          `json:"valueCoding,omitempty"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept,omitempty"`
	Extension            []Extension      `json:"extension,omitempty"`
}

// Code system URIs Kinfolio recognizes.
const (
	SystemLOINC     = "http://loinc.org"
	SystemSNOMED    = "http://snomed.info/sct"
	SystemRxNorm    = "http://www.nlm.nih.gov/research/umls/rxnorm"
	SystemCVX       = "http://hl7.org/fhir/sid/cvx"
	SystemICD10CM   = "http://hl7.org/fhir/sid/icd-10-cm"
	SystemICD10     = "http://hl7.org/fhir/sid/icd-10"
	SystemICD9CM    = "http://hl7.org/fhir/sid/icd-9-cm"
	SystemNDC       = "http://hl7.org/fhir/sid/ndc"
	SystemCPT       = "http://www.ama-assn.org/go/cpt"
	SystemUCUM      = "http://unitsofmeasure.org"
	SystemObsCat    = "http://terminology.hl7.org/CodeSystem/observation-category"
	SystemAbsentIPS = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
)

// systemAliases maps the OIDs and older URIs of well-known code systems to
// their FHIR URI, so codes from C-CDA and from FHIR compare equal.
var systemAliases = map[string]string{
	"urn:oid:2.16.840.1.113883.6.1":                SystemLOINC,
	"urn:oid:2.16.840.1.113883.6.96":               SystemSNOMED,
	"http://snomed.info/sct/":                      SystemSNOMED,
	"urn:oid:2.16.840.1.113883.6.88":               SystemRxNorm,
	"http://www.nlm.nih.gov/research/umls/rxnorm/": SystemRxNorm,
	"urn:oid:2.16.840.1.113883.12.292":             SystemCVX,
	"urn:oid:2.16.840.1.113883.6.90":               SystemICD10CM,
	"urn:oid:2.16.840.1.113883.6.3":                SystemICD10,
	"urn:oid:2.16.840.1.113883.6.103":              SystemICD9CM,
	"http://hl7.org/fhir/sid/icd-9":                SystemICD9CM,
	"urn:oid:2.16.840.1.113883.6.69":               SystemNDC,
	"urn:oid:2.16.840.1.113883.6.12":               SystemCPT,
	"urn:oid:2.16.840.1.113883.6.8":                SystemUCUM,
	"http://hl7.org/fhir/observation-category":     SystemObsCat,
}

// CanonicalSystem returns the FHIR URI for a code system given by URI or OID
// (with or without "urn:oid:"); unknown systems are returned unchanged.
func CanonicalSystem(system string) string {
	s := strings.TrimSpace(system)
	if s == "" {
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "urn:oid:" + s
	}
	if c, ok := systemAliases[s]; ok {
		return c
	}
	return CanonicalKinfolioURL(s)
}

// SameSystem reports whether two code system names denote the same system.
func SameSystem(a, b string) bool { return CanonicalSystem(a) == CanonicalSystem(b) }
