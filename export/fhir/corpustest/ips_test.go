package corpustest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/export/fhir"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

func writeIPS(t testing.TB, in *export.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fhir.WriteIPS(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type ipsSection struct {
	Title string `json:"title"`
	Code  struct {
		Coding []record.Coding `json:"coding"`
	} `json:"code"`
	Text *struct {
		Status, Div string
	} `json:"text"`
	Entry []struct {
		Reference string `json:"reference"`
	} `json:"entry"`
	EmptyReason *struct {
		Coding []record.Coding `json:"coding"`
		Text   string          `json:"text"`
	} `json:"emptyReason"`
}

type ipsComposition struct {
	ResourceType string `json:"resourceType"`
	Status       string `json:"status"`
	Type         struct{ Coding []record.Coding }
	Subject      struct{ Reference string }
	Author       []struct{ Reference string }
	Date         string       `json:"date"`
	Section      []ipsSection `json:"section"`
}

// parseIPS checks what every IPS document must be and returns its
// Composition's sections by LOINC code.
func parseIPS(t *testing.T, data []byte) (bundleJSON, map[string]ipsSection) {
	t.Helper()
	b := parseBundle(t, data)
	if b.ResourceType != "Bundle" || b.Type != "document" {
		t.Fatalf("resourceType %q, type %q; want a document Bundle", b.ResourceType, b.Type)
	}
	if b.Identifier == nil || b.Identifier.Value == "" || b.Timestamp == "" {
		t.Errorf("a document Bundle needs an identifier and a timestamp: %+v %q", b.Identifier, b.Timestamp)
	}
	if len(b.Entry) < 2 {
		t.Fatalf("%d entries", len(b.Entry))
	}
	if typ, _ := b.resource(t, 0); typ != "Composition" {
		t.Fatalf("the first entry is a %s, want the Composition", typ)
	}
	var c ipsComposition
	if err := json.Unmarshal(b.Entry[0].Resource, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Type.Coding) == 0 || c.Type.Coding[0].System != record.SystemLOINC || c.Type.Coding[0].Code != "60591-5" {
		t.Errorf("Composition.type = %+v, want LOINC 60591-5", c.Type.Coding)
	}
	if c.Status != "final" || c.Date != "2025-03-14T09:30:00Z" {
		t.Errorf("Composition status %q, date %q", c.Status, c.Date)
	}
	if typ, _ := b.resource(t, 1); typ != "Patient" || b.Entry[1].FullURL != c.Subject.Reference {
		t.Errorf("the second entry is a %s at %s; the subject is %s", typ, b.Entry[1].FullURL, c.Subject.Reference)
	}
	if len(c.Author) == 0 || c.Author[0].Reference == "" {
		t.Error("the Composition has no author")
	}
	if out := checkReferences(t, b); out > 0 {
		t.Logf("%d references point outside the document (kept as the source wrote them)", out)
	}
	secs := map[string]ipsSection{}
	for _, s := range c.Section {
		if len(s.Code.Coding) == 0 || s.Code.Coding[0].System != record.SystemLOINC {
			t.Errorf("section %q has no LOINC code", s.Title)
			continue
		}
		if s.Text == nil || s.Text.Div == "" {
			t.Errorf("section %q has no narrative", s.Title)
		}
		if (len(s.Entry) == 0) == (s.EmptyReason == nil) {
			t.Errorf("section %q: %d entries and emptyReason %v: want entries or an emptyReason", s.Title, len(s.Entry), s.EmptyReason)
		}
		secs[s.Code.Coding[0].Code] = s
	}
	for _, code := range []string{"10160-0", "48765-2", "11450-4"} {
		if _, ok := secs[code]; !ok {
			t.Errorf("required section %s is missing", code)
		}
	}
	return b, secs
}

func emptyReason(s ipsSection) string {
	if s.EmptyReason == nil || len(s.EmptyReason.Coding) == 0 {
		return ""
	}
	return s.EmptyReason.Coding[0].Code
}

// TestWriteIPS_Sections: a person from three sources has every required
// section listed, and the recommended ones they have records for.
func TestWriteIPS_Sections(t *testing.T) {
	v := vaulttest.New(t)
	importFiles(t, v, "", larsonA, larsonB, larsonFHIR)
	p := onlyPerson(t, v)
	in := input(t, v, p.ID)
	_, secs := parseIPS(t, writeIPS(t, in))
	sum := record.Summarize(in.Entries, fixedNow)
	for code, want := range map[string]int{"10160-0": len(sum.Medications), "48765-2": len(sum.Allergies.Entries), "11450-4": len(sum.Problems),
		"47519-4": len(sum.Procedures), "30954-2": len(sum.Labs), "8716-3": len(sum.Vitals)} {
		if got := len(secs[code].Entry); got != want || want == 0 {
			t.Errorf("section %s lists %d entries, want %d (and more than none)", code, got, want)
		}
	}
	if len(secs["11369-6"].Entry) == 0 {
		t.Error("no immunizations listed")
	}
}

// TestWriteIPS_EmptyReasons keeps "none known" apart from "no information".
func TestWriteIPS_EmptyReasons(t *testing.T) {
	t.Run("no known allergies stated by the sources", func(t *testing.T) {
		v := vaulttest.New(t)
		importFiles(t, v, "", wrightA)
		p := onlyPerson(t, v)
		in := input(t, v, p.ID)
		if s := record.Summarize(in.Entries, fixedNow); s.Allergies.State != record.NoKnownAllergies {
			t.Fatalf("the corpus file does not state no known allergies (state %v)", s.Allergies.State)
		}
		_, secs := parseIPS(t, writeIPS(t, in))
		if got := emptyReason(secs["48765-2"]); got != fhir.EmptyNoneKnown {
			t.Errorf("allergies emptyReason %q, want %q", got, fhir.EmptyNoneKnown)
		}
	})
	t.Run("a person with nothing recorded", func(t *testing.T) {
		v := vaulttest.New(t)
		p, err := v.AddProfile(record.Profile{Name: "Mia Example", BirthDate: record.MustDate("2019-04-02")})
		if err != nil {
			t.Fatal(err)
		}
		b, secs := parseIPS(t, writeIPS(t, input(t, v, p.ID)))
		for _, code := range []string{"10160-0", "48765-2", "11450-4"} {
			if got := emptyReason(secs[code]); got != fhir.EmptyNoInformation {
				t.Errorf("section %s emptyReason %q, want %q", code, got, fhir.EmptyNoInformation)
			}
		}
		if len(secs) != 3 || len(b.Entry) != 2 {
			t.Errorf("%d sections and %d entries for a person with no records, want the 3 required and Composition and Patient", len(secs), len(b.Entry))
		}
	})
	t.Run("no known medications stated, no allergy information", func(t *testing.T) {
		v := vaulttest.New(t)
		p, _ := v.AddProfile(record.Profile{Name: "Leo Example"})
		if _, err := v.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindMedication, Title: "No known medications", Date: record.MustDate("2024-11-02")}); err != nil {
			t.Fatal(err)
		}
		_, secs := parseIPS(t, writeIPS(t, input(t, v, p.ID)))
		if got := emptyReason(secs["10160-0"]); got != fhir.EmptyNoneKnown {
			t.Errorf("medications emptyReason %q, want %q", got, fhir.EmptyNoneKnown)
		}
		if got := emptyReason(secs["48765-2"]); got != fhir.EmptyNoInformation {
			t.Errorf("allergies emptyReason %q, want %q", got, fhir.EmptyNoInformation)
		}
	})
}

// TestWriteIPS_ReadBack: the importers read our IPS as an IPS, with every
// reference resolved, and importing it gives the person's summary.
func TestWriteIPS_ReadBack(t *testing.T) {
	v := vaulttest.New(t)
	importFiles(t, v, "", larsonA, larsonB, larsonFHIR)
	p := onlyPerson(t, v)
	in := input(t, v, p.ID)
	data := writeIPS(t, in)
	b := readBack(t, "summary.json", data)
	if b.Report.Format != "ips" || len(b.Report.Skipped) > 0 || len(b.Patients) != 1 {
		t.Fatalf("read back: %s, %d people", describe(&b.Report), len(b.Patients))
	}
	for _, w := range b.Report.Warnings {
		t.Errorf("read back: %s", w)
	}
	v2 := vaulttest.New(t)
	importBytes(t, v2, "summary.json", data)
	p2 := onlyPerson(t, v2)
	es, err := v2.Entries(vault.Query{Profile: p2.ID})
	if err != nil {
		t.Fatal(err)
	}
	before, after := record.Summarize(in.Entries, fixedNow), record.Summarize(es, fixedNow)
	titles := func(es []record.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Title)
		}
		return out
	}
	for _, c := range []struct {
		name      string
		want, got []record.Entry
	}{
		{"medications", before.Medications, after.Medications},
		{"allergies", before.Allergies.Entries, after.Allergies.Entries},
		{"problems", before.Problems, after.Problems},
	} {
		if w, g := titles(c.want), titles(c.got); len(w) != len(g) {
			t.Errorf("%s after importing the summary: %q, want %q", c.name, g, w)
		}
	}
}

// TestWrite_Deterministic: the same Input gives the same bytes, and
// another time of export changes only what says when.
func TestWrite_Deterministic(t *testing.T) {
	v := vaulttest.New(t)
	importFiles(t, v, "", larsonA, larsonFHIR)
	p := onlyPerson(t, v)
	for _, w := range []struct {
		name  string
		write func(testing.TB, *export.Input) []byte
	}{{"bundle", writeBundle}, {"ips", writeIPS}} {
		a, b := w.write(t, input(t, v, p.ID)), w.write(t, input(t, v, p.ID))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports of the same records differ", w.name)
		}
	}
}

func TestWrite_NoPerson(t *testing.T) {
	var buf bytes.Buffer
	for _, err := range []error{fhir.WriteBundle(&buf, &export.Input{}), fhir.WriteIPS(&buf, &export.Input{})} {
		if err == nil || !errorsIs(err, fhir.ErrNoPerson) {
			t.Errorf("an Input without a person: %v, want ErrNoPerson", err)
		}
	}
}
