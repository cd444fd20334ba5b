package ccda

import (
	"context"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
)

func TestFHIRTime(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2014", "2014", true},
		{"201403", "2014-03", true},
		{"20140302", "2014-03-02", true},
		{"20140302-0500", "2014-03-02", true}, // a date carries no offset in FHIR
		{"2014030210", "2014-03-02T10:00:00", true},
		{"201403021030", "2014-03-02T10:30:00", true},
		{"201403021030-0500", "2014-03-02T10:30:00-05:00", true},
		{"20140302103015+0530", "2014-03-02T10:30:15+05:30", true},
		{"20140302103015.123-0400", "2014-03-02T10:30:15.123-04:00", true},
		{"20140302103015Z", "2014-03-02T10:30:15Z", true},
		{"2014-03-02", "2014-03-02", true},
		{"2014-03-02T10:30:00-05:00", "2014-03-02T10:30:00-05:00", true},
		{" 20140302 ", "2014-03-02", true},
		{"20140230", "", false}, // 30 February
		{"20150229", "", false},
		{"20160229", "2016-02-29", true},
		{"200130311", "", false}, // nine digits
		{"20141301", "", false},
		{"201403022500", "", false},
		{"0", "", false},
		{"17760704", "", false}, // before 1800: not a real date in a health record
		{"20140302+2500", "", false},
		{"unknown", "", false},
	}
	for _, tc := range tests {
		got, ok := fhirTime(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("fhirTime(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"7.20", "7.20", true}, {"+5", "5", true}, {".5", "0.5", true}, {"5.", "5", true},
		{"007", "7", true}, {"-0.25", "-0.25", true}, {"1e3", "1e3", true}, {"1.5E-2", "1.5E-2", true},
		{"<5", "", false}, {"5-10", "", false}, {"neg", "", false}, {"", "", false}, {"1,5", "", false},
	}
	for _, tc := range tests {
		got, ok := decimal(tc.in)
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("decimal(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// element parses one CDA element written inline.
func element(t *testing.T, xml string) *node {
	t.Helper()
	root, err := parseTree(context.Background(), "e.xml", []byte(`<x xmlns="urn:hl7-org:v3">`+xml+`</x>`), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return root.elems()[0]
}

func TestQuantityUnits(t *testing.T) {
	tests := []struct {
		in              string
		unit, code, sys string
	}{
		{`<value value="120" unit="mm[Hg]"/>`, "mm[Hg]", "mm[Hg]", "http://unitsofmeasure.org"},
		{`<value value="120" unit="mmHg"/>`, "mmHg", "mm[Hg]", "http://unitsofmeasure.org"},
		{`<value value="150" unit="lbs"/>`, "lbs", "[lb_av]", "http://unitsofmeasure.org"},
		{`<value value="98.6" unit="F"/>`, "F", "[degF]", "http://unitsofmeasure.org"},
		{`<value value="6" unit="10*3/uL"/>`, "10*3/uL", "10*3/uL", "http://unitsofmeasure.org"},
		{`<value value="2" unit="puffs per day"/>`, "puffs per day", "", ""}, // not UCUM: kept as written, uncoded
		{`<value value="1" unit="1"/>`, "", "", ""},
	}
	for _, tc := range tests {
		q, ok := quantity(element(t, tc.in))
		if !ok {
			t.Fatalf("%s: not read", tc.in)
		}
		unit, _ := q.Get("unit").(string)
		code, _ := q.Get("code").(string)
		sys, _ := q.Get("system").(string)
		if unit != tc.unit || code != tc.code || sys != tc.sys {
			t.Errorf("%s: unit %q code %q system %q", tc.in, unit, code, sys)
		}
	}
}

func TestConcept(t *testing.T) {
	m := &mapper{ids: map[string]*node{}, warned: map[string]bool{}}
	tests := []struct {
		in, want string // want: the concept serialized
	}{
		{`<code code="44054006" codeSystem="2.16.840.1.113883.6.96" displayName="Diabetes"/>`,
			`{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]}`},
		{`<code code="UNK" nullFlavor="UNK"><originalText>Sore knee</originalText></code>`,
			`{"text":"Sore knee"}`},
		{`<code nullFlavor="OTH"><originalText>Wrist pain</originalText><translation code="M25.531" codeSystem="2.16.840.1.113883.6.90" displayName="Pain in right wrist"/></code>`,
			`{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.531","display":"Pain in right wrist"}],"text":"Wrist pain"}`},
		{`<code code="TEST" codeSystem="TEST" displayName="TEST"/>`, `{"coding":[{"system":"TEST","code":"TEST"}]}`},
		{`<code code="8867-4" codeSystem="2.16.840.1.113883.6.1"/>`, `{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]}`},
		{`<code nullFlavor="NI"/>`, `null`},
	}
	for _, tc := range tests {
		cc := m.concept(element(t, tc.in))
		got := "null"
		if cc != nil {
			got = string(marshal(cc))
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
