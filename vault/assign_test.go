package vault_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// albertoID is the Patient id in the Alberto Atencio bundle.
const albertoID = "4e8ed886-fd5f-40bb-8feb-f339b04d853a"

func mustResource(t testing.TB, js string) record.Resource {
	t.Helper()
	r, err := record.ParseResource([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// problem is a Condition about the patient ref refers to ("" for none).
func problem(t testing.TB, id, text, ref string) record.Resource {
	subject := ""
	if ref != "" {
		subject = fmt.Sprintf(`,"subject":{"reference":%q}`, ref)
	}
	return mustResource(t, fmt.Sprintf(`{"resourceType":"Condition","id":%q,"code":{"text":%q}%s}`, id, text, subject))
}

// batchOf is a file of the given format holding the groups; its bytes are
// its name and content, so different files hash differently.
func batchOf(file string, format record.Format, groups ...record.PatientRecords) *record.Batch {
	var data strings.Builder
	data.WriteString(file)
	for _, g := range groups {
		for _, r := range g.Resources {
			data.Write(r.JSON)
		}
	}
	return &record.Batch{Source: record.Source{File: file, Format: format}, Original: []byte(data.String()),
		Patients: groups}
}

// refersTo is a group of records about a patient the file does not hold.
func refersTo(ref string, rs ...record.Resource) record.PatientRecords {
	return record.PatientRecords{PatientRef: ref, Resources: rs}
}

// pkgOf is a zip holding the parts.
func pkgOf(file string, parts ...*record.Batch) *record.Batch {
	data := []byte("PK " + file)
	for _, p := range parts {
		data = append(data, p.Original...)
	}
	return &record.Batch{Source: record.Source{File: file, Format: "zip"}, Original: data, Parts: parts}
}

func patientError(t *testing.T, err error) *vault.PatientError {
	t.Helper()
	var pe *vault.PatientError
	if !errors.As(err, &pe) {
		t.Fatalf("%v is not a *vault.PatientError", err)
	}
	return pe
}

func names(ps []record.Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func entriesOf(t *testing.T, v *vault.Vault, profile string) []record.Entry {
	t.Helper()
	p, err := v.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	es, err := v.Entries(vault.Query{Profile: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestImport_ChosenPerson: the user's choice decides only what the file
// does not; a file clearly about someone else is refused, one that differs
// in name or birth date alone goes there with a warning, and a person a
// file was put under by choice learns nothing from it.
func TestImport_ChosenPerson(t *testing.T) {
	for _, tc := range []struct {
		name    string
		people  []record.Profile
		chosen  string
		wantErr error
		want    string // whose the records become
		warn    string
		cands   []string // PatientError.Candidates
	}{
		{"clearly someone else", []record.Profile{{Name: "John Doe", BirthDate: record.MustDate("1970-01-01")}},
			"John Doe", vault.ErrProfileMismatch, "", "", nil},
		{"the matching person", []record.Profile{{Name: "Alberto Atencio", BirthDate: record.MustDate("1993-06-07")}, {Name: "John Doe"}},
			"Alberto Atencio", nil, "Alberto Atencio", "", nil},
		{"another person in the vault", []record.Profile{{Name: "Alberto Atencio", BirthDate: record.MustDate("1993-06-07")}, {Name: "John Doe", BirthDate: record.MustDate("1993-06-07")}},
			"John Doe", vault.ErrProfileMismatch, "", "", []string{"Alberto Atencio"}},
		{"a married name", []record.Profile{{Name: "Alberto Smith", BirthDate: record.MustDate("1993-06-07")}},
			"Alberto Smith", nil, "Alberto Smith", "the file names Alberto Atencio", nil},
		{"a typo in the birth date", []record.Profile{{Name: "Alberto Atencio", BirthDate: record.MustDate("1993-06-17")}},
			"Alberto Atencio", nil, "Alberto Atencio", "its birth date is 7 Jun 1993", nil},
		{"another name, no birth date to compare", []record.Profile{{Name: "Ann Lee"}},
			"Ann Lee", vault.ErrProfileMismatch, "", "", nil},
		{"the same name, no birth date to compare", []record.Profile{{Name: "Atencio, Alberto"}, {Name: "Atencio, Alberto J"}},
			"Atencio, Alberto", nil, "Atencio, Alberto", "", nil},
		{"the name fits someone else who lacks a birth date", []record.Profile{{Name: "Alberto Atencio"}, {Name: "Atencio, Alberto"}, {Name: "Ann Lee"}},
			"Ann Lee", vault.ErrProfileMismatch, "", "", []string{"Alberto Atencio", "Atencio, Alberto"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := vaulttest.New(t)
			for _, p := range tc.people {
				if _, err := v.AddProfile(p); err != nil {
					t.Fatal(err)
				}
			}
			before := mustProfiles(t, v)
			res, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{Profile: tc.chosen})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				pe := patientError(t, err)
				if pe.File != "Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json" || pe.Person.Name != "Alberto Atencio" ||
					pe.Chosen == nil || pe.Chosen.Name != tc.chosen || !slices.Equal(names(pe.Candidates), tc.cands) {
					t.Errorf("error %+v", pe)
				}
				if len(mustSources(t, v, "")) != 0 || len(mustProfiles(t, v)) != len(tc.people) {
					t.Error("a refused import stored something")
				}
				return
			}
			if res.Report.Profile != tc.want || len(res.NewProfiles) != 0 {
				t.Errorf("went to %q (new %v), want %q", res.Report.Profile, res.NewProfiles, tc.want)
			}
			if w := strings.Join(res.Report.Warnings, "; "); (tc.warn == "") != !strings.Contains(w, "as asked") || !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q, want one saying %q", w, tc.warn)
			}
			// A forced match changes nothing about the person.
			if tc.want != "Alberto Atencio" || tc.warn != "" {
				if after := mustProfiles(t, v); !equalProfiles(before, after) {
					t.Errorf("the chosen person changed:\n%+v\n%+v", before, after)
				}
			}
		})
	}
}

func equalProfiles(a, b []record.Profile) bool {
	return slices.EqualFunc(a, b, func(x, y record.Profile) bool {
		return x.ID == y.ID && x.Name == y.Name && x.BirthDate == y.BirthDate && x.Sex == y.Sex &&
			slices.Equal(x.Identifiers, y.Identifiers) && slices.Equal(x.Names, y.Names)
	})
}

// TestImport_LearnsOnlyFromAMatch: a person added by hand without a birth
// date takes it from a file that matches by name, never from one put under
// them by choice.
func TestImport_LearnsOnlyFromAMatch(t *testing.T) {
	v := vaulttest.New(t)
	for _, n := range []string{"Atencio, Alberto", "Atencio, Alberto J"} {
		if _, err := v.AddProfile(record.Profile{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	// Ambiguous between the two: put under one by choice.
	res := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{Profile: "Atencio, Alberto"})
	if res.Report.Profile != "Atencio, Alberto" {
		t.Fatalf("went to %q", res.Report.Profile)
	}
	if p, _ := v.Profile("Atencio, Alberto"); !p.BirthDate.IsZero() || len(p.Identifiers) != 0 || len(p.Names) != 0 || p.Sex != "" {
		t.Errorf("a forced import taught the person %+v", p)
	}
	if err := v.RemoveProfile("Atencio, Alberto J"); err != nil {
		t.Fatal(err)
	}
	res = mustImport(t, v, alteredVariant(t, "active"), vault.ImportOptions{})
	if res.Report.Profile != "Atencio, Alberto" || !slices.ContainsFunc(res.Report.Warnings, func(w string) bool { return strings.Contains(w, "had no birth date") }) {
		t.Fatalf("went to %q, warnings %q", res.Report.Profile, res.Report.Warnings)
	}
	if p, _ := v.Profile("Atencio, Alberto"); p.BirthDate.String() != "1993-06-07" || len(p.Identifiers) == 0 {
		t.Errorf("a matching import did not teach the person: %+v", p)
	}
}

// TestImport_PackagePerPerson: each document of a package goes to its own
// person; one whose person is unknown is left out (the rest stored), and
// importing the package again with the person named adds it.
func TestImport_PackagePerPerson(t *testing.T) {
	v := vaulttest.New(t)
	labs := batchOf("labs.json", "fhir-r4", record.PatientRecords{Resources: []record.Resource{problem(t, "c1", "Asthma", "")}})
	pkg := func() *record.Batch {
		a, c := bundle(t, alberto), bundle(t, chauncey)
		l := batchOf("labs.json", "fhir-r4", labs.Patients...)
		return pkgOf("family.zip", a, l, c)
	}
	res := mustImport(t, v, pkg(), vault.ImportOptions{})
	rep := res.Report
	if len(res.NewProfiles) != 2 || rep.Profile != "Alberto Atencio, Chauncey Johnston" {
		t.Errorf("people %v, report profile %q", names(res.NewProfiles), rep.Profile)
	}
	if len(res.LeftOut) != 1 || !errors.Is(res.LeftOut[0], vault.ErrNeedProfile) || res.LeftOut[0].File != "labs.json" ||
		!slices.Equal(names(res.LeftOut[0].Candidates), []string{"Alberto Atencio", "Chauncey Johnston"}) {
		t.Fatalf("left out %+v", res.LeftOut)
	}
	if len(rep.Parts) != 2 || rep.Parts[0].Profile != "Alberto Atencio" || rep.Parts[1].Profile != "Chauncey Johnston" {
		t.Errorf("parts %+v", rep.Parts)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Path != "labs.json" || !strings.Contains(rep.Skipped[0].Reason, "names no patient") {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	if len(mustSources(t, v, "")) != 3 {
		t.Errorf("%d sources, want the package and two documents", len(mustSources(t, v, "")))
	}

	// Again, saying whose the left-out document is: only it is added.
	res = mustImport(t, v, pkg(), vault.ImportOptions{Profile: "Chauncey Johnston"})
	rep = res.Report
	if rep.AlreadyImported || len(res.LeftOut) != 0 || len(rep.Parts) != 3 || !rep.Parts[0].AlreadyImported ||
		rep.Parts[1].AlreadyImported || rep.Parts[1].Profile != "Chauncey Johnston" || rep.Parts[1].Added[record.KindCondition] != 1 {
		t.Fatalf("completing the package: %+v", rep)
	}
	if es := entriesOf(t, v, "Chauncey Johnston"); !slices.ContainsFunc(es, func(e record.Entry) bool { return e.Title == "Asthma" }) {
		t.Error("the left-out document's condition is not Chauncey's")
	}
	if len(mustSources(t, v, "")) != 4 {
		t.Errorf("%d sources after completing the package", len(mustSources(t, v, "")))
	}
	// And a third time nothing changes.
	if res := mustImport(t, v, pkg(), vault.ImportOptions{}); !res.Report.AlreadyImported || len(res.LeftOut) != 0 ||
		!res.Report.Parts[1].AlreadyImported {
		t.Errorf("third import: %+v", res.Report)
	}

	// A package none of whose documents can be placed imports nothing.
	v2 := vaulttest.New(t)
	v2.AddProfile(record.Profile{Name: "Ann"})
	v2.AddProfile(record.Profile{Name: "Ben"})
	l2 := batchOf("labs2.json", "fhir-r4", record.PatientRecords{Resources: []record.Resource{problem(t, "c2", "Gout", "")}})
	_, err := v2.Import(context.Background(), pkgOf("unknown.zip", labs, l2), vault.ImportOptions{})
	if !errors.Is(err, vault.ErrNeedProfile) || !strings.Contains(err.Error(), "labs.json") || !strings.Contains(err.Error(), "labs2.json") {
		t.Errorf("a package of unknowns: %v", err)
	}
	if len(mustSources(t, v2, "")) != 0 {
		t.Error("a refused package stored something")
	}
}

// TestImport_PartFailsWhole: a document is decided as a whole; when one of
// its patients cannot be placed, nothing it would have done is kept (not
// the new person another of its patients would have made).
func TestImport_PartFailsWhole(t *testing.T) {
	v := vaulttest.New(t)
	v.AddProfile(record.Profile{Name: "Jane Smith"})
	v.AddProfile(record.Profile{Name: "Smith, Jane A"})
	pat := func(id, name, birth string) *record.Resource {
		r := mustResource(t, fmt.Sprintf(`{"resourceType":"Patient","id":%q,"name":[{"text":%q}],"birthDate":%q}`, id, name, birth))
		return &r
	}
	two := batchOf("two.json", "fhir-r4",
		record.PatientRecords{Patient: pat("p1", "Ann New", "2001-01-01"), Person: record.Person{Name: "Ann New", BirthDate: record.MustDate("2001-01-01")},
			Resources: []record.Resource{problem(t, "c1", "Asthma", "Patient/p1")}},
		record.PatientRecords{Patient: pat("p2", "Jane Smith", "1970-01-01"), Person: record.Person{Name: "Jane Smith", BirthDate: record.MustDate("1970-01-01")},
			Resources: []record.Resource{problem(t, "c2", "Gout", "Patient/p2")}})
	res := mustImport(t, v, pkgOf("p.zip", two, bundle(t, alberto)), vault.ImportOptions{})
	if len(res.LeftOut) != 1 || !errors.Is(res.LeftOut[0], vault.ErrAmbiguousPatient) || res.LeftOut[0].Person.Name != "Jane Smith" {
		t.Fatalf("left out %+v", res.LeftOut)
	}
	if got := names(res.NewProfiles); !slices.Equal(got, []string{"Alberto Atencio"}) {
		t.Errorf("new people %v: the left-out document's new person was kept", got)
	}
	if slices.ContainsFunc(res.Report.Parts[0].Warnings, func(w string) bool { return strings.Contains(w, "Ann New") }) {
		t.Error("the report tells of a person who was not added")
	}
}

// TestImport_OneMemberTwoBirthDates: a file holding two records of one
// member (the same member number) that disagree on the birth date is asked
// about, not split into two people or merged.
func TestImport_OneMemberTwoBirthDates(t *testing.T) {
	v := vaulttest.New(t)
	mbi := []record.Identifier{{System: "https://bluebutton.cms.gov/resources/identifier/mbi", Value: "1S00E00AA00"}}
	member := func(id, birth string) record.PatientRecords {
		r := mustResource(t, `{"resourceType":"Patient","id":"`+id+`"}`)
		return record.PatientRecords{Patient: &r, Person: record.Person{Name: "Jane Doe", BirthDate: record.MustDate(birth), Identifiers: mbi},
			Resources: []record.Resource{problem(t, "c-"+id, "Cough", "Patient/"+id)}}
	}
	_, err := v.Import(context.Background(), batchOf("claims.json", "bb2", member("a", "1950-02-03"), member("b", "1951-02-03")), vault.ImportOptions{})
	pe := patientError(t, err)
	if !errors.Is(err, vault.ErrAmbiguousPatient) || len(pe.Candidates) != 0 || !strings.Contains(pe.Why, "another record") {
		t.Errorf("%+v", pe)
	}
	if len(mustProfiles(t, v)) != 0 {
		t.Errorf("people %v", names(mustProfiles(t, v)))
	}
}

// TestImport_ReferencesFindTheirPatient: records that name no patient but
// refer to one go to the person whose Patient was read in the same package
// or run, or stored before from the same kind of source, when unique.
func TestImport_ReferencesFindTheirPatient(t *testing.T) {
	ref := "Patient/" + albertoID
	t.Run("same package, listed first", func(t *testing.T) {
		v := vaulttest.New(t)
		v.AddProfile(record.Profile{Name: "Ann"})
		conds := batchOf("Condition.ndjson", "fhir-ndjson", refersTo(ref, problem(t, "c1", "Asthma", ref)),
			refersTo("urn:uuid:"+albertoID, problem(t, "c2", "Gout", "urn:uuid:"+albertoID)))
		res := mustImport(t, v, pkgOf("bulk.zip", conds, bundle(t, alberto)), vault.ImportOptions{})
		if len(res.LeftOut) != 0 || res.Report.Parts[0].Profile != "Alberto Atencio" {
			t.Fatalf("left out %v, parts %+v", res.LeftOut, res.Report.Parts)
		}
		es := entriesOf(t, v, "Alberto Atencio")
		for _, title := range []string{"Asthma", "Gout"} {
			if !slices.ContainsFunc(es, func(e record.Entry) bool { return e.Title == title }) {
				t.Errorf("%s, referred to as Alberto's, is not among his entries", title)
			}
		}
	})
	t.Run("earlier in the run", func(t *testing.T) {
		v := vaulttest.New(t)
		v.AddProfile(record.Profile{Name: "Ann"})
		var run vault.Run
		mustImport(t, v, bundle(t, alberto), vault.ImportOptions{Run: &run})
		eob := batchOf("eob.json", "bb2", refersTo(ref, problem(t, "c1", "Asthma", ref)))
		if res := mustImport(t, v, eob, vault.ImportOptions{Run: &run}); res.Report.Profile != "Alberto Atencio" {
			t.Errorf("went to %q", res.Report.Profile)
		}
	})
	t.Run("stored from the same kind of source", func(t *testing.T) {
		v := vaulttest.New(t)
		v.AddProfile(record.Profile{Name: "Ann"})
		mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
		same := batchOf("more.json", "fhir-r4", refersTo(ref, problem(t, "c1", "Asthma", ref)))
		if res := mustImport(t, v, same, vault.ImportOptions{}); res.Report.Profile != "Alberto Atencio" {
			t.Errorf("went to %q", res.Report.Profile)
		}
		other := batchOf("claims.json", "bb2", refersTo(ref, problem(t, "c2", "Gout", ref)))
		_, err := v.Import(context.Background(), other, vault.ImportOptions{})
		if pe := patientError(t, err); !errors.Is(err, vault.ErrNeedProfile) || pe.Refers != ref {
			t.Errorf("another kind of source: %v", err)
		}
	})
	t.Run("the patient's file was refused", func(t *testing.T) {
		v := vaulttest.New(t)
		v.AddProfile(record.Profile{Name: "John Doe", BirthDate: record.MustDate("1970-01-01")})
		var run vault.Run
		opts := vault.ImportOptions{Profile: "John Doe", Run: &run}
		if _, err := v.Import(context.Background(), bundle(t, alberto), opts); !errors.Is(err, vault.ErrProfileMismatch) {
			t.Fatalf("the patient's file: %v", err)
		}
		eob := batchOf("eob.json", "bb2", refersTo(ref, problem(t, "c1", "Asthma", ref)))
		_, err := v.Import(context.Background(), eob, opts)
		if pe := patientError(t, err); !errors.Is(err, vault.ErrProfileMismatch) || pe.File != "eob.json" || pe.Person.Name != "Alberto Atencio" {
			t.Errorf("records of a refused patient: %v", err)
		}
	})
	t.Run("not unique", func(t *testing.T) {
		v := vaulttest.New(t)
		v.AddProfile(record.Profile{Name: "Ann"})
		pat := func(name string) record.PatientRecords {
			r := mustResource(t, `{"resourceType":"Patient","id":"same-id-1","name":[{"text":"`+name+`"}]}`)
			return record.PatientRecords{Patient: &r, Person: record.Person{Name: name},
				Resources: []record.Resource{problem(t, "c-"+name, "Cough", "Patient/same-id-1")}}
		}
		pkg := pkgOf("two.zip", batchOf("a.json", "fhir-r4", pat("Bob One")), batchOf("b.json", "fhir-r4", pat("Cy Two")),
			batchOf("c.json", "fhir-r4", refersTo("Patient/same-id-1", problem(t, "c9", "Rash", "Patient/same-id-1"))))
		res := mustImport(t, v, pkg, vault.ImportOptions{})
		if len(res.LeftOut) != 1 || res.LeftOut[0].File != "c.json" || !errors.Is(res.LeftOut[0], vault.ErrNeedProfile) {
			t.Errorf("left out %+v", res.LeftOut)
		}
	})
}

// TestImport_DirectoryParts: a part holding only practitioners and
// organizations goes with the package's one person, and is passed over
// (reported) when the package is about several.
func TestImport_DirectoryParts(t *testing.T) {
	dir := func() *record.Batch {
		return batchOf("Practitioner.ndjson", "fhir-ndjson", record.PatientRecords{Resources: []record.Resource{
			mustResource(t, `{"resourceType":"Practitioner","id":"dr1","name":[{"family":"House"}]}`)}})
	}
	v := vaulttest.New(t)
	v.AddProfile(record.Profile{Name: "Ann"})
	res := mustImport(t, v, pkgOf("one.zip", dir(), bundle(t, alberto)), vault.ImportOptions{})
	if len(res.Report.Parts) != 2 || res.Report.Parts[0].Profile != "Alberto Atencio" {
		t.Errorf("one person's package: %+v", res.Report.Parts)
	}
	v2 := vaulttest.New(t)
	res = mustImport(t, v2, pkgOf("two.zip", dir(), bundle(t, alberto), bundle(t, chauncey)), vault.ImportOptions{})
	if len(res.Report.Parts) != 2 || len(res.Report.Ignored) != 1 || res.Report.Ignored[0].Path != "Practitioner.ndjson" || len(res.LeftOut) != 0 {
		t.Errorf("two people's package: parts %d, ignored %+v, left out %v", len(res.Report.Parts), res.Report.Ignored, res.LeftOut)
	}
}
