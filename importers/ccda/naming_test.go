package ccda

import (
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// titlesOf projects a corpus document and returns its entries' titles by
// kind, and the batch.
func titlesOf(t *testing.T, path string) (map[record.Kind][]string, *record.Batch) {
	t.Helper()
	b := readFile(t, path)
	out := map[record.Kind][]string{}
	res := resolver(b)
	for _, g := range b.Patients {
		for _, r := range g.Resources {
			e, ok, err := record.Project(r, res)
			if err != nil {
				t.Fatalf("%s: %v", r.Ref(), err)
			}
			if ok {
				out[e.Kind] = append(out[e.Kind], e.Title)
			}
		}
	}
	return out, b
}

func resourceWithTitle(t *testing.T, b *record.Batch, title string) record.Resource {
	t.Helper()
	res := resolver(b)
	for _, g := range b.Patients {
		for _, r := range g.Resources {
			if e, ok, _ := record.Project(r, res); ok && e.Title == title {
				return r
			}
		}
	}
	t.Fatalf("no entry titled %q", title)
	return record.Resource{}
}

// An entry's title names the thing itself. History_and_Physical.xml points
// each allergy's substance at its reaction's narrative ("Hives"); the titles
// are the substances, the narrative text is kept beside the code, and the
// report says so.
func TestTitles_AllergyNamedBySubstanceNotReaction(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"testdata/corpus/ccda/hl7-c-cda-examples/History_and_Physical.xml", []string{"ALLERGENIC EXTRACT, PENICILLIN", "Codeine", "Aspirin"}},
		{"testdata/corpus/ccda/nist-ett/CCDA_CCD_b1_Ambulatory_v2.xml", []string{"Penicillin G benzathine", "Codeine", "Aspirin"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			titles, b := titlesOf(t, tc.file)
			if got := strings.Join(titles[record.KindAllergy], " | "); got != strings.Join(tc.want, " | ") {
				t.Errorf("allergies %q, want %q", got, strings.Join(tc.want, " | "))
			}
			for _, reaction := range []string{"Hives", "Nausea", "Wheezing", "Shortness of Breath"} {
				for _, title := range titles[record.KindAllergy] {
					if title == reaction {
						t.Errorf("an allergy is titled by its reaction %q", reaction)
					}
				}
			}
			// The document's text stays in the resource, in FHIR's originalText extension.
			r := resourceWithTitle(t, b, tc.want[2])
			if !strings.Contains(string(r.JSON), `"url":"http://hl7.org/fhir/StructureDefinition/originalText","valueString":"Hives"`) {
				t.Errorf("the narrative text is not kept: %s", r.JSON)
			}
			a, err := record.Decode[record.AllergyIntolerance](r)
			if err != nil || len(a.Reaction) == 0 || a.Reaction[0].Manifestation[0].Display() == "" {
				t.Errorf("the reaction is lost: %+v %v", a, err)
			}
			warned := 0
			for _, w := range b.Report.Warnings {
				if strings.Contains(w, "names its reaction, not the substance its code names") {
					warned++
				}
			}
			if warned != 3 {
				t.Errorf("%d warnings about the titles, want 3: %q", warned, b.Report.Warnings)
			}
		})
	}
}

// Narrative a vendor copied from another entry is not this entry's title:
// CCD_1.XML's cane carries the prosthesis' originalText, and a stent
// placement and a colonoscopy point at the polypectomy's narrative cell.
func TestTitles_TextOfAnotherEntry(t *testing.T) {
	titles, _ := titlesOf(t, "testdata/corpus/ccda/hl7-c-cda-examples/CCD_1.XML")
	has := func(k record.Kind, title string) bool {
		for _, got := range titles[k] {
			if got == title {
				return true
			}
		}
		return false
	}
	for _, want := range []struct {
		kind  record.Kind
		title string
	}{
		{record.KindOther, "cane"},
		{record.KindOther, "Upper GI Prosthesis"},
		{record.KindProcedure, "Placement of stent (Bile duct structure)"},
		{record.KindProcedure, "Colonoscopy"},
		{record.KindProcedure, "Colonic polypectomy"},
	} {
		if !has(want.kind, want.title) {
			t.Errorf("no %s titled %q: %q", want.kind, want.title, titles[want.kind])
		}
	}
	if n := strings.Count(strings.Join(titles[record.KindOther], "|"), "Upper GI Prosthesis"); n > 1 {
		t.Errorf("%d devices titled Upper GI Prosthesis", n)
	}
}

// A template word is no title: "Substance" negated is no known allergy;
// "drug or medication", "Vaccination" and "Procedure" negated say none
// known; "Problem" negated is no known problems.
func TestTitles_TemplateWords(t *testing.T) {
	for _, tc := range []struct {
		file string
		kind record.Kind
		want string
	}{
		{"testdata/corpus/ccda/hl7-c-cda-examples/CCD_2.xml", record.KindAllergy, "No known allergy"},
		{"testdata/corpus/ccda/hl7-c-cda-examples/CCD_Parent_Document_Replace_C-CDAR2.1.xml", record.KindMedication, "No known medications"},
		{"testdata/corpus/ccda/hl7-c-cda-examples/CCD_Parent_Document_Replace_C-CDAR2.1.xml", record.KindImmunization, "No known immunizations"},
		{"testdata/corpus/ccda/hl7-c-cda-examples/CCD_Parent_Document_Replace_C-CDAR2.1.xml", record.KindProcedure, "No known procedures"},
		{"testdata/corpus/ccda/onc-successehs/JeremyBates.xml", record.KindCondition, "No known problems"},
		{"testdata/corpus/ccda/onc-key-chart/CCDA_723061_20Sep2017_1237580.xml", record.KindCondition, "No Known Problems"},
	} {
		titles, _ := titlesOf(t, tc.file)
		found := false
		for _, title := range titles[tc.kind] {
			switch strings.ToLower(title) {
			case "substance", "drug or medication", "vaccination", "procedure", "problem", "concern":
				t.Errorf("%s: a %s titled by a template word: %q", tc.file, tc.kind, title)
			}
			found = found || title == tc.want
		}
		if !found {
			t.Errorf("%s: no %s titled %q: %q", tc.file, tc.kind, tc.want, titles[tc.kind])
		}
	}
}

// Every title in the corpus names something: never a reaction, severity or
// status word, nor a template word.
func TestTitles_Corpus(t *testing.T) {
	bad := map[string]bool{"substance": true, "drug or medication": true, "vaccination": true, "procedure": true,
		"problem": true, "concern": true, "condition": true, "allergy": true, "observation": true, "assertion": true,
		"mild": true, "moderate": true, "severe": true, "active": true, "inactive": true, "resolved": true,
		"hives": true, "nausea": true, "wheezing": true, "rash": true, "clinical finding": true}
	for _, f := range corpusFiles(t) {
		titles, _ := titlesOf(t, f)
		for k, ts := range titles {
			if k == record.KindEncounter || k == record.KindDocument {
				continue
			}
			for _, title := range ts {
				if bad[strings.ToLower(title)] {
					t.Errorf("%s: a %s titled %q", f, k, title)
				}
			}
		}
	}
}

func TestAgrees(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Eggs", "Egg", true},
		{"Penicillin G benzathine", "penicillin G benzathine 1200000 UNT/ML", true},
		{"Hives", "aspirin", false},
		{"Influenza virus vaccine", "pneumococcal polysaccharide vaccine, 23 valent", false},
		{"Upper GI Prosthesis", "upper gastrointestinal prosthesis (physical object)", true},
		{"Colonic polypectomy", "Colonoscopy", false},
	} {
		if got := agrees(tc.a, tc.b); got != tc.want {
			t.Errorf("agrees(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
