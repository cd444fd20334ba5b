package fhir_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/importers/internal/goldentest"
	"github.com/kinfolio/kinfolio/record"
)

// read reads in-memory content with the FHIR reader alone.
func read(t testing.TB, name string, data []byte) (*record.Batch, error) {
	t.Helper()
	in := importers.BytesInput(name, data)
	return fhir.New().Read(context.Background(), in, &importers.Env{Limits: importers.DefaultLimits()})
}

// goldenEntry is an entry as the golden files show it: what a user sees.
type goldenPerson struct {
	Person  record.Person  `json:"person"`
	Patient string         `json:"patient,omitempty"`
	Entries []record.Entry `json:"entries"`
	Others  []string       `json:"supporting"`
}

type golden struct {
	Format   string         `json:"format"`
	Version  string         `json:"version"`
	Source   record.Source  `json:"source"`
	People   []goldenPerson `json:"people"`
	Skipped  []record.Skip  `json:"skipped"`
	Ignored  []record.Skip  `json:"ignored"`
	Warnings []string       `json:"warnings"`
}

// normalized projects a batch's resources the way the app will show them,
// resolving references within each person's group.
func normalized(t *testing.T, b *record.Batch, maxPeople int) golden {
	t.Helper()
	g := golden{Format: string(b.Report.Format), Version: b.Report.Version, Source: b.Source,
		Skipped: b.Report.Skipped, Ignored: b.Report.Ignored, Warnings: b.Report.Warnings}
	g.Source.SHA256 = ""
	for i, grp := range b.Patients {
		if i >= maxPeople {
			break
		}
		byRef := map[string]record.Resource{}
		for _, r := range grp.Resources {
			byRef[r.Ref()] = r
		}
		if grp.Patient != nil {
			byRef[grp.Patient.Ref()] = *grp.Patient
		}
		resolve := func(ref string) (record.Resource, bool) { r, ok := byRef[ref]; return r, ok }
		gp := goldenPerson{Person: grp.Person, Entries: []record.Entry{}}
		if grp.Patient != nil {
			gp.Patient = grp.Patient.Ref()
		}
		for _, r := range grp.Resources {
			e, ok, err := record.Project(r, resolve)
			if err != nil {
				t.Fatalf("%s: %v", r.Ref(), err)
			}
			if !ok {
				gp.Others = append(gp.Others, r.Ref())
				continue
			}
			e.Resources = []record.ResourceRef{{Type: r.Type, ID: r.ID}}
			gp.Entries = append(gp.Entries, e)
		}
		g.People = append(g.People, gp)
	}
	return g
}

// TestGolden compares the normalized entries of one representative file
// per version and shape with testdata/*.golden.json (go test -update
// rewrites them).
func TestGolden(t *testing.T) {
	reg := importers.NewRegistry(fhir.New())
	for _, tc := range []struct{ golden, path string }{
		{"r4-transaction", "fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"},
		{"stu3-no-patient", "fhir-stu3/smart-sample-patients/patient-1482713.fhir-bundle.json"},
		{"dstu2-json", "fhir-dstu2/smart-sample-patients/patient-1032702.fhir-bundle.json"},
		{"dstu2-collection", "fhir-dstu2/smart-sample-patients/Satterfield_Maxine_89.json"},
		{"dstu2-xml", "fhir-dstu2/smart-sample-patients/patient-6666001.fhir-bundle.xml"},
		{"ips-json", "ips/hl7-ips-ig/bundle-minimal.json"},
		{"ips-xml", "ips/hl7-ips-ig/IPS-bundle-01.xml"},
		{"bb2-v1-carrier", "bb2/bluebutton-api-fixtures/eob_read_carrier_v1.json"},
		{"bb2-v2-pharmacy", "bb2/bluebutton-api-fixtures/eob_search_pt_v2.json"},
		{"bb2-v1-coverage", "bb2/bluebutton-api-fixtures/coverage_search_v1.json"},
		{"ndjson-folder", "fhir-r4-ndjson/smart-bulk-synthea-10"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			b := readPath(t, reg, filepath.Join(corpus, tc.path))
			goldentest.JSON(t, filepath.Join("testdata", tc.golden+".golden.json"), normalized(t, b, 2))
		})
	}
}

// TestRoundTrip: for R4 input, the stored JSON of every resource says
// exactly what the file said, once references are rewritten to "Type/id".
func TestRoundTrip(t *testing.T) {
	reg := importers.NewRegistry(fhir.New())
	for _, path := range []string{
		"fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json",
		"fhir-r4/synthea-smart-sandbox/Chauncey_Johnston_f4673866-81fb-411a-8486-0c27f2a5b480.json",
		"ips/at-elga/AT-elga2.json",
		"ips/eu-connectathon/EU_Giorgio_Cangioli_03.json",
		"bb2/bluebutton-api-fixtures/eob_search_pt_v2.json",
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p := filepath.Join(corpus, path)
			b := readPath(t, reg, p)
			storedBy := map[string]record.Resource{}
			for _, g := range b.Patients {
				for _, r := range g.Resources {
					storedBy[r.Ref()] = r
				}
				if g.Patient != nil {
					storedBy[g.Patient.Ref()] = *g.Patient
				}
			}
			data, _ := os.ReadFile(p)
			var bundle struct {
				Entry []struct {
					FullURL  string          `json:"fullUrl"`
					Resource json.RawMessage `json:"resource"`
				} `json:"entry"`
			}
			if err := json.Unmarshal(data, &bundle); err != nil {
				t.Fatal(err)
			}
			// The rewriting the reader is expected to do: full URL → Type/id.
			rewrite := map[string]string{}
			for _, e := range bundle.Entry {
				r, _ := record.ParseResource(e.Resource)
				if e.FullURL != "" {
					rewrite[e.FullURL] = r.Ref()
				}
			}
			for i, e := range bundle.Entry {
				in, _ := record.ParseResource(e.Resource)
				out, ok := storedBy[in.Ref()]
				if !ok {
					t.Errorf("entry[%d] %s not stored", i, in.Ref())
					continue
				}
				var want, got any
				json.Unmarshal(e.Resource, &want)
				json.Unmarshal(out.JSON, &got)
				want = rewriteRefs(want, rewrite)
				if !reflect.DeepEqual(want, got) {
					t.Errorf("entry[%d] %s: stored JSON differs from the input", i, in.Ref())
				}
			}
		})
	}
}

func rewriteRefs(v any, m map[string]string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && k == "reference" {
				if to, ok := m[s]; ok {
					t[k] = to
				}
				continue
			}
			t[k] = rewriteRefs(x, m)
		}
	case []any:
		for i := range t {
			t[i] = rewriteRefs(t[i], m)
		}
	}
	return v
}

// TestHostile: each hostile input is refused with the right sentinel, an
// error naming the file and the place, and no batch.
func TestHostile(t *testing.T) {
	deep := strings.Repeat(`{"a":[`, 5000) + strings.Repeat(`]}`, 5000)
	tests := []struct {
		name  string
		data  string
		lim   func(*importers.Limits)
		want  error
		place string // a part of the error's place
	}{
		{"depth 10000", `{"resourceType":"Bundle","entry":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, nil, importers.ErrTooDeep, "line 1"},
		{"deep objects", `{"resourceType":"Observation","x":` + deep + `}`, nil, importers.ErrTooDeep, "x.a[0]"},
		{"duplicate key", `{"resourceType":"Observation","status":"final","status":"preliminary"}`, nil, importers.ErrDuplicateKey, "line 1"},
		{"case variant key", `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"text":"a"},"CODE":{"text":"b"}}}]}`, nil, importers.ErrDuplicateKey, "entry[0].resource"},
		{"escaped key", `{"resourceType":"Patient","id":"a","i\u0064":"b"}`, nil, importers.ErrDuplicateKey, ""},
		{"invalid UTF-8", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\xfcller\"}]}", nil, importers.ErrInvalidUTF8, "name[0].family"},
		{"NDJSON invalid UTF-8", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n{\"resourceType\":\"Patient\",\"id\":\"\xff\"}\n", nil, importers.ErrInvalidUTF8, "line 3"},
		{"NDJSON duplicate key", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\",\"ID\":\"c\"}\n", nil, importers.ErrDuplicateKey, "line 2"},
		{"XML DOCTYPE", `<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY x "y">]><Patient xmlns="http://hl7.org/fhir"><id value="a"/></Patient>`, nil, importers.ErrDoctype, ""},
		{"XML too deep", `<Patient xmlns="http://hl7.org/fhir">` + strings.Repeat("<extension>", 300) + strings.Repeat("</extension>", 300) + `</Patient>`, nil, importers.ErrTooDeep, "/Patient/extension"},
		{"oversize", `{"resourceType":"Patient","id":"` + strings.Repeat("a", 2000) + `"}`, func(l *importers.Limits) { l.MaxFileSize = 1000 }, importers.ErrTooLarge, ""},
		{"NDJSON line too long", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"" + strings.Repeat("b", 3000) + "\"}\n", func(l *importers.Limits) { l.MaxLineSize = 1000 }, importers.ErrTooLarge, "line 2"},
		{"too many resources", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n{\"resourceType\":\"Patient\",\"id\":\"c\"}\n", func(l *importers.Limits) { l.MaxResources = 2 }, importers.ErrTooLarge, "line 3"},
		{"not a resource", `{"name":"x"}`, nil, importers.ErrMalformed, "line 1"},
		{"truncated", `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"`, nil, importers.ErrMalformed, "entry[0].resource"},
		{"not JSON", `{resourceType: Patient}`, nil, importers.ErrMalformed, "line 1"},
		{"XML not FHIR", `<ClinicalDocument xmlns="urn:hl7-org:v3"/>`, nil, importers.ErrMalformed, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lim := importers.DefaultLimits()
			if tc.lim != nil {
				tc.lim(&lim)
			}
			start := time.Now()
			in := importers.BytesInput("hostile.json", []byte(tc.data))
			b, err := fhir.New().Read(context.Background(), in, &importers.Env{Limits: lim})
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if b != nil {
				t.Errorf("a batch came back with the error")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var ie *importers.Error
			if !errors.As(err, &ie) || ie.File != "hostile.json" {
				t.Fatalf("error %#v does not name the file", err)
			}
			if !strings.Contains(ie.Place, tc.place) {
				t.Errorf("place %q, want it to mention %q", ie.Place, tc.place)
			}
		})
	}
}

// fakeCCDA stands in for the C-CDA reader to test the hand-over: it
// claims ClinicalDocument XML and returns a batch naming what it got.
type fakeCCDA struct{ got []string }

func (f *fakeCCDA) Name() string { return "ccda" }
func (f *fakeCCDA) Sniff(in *importers.Input, head []byte) int {
	if _, local, ok := importers.SniffXML(head); ok && local == "ClinicalDocument" {
		return 90
	}
	return 0
}
func (f *fakeCCDA) Read(ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	data, err := in.ReadAll(env.Limits)
	if err != nil {
		return nil, err
	}
	f.got = append(f.got, in.Name)
	return &record.Batch{Source: record.Source{Format: "ccda"}, Original: data, Patients: []record.PatientRecords{{}}}, nil
}

func TestEmbeddedCCDA(t *testing.T) {
	doc := `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Summary</title></ClinicalDocument>`
	b64 := base64.StdEncoding.EncodeToString([]byte(doc))
	bundle := `{"resourceType":"Bundle","type":"searchset","entry":[
		{"fullUrl":"https://ehr.example/fhir/Binary/b1","resource":{"resourceType":"Binary","id":"b1","contentType":"application/xml","data":"` + b64 + `"}},
		{"fullUrl":"https://ehr.example/fhir/DocumentReference/d1","resource":{"resourceType":"DocumentReference","id":"d1","status":"current",
			"content":[{"attachment":{"contentType":"application/hl7-v3+xml","data":"` + b64 + `"}},{"attachment":{"contentType":"text/plain","data":"aGVsbG8="}}]}},
		{"fullUrl":"https://ehr.example/fhir/Binary/png","resource":{"resourceType":"Binary","id":"png","contentType":"image/png","data":"iVBORw0KGgo="}}]}`

	t.Run("with a C-CDA reader", func(t *testing.T) {
		fake := &fakeCCDA{}
		reg := importers.NewRegistry(fhir.New(), fake)
		b, err := reg.Read(context.Background(), importers.BytesInput("docs.json", []byte(bundle)), importers.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Parts) != 2 || len(b.Report.Parts) != 2 {
			t.Fatalf("%d parts, want 2 (the Binary's and the DocumentReference's C-CDA)", len(b.Parts))
		}
		if want := []string{"docs.json/entry[0].resource", "docs.json/entry[1].resource.content[0].attachment"}; !reflect.DeepEqual(fake.got, want) {
			t.Errorf("the C-CDA reader got %q, want %q", fake.got, want)
		}
		if string(b.Parts[0].Original) != doc || b.Parts[0].Source.SHA256 != importers.HashBytes([]byte(doc)) {
			t.Errorf("the part does not hold the decoded document")
		}
		if n := len(b.Patients[0].Resources); n != 3 {
			t.Errorf("%d resources kept, want the 3 carriers", n)
		}
	})
	t.Run("without one", func(t *testing.T) {
		b, err := read(t, "docs.json", []byte(bundle))
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Parts) != 0 || len(b.Patients[0].Resources) != 3 {
			t.Fatalf("parts %d, resources %d; want 0 and 3", len(b.Parts), len(b.Patients[0].Resources))
		}
		if len(b.Report.Warnings) != 2 || !strings.Contains(b.Report.Warnings[0], "kept as a document") {
			t.Errorf("warnings %q", b.Report.Warnings)
		}
	})
}

// TestPeople: a bulk export with many patients gives one group each, with
// the records about that patient and the shared resources they use.
func TestPeople(t *testing.T) {
	ndjson := func(lines ...string) string { return strings.Join(lines, "\n") + "\n" }
	dir := fstest.MapFS{
		"Patient.ndjson": {Data: []byte(ndjson(
			`{"resourceType":"Patient","id":"p1","name":[{"family":"One","given":["Ann"]}],"birthDate":"1970-01-01","generalPractitioner":[{"reference":"Practitioner/dr1"}]}`,
			`{"resourceType":"Patient","id":"p2","name":[{"family":"Two","given":["Bob"]}]}`))},
		"Condition.ndjson": {Data: []byte(ndjson(
			`{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"text":"Asthma"},"asserter":{"reference":"Practitioner/dr2"}}`,
			`{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p2"},"code":{"text":"Gout"}}`,
			`{"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/p9"},"code":{"text":"Unknown patient"}}`))},
		"Practitioner.ndjson": {Data: []byte(ndjson(
			`{"resourceType":"Practitioner","id":"dr1","name":[{"family":"House"}]}`,
			`{"resourceType":"Practitioner","id":"dr2","name":[{"family":"Grey"}],"extension":[{"url":"x","valueReference":{"reference":"Organization/o1"}}]}`,
			`{"resourceType":"Practitioner","id":"dr3","name":[{"family":"Nobody"}]}`))},
		"Organization.ndjson": {Data: []byte(ndjson(`{"resourceType":"Organization","id":"o1","name":"Clinic"}`))},
	}
	in := &importers.Input{Name: "export", Size: -1, Dir: dir}
	reg := importers.NewRegistry(fhir.New())
	b, err := reg.Read(context.Background(), in, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	got := groupsOf(b)
	want := map[string][]string{
		"p1 Ann One":        {"Condition/c1", "Organization/o1", "Practitioner/dr1", "Practitioner/dr2", "Practitioner/dr3"},
		"p2 Bob Two":        {"Condition/c2", "Practitioner/dr3"},
		"refers Patient/p9": {"Condition/c3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups\n got %v\nwant %v", got, want)
	}
	if b.Report.Format != "fhir-ndjson" || b.OpenOriginal == nil {
		t.Errorf("format %q, original %v", b.Report.Format, b.OpenOriginal != nil)
	}
	rc, err := b.OpenOriginal()
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zipped.ReadFrom(rc)
	rc.Close()
	if !bytes.HasPrefix(zipped.Bytes(), []byte("PK")) || !bytes.Contains(zipped.Bytes(), []byte("Condition.ndjson")) {
		t.Errorf("the folder's original is not a zip of its files")
	}
}

// groupsOf lists each patient group's resources by "PatientID Name", or
// "refers REF" for a group without a Patient that refers to one, or "(none)".
func groupsOf(b *record.Batch) map[string][]string {
	got := map[string][]string{}
	for _, g := range b.Patients {
		key := "(none)"
		switch {
		case g.Patient != nil:
			key = g.Patient.ID + " " + g.Person.Name
		case g.PatientRef != "":
			key = "refers " + g.PatientRef
		}
		got[key] = append(got[key], []string{}...)
		for _, r := range g.Resources {
			got[key] = append(got[key], r.Ref())
		}
	}
	return got
}

// TestSubject: a file with several Patients is about the one its records
// refer to; the others are kept with its records. Patients sharing a
// record number are one member unless their birth dates disagree. A file
// without a Patient is split by the patient its records refer to.
func TestSubject(t *testing.T) {
	bundle := func(rs ...string) []byte {
		var es []string
		for _, r := range rs {
			es = append(es, `{"resource":`+r+`}`)
		}
		return []byte(`{"resourceType":"Bundle","type":"collection","entry":[` + strings.Join(es, ",") + `]}`)
	}
	const (
		child    = `{"resourceType":"Patient","id":"kid","name":[{"family":"Lee","given":["Sam"]}],"birthDate":"2015-04-01","link":[{"other":{"reference":"Patient/foster"},"type":"seealso"}]}`
		guardian = `{"resourceType":"Patient","id":"foster","name":[{"family":"Park","given":["Ann"]}],"birthDate":"1980-01-01"}`
		cond     = `{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/kid"},"code":{"text":"Asthma"}}`
		imm      = `{"resourceType":"Immunization","id":"i1","patient":{"reference":"Patient/kid"},"vaccineCode":{"text":"MMR"},"status":"completed","occurrenceDateTime":"2016-04-01"}`
		memberA  = `{"resourceType":"Patient","id":"a","identifier":[{"system":"https://bluebutton.cms.gov/mbi","value":"1S00E00AA00"}],"name":[{"family":"Doe","given":["Jane"]}],"birthDate":"1950-02-03"}`
		memberB  = `{"resourceType":"Patient","id":"b","identifier":[{"system":"https://bluebutton.cms.gov/mbi","value":"1S00E00AA00"}],"birthDate":"1950-02-03"}`
		memberB2 = `{"resourceType":"Patient","id":"b","identifier":[{"system":"https://bluebutton.cms.gov/mbi","value":"1S00E00AA00"}],"birthDate":"1951-02-03"}`
		eobA     = `{"resourceType":"ExplanationOfBenefit","id":"e1","status":"active","patient":{"reference":"Patient/a"}}`
		eobB     = `{"resourceType":"ExplanationOfBenefit","id":"e2","status":"active","patient":{"reference":"Patient/b"}}`
	)
	for _, tc := range []struct {
		name  string
		data  []byte
		want  map[string][]string
		warns string
	}{
		{"a child's record with a guardian's Patient", bundle(child, guardian, cond, imm),
			map[string][]string{"kid Sam Lee": {"Patient/foster", "Condition/c1", "Immunization/i1"}}, "2 Patient resources"},
		{"the guardian listed first", bundle(guardian, cond, child),
			map[string][]string{"kid Sam Lee": {"Patient/foster", "Condition/c1"}}, "2 Patient resources"},
		{"one member seen by two systems", bundle(memberA, eobA, memberB, eobB),
			map[string][]string{"a Jane Doe": {"ExplanationOfBenefit/e1", "Patient/b", "ExplanationOfBenefit/e2"}}, ""},
		{"one member number, two birth dates", bundle(memberA, eobA, memberB2, eobB),
			map[string][]string{"a Jane Doe": {"ExplanationOfBenefit/e1"}, "b ": {"ExplanationOfBenefit/e2"}}, ""},
		{"records of two patients the file does not hold", bundle(cond, eobA, imm),
			map[string][]string{"refers Patient/kid": {"Condition/c1", "Immunization/i1"}, "refers Patient/a": {"ExplanationOfBenefit/e1"}}, ""},
		{"records of one patient the file does not hold", bundle(cond, `{"resourceType":"Practitioner","id":"dr"}`),
			map[string][]string{"refers Patient/kid": {"Condition/c1", "Practitioner/dr"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := read(t, "b.json", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(b); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("groups\n got %v\nwant %v", got, tc.want)
			}
			if w := strings.Join(b.Report.Warnings, "; "); tc.warns != "" && !strings.Contains(w, tc.warns) {
				t.Errorf("warnings %q do not say %q", w, tc.warns)
			}
		})
	}
}

// TestReferences: every form of reference is rewritten to Type/id.
func TestReferences(t *testing.T) {
	bundle := `{"resourceType":"Bundle","type":"collection","entry":[
	{"fullUrl":"https://ehr.example/fhir/Patient/123","resource":{"resourceType":"Patient","id":"123"}},
	{"fullUrl":"urn:uuid:0b5e5a6b-9f39-4f1a-8d5e-3b0d5c1e0001","resource":{"resourceType":"Practitioner","name":[{"family":"Who"}]}},
	{"fullUrl":"https://ehr.example/fhir/Location/l1","resource":{"resourceType":"Location","id":"l1","identifier":[{"system":"urn:x","value":"L-1"}],"name":"Ward"}},
	{"fullUrl":"https://ehr.example/fhir/Observation/o1","resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},
		"contained":[{"resourceType":"Device","id":"dev"}],"device":{"reference":"#dev"},
		"subject":{"reference":"Patient/123"},
		"performer":[{"reference":"urn:uuid:0b5e5a6b-9f39-4f1a-8d5e-3b0d5c1e0001"},{"reference":"https://ehr.example/fhir/Patient/123/_history/2"},{"reference":"Location?identifier=urn:x|L-1"},{"reference":"Organization/elsewhere"}]}}]}`
	b, err := read(t, "refs.json", []byte(bundle))
	if err != nil {
		t.Fatal(err)
	}
	var obs record.Resource
	for _, r := range b.Patients[0].Resources {
		if r.Type == "Observation" {
			obs = r
		}
	}
	got := references(obs.JSON)
	want := []string{"#dev", "Location/l1", "Organization/elsewhere", "Patient/123", "Patient/123", "Practitioner/0b5e5a6b-9f39-4f1a-8d5e-3b0d5c1e0001"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("references %q, want %q", got, want)
	}
	if b.Patients[0].Patient == nil || b.Patients[0].Patient.ID != "123" {
		t.Errorf("patient not found")
	}
	if len(b.Report.Warnings) != 1 || !strings.HasPrefix(b.Report.Warnings[0], "1 link to another record (such as a doctor, a clinic or a visit) points to a record this file does not hold") {
		t.Errorf("warnings %q", b.Report.Warnings)
	}
}

// TestShapes: searchset warnings, history versions, duplicates and ids.
func TestShapes(t *testing.T) {
	t.Run("searchset with a no-results outcome", func(t *testing.T) {
		b, err := read(t, "s.json", []byte(`{"resourceType":"Bundle","type":"searchset","total":0,"link":[{"relation":"next","url":"https://x/next"}],
			"entry":[{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"not-found","details":{"text":"No results found"}}]},"search":{"mode":"outcome"}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Report.Ignored) != 1 || b.Report.Ignored[0].Path != "entry[0].resource" || len(b.Report.Warnings) != 1 || !strings.Contains(b.Report.Warnings[0], "No results found") {
			t.Errorf("ignored %v warnings %q", b.Report.Ignored, b.Report.Warnings)
		}
		if len(b.Patients) != 1 || b.Patients[0].Patient != nil || len(b.Patients[0].Resources) != 0 {
			t.Errorf("patients %+v", b.Patients)
		}
	})
	t.Run("history keeps the first version", func(t *testing.T) {
		b, err := read(t, "h.json", []byte(`{"resourceType":"Bundle","type":"history","entry":[
			{"resource":{"resourceType":"Condition","id":"c","meta":{"versionId":"2"},"code":{"text":"Asthma, mild"}}},
			{"resource":{"resourceType":"Condition","id":"c","meta":{"versionId":"1"},"code":{"text":"Asthma"}}},
			{"request":{"method":"DELETE","url":"Condition/d"}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		rs := b.Patients[0].Resources
		if len(rs) != 1 || !bytes.Contains(rs[0].JSON, []byte(`"versionId":"2"`)) || len(b.Report.Ignored) != 2 {
			t.Errorf("resources %d, ignored %v", len(rs), b.Report.Ignored)
		}
	})
	t.Run("same id, other content", func(t *testing.T) {
		b, err := read(t, "d.json", []byte(`{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Condition","id":"c","code":{"text":"A"}}},
			{"resource":{"resourceType":"Condition","id":"c","code":{"text":"A"}}},
			{"resource":{"resourceType":"Condition","id":"c","code":{"text":"B"}}},
			{"resource":{"resourceType":"Condition","code":{"text":"no id"}}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range b.Patients[0].Resources {
			ids = append(ids, r.ID)
		}
		if len(ids) != 3 || ids[0] != "c" || ids[1] != "c-2" || !strings.HasPrefix(ids[2], "kf-") {
			t.Errorf("ids %q", ids)
		}
		if len(b.Report.Ignored) != 1 || len(b.Report.Warnings) != 1 {
			t.Errorf("ignored %v warnings %q", b.Report.Ignored, b.Report.Warnings)
		}
	})
	t.Run("single resource with BOM and CRLF", func(t *testing.T) {
		b, err := read(t, "p.txt", []byte("\xEF\xBB\xBF{\r\n  \"resourceType\": \"Patient\",\r\n  \"id\": \"x\"\r\n}\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if b.Patients[0].Patient == nil || b.Report.Format != "fhir-r4" || b.Source.Size != int64(len("{\r\n  \"resourceType\": \"Patient\",\r\n  \"id\": \"x\"\r\n}\r\n")) {
			t.Errorf("%+v", b.Report)
		}
	})
}

func TestSniff(t *testing.T) {
	r := fhir.New()
	big := []byte(`{"entry":[` + strings.Repeat(" ", importers.HeadSize))
	for _, tc := range []struct {
		name string
		head []byte
		want int
	}{
		{"bundle", []byte(`{"resourceType":"Bundle"}`), 90},
		{"bom and spaces", []byte("\xEF\xBB\xBF \n{\n \"resourceType\": \"Patient\""), 90},
		{"ndjson", []byte("{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\"}\n"), 90},
		{"xml", []byte(`<?xml version="1.0"?><Bundle xmlns="http://hl7.org/fhir"><type value="document"/>`), 90},
		{"json, resourceType later", big[:importers.HeadSize], 10},
		{"userinfo", []byte(`{"sub":"1","name":"John"}`), 0},
		{"cda", []byte(`<ClinicalDocument xmlns="urn:hl7-org:v3">`), 0},
		{"text", []byte(`hello`), 0},
	} {
		in := importers.BytesInput("x", tc.head)
		if got := r.Sniff(in, tc.head); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	in := &importers.Input{Name: "d", Size: -1, Dir: fstest.MapFS{"a.ndjson": {}, "b.txt": {}}}
	if got := r.Sniff(in, nil); got != 0 {
		t.Errorf("mixed folder: %d", got)
	}
	in.Dir = fstest.MapFS{"a.ndjson": {}, "manifest.json": {}}
	if got := r.Sniff(in, nil); got != 80 {
		t.Errorf("ndjson folder: %d", got)
	}
}
