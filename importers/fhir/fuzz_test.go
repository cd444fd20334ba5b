package fhir_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/record"
)

// fuzzLimits keep each fuzz run cheap while exercising every limit.
func fuzzLimits() importers.Limits {
	l := importers.DefaultLimits()
	l.MaxFileSize = 1 << 20
	l.MaxLineSize = 64 << 10
	l.MaxDepth = 64
	l.MaxResources = 2000
	return l
}

// fuzzRead reads data and checks the reader's promises: no panic, an
// error comes alone, a batch accounts for its resources and holds JSON.
func fuzzRead(t *testing.T, name string, data []byte) {
	in := importers.BytesInput(name, data)
	b, err := fhir.New().Read(context.Background(), in, &importers.Env{Limits: fuzzLimits()})
	if err != nil {
		if b != nil {
			t.Fatalf("error %v with a batch", err)
		}
		if _, ok := err.(*importers.Error); !ok {
			t.Fatalf("error %T is not an *importers.Error", err)
		}
		return
	}
	if b == nil || len(b.Patients) == 0 && len(b.Parts) == 0 {
		t.Fatal("no error and no batch")
	}
	var groups []record.PatientRecords
	b.Walk(func(x *record.Batch) { groups = append(groups, x.Patients...) })
	for _, g := range groups {
		if g.Patient != nil {
			if err := importers.CheckJSON(g.Patient.JSON, importers.DefaultLimits()); err != nil {
				t.Fatalf("stored Patient JSON is not sound: %v\n%s", err, g.Patient.JSON)
			}
		}
		for _, r := range g.Resources {
			if r.Type == "" || r.ID == "" {
				t.Fatalf("a resource without type or id: %q", r.JSON)
			}
			if err := importers.CheckJSON(r.JSON, importers.DefaultLimits()); err != nil {
				t.Fatalf("stored JSON is not sound: %v\n%s", err, r.JSON)
			}
			record.Project(r, nil) // must not panic
		}
	}
}

func seedCorpus(f *testing.F, pattern string, max int) {
	paths, _ := filepath.Glob(filepath.Join(corpus, pattern))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > max {
			continue
		}
		f.Add(data)
	}
}

// FuzzReadFHIR feeds FHIR JSON and XML to the reader.
func FuzzReadFHIR(f *testing.F) {
	seedCorpus(f, "*/*/*.json", 64<<10)
	seedCorpus(f, "*/*/*.xml", 64<<10)
	f.Add([]byte(`{"resourceType":"Bundle","type":"history","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:2"}}},{"fullUrl":"urn:uuid:2","resource":{"resourceType":"Patient"}}]}`))
	f.Add([]byte(`{"resourceType":"MedicationOrder","patient":{"reference":"Patient/1"},"dosageInstruction":[{"doseQuantity":{"value":1}}]}`))
	// Kinfolio's own export (read back one source at a time) and a
	// summary whose required sections are empty.
	if data, err := os.ReadFile(filepath.Join("testdata", "kinfolio-export.json")); err == nil {
		f.Add(data)
	}
	f.Add(ipsDoc(``, section("48765-2", nilKnownOn), section("10160-0", unavailable), section("11450-4", ipsNoProblems)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "fuzz.json", data)
	})
}

// FuzzReadNDJSON feeds NDJSON lines to the reader.
func FuzzReadNDJSON(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(corpus, "fhir-r4-ndjson/*/*.ndjson"))
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		lines := bytes.SplitAfter(data, []byte("\n"))
		if len(lines) > 3 {
			lines = lines[:3]
		}
		f.Add(bytes.Join(lines, nil))
	}
	f.Add([]byte("{\"resourceType\":\"Patient\",\"id\":\"a\"}\n\n{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/a\"}}\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "fuzz.ndjson", data)
	})
}
