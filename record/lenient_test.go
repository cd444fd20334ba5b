package record_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// One odd field never hides a resource: the entry shows every other field,
// and the problem names the field.
func TestProjectChecked_OddFields(t *testing.T) {
	for _, tc := range []struct {
		name     string
		json     string
		want     func(e record.Entry) bool
		problems []record.FieldProblem
	}{
		{"a number where FHIR has text", `{"resourceType":"Observation","id":"o","status":"final",
			"code":{"text":"Glucose"},"issued":1652000000,"valueQuantity":{"value":5.4,"unit":"mmol/L"}}`,
			func(e record.Entry) bool {
				return e.Title == "Glucose" && e.Value == "5.4" && e.Unit == "mmol/L" && e.Date.IsZero()
			},
			[]record.FieldProblem{{Field: "Observation.issued", Found: "a number", Want: "text", Kept: true}}},
		{"one object where R4 has a list (DSTU2 DiagnosticReport.category)", `{"resourceType":"DiagnosticReport","id":"d","status":"final",
			"category":{"coding":[{"system":"http://hl7.org/fhir/v2/0074","code":"RAD"}]},"code":{"text":"Chest X-ray"},"issued":"2016-02-01"}`,
			func(e record.Entry) bool {
				return e.Title == "Chest X-ray" && e.Kind == record.KindDocument && e.Category == "imaging" && e.Date == record.MustDate("2016-02-01")
			},
			[]record.FieldProblem{{Field: "DiagnosticReport.category", Found: "an object", Want: "a list", Kept: true}}},
		{"text where FHIR has an object", `{"resourceType":"Condition","id":"c","code":"not an object",
			"clinicalStatus":{"coding":[{"code":"active"}]},"onsetDateTime":"2019-04"}`,
			func(e record.Entry) bool {
				return e.Kind == record.KindCondition && e.Status == "active" && e.Date == record.MustDate("2019-04") && e.Title == "Unnamed problem"
			},
			[]record.FieldProblem{{Field: "Condition.code", Found: "text", Want: "an object"}}},
		{"a number written as text", `{"resourceType":"Observation","id":"o","code":{"text":"Weight"},
			"category":[{"coding":[{"code":"vital-signs"}]}],"valueQuantity":{"value":"72.50","unit":"kg"}}`,
			func(e record.Entry) bool { return e.Value == "72.50" && e.Kind == record.KindVital },
			[]record.FieldProblem{{Field: "Observation.valueQuantity.value", Found: "text", Want: "a number", Kept: true}}},
		{"a list where FHIR has one value", `{"resourceType":"Encounter","id":"e","status":"finished",
			"class":[{"code":"EMER"}],"period":{"start":"2020-01-02"}}`,
			func(e record.Entry) bool { return e.Title == "Emergency visit" && e.Category == "EMER" },
			[]record.FieldProblem{{Field: "Encounter.class", Found: "a list", Want: "an object", Kept: true}}},
		{"odd element inside a list", `{"resourceType":"AllergyIntolerance","id":"a","code":{"text":"Peanut"},
			"reaction":[{"manifestation":[{"text":"Hives"},"Swelling",{"text":"Wheezing"}]}]}`,
			func(e record.Entry) bool {
				return e.Title == "Peanut" && strings.Join(e.Reactions, ",") == "Hives,Wheezing"
			},
			[]record.FieldProblem{{Field: "AllergyIntolerance.reaction[0].manifestation[1]", Found: "text", Want: "an object"}}},
		{"true or false written as text", `{"resourceType":"MedicationRequest","id":"m","status":"active",
			"medicationCodeableConcept":{"text":"Albuterol"},"dosageInstruction":[{"asNeededBoolean":"true","route":{"text":"Inhaled"}}]}`,
			func(e record.Entry) bool { return e.Title == "Albuterol" && e.Dosage == "inhaled, as needed" },
			[]record.FieldProblem{{Field: "MedicationRequest.dosageInstruction[0].asNeededBoolean", Found: "text", Want: "true or false", Kept: true}}},
		{"nulls are nothing", `{"resourceType":"Condition","id":"c","code":{"coding":[null,{"display":"Asthma"}],"text":null},"note":null}`,
			func(e record.Entry) bool { return e.Title == "Asthma" }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok, problems, err := record.ProjectChecked(res(t, tc.json), nil)
			if err != nil || !ok {
				t.Fatalf("ok %v, err %v: the resource has no entry", ok, err)
			}
			if !tc.want(e) {
				t.Errorf("entry %+v", e)
			}
			if !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("problems %+v, want %+v", problems, tc.problems)
			}
		})
	}
}

func TestFieldProblem_String(t *testing.T) {
	for p, want := range map[record.FieldProblem]string{
		{Field: "Observation.issued", Found: "a number", Want: "text", Kept: true}:           "Observation.issued: a number where FHIR R4 has text, read as text",
		{Field: "DiagnosticReport.category", Found: "an object", Want: "a list", Kept: true}: "DiagnosticReport.category: an object where FHIR R4 has a list, read as a list of one",
		{Field: "Condition.code", Found: "text", Want: "an object"}:                          "Condition.code: text where FHIR R4 has an object, left out",
	} {
		if got := p.String(); got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	kept := []record.FieldProblem{{Field: "Observation.issued", Found: "a number", Want: "text", Kept: true}}
	if got, want := record.FieldProblemsNote(record.KindLab, "Observation/o1", kept),
		"a lab result (Observation/o1) has fields written in an unusual form, read anyway: Observation.issued: a number where FHIR R4 has text, read as text"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	lost := append(kept, record.FieldProblem{Field: "Observation.code", Found: "text", Want: "an object"})
	if got := record.FieldProblemsNote(record.KindLab, "Observation/o1", lost); !strings.HasPrefix(got, "a lab result (Observation/o1) is shown without what could not be read: ") ||
		!strings.HasSuffix(got, "; Observation.code: text where FHIR R4 has an object, left out") {
		t.Errorf("note %q", got)
	}
	if record.FieldProblemsNote(record.KindLab, "Observation/o1", nil) != "" {
		t.Error("a note without problems")
	}
}

// The lenient reader reads well-typed resources exactly as encoding/json
// does: every resource of the corpus, into every slim struct of its type.
func TestDecode_SameAsEncodingJSON(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*/*/*.json")
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	n := 0
	for _, f := range files {
		for _, r := range readBundle(t, f).resources {
			for _, v := range viewsOf(r.Type) {
				want := reflect.New(reflect.TypeOf(v).Elem()).Interface()
				if err := json.Unmarshal(r.JSON, want); err != nil {
					continue // a resource encoding/json cannot read (the lenient reader's case)
				}
				got, problems := decodeInto(t, r, v)
				if len(problems) > 0 {
					t.Errorf("%s %s: problems in a resource encoding/json reads: %v", f, r.Ref(), problems)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s: lenient reading differs from encoding/json", f, r.Ref())
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d resources compared", n)
	}
}

// viewsOf returns a new value of each slim struct for the resource type.
func viewsOf(typ string) []any {
	switch typ {
	case "Patient":
		return []any{new(record.Patient)}
	case "Condition":
		return []any{new(record.Condition)}
	case "MedicationRequest":
		return []any{new(record.MedicationRequest)}
	case "MedicationStatement":
		return []any{new(record.MedicationStatement)}
	case "Medication":
		return []any{new(record.Medication)}
	case "AllergyIntolerance":
		return []any{new(record.AllergyIntolerance)}
	case "Immunization":
		return []any{new(record.Immunization)}
	case "Observation":
		return []any{new(record.Observation)}
	case "DiagnosticReport":
		return []any{new(record.DiagnosticReport)}
	case "Procedure":
		return []any{new(record.Procedure)}
	case "Encounter":
		return []any{new(record.Encounter)}
	case "Composition":
		return []any{new(record.Composition)}
	case "CarePlan":
		return []any{new(record.CarePlan)}
	case "ExplanationOfBenefit":
		return []any{new(record.ExplanationOfBenefit)}
	case "Claim":
		return []any{new(record.Claim)}
	case "Practitioner":
		return []any{new(record.Practitioner)}
	case "Organization":
		return []any{new(record.Organization)}
	case "Device":
		return []any{new(record.Device)}
	}
	return nil
}

// decodeInto reads r with DecodeChecked into a value of v's type.
func decodeInto(t *testing.T, r record.Resource, v any) (any, []record.FieldProblem) {
	t.Helper()
	var got any
	var problems []record.FieldProblem
	var err error
	switch v.(type) {
	case *record.Patient:
		got, problems, err = record.DecodeChecked[record.Patient](r)
	case *record.Condition:
		got, problems, err = record.DecodeChecked[record.Condition](r)
	case *record.MedicationRequest:
		got, problems, err = record.DecodeChecked[record.MedicationRequest](r)
	case *record.MedicationStatement:
		got, problems, err = record.DecodeChecked[record.MedicationStatement](r)
	case *record.Medication:
		got, problems, err = record.DecodeChecked[record.Medication](r)
	case *record.AllergyIntolerance:
		got, problems, err = record.DecodeChecked[record.AllergyIntolerance](r)
	case *record.Immunization:
		got, problems, err = record.DecodeChecked[record.Immunization](r)
	case *record.Observation:
		got, problems, err = record.DecodeChecked[record.Observation](r)
	case *record.DiagnosticReport:
		got, problems, err = record.DecodeChecked[record.DiagnosticReport](r)
	case *record.Procedure:
		got, problems, err = record.DecodeChecked[record.Procedure](r)
	case *record.Encounter:
		got, problems, err = record.DecodeChecked[record.Encounter](r)
	case *record.Composition:
		got, problems, err = record.DecodeChecked[record.Composition](r)
	case *record.CarePlan:
		got, problems, err = record.DecodeChecked[record.CarePlan](r)
	case *record.ExplanationOfBenefit:
		got, problems, err = record.DecodeChecked[record.ExplanationOfBenefit](r)
	case *record.Claim:
		got, problems, err = record.DecodeChecked[record.Claim](r)
	case *record.Practitioner:
		got, problems, err = record.DecodeChecked[record.Practitioner](r)
	case *record.Organization:
		got, problems, err = record.DecodeChecked[record.Organization](r)
	case *record.Device:
		got, problems, err = record.DecodeChecked[record.Device](r)
	default:
		t.Fatalf("no view %T", v)
	}
	if err != nil {
		t.Fatalf("%s: %v", r.Ref(), err)
	}
	return got, problems
}

func TestDecode_Strings(t *testing.T) {
	for _, s := range []string{`"plain"`, `"caf\u00e9 \"quoted\" back\\slash \/ tab\t nl\n"`,
		`"emoji \ud83d\ude00 and lone \ud83d high"`, `"bad \u12 hex"`, "\"raw \xff byte\"", `""`} {
		js := `{"resourceType":"Organization","id":"x","name":` + s + `}`
		var want struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal([]byte(js), &want); err != nil {
			// Not JSON encoding/json reads; the lenient reader must still not fail on it.
			if _, err := record.Decode[record.Organization](record.Resource{Type: "Organization", JSON: []byte(js)}); err != nil {
				t.Errorf("%s: %v", s, err)
			}
			continue
		}
		o, err := record.Decode[record.Organization](record.Resource{Type: "Organization", JSON: []byte(js)})
		if err != nil || o.Name != want.Name {
			t.Errorf("%s: got %q, %v; encoding/json reads %q", s, o.Name, err, want.Name)
		}
	}
}

func TestDecode_BadJSON(t *testing.T) {
	for _, bad := range []string{`{"resourceType":"Condition","code":{"text":"x"`, `{"resourceType":"Condition",}`,
		`{"resourceType":"Condition","code":{"text" "x"}}`, `{"resourceType":"Condition"} trailing`, `[1]`, ``,
		`{"resourceType":"Condition","note":[` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `]}`,
		`{"resourceType":"Condition","code":` + strings.Repeat(`{"x":`, 2000) + `1` + strings.Repeat("}", 2000) + `}`} {
		r := record.Resource{Type: "Condition", JSON: []byte(bad)}
		if _, _, err := record.Project(r, nil); !errors.Is(err, record.ErrNotResource) {
			t.Errorf("Project(%.60q) = %v, want ErrNotResource", bad, err)
		}
	}
}

// FuzzDecode: the lenient reader never panics, reads every well-formed JSON
// object, and reads what encoding/json reads the same way when it reports
// no problem.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*/*/*.json")
	for _, file := range files {
		for _, r := range readBundle(f, file).resources {
			if r.Type == "Observation" && len(r.JSON) < 4096 {
				f.Add([]byte(r.JSON))
				break
			}
		}
	}
	for _, s := range []string{`{"resourceType":"Observation","issued":1652000000,"code":{"text":"x"}}`,
		`{"category":{"coding":[]},"valueQuantity":{"value":"1"}}`, `{"component":[{"code":[{"text":"a"}]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := record.Resource{Type: "Observation", JSON: data}
		o, problems, err := record.DecodeChecked[record.Observation](r)
		if json.Valid(data) && strings.HasPrefix(strings.TrimLeft(string(data), " \t\r\n"), "{") && err != nil && !strings.Contains(string(data), "[[[[") {
			t.Fatalf("a well-formed object was refused: %v", err)
		}
		if err != nil || len(problems) > 0 || !json.Valid(data) {
			return
		}
		var want record.Observation
		if json.Unmarshal(data, &want) != nil || lowerKeysDiffer(data) {
			return
		}
		if !reflect.DeepEqual(*o, want) {
			t.Fatalf("differs from encoding/json:\n got %+v\nwant %+v", *o, want)
		}
	})
}

// lowerKeysDiffer reports JSON where encoding/json rightly reads otherwise:
// a key that matches a field only when case is ignored (FHIR's keys are
// exact, encoding/json's are not), or an object holding one key twice.
func lowerKeysDiffer(data []byte) bool {
	tags := map[string]bool{}
	var collect func(t reflect.Type)
	seenT := map[reflect.Type]bool{}
	collect = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seenT[t] {
			return
		}
		seenT[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			tags[name] = true
			collect(f.Type)
		}
	}
	collect(reflect.TypeFor[record.Observation]())
	type level struct {
		obj, wantKey bool
		keys         map[string]bool
	}
	var stack []*level
	dec := json.NewDecoder(strings.NewReader(string(data)))
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := (*level)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if top != nil && top.obj {
					top.wantKey = false
				}
				stack = append(stack, &level{obj: true, wantKey: true, keys: map[string]bool{}})
			case '[':
				if top != nil && top.obj {
					top.wantKey = false
				}
				stack = append(stack, &level{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if top != nil && top.obj && top.wantKey {
				if top.keys[v] {
					return true
				}
				top.keys[v] = true
				if !tags[v] {
					for tag := range tags {
						if strings.EqualFold(tag, v) {
							return true
						}
					}
				}
				top.wantKey = false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// BenchmarkProject projects every resource of the corpus, as an import
// does; MB/s counts the resources' JSON.
func BenchmarkProject(b *testing.B) {
	files, _ := filepath.Glob("testdata/corpus/*/*/*.json")
	var all []record.Resource
	var resolvers []record.Resolver
	var n int64
	for _, f := range files {
		bd := readBundle(b, f)
		for _, r := range bd.resources {
			all = append(all, r)
			resolvers = append(resolvers, bd.resolve)
			n += int64(len(r.JSON))
		}
	}
	b.SetBytes(n)
	for b.Loop() {
		for i, r := range all {
			if _, _, err := record.Project(r, resolvers[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
