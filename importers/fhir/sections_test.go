package fhir_test

import (
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// ipsDoc is a patient summary document for Ana with the given Composition
// meta and sections (JSON), and nothing listed in them.
func ipsDoc(meta string, sections ...string) []byte {
	return []byte(`{"resourceType":"Bundle","type":"document","entry":[
{"fullUrl":"urn:uuid:c1","resource":{"resourceType":"Composition","id":"c1",` + meta + `"status":"final",
 "type":{"coding":[{"system":"http://loinc.org","code":"60591-5"}]},"subject":{"reference":"urn:uuid:p1"},
 "date":"2024-03-01T10:00:00Z","author":[{"reference":"urn:uuid:p1"}],"title":"Patient summary",
 "section":[` + strings.Join(sections, ",") + `]}},
{"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Rivera","given":["Ana"]}],"birthDate":"1980-02-14"}}]}`)
}

func section(loinc, emptyReason string) string {
	return `{"title":"x","code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},"emptyReason":` + emptyReason + `}`
}

const (
	nilKnown    = `{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/list-empty-reason","code":"nilknown"}]}`
	unavailable = `{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/list-empty-reason","code":"unavailable"}]}`
	nilKnownOn  = `{"extension":[{"url":"https://kinfolio.io/fhir/StructureDefinition/stated-on","valueDateTime":"2017-02-17"}],` +
		`"coding":[{"system":"http://terminology.hl7.org/CodeSystem/list-empty-reason","code":"nilknown"}]}`
	ipsNoProblems = `{"coding":[{"system":"http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips","code":"no-known-problems"}]}`
)

// TestRead_EmptySections: a summary's required sections with nothing in
// them read as what their emptyReason says: "none known" as a statement
// that there are none, "no information" as one that nothing is known,
// dated when the source said so, else by the summary's date; in a summary
// Kinfolio made, "no information" is no statement and "none known" is
// dated only by the source.
func TestRead_EmptySections(t *testing.T) {
	type got struct{ kind, title, date string }
	for _, tc := range []struct {
		name string
		doc  []byte
		want []got
	}{
		{"another's summary", ipsDoc(``, section("48765-2", nilKnown), section("10160-0", unavailable), section("11450-4", ipsNoProblems)), []got{
			{"allergy", "No known allergies", "2024-03-01T10:00:00Z"},
			{"medication", "No information about medications", "2024-03-01T10:00:00Z"},
			{"condition", "No known problems", "2024-03-01T10:00:00Z"},
		}},
		{"the date a source said so", ipsDoc(``, section("48765-2", nilKnownOn)), []got{
			{"allergy", "No known allergies", "2017-02-17"},
		}},
		{"Kinfolio's own summary", ipsDoc(`"meta":{"tag":[{"system":"`+record.SummaryTag.System+`","code":"`+record.SummaryTag.Code+`"}]},`,
			section("48765-2", nilKnown), section("10160-0", unavailable), section("11450-4", nilKnownOn)), []got{
			{"allergy", "No known allergies", ""},
			{"condition", "No known problems", "2017-02-17"},
		}},
		{"a section that lists nothing and says nothing", ipsDoc(``, `{"title":"x","code":{"coding":[{"system":"http://loinc.org","code":"48765-2"}]}}`), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := read(t, "summary.json", tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Patients) != 1 {
				t.Fatalf("%d groups", len(b.Patients))
			}
			var out []got
			for _, r := range b.Patients[0].Resources {
				e, ok, err := record.Project(r, func(string) (record.Resource, bool) { return record.Resource{}, false })
				if err != nil || !ok || e.Kind == record.KindDocument {
					continue
				}
				out = append(out, got{string(e.Kind), e.Title, e.Date.String()})
			}
			if len(out) != len(tc.want) {
				t.Fatalf("statements %+v, want %+v", out, tc.want)
			}
			for i := range out {
				if out[i] != tc.want[i] {
					t.Errorf("statement %d: %+v, want %+v", i, out[i], tc.want[i])
				}
			}
			// Summarized, allergies are in the state the section names.
			want := record.NoAllergyInformation
			if len(tc.want) > 0 && tc.want[0].kind == "allergy" {
				want = record.NoKnownAllergies
			}
			if s := record.Summarize(entriesOf(b), record.MustDate("2024-06-01").T); s.Allergies.State != want {
				t.Errorf("allergies summarized as %v, want %v", s.Allergies.State, want)
			}
		})
	}
}

func entriesOf(b *record.Batch) []record.Entry {
	var es []record.Entry
	for _, r := range b.Patients[0].Resources {
		if e, ok, err := record.Project(r, func(string) (record.Resource, bool) { return record.Resource{}, false }); err == nil && ok {
			es = append(es, e)
		}
	}
	return es
}
