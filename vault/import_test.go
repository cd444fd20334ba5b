package vault_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

func mustImport(t *testing.T, v *vault.Vault, b *record.Batch, opts vault.ImportOptions) *vault.ImportResult {
	t.Helper()
	res, err := v.Import(context.Background(), b, opts)
	if err != nil {
		t.Fatalf("importing %s: %v", b.Source.File, err)
	}
	return res
}

func TestImport_Bundle(t *testing.T) {
	v := vaulttest.New(t)
	b := bundle(t, alberto)
	res := mustImport(t, v, b, vault.ImportOptions{})
	rep := res.Report
	if rep.Profile != "Alberto Atencio" || len(res.NewProfiles) != 1 || res.NewProfiles[0].BirthDate.String() != "1993-06-07" {
		t.Errorf("profile %q, new %+v", rep.Profile, res.NewProfiles)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "new person") }) {
		t.Errorf("a new person is not reported: %v", rep.Warnings)
	}
	es, _ := v.Entries(vault.Query{})
	if rep.TotalAdded() != len(es) || len(es) == 0 || rep.Merged != 0 || rep.Conflicts != 0 || rep.AlreadyImported {
		t.Errorf("report %+v for %d entries", rep, len(es))
	}
	// Every clinical resource of the bundle became an entry (Synthea has
	// no duplicates); Patient, Practitioner and Organization did not.
	supporting := 0
	for _, r := range b.Patients[0].Resources {
		if record.IsSupporting(r.Type) {
			supporting++
		}
	}
	if want := len(b.Patients[0].Resources) - supporting; len(es) != want {
		t.Errorf("%d entries, want %d", len(es), want)
	}
	srcs := mustSources(t, v, "")
	if len(srcs) != 1 || srcs[0].SHA256 != b.Source.SHA256 || srcs[0].Resources != countResources(b) ||
		srcs[0].Entries != len(es) || !srcs[0].HasOriginal || srcs[0].ImportedAt.IsZero() {
		t.Errorf("sources %+v", srcs)
	}
	// Each entry gives back its resource byte for byte.
	byRef := map[string][]byte{}
	for _, r := range b.Patients[0].Resources {
		byRef[r.Type+"/"+r.ID] = r.JSON
	}
	for _, e := range es {
		got, rs, err := v.Entry(e.ID)
		if err != nil || got.ID != e.ID || len(rs) != 1 {
			t.Fatalf("Entry(%s): %v, %d resources", e.ID, err, len(rs))
		}
		if !bytes.Equal(rs[0].JSON, byRef[rs[0].Type+"/"+rs[0].ID]) {
			t.Errorf("%s/%s does not come back byte for byte", rs[0].Type, rs[0].ID)
		}
	}
	// The original file comes back byte for byte.
	r, err := v.OpenOriginal(srcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(orig, b.Original) {
		t.Errorf("original: %d bytes, %v", len(orig), err)
	}
	// And all of it survives closing and opening.
	path := v.Path()
	v.Close()
	v2 := vaulttest.Open(t, path)
	es2, _ := v2.Entries(vault.Query{})
	if len(es2) != len(es) {
		t.Errorf("after reopening %d entries, want %d", len(es2), len(es))
	}
}

func TestImport_SameFileTwiceChangesNothing(t *testing.T) {
	v := vaulttest.New(t)
	mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	before, _ := v.Entries(vault.Query{})
	log, _ := v.Log()
	raw, _ := os.ReadFile(v.Path())
	res := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	if !res.Report.AlreadyImported || res.Source != "" || res.Report.TotalAdded() != 0 || res.Report.Profile != "Alberto Atencio" {
		t.Errorf("second import: %+v", res.Report)
	}
	after, _ := v.Entries(vault.Query{})
	log2, _ := v.Log()
	raw2, _ := os.ReadFile(v.Path())
	if len(after) != len(before) || len(mustSources(t, v, "")) != 1 || len(log2) != len(log) || !bytes.Equal(raw, raw2) {
		t.Error("importing the same file again changed the vault")
	}
}

// alteredVariant is Alberto's bundle saved again (other bytes) with one
// condition's status changed.
func alteredVariant(t *testing.T, status string) *record.Batch {
	data, _ := os.ReadFile(alberto)
	b := vaulttest.BatchFromBundle(t, "alberto-again.json", append(data, ' '))
	rs := b.Patients[0].Resources
	for i, r := range rs {
		if r.Type == "Condition" && strings.HasPrefix(r.ID, "a79f2af7") { // Epilepsy
			var m map[string]any
			json.Unmarshal(r.JSON, &m)
			m["clinicalStatus"] = map[string]any{"coding": []any{map[string]any{
				"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}}}
			rs[i].JSON, _ = json.Marshal(m)
		}
	}
	return b
}

func TestImport_MergeAndConflict(t *testing.T) {
	v := vaulttest.New(t)
	first := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	n := first.Report.TotalAdded()

	// The same records from another file: every entry is seen in 2 sources,
	// except the condition whose status differs: a conflict, both kept.
	res := mustImport(t, v, alteredVariant(t, "resolved"), vault.ImportOptions{})
	rep := res.Report
	if rep.Merged != n-1 || rep.Conflicts != 1 || rep.TotalAdded() != 1 || rep.Added[record.KindCondition] != 1 {
		t.Fatalf("second import: merged %d conflicts %d added %v; want %d, 1, one condition", rep.Merged, rep.Conflicts, rep.Added, n-1)
	}
	es, _ := v.Entries(vault.Query{})
	if len(es) != n+1 {
		t.Fatalf("%d entries, want %d", len(es), n+1)
	}
	var conflicted []record.Entry
	for _, e := range es {
		if e.Conflict {
			conflicted = append(conflicted, e)
			if len(e.Sources) != 1 {
				t.Errorf("conflicting entry with %d sources", len(e.Sources))
			}
		} else if len(e.Sources) != 2 || len(e.Resources) != 2 {
			t.Errorf("%s: %d sources, %d resources; want 2 each", e.Title, len(e.Sources), len(e.Resources))
		}
	}
	if len(conflicted) != 2 || conflicted[0].Title != "Epilepsy" || conflicted[0].Status == conflicted[1].Status {
		t.Errorf("conflicts: %+v", conflicted)
	}

	// Removing the second source: the merged entries lose it, the
	// conflicting copy goes, and the conflict flag goes with it.
	removed, err := v.RemoveSource(res.Source)
	if err != nil {
		t.Fatal(err)
	}
	if removed.Entries != 1 || removed.Kept != n-1 {
		t.Errorf("removed %+v, want 1 entry gone and %d kept", removed, n-1)
	}
	es, _ = v.Entries(vault.Query{})
	for _, e := range es {
		if len(e.Sources) != 1 || e.Sources[0] != first.Source || e.Conflict || len(e.Resources) != 1 {
			t.Errorf("after removal %s: sources %v conflict %v", e.Title, e.Sources, e.Conflict)
		}
	}
	if len(es) != n {
		t.Errorf("%d entries after removal, want %d", len(es), n)
	}
}

// TestRemoveSource_Reprojects removes the source an entry was shown from:
// the entry stays, shown from the remaining source's resource.
func TestRemoveSource_Reprojects(t *testing.T) {
	v := vaulttest.New(t)
	first := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	// The same facts, but this copy calls the condition by another name
	// (the merge key is the SNOMED code, so they still merge).
	b := alteredVariant(t, "active")
	for i, r := range b.Patients[0].Resources {
		if strings.HasPrefix(r.ID, "a79f2af7") {
			b.Patients[0].Resources[i].JSON = bytes.Replace(r.JSON, []byte(`"text":"Epilepsy"`), []byte(`"text":"Epilepsy (renamed)"`), 1)
		}
	}
	second := mustImport(t, v, b, vault.ImportOptions{})
	if second.Report.Merged != first.Report.TotalAdded() {
		t.Fatalf("merged %d", second.Report.Merged)
	}
	if _, err := v.RemoveSource(first.Source); err != nil {
		t.Fatal(err)
	}
	es, _ := v.Search("", "84757009")
	if len(es) != 1 || es[0].Title != "Epilepsy (renamed)" || es[0].Resources[0].Source != second.Source {
		t.Errorf("after removing the first source: %+v", es)
	}
	// Removing the last source empties the person but keeps them.
	if _, err := v.RemoveSource(second.Source); err != nil {
		t.Fatal(err)
	}
	if es, _ := v.Entries(vault.Query{}); len(es) != 0 {
		t.Errorf("%d entries left", len(es))
	}
	if len(mustProfiles(t, v)) != 1 {
		t.Error("the person went with their records")
	}
	// And the file can be imported again.
	if res := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{}); res.Report.AlreadyImported {
		t.Error("a removed file counts as already imported")
	}
	if _, err := v.RemoveSource("nope"); !errors.Is(err, vault.ErrNoSuchSource) {
		t.Errorf("unknown source: %v", err)
	}
}

// noPatient is a batch naming no patient: one self-contained Observation.
func noPatient(name string) *record.Batch {
	js := []byte(`{"resourceType":"Observation","id":"bp1","status":"final",` +
		`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],` +
		`"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},` +
		`"effectiveDateTime":"2024-03-01","valueQuantity":{"value":72,"unit":"/min"}}`)
	r, _ := record.ParseResource(js)
	return &record.Batch{Source: record.Source{File: name, Format: "fhir-r4"}, Original: append(js, name...),
		Patients: []record.PatientRecords{{Resources: []record.Resource{r}}}}
}

func TestImport_WhoseRecords(t *testing.T) {
	type step struct {
		name    string
		batch   func(t *testing.T) *record.Batch
		profile string
		wantErr error
		want    string // profile name the records go to
	}
	albertoNoBirth := func(t *testing.T, v *vault.Vault) {
		if _, err := v.AddProfile(record.Profile{Name: "alberto ATENCIO"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, v *vault.Vault)
		steps []step
	}{
		{"new people", nil, []step{
			{"first", func(t *testing.T) *record.Batch { return bundle(t, alberto) }, "", nil, "Alberto Atencio"},
			{"second", func(t *testing.T) *record.Batch { return bundle(t, chauncey) }, "", nil, "Chauncey Johnston"},
			{"same person again", func(t *testing.T) *record.Batch { return alteredVariant(t, "active") }, "", nil, "Alberto Atencio"},
			{"named but another person", func(t *testing.T) *record.Batch { return variant(t, 4) }, "Chauncey Johnston", vault.ErrProfileMismatch, ""},
		}},
		{"no patient", nil, []step{
			{"empty vault", func(*testing.T) *record.Batch { return noPatient("a") }, "", vault.ErrNeedProfile, ""},
			{"one person", func(t *testing.T) *record.Batch { return bundle(t, alberto) }, "", nil, "Alberto Atencio"},
			{"goes to the only person", func(*testing.T) *record.Batch { return noPatient("b") }, "", nil, "Alberto Atencio"},
			{"two people", func(t *testing.T) *record.Batch { return bundle(t, chauncey) }, "", nil, "Chauncey Johnston"},
			{"which one", func(*testing.T) *record.Batch { return noPatient("c") }, "", vault.ErrNeedProfile, ""},
			{"named", func(*testing.T) *record.Batch { return noPatient("c") }, "chauncey johnston", nil, "Chauncey Johnston"},
			{"unknown name", func(*testing.T) *record.Batch { return noPatient("d") }, "Nobody", vault.ErrNoSuchProfile, ""},
		}},
		{"a person added without birth date", albertoNoBirth, []step{
			{"name matches, no other person fits", func(t *testing.T) *record.Batch { return bundle(t, alberto) }, "", nil, "alberto ATENCIO"},
			// The profile learned the birth date and record numbers.
			{"learned", func(t *testing.T) *record.Batch { return alteredVariant(t, "active") }, "", nil, "alberto ATENCIO"},
		}},
		{"ambiguous", func(t *testing.T, v *vault.Vault) {
			albertoNoBirth(t, v)
			if _, err := v.AddProfile(record.Profile{Name: "Atencio, Alberto J"}); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{"two people without birth date fit", func(t *testing.T) *record.Batch { return bundle(t, alberto) }, "", vault.ErrAmbiguousPatient, ""},
			{"named", func(t *testing.T) *record.Batch { return bundle(t, alberto) }, "alberto atencio", nil, "alberto ATENCIO"},
			// Put there by choice: the person learned nothing, so still ambiguous.
			{"not learned", func(t *testing.T) *record.Batch { return alteredVariant(t, "active") }, "", vault.ErrAmbiguousPatient, ""},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := vaulttest.New(t)
			if tc.setup != nil {
				tc.setup(t, v)
			}
			for _, s := range tc.steps {
				before := len(mustSources(t, v, ""))
				res, err := v.Import(context.Background(), s.batch(t), vault.ImportOptions{Profile: s.profile})
				if !errors.Is(err, s.wantErr) {
					t.Fatalf("%s: got %v, want %v", s.name, err, s.wantErr)
				}
				if err != nil {
					if len(mustSources(t, v, "")) != before {
						t.Errorf("%s: a failed import stored something", s.name)
					}
					continue
				}
				if res.Report.Profile != s.want {
					t.Errorf("%s: went to %q, want %q", s.name, res.Report.Profile, s.want)
				}
			}
		})
	}
}

func TestImport_Package(t *testing.T) {
	v := vaulttest.New(t)
	// The first document was imported on its own before.
	mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	a, c := bundle(t, alberto), bundle(t, chauncey)
	zip := append(append([]byte("PK fake package of two: "), a.Original...), c.Original...)
	a.Original, c.Original = nil, nil
	pkg := &record.Batch{Source: record.Source{File: "records.zip", Format: "zip"}, Original: zip, Parts: []*record.Batch{a, c}}
	res := mustImport(t, v, pkg, vault.ImportOptions{})
	rep := res.Report
	if len(rep.Parts) != 2 || !rep.Parts[0].AlreadyImported || rep.Parts[1].AlreadyImported || rep.Parts[1].Profile != "Chauncey Johnston" {
		t.Fatalf("parts %+v", rep.Parts)
	}
	if rep.TotalAdded() != rep.Parts[1].TotalAdded() || rep.TotalAdded() == 0 {
		t.Errorf("total added %d", rep.TotalAdded())
	}
	srcs := mustSources(t, v, "")
	if len(srcs) != 3 {
		t.Fatalf("%d sources, want 3", len(srcs))
	}
	var part vault.SourceInfo
	for _, s := range srcs {
		if s.File == c.Source.File {
			part = s
		}
	}
	if part.Parent != res.Source || part.HasOriginal {
		t.Errorf("part %+v", part)
	}
	if _, err := v.OpenOriginal(part.ID); !errors.Is(err, vault.ErrNoOriginal) {
		t.Errorf("a part's original: %v", err)
	}
	// Removing the package removes its parts too.
	removed, err := v.RemoveSource(res.Source)
	if err != nil || len(removed.Sources) != 2 {
		t.Fatalf("removed %+v, %v", removed, err)
	}
	if got := mustSources(t, v, ""); len(got) != 1 || got[0].File != a.Source.File {
		t.Errorf("left %+v", got)
	}
	if es, _ := v.Entries(vault.Query{Profile: part.Profiles[0]}); len(es) != 0 {
		t.Errorf("%d entries of the removed part remain", len(es))
	}
}

// TestOriginal_Streamed imports a file larger than a chunk through
// OpenOriginal and reads it back.
func TestOriginal_Streamed(t *testing.T) {
	v := vaulttest.New(t)
	data := make([]byte, 3<<20+12345)
	rng := rand.NewChaCha8([32]byte{7})
	rng.Read(data)
	opened := 0
	b := noPatient("big.bin")
	b.Original = nil
	b.OpenOriginal = func() (io.ReadCloser, error) {
		opened++
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	if _, err := v.AddProfile(record.Profile{Name: "Ann"}); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, v, b, vault.ImportOptions{})
	src, err := v.Source(res.Source)
	if err != nil || src.Size != int64(len(data)) || src.SHA256 == "" {
		t.Fatalf("%+v %v", src, err)
	}
	r, _ := v.OpenOriginal(res.Source[:8])
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("streamed original: %d bytes, %v", len(got), err)
	}
	rep, err := v.Verify()
	if err != nil || rep.Chunks != 4 {
		t.Errorf("verify %+v %v", rep, err)
	}
	// Streaming the same content again is recognized.
	b2 := noPatient("big-again.bin")
	b2.Original, b2.OpenOriginal = nil, b.OpenOriginal
	if res := mustImport(t, v, b2, vault.ImportOptions{}); !res.Report.AlreadyImported {
		t.Error("the same streamed content imported twice")
	}
}

func TestEntries_Query(t *testing.T) {
	v := vaulttest.New(t)
	mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	res := mustImport(t, v, bundle(t, chauncey), vault.ImportOptions{})
	chaunceyID := res.NewProfiles[0].ID
	all, _ := v.Entries(vault.Query{})
	if !slices.IsSortedFunc(all, func(a, b record.Entry) int { return b.Date.T.Compare(a.Date.T) }) {
		t.Error("entries are not newest first")
	}
	for _, tc := range []struct {
		name string
		q    vault.Query
		ok   func(e record.Entry) bool
	}{
		{"one person", vault.Query{Profile: chaunceyID}, func(e record.Entry) bool { return e.Profile == chaunceyID }},
		{"kinds", vault.Query{Kinds: []record.Kind{record.KindImmunization, record.KindCondition}},
			func(e record.Entry) bool { return e.Kind == record.KindImmunization || e.Kind == record.KindCondition }},
		{"since", vault.Query{Since: record.MustDate("2016-03-07")}, func(e record.Entry) bool { return e.Date.Day() >= "2016-03-07" }},
		{"until day inclusive", vault.Query{Until: record.MustDate("2016-03-07")}, func(e record.Entry) bool { return !e.Date.IsZero() && e.Date.Day() <= "2016-03-07" }},
		{"until month", vault.Query{Until: record.MustDate("2016-03")}, func(e record.Entry) bool { return !e.Date.IsZero() && e.Date.Day() <= "2016-03-31" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := v.Entries(tc.q)
			if err != nil || len(got) == 0 {
				t.Fatalf("%d entries, %v", len(got), err)
			}
			want := 0
			for _, e := range all {
				if tc.ok(e) {
					want++
				}
			}
			for _, e := range got {
				if !tc.ok(e) {
					t.Errorf("%s %s does not fit", e.Kind, e.Date)
				}
			}
			if len(got) != want {
				t.Errorf("%d entries, want %d", len(got), want)
			}
		})
	}
	if _, err := v.Entries(vault.Query{Profile: "nobody"}); !errors.Is(err, vault.ErrNoSuchProfile) {
		t.Errorf("unknown profile: %v", err)
	}
	if _, _, err := v.Entry("nope"); !errors.Is(err, vault.ErrNoSuchEntry) {
		t.Errorf("unknown entry: %v", err)
	}
}

func TestSearch(t *testing.T) {
	v := vaulttest.New(t)
	a := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	albertoID := a.NewProfiles[0].ID
	for _, tc := range []struct {
		query   string
		profile string
		want    func(e record.Entry) bool
	}{
		{"epilepsy", "", func(e record.Entry) bool { return says(e, "epilepsy") }},
		{"EPILEPSY", albertoID, func(e record.Entry) bool { return says(e, "epilepsy") }},
		{"84757009", "", func(e record.Entry) bool { return e.Code(record.SystemSNOMED) == "84757009" }},
		{"8302-2", "", func(e record.Entry) bool { return e.Code(record.SystemLOINC) == "8302-2" }},
		{"body height", "", func(e record.Entry) bool { return e.Code(record.SystemLOINC) == "8302-2" }},
		{"influ", "", func(e record.Entry) bool { return says(e, "influenza") }},
		{"carbamazepine", "", func(e record.Entry) bool {
			return e.Kind == record.KindMedication && strings.Contains(e.Title, "Carbamazepine")
		}},
		{"immunization 2016", "", func(e record.Entry) bool { return e.Kind == record.KindImmunization && e.Date.T.Year() == 2016 }},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got, err := v.Search(tc.profile, tc.query)
			if err != nil || len(got) == 0 {
				t.Fatalf("%q: %d hits, %v", tc.query, len(got), err)
			}
			if tc.want == nil {
				return
			}
			all, _ := v.Entries(vault.Query{})
			want := 0
			for _, e := range all {
				if tc.want(e) {
					want++
				}
			}
			for _, e := range got {
				if !tc.want(e) {
					t.Errorf("%q found %q", tc.query, e.Title)
				}
			}
			if len(got) != want {
				t.Errorf("%q: %d hits, want %d", tc.query, len(got), want)
			}
		})
	}
	// A value: Alberto's 2016 body height.
	if got, _ := v.Search("", "179.2213976069333"); len(got) != 2 {
		t.Errorf("value search: %d hits, want 2", len(got))
	}
	for _, q := range []string{"", "   ", "zzzyzzy", "epilepsy zzzyzzy"} {
		if got, _ := v.Search("", q); len(got) != 0 {
			t.Errorf("%q: %d hits, want none", q, len(got))
		}
	}
	// The index follows imports.
	if got, _ := v.Search("", "chauncey"); len(got) != 0 {
		t.Fatal("found what is not there")
	}
	c := mustImport(t, v, bundle(t, chauncey), vault.ImportOptions{})
	if got, _ := v.Search(c.NewProfiles[0].ID, "influenza"); len(got) == 0 || got[0].Profile != c.NewProfiles[0].ID {
		t.Errorf("search after import: %d hits", len(got))
	}
	if got, _ := v.Search(albertoID, "influenza immunization"); len(got) != 4 {
		t.Errorf("search limited to one person: %d hits, want 4", len(got))
	}
}

// says reports whether the entry's title, note or code names mention word.
func says(e record.Entry, word string) bool {
	text := e.Title + " " + e.Note
	for _, c := range e.Codes {
		text += " " + c.Display
	}
	return strings.Contains(strings.ToLower(text), word)
}

func TestSelfReported(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.AddSelfReported("", record.SelfReport{Kind: record.KindVital, Title: "Blood pressure"}); !errors.Is(err, vault.ErrNeedProfile) {
		t.Errorf("empty vault: %v", err)
	}
	imp := mustImport(t, v, bundle(t, alberto), vault.ImportOptions{})
	e, err := v.AddSelfReported("", record.SelfReport{Kind: record.KindMedication, Title: "Carbamazepine", Date: record.MustDate("2024-02-01"), Value: "200", Unit: "mg", Note: "with food"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != record.KindMedication || e.Title != "Carbamazepine" || len(e.Sources) != 1 {
		t.Errorf("%+v", e)
	}
	src, _ := v.Source(e.Sources[0])
	if src.Format != record.SelfReported || src.Entries != 1 {
		t.Errorf("source %+v", src)
	}
	_, rs, _ := v.Entry(e.ID)
	if len(rs) != 1 || !record.IsSelfReported(rs[0]) {
		t.Errorf("resource %+v", rs)
	}
	if got, _ := v.Search("", "with food"); len(got) != 1 || got[0].ID != e.ID {
		t.Errorf("search for the note: %+v", got)
	}
	edited, err := v.EditSelfReported(e.ID, record.SelfReport{Kind: record.KindAllergy, Title: "Penicillin"})
	if err != nil || edited.ID != e.ID || edited.Kind != record.KindAllergy || edited.Title != "Penicillin" {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	if _, rs, _ := v.Entry(e.ID); len(rs) != 1 || rs[0].Type != "AllergyIntolerance" {
		t.Errorf("edited resource %+v", rs)
	}
	imported, _ := v.Entries(vault.Query{Source: imp.Source})
	if _, err := v.EditSelfReported(imported[0].ID, record.SelfReport{Kind: record.KindOther, Title: "x"}); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("editing an imported entry: %v", err)
	}
	if err := v.DeleteSelfReported(imported[0].ID); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("deleting an imported entry: %v", err)
	}
	if err := v.DeleteSelfReported(e.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := v.Entry(e.ID); !errors.Is(err, vault.ErrNoSuchEntry) {
		t.Errorf("deleted entry: %v", err)
	}
	if len(mustSources(t, v, "")) != 1 {
		t.Error("the hand-entered source was left behind")
	}
	mustImport(t, v, bundle(t, chauncey), vault.ImportOptions{})
	if _, err := v.AddSelfReported("", record.SelfReport{Kind: record.KindVital, Title: "Weight"}); !errors.Is(err, vault.ErrNeedProfile) {
		t.Errorf("two people, none named: %v", err)
	}
	if _, err := v.AddSelfReported("Chauncey Johnston", record.SelfReport{Kind: record.KindClaim, Title: "x"}); !errors.Is(err, record.ErrNotSelfReportable) {
		t.Errorf("a claim by hand: %v", err)
	}
}

func TestProfiles(t *testing.T) {
	v := vaulttest.New(t)
	ann, err := v.AddProfile(record.Profile{Name: "  Ann   Lee ", BirthDate: record.MustDate("2015-04-01")})
	if err != nil || ann.Name != "Ann Lee" || ann.ID == "" {
		t.Fatalf("%+v %v", ann, err)
	}
	if _, err := v.AddProfile(record.Profile{Name: "ann lee"}); !errors.Is(err, vault.ErrProfileExists) {
		t.Errorf("same name: %v", err)
	}
	if _, err := v.AddProfile(record.Profile{Name: " "}); err == nil {
		t.Error("a nameless person was added")
	}
	if p, err := v.Profile("ANN LEE"); err != nil || p.ID != ann.ID {
		t.Errorf("by name: %+v %v", p, err)
	}
	if err := v.RenameProfile(ann.ID, "Ann Lee-Park"); err != nil {
		t.Fatal(err)
	}
	p, _ := v.Profile(ann.ID)
	if p.Name != "Ann Lee-Park" || !slices.Contains(p.Names, "Ann Lee") {
		t.Errorf("renamed: %+v", p)
	}
	bob, _ := v.AddProfile(record.Profile{Name: "Bob"})
	if err := v.RenameProfile("Bob", "ann lee-park"); !errors.Is(err, vault.ErrProfileExists) {
		t.Errorf("rename onto another's name: %v", err)
	}
	if _, err := v.AddSelfReported("Bob", record.SelfReport{Kind: record.KindCondition, Title: "Asthma"}); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveProfile("Bob"); !errors.Is(err, vault.ErrProfileNotEmpty) {
		t.Errorf("removing a person with records: %v", err)
	}
	if err := v.RemoveProfile(ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveProfile(ann.ID); !errors.Is(err, vault.ErrNoSuchProfile) {
		t.Errorf("removing twice: %v", err)
	}
	if ps := mustProfiles(t, v); len(ps) != 1 || ps[0].ID != bob.ID {
		t.Errorf("profiles %+v", ps)
	}
	log, _ := v.Log()
	var actions []vault.Action
	for _, ev := range log {
		actions = append(actions, ev.Action)
	}
	want := []vault.Action{vault.ActionCreate, vault.ActionProfileAdd, vault.ActionProfileRename, vault.ActionProfileAdd, vault.ActionEntryAdd, vault.ActionProfileRemove}
	if !slices.Equal(actions, want) {
		t.Errorf("log %v, want %v", actions, want)
	}
}
