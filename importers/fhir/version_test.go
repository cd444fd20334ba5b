package fhir

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// corpusResources returns each JSON corpus file's resources (Bundle entries
// at any depth, NDJSON lines, or the file itself), with the version the
// whole file reads as.
func corpusResources(t *testing.T) map[string]struct {
	version  string
	resource [][]byte
} {
	t.Helper()
	files, _ := filepath.Glob("testdata/corpus/*/*/*.json")
	nd, _ := filepath.Glob("testdata/corpus/*/*/*.ndjson")
	files = append(files, nd...)
	if len(files) < 30 {
		t.Fatalf("only %d corpus files", len(files))
	}
	out := map[string]struct {
		version  string
		resource [][]byte
	}{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := New().Read(context.Background(), importers.BytesInput(filepath.Base(f), data), nil)
		if err != nil {
			continue // not FHIR (a bulk export's log, an error response)
		}
		var res [][]byte
		var collect func(raw []byte)
		collect = func(raw []byte) {
			var head struct {
				ResourceType string `json:"resourceType"`
				Entry        []struct {
					Resource json.RawMessage `json:"resource"`
				} `json:"entry"`
			}
			if json.Unmarshal(raw, &head) != nil {
				return
			}
			if head.ResourceType == "" {
				return
			}
			if head.ResourceType != "Bundle" {
				res = append(res, raw)
				return
			}
			for _, e := range head.Entry {
				if len(e.Resource) > 0 {
					collect(e.Resource)
				}
			}
		}
		if strings.HasSuffix(f, ".ndjson") {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 16<<20)
			for sc.Scan() {
				collect(append([]byte(nil), sc.Bytes()...))
			}
		} else {
			collect(data)
		}
		out[f] = struct {
			version  string
			resource [][]byte
		}{b.Report.Version, res}
	}
	return out
}

func converted(t *testing.T, raw []byte, v version) string {
	t.Helper()
	tree, err := jsontree.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	o := tree.(*obj)
	convert(o, v)
	return string(jsontree.Append(nil, o))
}

func parseVersion(s string) version {
	switch s {
	case "DSTU2":
		return vDSTU2
	case "STU3":
		return vSTU3
	}
	return vR4
}

// A lone resource, without its file (and without a version stamp, which
// files rarely carry), reads as it does in its file: its shape tells its
// version wherever the version changes how it is converted to R4.
func TestVersion_LoneResourcesReadAsInTheirFile(t *testing.T) {
	n := 0
	for f, c := range corpusResources(t) {
		fileVersion := parseVersion(c.version)
		for _, raw := range c.resource {
			it := &item{}
			it.analyzeObject(raw)
			lone := it.votes.decide()
			n++
			if lone == fileVersion {
				continue
			}
			if got, want := converted(t, raw, lone), converted(t, raw, fileVersion); got != want {
				t.Errorf("%s: a lone %s reads as %s, its file as %s, and they convert differently:\n got %.300s\nwant %.300s",
					f, it.typ, lone, fileVersion, got, want)
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d resources tried", n)
	}
}

// Every corpus file reads as the same version with every version stamp
// removed (fhirVersion members, a CapabilityStatement or Conformance, meta
// profiles).
func TestVersion_CorpusWithoutStamps(t *testing.T) {
	for f, c := range corpusResources(t) {
		var kept [][]byte
		for _, raw := range c.resource {
			tree, err := jsontree.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			o := tree.(*obj)
			switch o.Str("resourceType") {
			case "CapabilityStatement", "Conformance", "TerminologyCapabilities":
				continue
			}
			o.Delete("fhirVersion")
			if m := o.Obj("meta"); m != nil {
				m.Delete("profile")
			}
			kept = append(kept, jsontree.Append(nil, o))
		}
		if len(kept) == 0 {
			continue
		}
		var b bytes.Buffer
		b.WriteString(`{"resourceType":"Bundle","type":"collection","entry":[`)
		for i, r := range kept {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"resource":`)
			b.Write(r)
			b.WriteByte('}')
		}
		b.WriteString(`]}`)
		got, err := New().Read(context.Background(), importers.BytesInput("unstamped.json", b.Bytes()), nil)
		if err != nil {
			t.Errorf("%s without stamps: %v", f, err)
			continue
		}
		if got.Report.Version != c.version {
			t.Errorf("%s without stamps reads as %s, with them as %s", f, got.Report.Version, c.version)
		}
	}
}

// Shapes only one version has, in resources written by hand after the
// specifications, each read alone: the version, and the R4 resource made.
func TestVersion_Shapes(t *testing.T) {
	for _, tc := range []struct {
		name, json, version, want string
	}{
		{"DSTU2 Observation: one category", `{"resourceType":"Observation","id":"o","status":"final","category":{"coding":[{"code":"laboratory"}]},"code":{"text":"Glucose"}}`,
			"DSTU2", `"category":[{"coding":[{"code":"laboratory"}]}]`},
		{"DSTU2 DiagnosticReport: one category and one performer", `{"resourceType":"DiagnosticReport","id":"d","status":"final","category":{"text":"Radiology"},"code":{"text":"Chest X-ray"},"performer":{"reference":"Practitioner/p"},"issued":"2016-01-01T00:00:00Z"}`,
			"DSTU2", `"category":[{"text":"Radiology"}]`},
		{"STU3 DiagnosticReport: one category", `{"resourceType":"DiagnosticReport","id":"d","status":"final","category":{"text":"Radiology"},"code":{"text":"Chest X-ray"},"performer":[{"actor":{"reference":"Practitioner/p"}}]}`,
			"STU3", `"performer":[{"reference":"Practitioner/p"}]`},
		{"DSTU2 Patient: family a list", `{"resourceType":"Patient","id":"p","name":[{"family":["Rivera"],"given":["Ana"]}],"birthDate":"1980-02-14"}`,
			"DSTU2", `"family":"Rivera"`},
		{"STU3 MedicationRequest: dose in the dosage", `{"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order","medicationCodeableConcept":{"text":"Amoxicillin"},"dosageInstruction":[{"doseQuantity":{"value":500,"unit":"mg"}}]}`,
			"STU3", `"doseAndRate":[{"doseQuantity":{"value":500,"unit":"mg"}}]`},
		{"STU3 Procedure: not done", `{"resourceType":"Procedure","id":"x","status":"suspended","notDone":true,"code":{"text":"Colonoscopy"}}`,
			"STU3", `"status":"not-done"`},
		{"DSTU2 Organization: one type", `{"resourceType":"Organization","id":"o","type":{"text":"Clinic"},"name":"Valley Clinic"}`,
			"DSTU2", `"type":[{"text":"Clinic"}]`},
		{"DSTU2 MedicationOrder", `{"resourceType":"MedicationOrder","id":"m","status":"active","medicationCodeableConcept":{"text":"Lisinopril"},"dateWritten":"2015-01-01"}`,
			"DSTU2", `"resourceType":"MedicationRequest"`},
		{"STU3 ProcedureRequest", `{"resourceType":"ProcedureRequest","id":"r","status":"active","intent":"order","code":{"text":"MRI"}}`,
			"STU3", `"resourceType":"ProcedureRequest"`},
		{"R4 ServiceRequest", `{"resourceType":"ServiceRequest","id":"r","status":"active","intent":"order","category":{"text":"Imaging"},"code":{"text":"MRI"}}`,
			"R4", `"category":{"text":"Imaging"}`},
		{"nothing older: R4", `{"resourceType":"Observation","id":"o","status":"final","code":{"text":"Glucose"},"valueQuantity":{"value":5.4}}`,
			"R4", `"valueQuantity":{"value":5.4}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New().Read(context.Background(), importers.BytesInput("lone.json", []byte(tc.json)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if b.Report.Version != tc.version {
				t.Errorf("read as %s, want %s", b.Report.Version, tc.version)
			}
			var got []byte
			for _, g := range b.Patients {
				if g.Patient != nil {
					got = append(got, g.Patient.JSON...)
				}
				for _, r := range g.Resources {
					got = append(got, r.JSON...)
				}
			}
			if !bytes.Contains(got, []byte(tc.want)) {
				t.Errorf("the R4 resource does not hold %s:\n%s", tc.want, got)
			}
			// And the record view has no problem with it.
			for _, g := range b.Patients {
				for _, r := range g.Resources {
					if _, _, problems, err := record.ProjectChecked(r, nil); err != nil || len(problems) > 0 && tc.version != "R4" {
						t.Errorf("%s: %v %v", r.Ref(), problems, err)
					}
				}
			}
		})
	}
}
