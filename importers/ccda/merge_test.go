package ccda

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// TestMerge_AcrossFormats checks that the same facts read from a C-CDA and
// from a FHIR R4 export of the same person come together: the patient
// matches the profile the C-CDA made, and each fact the FHIR export states
// merges into the entry the C-CDA made, with both sources listed. A
// different value or status is kept apart or flagged, never merged.
//
// The FHIR side is a hand-written fixture (testdata/merge) with the facts
// of the HL7 CCD_1 sample, built into entries with record.Project as the
// vault does, so this test needs no FHIR reader; an end-to-end version
// through the vault belongs with the vault's tests.
func TestMerge_AcrossFormats(t *testing.T) {
	b := readFile(t, "testdata/corpus/ccda/hl7-c-cda-examples/CCD_1.XML")
	held := map[string][]*record.Entry{}
	resolve := resolver(b)
	for _, r := range b.Patients[0].Resources {
		e, ok, err := record.Project(r, resolve)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			e.Sources = []string{"ccda"}
			k := record.MergeKey(&e)
			held[k] = append(held[k], &e)
		}
	}

	data, err := os.ReadFile("testdata/merge/eve_betterhalf_fhir_r4.json")
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		t.Fatal(err)
	}
	want := map[string]record.Outcome{
		"Condition/angina":              record.Merged,
		"AllergyIntolerance/penicillin": record.Merged,
		"Immunization/flu-1999":         record.Merged,
		"Observation/hgb":               record.Merged,
		"Observation/bp":                record.Merged,
		"MedicationRequest/albuterol":   record.Merged,
		"Procedure/polypectomy":         record.Merged,
		"Encounter/checkup":             record.Merged,
		"Observation/hgb-other-draw":    record.Added,    // another value: another fact
		"Condition/chest-pain-resolved": record.Conflict, // same problem, other status
	}
	seen := 0
	for _, raw := range bundle.Entry {
		r, err := record.ParseResource(raw.Resource)
		if err != nil {
			t.Fatal(err)
		}
		if r.Type == "Patient" {
			p, err := record.Decode[record.Patient](r)
			if err != nil {
				t.Fatal(err)
			}
			profile := record.Profile{ID: "eve", Name: b.Patients[0].Person.Name, BirthDate: b.Patients[0].Person.BirthDate,
				Sex: b.Patients[0].Person.Sex, Identifiers: b.Patients[0].Person.Identifiers}
			if m := record.MatchPatient(record.PersonFromPatient(p), []record.Profile{profile}); m.Outcome != record.Matched {
				t.Errorf("the FHIR patient does not match the C-CDA's: %+v", m)
			}
			continue
		}
		e, ok, err := record.Project(r, nil)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", r.Ref(), ok, err)
		}
		e.Sources = []string{"fhir"}
		k := record.MergeKey(&e)
		out, idx := record.Merge(held[k], &e)
		if out != want[r.Ref()] {
			var diff []string
			for _, h := range held[k] {
				_, d := record.Agrees(h, &e)
				diff = append(diff, d...)
			}
			t.Errorf("%s (key %s): %v, want %v; held %d, differing %v", r.Ref(), k, out, want[r.Ref()], len(held[k]), diff)
			continue
		}
		seen++
		if out == record.Merged {
			h := held[k][idx]
			if len(h.Sources) != 2 || h.Sources[0] != "ccda" || h.Sources[1] != "fhir" {
				t.Errorf("%s: merged entry's sources %v", r.Ref(), h.Sources)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d facts checked", seen, len(want))
	}
}
