package vault_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// fileOf builds a small FHIR file for Ana Rivera holding resources (JSON
// objects, without the bundle around them).
func fileOf(t *testing.T, name string, resources ...string) *record.Batch {
	t.Helper()
	entries := []string{`{"resource":{"resourceType":"Patient","id":"ana","name":[{"family":"Rivera","given":["Ana"]}],"birthDate":"1980-02-14"}}`}
	for _, r := range resources {
		entries = append(entries, `{"resource":`+r+`}`)
	}
	return vaulttest.BatchFromBundle(t, name, []byte(`{"resourceType":"Bundle","type":"collection","entry":[`+strings.Join(entries, ",")+`]}`))
}

func condition(id, status, onset string) string {
	return fmt.Sprintf(`{"resourceType":"Condition","id":%q,"subject":{"reference":"Patient/ana"},`+
		`"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":%q}]},`+
		`"code":{"coding":[{"system":"http://snomed.info/sct","code":"233604007","display":"Pneumonia"}]},"onsetDateTime":%q}`, id, status, onset)
}

func noKnownAllergy(id, status string) string {
	return fmt.Sprintf(`{"resourceType":"AllergyIntolerance","id":%q,"patient":{"reference":"Patient/ana"},`+
		`"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":%q}]},`+
		`"code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003","display":"No known allergy"}]}}`, id, status)
}

func entriesTitled(t *testing.T, v *vault.Vault, title string) []record.Entry {
	t.Helper()
	es, err := v.Entries(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(es, func(e record.Entry) bool { return e.Title != title })
}

// TestConflicts_SideBySide: two files that disagree about a fact give a
// conflict the vault explains (the fields, both values, each one's file);
// a third file that agrees with one side joins it; removing the files of
// one side ends the conflict, in memory and as stored.
func TestConflicts_SideBySide(t *testing.T) {
	v := vaulttest.New(t)
	clinic := mustImport(t, v, fileOf(t, "clinic.json", condition("c1", "active", "2013-06-16")), vault.ImportOptions{})
	hospital := mustImport(t, v, fileOf(t, "hospital.json", condition("h1", "resolved", "2013-06-16")), vault.ImportOptions{})
	if hospital.Report.Conflicts != 1 {
		t.Fatalf("second file: %d conflicts, want 1", hospital.Report.Conflicts)
	}
	es := entriesTitled(t, v, "Pneumonia")
	if len(es) != 2 || !es[0].Conflict || !es[1].Conflict {
		t.Fatalf("entries %+v", es)
	}
	var active record.Entry
	for _, e := range es {
		if e.Status == "active" {
			active = e
		}
	}
	cs, err := v.Conflicts(active.ID[:8])
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d conflicts, want 1", len(cs))
	}
	c := cs[0]
	if c.Entry.ID != active.ID || c.Other.Status != "resolved" ||
		!slices.Equal(c.Differences, []record.Difference{{Field: "status", A: "active", B: "resolved"}}) {
		t.Errorf("conflict %+v", c)
	}
	if len(c.EntrySources) != 1 || c.EntrySources[0].File != "clinic.json" || len(c.OtherSources) != 1 || c.OtherSources[0].File != "hospital.json" {
		t.Errorf("sources %+v / %+v", c.EntrySources, c.OtherSources)
	}

	// A third file agrees with the hospital: it joins that side.
	gp := mustImport(t, v, fileOf(t, "gp.json", condition("g1", "resolved", "2013-06-16")), vault.ImportOptions{})
	if gp.Report.Merged != 1 || gp.Report.Conflicts != 0 {
		t.Errorf("third file: %+v", gp.Report)
	}
	cs, _ = v.Conflicts(active.ID)
	if len(cs) != 1 || len(cs[0].OtherSources) != 2 {
		t.Fatalf("after the third file: %+v", cs)
	}

	// The hospital's file goes: the gp still says "resolved".
	mustRemove(t, v, hospital.Source)
	if cs, _ := v.Conflicts(active.ID); len(cs) != 1 || cs[0].OtherSources[0].File != "gp.json" {
		t.Errorf("after removing the hospital's file: %+v", cs)
	}
	// The gp's file goes: nothing disagrees any more.
	mustRemove(t, v, gp.Source)
	es = entriesTitled(t, v, "Pneumonia")
	if len(es) != 1 || es[0].Conflict || es[0].Sources[0] != clinic.Source {
		t.Errorf("after removing the other side: %+v", es)
	}
	if cs, _ := v.Conflicts(active.ID); len(cs) != 0 {
		t.Errorf("conflicts left: %+v", cs)
	}
	// As stored, too.
	path := v.Path()
	v.Close()
	v2 := vaulttest.Open(t, path)
	if es := entriesTitled(t, v2, "Pneumonia"); len(es) != 1 || es[0].Conflict {
		t.Errorf("reopened: %+v", es)
	}
}

func mustRemove(t *testing.T, v *vault.Vault, source string) {
	t.Helper()
	if _, err := v.RemoveSource(source); err != nil {
		t.Fatal(err)
	}
}

// TestConflicts_WhatIsNotOne: one document that lists two versions of a
// fact states two facts; two "no known allergy" statements agree whatever
// their status.
func TestConflicts_WhatIsNotOne(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   [][]string
		entries int // "Pneumonia" or "No known allergy" entries left
		title   string
	}{
		{"two episodes in one file", [][]string{{condition("p1", "resolved", "1997-01"), condition("p2", "active", "2013-06-16")}}, 2, "Pneumonia"},
		{"a file and a copy of it with another name", [][]string{{condition("p1", "resolved", "1997-01"), condition("p2", "active", "2013-06-16")},
			{condition("p1", "resolved", "1997-01"), condition("p2", "active", "2013-06-16")}}, 2, "Pneumonia"},
		{"no known allergy, active and inactive", [][]string{{noKnownAllergy("n1", "active")}, {noKnownAllergy("n2", "inactive")}}, 1, "No known allergy"},
		{"no known allergy twice in one file", [][]string{{noKnownAllergy("n1", "active"), noKnownAllergy("n2", "inactive")}}, 1, "No known allergy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := vaulttest.New(t)
			for i, f := range tc.files {
				res := mustImport(t, v, fileOf(t, fmt.Sprintf("file%d.json", i), f...), vault.ImportOptions{})
				if res.Report.Conflicts != 0 {
					t.Errorf("file %d: %d conflicts", i, res.Report.Conflicts)
				}
			}
			es := entriesTitled(t, v, tc.title)
			if len(es) != tc.entries {
				t.Errorf("%d entries, want %d: %+v", len(es), tc.entries, es)
			}
			for _, e := range es {
				if cs, _ := v.Conflicts(e.ID); e.Conflict || len(cs) != 0 {
					t.Errorf("%s %s flagged %v, conflicts %+v", e.Title, e.Date.Human(), e.Conflict, cs)
				}
			}
		})
	}
}

// TestConflicts_CorpusFileTwice: a corpus file that lists two episodes of
// one illness, and a copy of it under another name, flag nothing.
func TestConflicts_CorpusFileTwice(t *testing.T) {
	v := vaulttest.New(t)
	data, err := os.ReadFile(chauncey)
	if err != nil {
		t.Fatal(err)
	}
	first := mustImport(t, v, vaulttest.BatchFromBundle(t, "chauncey.json", data), vault.ImportOptions{})
	second := mustImport(t, v, vaulttest.BatchFromBundle(t, "chauncey-again.json", append(data, '\n')), vault.ImportOptions{})
	if first.Report.Conflicts != 0 || second.Report.Conflicts != 0 || second.Report.TotalAdded() != 0 {
		t.Errorf("a corpus file and its copy: conflicts %d and %d, the copy added %v", first.Report.Conflicts, second.Report.Conflicts, second.Report.Added)
	}
	es, _ := v.Entries(vault.Query{})
	for _, e := range es {
		if e.Conflict {
			t.Errorf("%s (%s) is flagged", e.Title, e.Date.Human())
		}
	}
}

// TestConflicts_MergesIntoFirstImported: a fact that agrees with both
// sides of a conflict (it says less) joins the side imported first, every
// time, though the three files are imported within one second and the
// vault is opened again before the third: which entry is "first" does not
// depend on how the vault lists them.
func TestConflicts_MergesIntoFirstImported(t *testing.T) {
	for range 8 {
		path := filepath.Join(t.TempDir(), "vault.kinfolio")
		v := vaulttest.Create(t, path)
		mustImport(t, v, fileOf(t, "clinic.json", condition("c1", "active", "2013-06-16")), vault.ImportOptions{})
		mustImport(t, v, fileOf(t, "hospital.json", condition("h1", "resolved", "2013-06-16")), vault.ImportOptions{})
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		v = vaulttest.Open(t, path)
		less := `{"resourceType":"Condition","id":"x1","subject":{"reference":"Patient/ana"},` +
			`"code":{"coding":[{"system":"http://snomed.info/sct","code":"233604007","display":"Pneumonia"}]}}`
		if res := mustImport(t, v, fileOf(t, "portal.json", less), vault.ImportOptions{}); res.Report.Merged != 1 {
			t.Fatalf("the third file: merged %d, want 1", res.Report.Merged)
		}
		for _, e := range entriesTitled(t, v, "Pneumonia") {
			if want := map[string]int{"active": 2, "resolved": 1}[e.Status]; len(e.Sources) != want {
				t.Fatalf("the %s entry has %d sources, want %d: the fact that says less joins the first file's", e.Status, len(e.Sources), want)
			}
		}
	}
}

// TestImport_SelfReportedPart: the person's own entries, read back as a
// part of a package (Kinfolio's own export), stay their own: never merged
// with an imported fact that says the same, and passed over as already
// there when the person has the same hand-entered entry.
func TestImport_SelfReportedPart(t *testing.T) {
	v := vaulttest.New(t)
	mustImport(t, v, fileOf(t, "clinic.json", condition("c1", "active", "2013-06-16")), vault.ImportOptions{})
	hand, err := record.NewSelfReported(record.SelfReport{Kind: record.KindCondition, Title: "Pneumonia", Date: record.MustDate("2013-06-16")}, "h1", "ana")
	if err != nil {
		t.Fatal(err)
	}
	pkg := func() *record.Batch {
		own := fileOf(t, "entered by hand", condition("c1", "active", "2013-06-16"))
		own.Source = record.Source{File: "entered by hand", Format: record.SelfReported}
		own.Original = nil
		// As importers/fhir reads it: no Patient of its own, the person
		// named for matching.
		own.Patients[0].Patient = nil
		own.Patients[0].Resources = []record.Resource{hand}
		root := fileOf(t, "export.json")
		root.Patients = nil
		root.Parts = []*record.Batch{own}
		return root
	}
	mustImport(t, v, pkg(), vault.ImportOptions{})
	es := entriesTitled(t, v, "Pneumonia")
	if len(es) != 2 {
		t.Fatalf("%d Pneumonia entries, want the imported one and the hand-entered one", len(es))
	}
	for _, e := range es {
		if len(e.Sources) != 1 {
			t.Errorf("entry %+v merged", e)
		}
		srcs, _ := v.Sources("")
		for _, s := range srcs {
			if s.ID == e.Sources[0] && s.File == "entered by hand" {
				if _, err := v.EditSelfReported(e.ID, record.SelfReport{Kind: record.KindCondition, Title: "Pneumonia", Date: record.MustDate("2013-06-16")}); err != nil {
					t.Errorf("the hand-entered entry read back cannot be edited: %v", err)
				}
			}
		}
	}
	b := pkg()
	b.Source.SHA256, b.Original = "", []byte(`{"resourceType":"Bundle","type":"collection","entry":[]}`)
	res := mustImport(t, v, b, vault.ImportOptions{})
	if n := res.Report.TotalAdded(); n != 0 || !res.Report.Parts[0].AlreadyImported {
		t.Errorf("the same hand-entered entry again: added %d, part %+v", n, res.Report.Parts[0])
	}
}
