package fhir_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/record"
)

const corpus = "testdata/corpus"

// corpusFiles lists every FHIR file of the test corpus with what reading it
// must give: format, version and number of people (groups).
var corpusFiles = []struct {
	path    string
	format  record.Format
	version string
	groups  int
	person  string // name of the first group's person ("" when none)
}{
	{"bb2/bluebutton-api-fixtures/coverage_read_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/coverage_read_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/coverage_search_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/coverage_search_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_carrier_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_carrier_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_in_pt_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_in_pt_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_out_pt_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_read_out_pt_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_search_pt_v1.json", "bb2", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/eob_search_pt_v2.json", "bb2", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/fhir_meta_v1.json", "fhir-stu3", "STU3", 1, ""},
	{"bb2/bluebutton-api-fixtures/fhir_meta_v2.json", "fhir-r4", "R4", 1, ""},
	{"bb2/bluebutton-api-fixtures/patient_read_v1.json", "bb2", "R4", 1, "Jane X Doe"},
	{"bb2/bluebutton-api-fixtures/patient_read_v2.json", "bb2", "R4", 1, "Jane X Doe"},
	{"bb2/bluebutton-api-fixtures/patient_search_v1.json", "bb2", "R4", 1, "Jane X Doe"},
	{"bb2/bluebutton-api-fixtures/patient_search_v2.json", "bb2", "R4", 1, "Jane X Doe"},
	{"bb2/bluebutton-api-fixtures/resource_error_response.json", "fhir-r4", "R4", 1, ""},
	{"fhir-dstu2/smart-sample-patients/Satterfield_Maxine_89.json", "fhir-dstu2", "DSTU2", 1, "Maxine Satterfield"},
	{"fhir-dstu2/smart-sample-patients/patient-1032702.fhir-bundle.json", "fhir-dstu2", "DSTU2", 1, "Amy V. Shaw"},
	{"fhir-dstu2/smart-sample-patients/patient-2004454.fhir-bundle.json", "fhir-dstu2", "DSTU2", 1, "Kevin H. Lee"},
	{"fhir-dstu2/smart-sample-patients/patient-6666001.fhir-bundle.xml", "fhir-dstu2", "DSTU2", 1, "Sophia Reynolds"},
	{"fhir-dstu2/smart-sample-patients/patient-7777705.fhir-bundle.xml", "fhir-dstu2", "DSTU2", 1, "Angela Montgomery"},
	{"fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json", "fhir-r4", "R4", 1, "Alberto Atencio"},
	{"fhir-r4/synthea-smart-sandbox/Chauncey_Johnston_f4673866-81fb-411a-8486-0c27f2a5b480.json", "fhir-r4", "R4", 1, "Chauncey Johnston"},
	{"fhir-r4/synthea-smart-sandbox/practitionerInformation1559319163815.json", "fhir-r4", "R4", 1, ""},
	{"fhir-stu3/smart-sample-patients/patient-1482713.fhir-bundle.json", "fhir-stu3", "STU3", 1, ""},
	{"fhir-stu3/smart-sample-patients/patient-765583.fhir-bundle.json", "fhir-stu3", "STU3", 1, ""},
	{"fhir-stu3/smart-sample-patients/patient-99912345-document-2.fhir-bundle.json", "fhir-stu3", "STU3", 1, ""},
	{"ips/at-elga/AT-elga2.json", "ips", "R4", 1, "Arnold Test"},
	{"ips/au-sparked/AU-example-sparked.json", "ips", "R4", 1, "Joyce JOHNSON"},
	{"ips/au-sparked/Bundle-aups-noknownx.json", "ips", "R4", 1, "Charlotte MORRIS"},
	{"ips/ca-verosource/CA_VeroSource_buddy_bear.json", "ips", "R4", 1, "BUDDY TEST BEAR"},
	{"ips/ca-verosource/CA_verosource_ips_uwashington_patient_14599.json", "ips", "R4", 1, "Maria SEATTLE Gravitate"},
	{"ips/eu-connectathon/EU_Giorgio_Cangioli_01.json", "ips", "R4", 1, "Maria Gravitate"},
	{"ips/eu-connectathon/EU_Giorgio_Cangioli_03.json", "ips", "R4", 1, "John Mark"},
	{"ips/hl7-ips-ig/IPS-bundle-01.xml", "ips", "R4", 1, "Martha DeLarosa"},
	{"ips/hl7-ips-ig/IPS-bundle-with-immunization.xml", "ips", "R4", 1, "Martha DeLarosa"},
	{"ips/hl7-ips-ig/bundle-minimal.json", "ips", "R4", 1, "Martha DeLarosa"},
	{"ips/hl7-ips-ig/bundle-no-info-required-sections.json", "ips", "R4", 1, "James Judge"},
	{"ips/nz-connectathon/Bundle-NZPSNoClinicalInfoBundle.json", "ips", "R4", 1, "Ariana Ngata"},
	{"ips/nz-connectathon/NZ_Peter_Jordan_AAA1234.json", "ips", "R4", 1, "James Judge"},
	{"fhir-r4-ndjson/smart-bulk-synthea-10", "fhir-ndjson", "R4", 13, ""},
}

func readPath(t testing.TB, reg *importers.Registry, p string) *record.Batch {
	t.Helper()
	b, err := reg.ReadPath(context.Background(), p, importers.DefaultLimits())
	if err != nil {
		t.Fatalf("reading %s: %v", p, err)
	}
	return b
}

// TestCorpus reads every FHIR file of the corpus and checks that every
// resource in it is accounted for: stored in a person's group, or listed
// as skipped or ignored, counted independently of the reader.
func TestCorpus(t *testing.T) {
	reg := importers.NewRegistry(fhir.New())
	seen := map[string]bool{}
	for _, tc := range corpusFiles {
		seen[tc.path] = true
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			p := filepath.Join(corpus, tc.path)
			b := readPath(t, reg, p)
			if b.Report.Format != tc.format || b.Report.Version != tc.version || b.Source.Format != tc.format {
				t.Errorf("format %s/%s (source %s), want %s/%s", b.Report.Format, b.Report.Version, b.Source.Format, tc.format, tc.version)
			}
			if len(b.Patients) != tc.groups {
				t.Fatalf("%d groups, want %d", len(b.Patients), tc.groups)
			}
			if got := b.Patients[0].Person.Name; tc.groups == 1 && got != tc.person {
				t.Errorf("person %q, want %q", got, tc.person)
			}
			if tc.person == "" && tc.groups == 1 && b.Patients[0].Patient != nil {
				t.Errorf("a Patient where the file has none")
			}
			in := countInput(t, p)
			st := stored(b)
			accounted := st.total + len(b.Report.Skipped) + len(b.Report.Ignored)
			t.Logf("input %d items; stored %d resources (+%d derived fills), skipped %d, ignored %d; %d groups",
				in.total, st.total, st.derived, len(b.Report.Skipped), len(b.Report.Ignored), len(b.Patients))
			if accounted != in.total {
				t.Errorf("input has %d items, stored %d + skipped %d + ignored %d = %d",
					in.total, st.total, len(b.Report.Skipped), len(b.Report.Ignored), accounted)
			}
			for typ, n := range in.types {
				if ignoredType[typ] {
					continue
				}
				if want := r4Name(typ); st.types[want] > n || st.types[want] < n-len(b.Report.Skipped)-len(b.Report.Ignored) {
					t.Errorf("%d %s in the input, %d stored as %s", n, typ, st.types[want], want)
				}
			}
			checkBatch(t, b, in.fullURLs)
		})
	}
	// Every FHIR file of the corpus is in the table.
	filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(corpus, p)
		if d.IsDir() || strings.HasPrefix(rel, "fhir-r4-ndjson") || !strings.Contains(rel, "/") {
			return nil
		}
		if !seen[rel] && !strings.Contains(rel, "userinfo") {
			t.Errorf("%s is not in the corpus table", rel)
		}
		return nil
	})
}

// TestCorpus_notFHIR: the Blue Button userinfo answers are not FHIR; the
// registry says so rather than importing them.
func TestCorpus_notFHIR(t *testing.T) {
	reg := importers.NewRegistry(fhir.New())
	for _, f := range []string{"userinfo_v1.json", "userinfo_v2.json"} {
		b, err := reg.ReadPath(context.Background(), filepath.Join(corpus, "bb2/bluebutton-api-fixtures", f), importers.DefaultLimits())
		if !errors.Is(err, importers.ErrUnknownFormat) || b != nil {
			t.Errorf("%s: %v, %v; want ErrUnknownFormat and no batch", f, b, err)
		}
	}
}

var ignoredType = map[string]bool{"OperationOutcome": true, "CapabilityStatement": true, "": true}

func r4Name(t string) string {
	if t == "MedicationOrder" {
		return "MedicationRequest"
	}
	return t
}

type inputCount struct {
	total    int
	types    map[string]int
	fullURLs map[string]bool
}

// countInput counts the items of a corpus file without the reader: the
// resources (Bundles opened), entries without one, and NDJSON lines.
func countInput(t *testing.T, p string) inputCount {
	t.Helper()
	c := inputCount{types: map[string]int{}, fullURLs: map[string]bool{}}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		files, _ := filepath.Glob(filepath.Join(p, "*.ndjson"))
		for _, f := range files {
			data, _ := os.ReadFile(f)
			for _, line := range bytes.Split(data, []byte("\n")) {
				if len(bytes.TrimSpace(line)) == 0 {
					continue
				}
				var head struct {
					ResourceType string `json:"resourceType"`
				}
				if err := json.Unmarshal(line, &head); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				c.total++
				c.types[head.ResourceType]++
			}
		}
		return c
	}
	data, _ := os.ReadFile(p)
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) {
		countXML(t, data, &c)
		return c
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		m, _ := v.(map[string]any)
		typ, _ := m["resourceType"].(string)
		if typ != "Bundle" {
			c.total++
			c.types[typ]++
			return
		}
		entries, _ := m["entry"].([]any)
		for _, e := range entries {
			em, _ := e.(map[string]any)
			if u, ok := em["fullUrl"].(string); ok {
				c.fullURLs[u] = true
			}
			if r, ok := em["resource"]; ok {
				walk(r)
			} else {
				c.total++
			}
		}
	}
	walk(v)
	return c
}

func countXML(t *testing.T, data []byte, c *inputCount) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			if (parent == "" || parent == "resource") && tt.Name.Local != "Bundle" {
				c.total++
				c.types[tt.Name.Local]++
			}
			if parent == "fullUrl" || tt.Name.Local == "fullUrl" {
				for _, a := range tt.Attr {
					if a.Name.Local == "value" {
						c.fullURLs[a.Value] = true
					}
				}
			}
			stack = append(stack, tt.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

type storedCount struct {
	total, derived int
	types          map[string]int
}

// stored counts the distinct resources of a batch (a shared one copied to
// several people counts once); fills made from pharmacy claims apart.
func stored(b *record.Batch) storedCount {
	s := storedCount{types: map[string]int{}}
	seen := map[string]bool{}
	for _, g := range b.Patients {
		res := append([]record.Resource{}, g.Resources...)
		if g.Patient != nil {
			res = append(res, *g.Patient)
		}
		for _, r := range res {
			if seen[r.Ref()] {
				continue
			}
			seen[r.Ref()] = true
			if isDerived(r) {
				s.derived++
				continue
			}
			s.total++
			s.types[r.Type]++
		}
	}
	return s
}

// isDerived reports a resource the reader made: a pharmacy claim's fill,
// or the statement an IPS section's emptyReason stands for.
func isDerived(r record.Resource) bool {
	if r.Type == "MedicationDispense" && bytes.Contains(r.JSON, []byte(`"supportingInformation":[{"reference":"ExplanationOfBenefit/`)) {
		return true
	}
	return strings.HasPrefix(r.ID, "kf-") && bytes.Contains(r.JSON, []byte(record.SystemAbsentIPS))
}

// checkBatch checks the batch contract: ids unique per type in a group,
// every resource projects, references are relative and resolve within
// their person's group (or point outside the file, as written).
func checkBatch(t *testing.T, b *record.Batch, fullURLs map[string]bool) {
	t.Helper()
	all := map[string]bool{}
	for _, g := range b.Patients {
		for _, r := range g.Resources {
			all[r.Ref()] = true
		}
		if g.Patient != nil {
			all[g.Patient.Ref()] = true
		}
	}
	for gi, g := range b.Patients {
		here := map[string]bool{}
		res := append([]record.Resource{}, g.Resources...)
		if g.Patient != nil {
			res = append(res, *g.Patient)
			if g.Patient.Type != "Patient" {
				t.Errorf("group %d: Patient is a %s", gi, g.Patient.Type)
			}
		}
		for _, r := range res {
			if here[r.Ref()] {
				t.Errorf("group %d: %s twice", gi, r.Ref())
			}
			here[r.Ref()] = true
			if !json.Valid(r.JSON) {
				t.Errorf("%s: invalid JSON", r.Ref())
			}
			if _, _, err := record.Project(r, nil); err != nil {
				t.Errorf("%s does not project: %v", r.Ref(), err)
			}
		}
		for _, r := range res {
			for _, ref := range references(r.JSON) {
				switch {
				case strings.HasPrefix(ref, "#"):
				case fullURLs[ref]:
					t.Errorf("%s: reference %s to a resource of the file was not rewritten", r.Ref(), ref)
				case all[ref] && !here[ref]:
					t.Errorf("group %d: %s refers to %s, which is in another group", gi, r.Ref(), ref)
				}
			}
		}
	}
}

// references returns every "reference" string in a resource's JSON.
func references(data []byte) []string {
	var v any
	json.Unmarshal(data, &v)
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if s, ok := x.(string); ok && k == "reference" {
					out = append(out, s)
				} else {
					walk(x)
				}
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return out
}
