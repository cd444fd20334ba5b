package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	alberto    = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
	noPatient  = "testdata/corpus/fhir-stu3/smart-sample-patients/patient-1482713.fhir-bundle.json"
	larsonA    = "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml"
	larsonB    = "testdata/corpus/ccda/onc-mckesson-paragon/larson-rn.xml"
	larsonFHIR = "testdata/fixtures/larson-clinic-fhir.json"
)

// importJSON is the `kin import --json` shape of the CLI contract.
type importJSON struct {
	File            string         `json:"file"`
	Format          string         `json:"format"`
	Profile         string         `json:"profile"`
	Added           map[string]int `json:"added"`
	Merged          int            `json:"merged"`
	Conflicts       int            `json:"conflicts"`
	AlreadyImported bool           `json:"already_imported"`
	Skipped         []struct {
		Path   string `json:"path"`
		Reason string `json:"reason"`
	} `json:"skipped"`
	Warnings    []string     `json:"warnings"`
	NewProfiles []string     `json:"new_profiles"`
	Error       string       `json:"error"`
	Parts       []importJSON `json:"parts"`
}

// totalAdded is what a report says the file added (a package's counts
// cover its parts).
func totalAdded(r importJSON) int {
	n := 0
	for _, c := range r.Added {
		n += c
	}
	return n
}

type listedEntry struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Title    string   `json:"title"`
	Sources  []string `json:"sources"`
	Conflict bool     `json:"conflict"`
}

func listAll(t *testing.T, env []string, args ...string) []listedEntry {
	t.Helper()
	var es []listedEntry
	jsonOut(t, mustKin(t, env, append([]string{"list", "--json"}, args...)...), &es)
	return es
}

func TestKinImport_ReportAndIdempotence(t *testing.T) {
	_, env := newVault(t)
	r := mustKin(t, env, "import", "--json", alberto)
	var reps []importJSON
	jsonOut(t, r, &reps)
	if len(reps) != 1 {
		t.Fatalf("%d reports for one file", len(reps))
	}
	rep := reps[0]
	if rep.File != filepath.Base(alberto) || rep.Format != "fhir-r4" || rep.Profile != "Alberto Atencio" || rep.AlreadyImported {
		t.Errorf("report header: %+v", rep)
	}
	// Counted independently from the file: 3 Conditions, 7 Immunizations, 6 Encounters.
	for kind, want := range map[string]int{"condition": 3, "immunization": 7, "encounter": 6, "medication": 2, "procedure": 3} {
		if rep.Added[kind] != want {
			t.Errorf("added %s = %d, want %d", kind, rep.Added[kind], want)
		}
	}
	if len(rep.NewProfiles) != 1 || rep.Skipped == nil || rep.Warnings == nil {
		t.Errorf("new profiles %v, skipped %v, warnings %v", rep.NewProfiles, rep.Skipped, rep.Warnings)
	}
	before := listAll(t, env)
	if len(before) != totalAdded(rep) {
		t.Errorf("kin list shows %d entries, the import added %d", len(before), totalAdded(rep))
	}

	// Every id kin list prints opens with kin show.
	lines := strings.Split(strings.TrimSpace(mustKin(t, env, "list", "--kind", "vital").stdout), "\n")
	for _, line := range lines[:min(5, len(lines))] {
		fields := strings.Fields(line)
		if r := kin(t, env, "show", fields[len(fields)-1]); r.code != 0 {
			t.Errorf("kin show with the id of %q: exit %d, %s", line, r.code, r.stderr)
		}
	}

	// The same file again changes nothing.
	var again []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", alberto), &again)
	if !again[0].AlreadyImported || totalAdded(again[0]) != 0 {
		t.Errorf("re-import: %+v", again[0])
	}
	if after := listAll(t, env); len(after) != len(before) {
		t.Errorf("re-import changed the entries: %d, then %d", len(before), len(after))
	}
	// People-readable report.
	human := mustKin(t, env, "import", alberto)
	if !strings.Contains(human.stdout, "already imported, nothing changed") {
		t.Errorf("human report: %q", human.stdout)
	}
}

func TestKinImport_BadFileFailsAloneAndNamesThePlace(t *testing.T) {
	_, env := newVault(t)
	bad := filepath.Join(t.TempDir(), "broken.json")
	data, err := os.ReadFile(alberto)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	r := kin(t, env, "import", "--json", bad, alberto)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	var reps []importJSON
	jsonOut(t, r, &reps)
	if len(reps) != 2 || reps[0].Error == "" || reps[1].Error != "" {
		t.Fatalf("reports: %+v", reps)
	}
	if !strings.Contains(reps[0].Error, "broken.json") || !strings.Contains(reps[0].Error, "line") {
		t.Errorf("the error does not name the file and the place: %q", reps[0].Error)
	}
	// Nothing of the broken file was stored; the good one was.
	var sources []struct {
		File string `json:"file"`
	}
	jsonOut(t, mustKin(t, env, "sources", "--json"), &sources)
	if len(sources) != 1 || sources[0].File != filepath.Base(alberto) {
		t.Errorf("sources after a failed import: %+v", sources)
	}
	// Not a health record at all.
	txt := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(txt, []byte("remember to ask about the rash"), 0o600)
	if r := kin(t, env, "import", txt); r.code != exitFailed || r.stdout != "" || !strings.Contains(r.stderr, "notes.txt") || !strings.Contains(r.stderr, "not a format") {
		t.Errorf("plain text: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestKinImport_NoPatientNeedsProfile(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ana Rivera", "--birth-date", "1980-02-14")
	mustKin(t, env, "profiles", "add", "Ben Rivera", "--birth-date", "2012-06-01")
	r := kin(t, env, "import", noPatient)
	if r.code != exitUsage || !strings.Contains(r.stdout+r.stderr, "--profile") {
		t.Fatalf("a file without a patient in a two-person vault: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if es := listAll(t, env); len(es) != 0 {
		t.Errorf("%d entries stored by a refused import", len(es))
	}
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", "--profile", "Ben Rivera", noPatient), &reps)
	if reps[0].Profile != "Ben Rivera" || totalAdded(reps[0]) == 0 {
		t.Errorf("with --profile: %+v", reps[0])
	}
	if es := listAll(t, env, "--profile", "Ana Rivera"); len(es) != 0 {
		t.Errorf("Ana got %d of Ben's entries", len(es))
	}
	if r := kin(t, env, "import", "--profile", "Nobody", noPatient); r.code != exitUsage {
		t.Errorf("unknown --profile: exit %d", r.code)
	}
}

// TestKinImport_SamePersonAcrossVendorsAndFormats imports the same test
// patient from two EHR vendors' C-CDAs inside one zip, then a FHIR export
// from a third place: one person, the shared facts merged, each listing
// every source that states it.
func TestKinImport_SamePersonAcrossVendorsAndFormats(t *testing.T) {
	_, env := newVault(t)
	zipPath := filepath.Join(t.TempDir(), "larson-records.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, p := range []string{larsonA, larsonB} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("records/" + filepath.Base(p))
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", zipPath), &reps)
	pkg := reps[0]
	if pkg.Format != "zip" || len(pkg.Parts) != 2 {
		t.Fatalf("package report: format %q, %d parts", pkg.Format, len(pkg.Parts))
	}
	if pkg.Parts[1].Merged == 0 {
		t.Errorf("the second vendor's document merged nothing into the first's")
	}
	var people []struct {
		Name string `json:"name"`
	}
	jsonOut(t, mustKin(t, env, "profiles", "list", "--json"), &people)
	if len(people) != 1 || people[0].Name != "Rebecca Jones Larson" {
		t.Fatalf("people after the package: %+v", people)
	}

	var fhirReps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", larsonFHIR), &fhirReps)
	fhirRep := fhirReps[0]
	if fhirRep.Profile != "Rebecca Jones Larson" || len(fhirRep.NewProfiles) != 0 {
		t.Errorf("the FHIR export went to %q (new people %v)", fhirRep.Profile, fhirRep.NewProfiles)
	}
	if fhirRep.Merged != 2 || fhirRep.Added["lab"] != 1 || fhirRep.Conflicts != 0 {
		t.Errorf("FHIR export: merged %d (want 2: penicillin allergy, hypertension), added %v, conflicts %d", fhirRep.Merged, fhirRep.Added, fhirRep.Conflicts)
	}
	// The two shared facts each have an entry that lists both formats' sources.
	most := map[string]int{}
	for _, e := range listAll(t, env) {
		switch {
		case e.Kind == "allergy" && strings.EqualFold(e.Title, "penicillin G"),
			e.Kind == "condition" && e.Title == "Essential hypertension":
			most[e.Kind] = max(most[e.Kind], len(e.Sources))
		}
	}
	for _, kind := range []string{"allergy", "condition"} {
		if most[kind] < 2 {
			t.Errorf("no %s entry lists both the C-CDA and the FHIR export (most sources: %d)", kind, most[kind])
		}
	}
}

// TestKinImport_AppleHealthNamesNoOne: an Apple Health export carries a birth
// date but no name, so it goes to the only person (when the birth date
// fits) or to the person --profile names; it never invents a person.
func TestKinImport_AppleHealthNamesNoOne(t *testing.T) {
	const apple = "testdata/corpus/apple-health/healthkit-to-sqlite-fixtures/export_minimal.xml"
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Sam Park", "--birth-date", "1990-02-02")
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", apple), &reps)
	if reps[0].Profile != "Sam Park" || len(reps[0].NewProfiles) != 0 || reps[0].Format != "apple-health" {
		t.Errorf("Apple export in a one-person vault: %+v", reps[0])
	}

	_, env2 := newVault(t)
	mustKin(t, env2, "profiles", "add", "Grandpa Park", "--birth-date", "1941-07-07")
	if r := kin(t, env2, "import", apple); r.code != exitUsage || !strings.Contains(r.stdout+r.stderr, "birth date") {
		t.Errorf("an export whose birth date is not the only person's: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	mustKin(t, env2, "profiles", "add", "Sam Park")
	if r := kin(t, env2, "import", apple); r.code != exitUsage || !strings.Contains(r.stdout+r.stderr, "--profile") {
		t.Errorf("two people, no --profile: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	var people []struct{ Name string }
	jsonOut(t, mustKin(t, env2, "profiles", "list", "--json"), &people)
	if len(people) != 2 {
		t.Errorf("refused imports changed the people: %+v", people)
	}
	jsonOut(t, mustKin(t, env2, "import", "--json", "--profile", "Sam Park", apple), &reps)
	if reps[0].Profile != "Sam Park" {
		t.Errorf("with --profile: %+v", reps[0])
	}
}
