package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the module's root folder (where go.mod is), so the end-to-end
// tests can reach every package's testdata corpus without counting "../".
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = up
	}
}

// copyDir copies the regular files of src (not its subfolders) into a new
// folder named name.
func copyDir(t *testing.T, src, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// A folder of NDJSON files (a bulk export) imports as one package, once:
// the folder again, or a copy of it under another name, changes nothing. It
// used to fail with "the file changed while it was being imported" (the
// folder's hash was compared with the hash of the zip it is kept as).
func TestKinImport_NDJSONFolder(t *testing.T) {
	bulk := filepath.Join(repoRoot(t), "importers/fhir/testdata/corpus/fhir-r4-ndjson/smart-bulk-synthea-10")
	_, env := newVault(t)
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", bulk), &reps)
	rep := reps[0]
	// Counted from the files: 555 Conditions, 11 AllergyIntolerances,
	// 161 Immunizations, 16 Devices (other).
	if rep.Format != "fhir-ndjson" || rep.Error != "" || rep.AlreadyImported {
		t.Fatalf("report: %+v", rep)
	}
	if got := rep.Added["condition"] + rep.Added["allergy"] + rep.Added["immunization"] + rep.Added["other"] + rep.Merged; got != 555+11+161+16 {
		t.Errorf("added and merged %d entries (%v, merged %d), the files hold %d records", got, rep.Added, rep.Merged, 555+11+161+16)
	}
	entries := len(listAll(t, env))
	for _, again := range []string{bulk, copyDir(t, bulk, "bulk-copy")} {
		var reps []importJSON
		jsonOut(t, mustKin(t, env, "import", "--json", again), &reps)
		if !reps[0].AlreadyImported || totalAdded(reps[0]) != 0 {
			t.Errorf("%s again: %+v", filepath.Base(again), reps[0])
		}
	}
	if n := len(listAll(t, env)); n != entries {
		t.Errorf("importing the folder again changed the entries: %d, then %d", entries, n)
	}

	// A folder holding only the Patient file: the people, and no records.
	one := t.TempDir()
	data, err := os.ReadFile(filepath.Join(bulk, "Patient.000.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(one, "Patient.000.ndjson"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, env2 := newVault(t)
	jsonOut(t, mustKin(t, env2, "import", "--json", one), &reps)
	if reps[0].Error != "" || reps[0].Format != "fhir-ndjson" || len(reps[0].NewProfiles) != 13 {
		t.Errorf("a folder of one Patient file: %+v", reps[0])
	}
}

// One odd field never hides a record: a number where FHIR has text, text
// where FHIR has an object. The entries are listed with what could be read,
// and the report names the fields.
func TestKinImport_OddFieldsStillShow(t *testing.T) {
	file := filepath.Join(t.TempDir(), "odd.json")
	bundle := `{"resourceType":"Bundle","type":"collection","entry":[
	 {"resource":{"resourceType":"Patient","id":"p","name":[{"family":"Okafor","given":["Ada"]}],"birthDate":"1970-05-06"}},
	 {"resource":{"resourceType":"Observation","id":"glu","status":"final","subject":{"reference":"Patient/p"},
	   "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
	   "code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},
	   "effectiveDateTime":"2022-05-08","issued":1652000000,"valueQuantity":{"value":5.4,"unit":"mmol/L"}}},
	 {"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"},"code":"Asthma",
	   "clinicalStatus":{"coding":[{"code":"active"}]},"onsetDateTime":"2001"}}]}`
	if err := os.WriteFile(file, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	_, env := newVault(t)
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", file), &reps)
	rep := reps[0]
	if rep.Added["lab"] != 1 || rep.Added["condition"] != 1 {
		t.Errorf("added %v, want the lab result and the problem", rep.Added)
	}
	var notes []string
	for _, w := range rep.Warnings {
		if strings.Contains(w, "FHIR R4 has") {
			notes = append(notes, w)
		}
	}
	want := []string{
		"a lab result (Observation/glu) has fields written in an unusual form, read anyway: Observation.issued: a number where FHIR R4 has text, read as text",
		"a problem (Condition/c) is shown without what could not be read: Condition.code: text where FHIR R4 has an object, left out",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
	var glucose *listedEntry
	es := listAll(t, env)
	for i := range es {
		if es[i].Title == "Glucose" {
			glucose = &es[i]
		}
	}
	if glucose == nil || len(es) != 2 {
		t.Fatalf("kin list: %+v", es)
	}
	show := mustKin(t, env, "show", glucose.ID)
	if !strings.Contains(show.stdout, "5.4") || !strings.Contains(show.stdout, "2022") {
		t.Errorf("kin show of the glucose result:\n%s", show.stdout)
	}
}

// Allergies are listed by their substance, never by their reaction
// (History_and_Physical.xml points each substance's text at its reaction),
// and kin show still gives the reaction.
func TestKinImport_AllergiesNamedBySubstance(t *testing.T) {
	doc := filepath.Join(repoRoot(t), "importers/ccda/testdata/corpus/ccda/hl7-c-cda-examples/History_and_Physical.xml")
	_, env := newVault(t)
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", doc), &reps)
	warned := 0
	for _, w := range reps[0].Warnings {
		if strings.Contains(w, "names its reaction, not the substance its code names") {
			warned++
		}
	}
	if warned != 3 {
		t.Errorf("%d warnings about allergy titles, want 3: %q", warned, reps[0].Warnings)
	}
	var titles []string
	var aspirin string
	for _, e := range listAll(t, env, "--kind", "allergy") {
		titles = append(titles, e.Title)
		if e.Title == "Aspirin" {
			aspirin = e.ID
		}
	}
	slices.Sort(titles)
	if got := strings.Join(titles, " | "); got != "ALLERGENIC EXTRACT, PENICILLIN | Aspirin | Codeine" {
		t.Errorf("allergies listed as %q", got)
	}
	if aspirin == "" {
		t.Fatal("no aspirin allergy")
	}
	if show := mustKin(t, env, "show", aspirin); !strings.Contains(show.stdout, "Wheal") {
		t.Errorf("kin show of the aspirin allergy does not give its reaction:\n%s", show.stdout)
	}
}

// Reports say where and why in words a caregiver understands; --json keeps
// the technical detail beside them.
func TestKinImport_MessagesSayWhereAndWhy(t *testing.T) {
	dir := t.TempDir()
	doctype := filepath.Join(dir, "referral.xml")
	if err := os.WriteFile(doctype, []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [ <!ENTITY x \"y\"> ]>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, env := newVault(t)
	r := kin(t, env, "import", doctype)
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "referral.xml: line 2, column 1: XML with a DOCTYPE is refused") {
		t.Errorf("a DOCTYPE on line 2: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A planned item without code or text, in a real document's plan.
	doc := filepath.Join(repoRoot(t), "importers/ccda/testdata/corpus/ccda/onc-intellichart/Transition_Of_Care_Ambulatory_for_Jeremy_Bates.xml")
	var raw []struct {
		Skipped []struct {
			Path, Reason, Detail string
		} `json:"skipped"`
	}
	jsonOut(t, mustKin(t, env, "import", "--json", doc), &raw)
	found := false
	for _, s := range raw[0].Skipped {
		if strings.Contains(s.Reason, "code or text") || strings.Contains(s.Reason, "FHIR") {
			t.Errorf("jargon in a reason: %q", s.Reason)
		}
		if s.Reason == "a procedure entry that does not say which procedure" && s.Detail == "the procedure has no code or text" && strings.HasPrefix(s.Path, "/ClinicalDocument/") {
			found = true
		}
	}
	if !found {
		t.Errorf("no skipped procedure with its reason and detail: %+v", raw[0].Skipped)
	}
}
