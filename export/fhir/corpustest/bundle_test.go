package corpustest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/export/fhir"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

func writeBundle(t testing.TB, in *export.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fhir.WriteBundle(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteBundle_RoundTrip: a person from three sources (two C-CDA
// documents from two EHRs and a FHIR file, with merged entries and
// conflicts), plus an entry typed in by hand, exported and imported into
// a new vault gives the same entries, merged the same way, for one
// person: each from the same sources (file, format, title, date, author,
// hash), with the same conflicts, the hand-entered one still the person's
// own.
func TestWriteBundle_RoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		hand  bool
	}{
		{"larson, three sources and a hand-entered entry", []string{larsonA, larsonB, larsonFHIR}, true},
		{"alberto, a Synthea record", []string{alberto}, false},
		{"wright, no known allergies", []string{wrightA, wrightB}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v1 := vaulttest.New(t)
			importFiles(t, v1, "", tc.files...)
			p := onlyPerson(t, v1)
			if tc.hand {
				if _, err := v1.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindMedication, Title: "Vitamin D 1000 IU",
					Date: record.MustDate("2024-01-05"), Value: "1", Unit: "capsule daily"}); err != nil {
					t.Fatal(err)
				}
			}
			data := writeBundle(t, input(t, v1, p.ID))

			b := readBack(t, "export.json", data)
			if b.Report.Format != "fhir-r4" || len(b.Report.Skipped) > 0 {
				t.Errorf("read back: %s", describe(&b.Report))
			}
			for _, w := range b.Report.Warnings {
				if strings.Contains(w, "references point to resources that are not in the file") || strings.Contains(w, "same id") {
					t.Errorf("read back: %s", w)
				}
			}
			// One part per source, each about the export's one person.
			in := input(t, v1, p.ID)
			if len(b.Parts) != len(in.Sources) {
				t.Fatalf("read back: %d parts for %d sources", len(b.Parts), len(in.Sources))
			}
			for _, part := range b.Parts {
				if len(part.Patients) != 1 || part.Patients[0].Person.Name != p.Name {
					t.Errorf("part %s: %d groups, the first about %q", part.Source.File, len(part.Patients), part.Patients[0].Person.Name)
				}
				if part.Source.Format != record.SelfReported && part.Patients[0].Patient == nil {
					t.Errorf("part %s has lost its own Patient", part.Source.File)
				}
			}

			v2 := vaulttest.New(t)
			importBytes(t, v2, "export.json", data)
			p2 := onlyPerson(t, v2)
			if p2.Name != p.Name || !p2.BirthDate.Equal(p.BirthDate) || p2.Sex != p.Sex {
				t.Errorf("person after the round trip: %+v, want %+v", p2, p)
			}
			before, after := entries(t, v1, p.ID), entries(t, v2, p2.ID)
			sameEntries(t, v1, before, v2, after)
			conflicts := 0
			for _, e := range after {
				if e.Conflict {
					conflicts++
				}
			}
			if tc.hand {
				if conflicts == 0 {
					t.Errorf("no conflicts after the round trip; the sources disagree on some facts")
				}
				hand := 0
				for _, e := range after {
					if e.Title == "Vitamin D 1000 IU" {
						hand++
						if _, err := v2.EditSelfReported(e.ID, record.SelfReport{Kind: record.KindMedication, Title: "Vitamin D 2000 IU",
							Date: record.MustDate("2024-01-05")}); err != nil {
							t.Errorf("the hand-entered entry after the round trip cannot be edited by hand: %v", err)
						}
					}
				}
				if hand != 1 {
					t.Errorf("%d hand-entered entries after the round trip, want 1", hand)
				}
			}
		})
	}
}

var _ = json.Valid

// TestWriteBundle_Structure: one Patient, first, holding each file's
// own Patient; every reference into the bundle resolves; one Provenance
// per source naming the file by its SHA-256 and listing what it gave.
func TestWriteBundle_Structure(t *testing.T) {
	v := vaulttest.New(t)
	importFiles(t, v, "", larsonA, larsonB, larsonFHIR)
	p := onlyPerson(t, v)
	in := input(t, v, p.ID)
	b := parseBundle(t, writeBundle(t, in))
	if b.ResourceType != "Bundle" || b.Type != "collection" || b.Timestamp != "2025-03-14T09:30:00Z" {
		t.Errorf("resourceType %q type %q timestamp %q", b.ResourceType, b.Type, b.Timestamp)
	}
	var pt struct {
		ID        string `json:"id"`
		Contained []struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id"`
			Meta         *struct {
				VersionID   string `json:"versionId"`
				LastUpdated string `json:"lastUpdated"`
			} `json:"meta"`
		} `json:"contained"`
		Link []struct {
			Other struct{ Reference string }
			Type  string
		} `json:"link"`
	}
	if typ, _ := b.resource(t, 0); typ != "Patient" {
		t.Fatalf("first entry is a %s", typ)
	}
	if err := json.Unmarshal(b.Entry[0].Resource, &pt); err != nil {
		t.Fatal(err)
	}
	if pt.ID != p.ID || len(pt.Contained) != 3 || len(pt.Link) != 3 {
		t.Errorf("the person's Patient: id %s, %d contained, %d links; want %s and one per file", pt.ID, len(pt.Contained), len(pt.Link), p.ID)
	}
	for _, c := range pt.Contained {
		if c.ResourceType != "Patient" || (c.Meta != nil && (c.Meta.VersionID != "" || c.Meta.LastUpdated != "")) {
			t.Errorf("contained %+v", c)
		}
	}
	if out := checkReferences(t, b); out > 0 {
		t.Logf("%d references name nothing in their file, kept as written", out)
	}

	type prov struct {
		Target []struct{ Reference string }
		Entity []struct {
			Role string
			What struct {
				Identifier struct{ System, Value string }
				Display    string
			}
		}
		Recorded string
	}
	patients, resources := 0, 0
	var provs []prov
	urlType := map[string]string{}
	for i := range b.Entry {
		typ, _ := b.resource(t, i)
		urlType[b.Entry[i].FullURL] = typ
		switch typ {
		case "Patient":
			patients++
		case "Provenance":
			var pv prov
			json.Unmarshal(b.Entry[i].Resource, &pv)
			provs = append(provs, pv)
		default:
			resources++
		}
	}
	if patients != 1 {
		t.Errorf("%d Patients in the bundle, want 1", patients)
	}
	if want := len(in.Resources) - 3; resources != want {
		t.Errorf("%d resources besides the person and Provenance, want %d (all but the files' Patients)", resources, want)
	}
	if len(provs) != len(in.Sources) {
		t.Fatalf("%d Provenance resources for %d sources", len(provs), len(in.Sources))
	}
	hashes := map[string]bool{}
	for _, s := range in.Sources {
		hashes[s.SHA256] = true
	}
	targets := 0
	for _, pv := range provs {
		if len(pv.Entity) != 1 || !hashes[pv.Entity[0].What.Identifier.Value] || pv.Entity[0].Role != "source" {
			t.Errorf("Provenance entity %+v does not name a source file by its hash", pv.Entity)
		}
		for _, tg := range pv.Target {
			if urlType[tg.Reference] == "" {
				t.Errorf("Provenance target %s is not in the bundle", tg.Reference)
			}
			if urlType[tg.Reference] != "Patient" {
				targets++
			}
		}
	}
	if targets != resources {
		t.Errorf("the Provenances name %d resources, the bundle holds %d", targets, resources)
	}
}

// TestWriteBundle_ReimportChangesNothing: importing our own export into
// the vault it came from adds nothing: its sources are the vault's own,
// already imported (by their hashes; the hand-entered entry by what it
// says), and so is importing the export of that round trip again.
func TestWriteBundle_ReimportChangesNothing(t *testing.T) {
	v := vaulttest.New(t)
	importFiles(t, v, "", larsonA, larsonB, larsonFHIR)
	p := onlyPerson(t, v)
	if _, err := v.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindAllergy, Title: "Latex", Note: "rash on gloves"}); err != nil {
		t.Fatal(err)
	}
	before := entries(t, v, p.ID)
	data := writeBundle(t, input(t, v, p.ID))
	res := importBytes(t, v, "export.json", data)
	if n := res.Report.TotalAdded(); n != 0 || len(res.NewProfiles) > 0 {
		t.Errorf("re-importing the export added %d entries and %d people", n, len(res.NewProfiles))
	}
	for _, part := range res.Report.Parts {
		if !part.AlreadyImported {
			t.Errorf("part %s (%s) is not reported as already imported", part.File, part.Format)
		}
	}
	sameEntries(t, v, before, v, entries(t, v, p.ID))

	v2 := vaulttest.New(t)
	importBytes(t, v2, "export.json", data)
	p2 := onlyPerson(t, v2)
	again := writeBundle(t, input(t, v2, p2.ID))
	res = importBytes(t, v2, "again.json", again)
	if n := res.Report.TotalAdded(); n != 0 {
		t.Errorf("importing the round trip's own export again added %d entries", n)
	}
	sameEntries(t, v, before, v2, entries(t, v2, p2.ID))
}

// TestWriteBundle_SameIDsInTwoFiles: two files that use the same ids for
// different resources stay apart, and each resource's references still
// name the resources of its own file.
func TestWriteBundle_SameIDsInTwoFiles(t *testing.T) {
	v := vaulttest.New(t)
	file := func(name, drug, doctor string) {
		data := []byte(`{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"Patient","id":"1","name":[{"family":"Ng","given":["Ada"]}],"birthDate":"1990-01-02"}},
{"resource":{"resourceType":"Practitioner","id":"1","name":[{"text":"` + doctor + `"}]}},
{"resource":{"resourceType":"Medication","id":"1","code":{"text":"` + drug + `"}}},
{"resource":{"resourceType":"MedicationRequest","id":"1","status":"active","intent":"order","medicationReference":{"reference":"Medication/1"},"subject":{"reference":"Patient/1"},"requester":{"reference":"Practitioner/1"},"authoredOn":"2024-02-0` + name[len(name)-1:] + `"}}]}`)
		importBytes(t, v, name, data)
	}
	file("a1", "Metformin 500 mg", "Dr. One")
	file("b2", "Lisinopril 10 mg", "Dr. Two")
	p := onlyPerson(t, v)
	before := entries(t, v, p.ID)
	if len(before) != 2 {
		t.Fatalf("%d entries, want the two prescriptions", len(before))
	}
	data := writeBundle(t, input(t, v, p.ID))
	checkReferences(t, parseBundle(t, data))
	v2 := vaulttest.New(t)
	importBytes(t, v2, "export.json", data)
	sameEntries(t, v, before, v2, entries(t, v2, onlyPerson(t, v2).ID))
}
