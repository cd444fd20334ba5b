package record_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// bundle is a FHIR Bundle from the corpus, read the simple way a test can:
// its resources and a resolver over their fullUrls and Type/id references.
type bundle struct {
	resources []record.Resource
	byRef     map[string]record.Resource
}

func readBundle(t testing.TB, path string) *bundle {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := &bundle{byRef: map[string]record.Resource{}}
	for i, e := range b.Entry {
		r, err := record.ParseResource(e.Resource)
		if err != nil {
			t.Fatalf("%s entry[%d]: %v", path, i, err)
		}
		out.resources = append(out.resources, r)
		out.byRef[r.Ref()] = r
		if e.FullURL != "" {
			out.byRef[e.FullURL] = r
		}
	}
	return out
}

func (b *bundle) resolve(ref string) (record.Resource, bool) {
	if r, ok := b.byRef[ref]; ok {
		return r, true
	}
	// Absolute references end in Type/id.
	parts := strings.Split(ref, "/")
	if len(parts) >= 2 {
		r, ok := b.byRef[parts[len(parts)-2]+"/"+parts[len(parts)-1]]
		return r, ok
	}
	return record.Resource{}, false
}

// entries projects every resource of the bundle that has an entry.
func (b *bundle) entries(t testing.TB) []record.Entry {
	t.Helper()
	var out []record.Entry
	for _, r := range b.resources {
		e, ok, err := record.Project(r, b.resolve)
		if err != nil {
			t.Fatalf("projecting %s: %v", r.Ref(), err)
		}
		if ok {
			e.ID = r.Ref()
			out = append(out, e)
		}
	}
	return out
}

var corpusFiles = []string{
	"testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json",
	"testdata/corpus/ips/hl7-ips-ig/bundle-minimal.json",
	"testdata/corpus/ips/nz-connectathon/NZ_Peter_Jordan_AAA1234.json",
	"testdata/corpus/ips/au-sparked/Bundle-aups-noknownx.json",
	"testdata/corpus/ips/eu-connectathon/EU_Giorgio_Cangioli_03.json",
}

// TestProject_CorpusGolden projects every resource of real exports and
// compares the entries with reviewed golden files.
func TestProject_CorpusGolden(t *testing.T) {
	for _, path := range corpusFiles {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(readBundle(t, path).entries(t), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".golden.json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("entries of %s differ from %s; review with go test -update and git diff", name, golden)
			}
		})
	}
}

var bareCode = regexp.MustCompile(`^[0-9A-Z.\-]+$`)

// TestProject_CorpusTitlesAreReadable checks what a patient would: every
// clinical resource of the corpus becomes an entry whose title is words,
// not a code, and every entry with a date in the file has one.
func TestProject_CorpusTitlesAreReadable(t *testing.T) {
	for _, path := range corpusFiles {
		b := readBundle(t, path)
		n := 0
		for _, r := range b.resources {
			e, ok, err := record.Project(r, b.resolve)
			if err != nil {
				t.Errorf("%s %s: %v", path, r.Ref(), err)
				continue
			}
			if !ok {
				if !record.IsSupporting(r.Type) {
					t.Errorf("%s: clinical resource %s has no entry", path, r.Ref())
				}
				continue
			}
			n++
			if e.Title == "" || bareCode.MatchString(e.Title) {
				t.Errorf("%s %s: title %q is not readable", path, r.Ref(), e.Title)
			}
			if e.Kind == "" {
				t.Errorf("%s %s: no kind", path, r.Ref())
			}
		}
		if n == 0 {
			t.Errorf("%s: no entries at all", path)
		}
	}
}

// TestProject_SyntheaKinds checks the Synthea bundle's resources land in the
// kinds a user expects, counted independently from the file.
func TestProject_SyntheaKinds(t *testing.T) {
	b := readBundle(t, corpusFiles[0])
	count := map[record.Kind]int{}
	for _, e := range b.entries(t) {
		count[e.Kind]++
	}
	byType := map[string]int{}
	for _, r := range b.resources {
		byType[r.Type]++
	}
	want := map[record.Kind]int{
		record.KindCondition:    byType["Condition"],
		record.KindMedication:   byType["MedicationRequest"],
		record.KindImmunization: byType["Immunization"],
		record.KindProcedure:    byType["Procedure"],
		record.KindEncounter:    byType["Encounter"],
		record.KindClaim:        byType["Claim"] + byType["ExplanationOfBenefit"],
		record.KindLab:          byType["DiagnosticReport"],
	}
	vitals := 0
	for _, e := range b.entries(t) {
		if e.Kind == record.KindVital {
			vitals++
		}
	}
	if vitals == 0 {
		t.Error("no vital signs found in a bundle with body height and weight")
	}
	for k, n := range want {
		got := count[k]
		if k == record.KindLab {
			got = 0
			for _, e := range b.entries(t) {
				if e.Kind == record.KindLab && e.Category == "report" {
					got++
				}
			}
		}
		if got != n {
			t.Errorf("%s: %d entries, want %d", k, got, n)
		}
	}
	if count[record.KindLab]+count[record.KindVital]+count[record.KindOther] < byType["Observation"] {
		t.Errorf("observations lost: %d lab+vital+other entries for %d observations", count[record.KindLab]+count[record.KindVital]+count[record.KindOther], byType["Observation"])
	}
}
