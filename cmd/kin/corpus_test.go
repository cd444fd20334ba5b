package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
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
	for _, w := range rep.Warnings {
		// The practitioners and clinics the reader gives to each person
		// are one resource of the file each, not copies in it.
		if strings.Contains(w, "appears more than once") {
			t.Errorf("a warning about a resource the file holds once: %s", w)
			break
		}
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

// TestKinImport_Corpus imports every file and folder of the project's test
// corpora (every testdata/corpus), each into a fresh vault, through the
// built kin, and holds each report against a count of what the file holds
// made here, independently of the readers: the clinical resources of a FHIR
// file, the entries of a C-CDA document's coded sections, the measurements
// of an Apple Health export. A file is accounted for when what its report
// added, merged and skipped covers that count; the entries kin list shows
// are the ones the report says it added. Files that hold no health record
// import nothing, or fail with a sentence naming the file; none fails
// otherwise, and none panics.
func TestKinImport_Corpus(t *testing.T) {
	root := repoRoot(t)
	inputs := corpusInputs(t, root)
	if len(inputs) < 80 {
		t.Fatalf("only %d corpus inputs under %s", len(inputs), root)
	}
	template, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Someone")
	tmpl, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	accounted := 0
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in)
		want := countHealthRecords(t, in)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			vault := filepath.Join(t.TempDir(), "v.kinfolio")
			if err := os.WriteFile(vault, tmpl, 0o600); err != nil {
				t.Fatal(err)
			}
			env := []string{"KINFOLIO_PASSPHRASE=" + testPassphrase, "KINFOLIO_VAULT=" + vault}
			r := kin(t, env, "import", "--json", in)
			var reps []importJSON
			if r.code == 0 || r.code == 1 {
				jsonOut(t, r, &reps)
			}
			switch {
			case want == 0 && r.code == 1:
				if len(reps) != 1 || !strings.Contains(reps[0].Error, filepath.Base(in)) {
					t.Errorf("a file with no health record failed without a sentence naming it: %s %+v", r.stderr, reps)
				}
				return
			case r.code != 0:
				t.Fatalf("kin import: exit %d\nstdout: %.500s\nstderr: %.500s", r.code, r.stdout, r.stderr)
			}
			rep := reps[0]
			got := reportAccounted(rep)
			t.Logf("holds %d, accounted %d", want, got)
			if got < want {
				t.Errorf("accounted for %d of the %d health records the file holds (added %v, merged %d, skipped %d)", got, want, rep.Added, rep.Merged, len(rep.Skipped))
			}
			if n := len(listAll(t, env)); n != totalAdded(rep) {
				t.Errorf("kin list shows %d entries, the report says %d were added", n, totalAdded(rep))
			}
		})
		accounted++
	}
	t.Logf("%d corpus inputs imported end to end", accounted)
}

// reportAccounted is what a report accounts for: added, merged and skipped,
// taken from its parts when a package counts them there.
func reportAccounted(r importJSON) int {
	own := r.Merged + len(r.Skipped)
	for _, n := range r.Added {
		own += n
	}
	sub := 0
	for _, p := range r.Parts {
		sub += reportAccounted(p)
	}
	return max(own, sub)
}

// corpusInputs lists every file of every testdata/corpus under root, and
// the folders imported as one (a bulk export of NDJSON files, an unpacked
// Apple Health export), each content once.
func corpusInputs(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	seen := map[[32]byte]bool{}
	add := func(p string, content []byte) {
		sum := sha256.Sum256(content)
		if !seen[sum] {
			seen[sum] = true
			out = append(out, p)
		}
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return fs.SkipDir
		}
		if !strings.Contains(filepath.ToSlash(p), "/testdata/corpus/") {
			return nil
		}
		if d.IsDir() {
			if folderInput(t, p) {
				var all []byte
				ents, _ := os.ReadDir(p)
				for _, e := range ents {
					b, _ := os.ReadFile(filepath.Join(p, e.Name()))
					all = append(append(all, e.Name()...), b...)
				}
				add(p, all)
			}
			return nil
		}
		switch d.Name() {
		case "README.md", "MANIFEST.tsv":
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		add(p, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// folderInput reports a folder that is one import: NDJSON files (a bulk
// export), or an Apple Health export's export.xml with its folders.
func folderInput(t *testing.T, dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ndjson := 0
	for _, e := range ents {
		switch {
		case e.Name() == "export.xml":
			return true
		case strings.HasSuffix(e.Name(), ".ndjson"):
			ndjson++
		}
	}
	return ndjson > 0 && ndjson == len(ents)
}

// clinicalTypes are the FHIR resource types that hold a health record of
// their own (the others describe people, places and things).
var clinicalTypes = map[string]bool{"Condition": true, "MedicationRequest": true, "MedicationStatement": true,
	"MedicationOrder": true, "MedicationDispense": true, "MedicationAdministration": true, "AllergyIntolerance": true,
	"Immunization": true, "Observation": true, "Procedure": true, "Encounter": true, "DiagnosticReport": true,
	"DocumentReference": true, "ExplanationOfBenefit": true, "CarePlan": true, "Goal": true,
	"FamilyMemberHistory": true, "Device": true, "DeviceUseStatement": true, "ImagingStudy": true,
	"ServiceRequest": true, "Claim": true, "Coverage": true}

// codedSections are the LOINC codes of the C-CDA sections whose entries
// are coded health records: problems, medications, allergies, results,
// vital signs, procedures, immunizations, encounters, plan of care,
// social and family history, medical equipment, functional status.
var codedSections = map[string]bool{"11450-4": true, "10160-0": true, "48765-2": true, "11369-6": true,
	"30954-2": true, "8716-3": true, "47519-4": true, "46240-8": true, "29762-2": true, "18776-5": true,
	"10157-6": true, "46264-8": true, "48768-6": true, "61146-7": true, "75310-3": true, "47420-5": true,
	"10164-2": true, "11348-0": true}

// appleMeasurements are the Apple Health record types that are health
// measurements (vital signs, body measurements, glucose).
var appleMeasurements = map[string]bool{"HKQuantityTypeIdentifierHeartRate": true, "HKQuantityTypeIdentifierBodyMass": true,
	"HKQuantityTypeIdentifierBodyMassIndex": true, "HKQuantityTypeIdentifierHeight": true,
	"HKQuantityTypeIdentifierBloodPressureSystolic": true, "HKQuantityTypeIdentifierBloodPressureDiastolic": true,
	"HKQuantityTypeIdentifierBodyTemperature": true, "HKQuantityTypeIdentifierOxygenSaturation": true,
	"HKQuantityTypeIdentifierRespiratoryRate": true, "HKQuantityTypeIdentifierBloodGlucose": true}

// countHealthRecords counts the health records an input holds, by reading
// it with the standard library alone.
func countHealthRecords(t *testing.T, path string) int {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		n := 0
		ents, _ := os.ReadDir(path)
		for _, e := range ents {
			if e.Type().IsRegular() {
				n += countHealthRecords(t, filepath.Join(path, e.Name()))
			}
		}
		return n
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return countContent(t, data)
}

func countContent(t *testing.T, data []byte) int {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(data, []byte("PK")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return 0
		}
		n := 0
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err == nil {
				n += countContent(t, b)
			}
		}
		return n
	case bytes.HasPrefix(trimmed, []byte("<")):
		return countXML(trimmed)
	case bytes.HasPrefix(trimmed, []byte("{")):
		var v any
		if json.Unmarshal(trimmed, &v) == nil {
			return countFHIR(v)
		}
		n := 0
		sc := bufio.NewScanner(bytes.NewReader(trimmed))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			if json.Unmarshal(sc.Bytes(), &v) == nil {
				n += countFHIR(v)
			}
		}
		return n
	}
	return 0
}

// countFHIR counts the clinical resources of a resource or Bundle.
func countFHIR(v any) int {
	o, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	typ, _ := o["resourceType"].(string)
	if typ != "Bundle" {
		if clinicalTypes[typ] {
			return 1
		}
		return 0
	}
	n := 0
	entries, _ := o["entry"].([]any)
	for _, e := range entries {
		if eo, ok := e.(map[string]any); ok {
			n += countFHIR(eo["resource"])
		}
	}
	return n
}

// countXML counts a C-CDA document's coded entries, a FHIR XML file's
// clinical resources, or an Apple Health export's measurements.
func countXML(data []byte) int {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	type frame struct {
		name     string
		coded    bool // a C-CDA section of coded entries
		resource bool // FHIR: the element holding a resource
	}
	var stack []frame
	n := 0
	rootSeen := false
	fhirRoot := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return n
			}
			return n
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			parent := frame{}
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			f := frame{name: name, coded: parent.coded && name != "section"}
			if !rootSeen {
				rootSeen = true
				if el.Name.Space == "http://hl7.org/fhir" {
					fhirRoot = name
					if name != "Bundle" && clinicalTypes[name] {
						n++
					}
				}
			}
			switch {
			case fhirRoot != "" && parent.resource && clinicalTypes[name]:
				n++
			case fhirRoot != "" && name == "resource":
				f.resource = true
			case name == "code" && parent.name == "section" && codedSections[attr(el, "code")]:
				// The section's code comes before its entries.
				stack[len(stack)-1].coded = true
			case name == "entry" && parent.name == "section" && parent.coded:
				n++
			case name == "Record" && appleMeasurements[attr(el, "type")]:
				n++
			}
			stack = append(stack, f)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
