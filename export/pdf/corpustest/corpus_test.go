package corpustest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/export/pdf"
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/all"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// now is the printouts' "now": later than every sample's records.
var now = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

const corpus = "testdata/corpus"

// importFiles imports files into a fresh vault as `kin import` does, and
// returns the vault.
func importFiles(t *testing.T, files ...string) *vault.Vault {
	t.Helper()
	v := vaulttest.New(t)
	reg := all.Registry()
	for _, f := range files {
		b, err := reg.ReadPath(context.Background(), filepath.Join(corpus, f), importers.DefaultLimits())
		if err != nil {
			t.Fatalf("reading %s: %v", f, err)
		}
		if _, err := v.Import(context.Background(), b, vault.ImportOptions{}); err != nil {
			t.Fatalf("importing %s: %v", f, err)
		}
	}
	return v
}

// inputFor fills the export.Input of the person named name as package app
// does: the profile, every entry, every resource with its source, the
// sources with what a person calls them, and now.
func inputFor(t *testing.T, v *vault.Vault, name string) export.Input {
	t.Helper()
	p, err := v.Profile(name)
	if err != nil {
		t.Fatalf("the vault has no %q: %v", name, err)
	}
	in := export.Input{Person: p, Now: now}
	if in.Entries, err = v.Entries(vault.Query{Profile: p.ID}); err != nil {
		t.Fatal(err)
	}
	err = v.ForEachResource(p.ID, func(ref record.ResourceRef, r record.Resource) error {
		in.Resources = append(in.Resources, export.Resource{Ref: ref, Resource: r})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := v.Sources(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		in.Sources = append(in.Sources, export.Source{Source: s.Source, Name: export.SourceName(s.Source), Entries: s.Entries})
	}
	return in
}

func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (poppler-utils): %v", name, err)
		}
		t.Skipf("%s is not installed (poppler-utils)", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// printed is one printout, written to a file and read back.
type printed struct {
	path  string
	pages []string // each page's text, lines joined by spaces
	sizes [][2]float64
}

func (p *printed) all() string { return strings.Join(p.pages, " ") }

var spaces = regexp.MustCompile(`[\s\x{00a0}]+`)

func print(t *testing.T, k pdf.Kind, in export.Input, o pdf.Options) *printed {
	t.Helper()
	var buf bytes.Buffer
	if err := pdf.Write(&buf, k, in, o); err != nil {
		t.Fatalf("printing the %s: %v", k, err)
	}
	dir := t.TempDir()
	if out := os.Getenv("KIN_PDF_OUT"); out != "" {
		dir = out
	}
	path := filepath.Join(dir, strings.ReplaceAll(in.Person.Name, " ", "_")+"-"+string(k)+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &printed{path: path}
	info := run(t, "pdfinfo", "-f", "1", "-l", "9999", path)
	for _, m := range regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(info, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		p.sizes = append(p.sizes, [2]float64{w * 25.4 / 72, h * 25.4 / 72})
	}
	for i := 1; i <= len(p.sizes); i++ {
		text := run(t, "pdftotext", "-raw", "-enc", "UTF-8", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), path, "-")
		p.pages = append(p.pages, strings.TrimSpace(spaces.ReplaceAllString(text, " ")))
	}
	if len(p.pages) == 0 {
		t.Fatalf("the %s has no pages", k)
	}
	return p
}

// checkPrintouts prints the three printouts of in and checks what a
// person checks: whose they are on every page, every current medication
// and allergy, the paper.
func checkPrintouts(t *testing.T, in export.Input, maxSummaryPages int) {
	t.Helper()
	sum := record.Summarize(in.Entries, in.Now)
	name := in.Person.Name
	born := "born " + in.Person.BirthDate.Human()
	for _, k := range []pdf.Kind{pdf.KindSummary, pdf.KindFull} {
		p := print(t, k, in, pdf.Options{})
		for i, text := range p.pages {
			want := fmt.Sprintf("Page %d of %d · %s · %s", i+1, len(p.pages), name, born)
			if !strings.Contains(text, want) {
				t.Errorf("%s page %d lacks %q", k, i+1, want)
			}
			if s := p.sizes[i]; math.Abs(s[0]-215.9) > 0.2 || math.Abs(s[1]-279.4) > 0.2 {
				t.Errorf("%s page %d is %.1f × %.1f mm, want Letter", k, i+1, s[0], s[1])
			}
		}
		if k == pdf.KindSummary && len(p.pages) > maxSummaryPages {
			t.Errorf("the summary runs to %d pages, want at most %d", len(p.pages), maxSummaryPages)
		}
		text := p.all()
		for _, m := range sum.Medications {
			if !strings.Contains(text, spaces.ReplaceAllString(m.Title, " ")) {
				t.Errorf("the %s lacks the current medication %q", k, m.Title)
			}
		}
		for _, a := range sum.Allergies.Entries {
			if !strings.Contains(text, a.Title) {
				t.Errorf("the %s lacks the allergy %q", k, a.Title)
			}
		}
		for _, bad := range []string{"No data available", "Unknown / Unknown"} {
			if strings.Contains(text, bad) {
				t.Errorf("the %s prints %q", k, bad)
			}
		}
		switch sum.Allergies.State {
		case record.NoKnownAllergies:
			if !strings.Contains(text, "No known allergies") {
				t.Errorf("the %s does not say no known allergies", k)
			}
		case record.NoAllergyInformation:
			if !strings.Contains(text, "No allergy information recorded") {
				t.Errorf("the %s does not say no allergy information", k)
			}
		}
	}
	card := print(t, pdf.KindCard, in, pdf.Options{CardStrip: true})
	if len(card.sizes) != 1 || math.Abs(card.sizes[0][0]-171.2) > 0.1 || math.Abs(card.sizes[0][1]-54) > 0.1 {
		t.Errorf("the card strip's pages are %v mm, want one of 171.2 × 54", card.sizes)
	}
	text := card.all()
	for _, want := range []string{"MEDICAL INFORMATION", name, "ALLERGIES", "MEDICATIONS", "Updated 14 Mar 2025"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	for _, a := range sum.Allergies.Entries {
		if !strings.Contains(text, a.Title) {
			t.Errorf("the card lacks the allergy %q", a.Title)
		}
	}
}

// A person whose records come from three documents of two vendors, merged
// by the vault: entries stated twice print once with both keys; the
// disagreeing problem shows both versions in the full record.
func TestThreeSources(t *testing.T) {
	v := importFiles(t,
		"ccda/allscripts/b2_Adam_Everyman_ToC.xml",
		"ccda/allscripts/C-CDA_101646_20130617114506_Everyman_Adam.xml",
		"ccda/practicefusion/AdamEveryman-ReferralSummary.xml")
	in := inputFor(t, v, "Adam Everyman")
	if len(in.Sources) != 3 {
		t.Fatalf("%d sources, want 3", len(in.Sources))
	}
	in.Person.Contacts = []record.Contact{{Name: "Eve Everyman", Relation: "wife", Phone: "555-0123"}}
	checkPrintouts(t, in, 3)
	sum := print(t, pdf.KindSummary, in, pdf.Options{}).all()
	for _, want := range []string{"Adam Everyman", "Born 22 Oct 1962", "Male", "Penicillin G Potassium", "Codeine",
		"Essential hypertension", "Asthma", "A = ", "B = ", "C = ", "Emergency contact: Eve Everyman (wife) 555-0123"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	full := print(t, pdf.KindFull, in, pdf.Options{}).all()
	for _, want := range []string{"Appendix: conflicts", "Problems: Costal chondritis", "differs in onset date", "Appendix: sources",
		"b2_Adam_Everyman_ToC.xml", "AdamEveryman-ReferralSummary.xml", "Summary of Care"} {
		if !strings.Contains(full, want) {
			t.Errorf("the full record lacks %q", want)
		}
	}
}

// A child with a dozen entries from one old FHIR DSTU2 file.
func TestChild(t *testing.T) {
	v := importFiles(t, "fhir-dstu2/smart-sample-patients/patient-1032702.fhir-bundle.json")
	in := inputFor(t, v, "Amy V. Shaw")
	checkPrintouts(t, in, 2)
	sum := print(t, pdf.KindSummary, in, pdf.Options{}).all()
	for _, want := range []string{"Amy V. Shaw", "Born 20 Mar 2007 (age 17)", "Nizatidine", "Gastroesophageal reflux disease",
		"poliovirus vaccine", "Immunizations"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
}

// A Synthea patient with years of labs and vitals: key results and vital
// signs print as trend rows.
func TestLabHistory(t *testing.T) {
	v := importFiles(t, "fhir-r4/synthea-smart-sandbox/Chauncey_Johnston_f4673866-81fb-411a-8486-0c27f2a5b480.json")
	in := inputFor(t, v, "Chauncey Johnston")
	checkPrintouts(t, in, 3)
	sum := print(t, pdf.KindSummary, in, pdf.Options{Paper: pdf.A4, LargePrint: true})
	text := sum.all()
	for _, want := range []string{"Key results", "Vital signs", "Body Weight", "Normal range", "2 results", "Blood Pressure", "124.7/82.54 mmHg"} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	for i, s := range sum.sizes {
		if math.Abs(s[0]-210) > 0.2 || math.Abs(s[1]-297) > 0.2 {
			t.Errorf("page %d is %.1f × %.1f mm, want A4", i+1, s[0], s[1])
		}
	}
}
