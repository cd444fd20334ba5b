package corpustest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/all"
	ifhir "github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

const (
	larsonA    = "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml"
	larsonB    = "testdata/corpus/ccda/onc-mckesson-paragon/larson-rn.xml"
	larsonFHIR = "testdata/larson-clinic-fhir.json"
	wrightA    = "testdata/corpus/ccda/onc-mckesson-paragon/wright-ccd.xml"
	wrightB    = "testdata/corpus/ccda/onc-meditech-magic/Test1_WrightSample2CCD.xml"
	alberto    = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
)

// fixedNow is the time of every export in these tests.
var fixedNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// importFiles imports real files into v through the real readers, each
// in its own transaction, the way kin import does.
func importFiles(t testing.TB, v *vault.Vault, profile string, paths ...string) {
	t.Helper()
	reg := all.Registry()
	for _, p := range paths {
		b, err := reg.ReadPath(context.Background(), p, importers.DefaultLimits())
		if err != nil {
			t.Fatalf("reading %s: %v", p, err)
		}
		if _, err := v.Import(context.Background(), b, vault.ImportOptions{Profile: profile}); err != nil {
			t.Fatalf("importing %s: %v", p, err)
		}
	}
}

// importBytes imports an exported file, as a user would import it.
func importBytes(t testing.TB, v *vault.Vault, name string, data []byte) *vault.ImportResult {
	t.Helper()
	b, err := all.Registry().Read(context.Background(), importers.BytesInput(name, data), importers.DefaultLimits())
	if err != nil {
		t.Fatalf("reading our own %s: %v", name, err)
	}
	res, err := v.Import(context.Background(), b, vault.ImportOptions{})
	if err != nil {
		t.Fatalf("importing our own %s: %v", name, err)
	}
	return res
}

// readBack reads an exported file with the FHIR reader on its own.
func readBack(t testing.TB, name string, data []byte) *record.Batch {
	t.Helper()
	b, err := ifhir.New().Read(context.Background(), importers.BytesInput(name, data), nil)
	if err != nil {
		t.Fatalf("the FHIR reader refuses our %s: %v", name, err)
	}
	return b
}

func onlyPerson(t testing.TB, v *vault.Vault) record.Profile {
	t.Helper()
	ps, err := v.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("the vault holds %d people, want 1: %+v", len(ps), ps)
	}
	return ps[0]
}

func input(t testing.TB, v *vault.Vault, profile string) *export.Input {
	t.Helper()
	in, err := v.ExportInput(profile, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// content is an entry as a person reads it: everything but the vault's
// ids, with its conflict flag, and for where it came from, each source as
// a person sees it (name, format, title, document date, author), in order.
// src describes a source id; nil leaves the sources out.
func content(e record.Entry, src func(id string) string) string {
	var from []string
	if src != nil {
		for _, s := range e.Sources {
			from = append(from, src(s))
		}
	}
	e.ID, e.Profile, e.Sources, e.Resources = "", "", nil, nil
	js, _ := json.Marshal(struct {
		record.Entry
		From []string
	}{e, from})
	return string(js)
}

// sourcesOf describes each source of a vault as a person sees it.
func sourcesOf(t testing.TB, v *vault.Vault) func(id string) string {
	t.Helper()
	srcs, err := v.Sources("")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range srcs {
		m[s.ID] = strings.Join([]string{s.File, string(s.Format), s.Title, s.DocumentDate.String(), s.Author, s.SHA256}, " | ")
	}
	return func(id string) string {
		if d, ok := m[id]; ok {
			return d
		}
		return "unknown source " + id
	}
}

// sameEntries compares two lists of entries by content, as multisets.
// Each entry is read with its conflict flag and its sources (see
// content): the sources of v1 and v2, where given (nil compares the
// entries alone).
func sameEntries(t testing.TB, v1 *vault.Vault, want []record.Entry, v2 *vault.Vault, got []record.Entry) {
	t.Helper()
	var s1, s2 func(string) string
	if v1 != nil && v2 != nil {
		s1, s2 = sourcesOf(t, v1), sourcesOf(t, v2)
	}
	a := make([]string, len(want))
	for i, e := range want {
		a[i] = content(e, s1)
	}
	b := make([]string, len(got))
	for i, e := range got {
		b[i] = content(e, s2)
	}
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		return
	}
	var missing, extra []string
	for _, x := range a {
		if i, ok := slices.BinarySearch(b, x); !ok || b[i] != x {
			missing = append(missing, x)
		}
	}
	for _, x := range b {
		if i, ok := slices.BinarySearch(a, x); !ok || a[i] != x {
			extra = append(extra, x)
		}
	}
	t.Errorf("entries differ: %d before, %d after\nmissing (%d):\n%s\nextra (%d):\n%s", len(a), len(b),
		len(missing), strings.Join(first(missing, 8), "\n"), len(extra), strings.Join(first(extra, 8), "\n"))
}

func first(xs []string, n int) []string { return xs[:min(n, len(xs))] }

func entries(t testing.TB, v *vault.Vault, profile string) []record.Entry {
	t.Helper()
	es, err := v.Entries(vault.Query{Profile: profile})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// bundleJSON is what the tests read of a Bundle.
type bundleJSON struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Timestamp    string `json:"timestamp"`
	Identifier   *struct {
		System, Value string
	} `json:"identifier"`
	Entry []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

func parseBundle(t testing.TB, data []byte) bundleJSON {
	t.Helper()
	var b bundleJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	return b
}

func (b bundleJSON) resource(t testing.TB, i int) (typ, id string) {
	t.Helper()
	var h struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id"`
	}
	if err := json.Unmarshal(b.Entry[i].Resource, &h); err != nil {
		t.Fatal(err)
	}
	return h.ResourceType, h.ID
}

// checkReferences asserts that every reference to another entry of the
// bundle ("urn:uuid:...") names one, and counts those that do not point
// into the bundle.
func checkReferences(t testing.TB, b bundleJSON) (outside int) {
	t.Helper()
	urls := map[string]bool{}
	for _, e := range b.Entry {
		if urls[e.FullURL] {
			t.Errorf("two entries have the full URL %s", e.FullURL)
		}
		urls[e.FullURL] = true
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && k == "reference" {
					switch {
					case strings.HasPrefix(s, "urn:uuid:"):
						if !urls[s] {
							t.Errorf("reference %s names no entry", s)
						}
					case strings.HasPrefix(s, "#"):
					default:
						outside++
					}
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	for _, e := range b.Entry {
		var v any
		if err := json.Unmarshal(e.Resource, &v); err != nil {
			t.Fatalf("entry %s: %v", e.FullURL, err)
		}
		walk(v)
	}
	return outside
}

func describe(r *record.Report) string {
	return fmt.Sprintf("format %s, skipped %v, warnings %v", r.Format, r.Skipped, r.Warnings)
}

var _ = vaulttest.New

func errorsIs(err, target error) bool { return errors.Is(err, target) }
