package ccda

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// narrativeOf parses a <text> block written inline.
func narrativeOf(t *testing.T, xml string) *node {
	t.Helper()
	doc := `<section xmlns="urn:hl7-org:v3"><text>` + xml + `</text></section>`
	root, err := parseTree(context.Background(), "n.xml", []byte(doc), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return root.child("text")
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and breaks",
			`<paragraph>First   line<br/>second line</paragraph><paragraph>Next <content styleCode="Bold">bold</content> words.</paragraph>`,
			"First line\nsecond line\n\nNext bold words."},
		{"unordered list",
			`<list><caption>Medications</caption><item>Aspirin</item><item>Lisinopril <content>10 mg</content></item></list>`,
			"Medications\n- Aspirin\n- Lisinopril 10 mg"},
		{"ordered nested list",
			`<list listType="ordered"><item>Rest<list><item>at night</item></list></item><item>Drink water</item></list>`,
			"1. Rest\n   - at night\n2. Drink water"},
		{"table in columns",
			`<table><thead><tr><th>Test</th><th>Result</th></tr></thead><tbody><tr><td>Hemoglobin</td><td>13.2 g/dL</td></tr><tr><td>WBC</td><td>6.7</td></tr></tbody></table>`,
			"Test       | Result\n-----------+----------\nHemoglobin | 13.2 g/dL\nWBC        | 6.7"},
		{"wide table as blocks",
			`<table><thead><tr><th>Instructions</th><th>Date</th></tr></thead><tbody><tr><td>` + strings.Repeat("Walk thirty minutes every day. ", 4) + `</td><td>Oct 12, 2014</td></tr></tbody></table>`,
			"Instructions: " + strings.TrimSpace(strings.Repeat("Walk thirty minutes every day. ", 4)) + "\nDate: Oct 12, 2014"},
		{"links keep words, not targets; images and footnote refs dropped",
			`<paragraph>See <linkHtml href="http://example.invalid/x">the leaflet</linkHtml><renderMultiMedia referencedObject="img1"/><footnoteRef IDREF="f1"/>.</paragraph>`,
			"See the leaflet."},
		{"markup-looking text stays text",
			`<paragraph>&lt;script&gt;alert(1)&lt;/script&gt; is text</paragraph>`,
			"<script>alert(1)</script> is text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := plainText(narrativeOf(t, tc.in))
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestRead_NarrativeDocument reads documents whose sections carry no coded
// entries (a diagnostic imaging report, a consultation note's assessment
// and history) and checks their text reads as text: words, lines and the
// table layout, no markup.
func TestRead_NarrativeDocument(t *testing.T) {
	tests := []struct {
		file  string
		title string   // the section's document entry
		words []string // what a reader finds in it
	}{
		{"ccda/hl7-c-cda-examples/Diagnostic_Imaging_Report.xml", "Findings", []string{"The trachea is midline.", "Diameter\n45mm"}},
		{"ccda/hl7-c-cda-examples/Consultation_Note.xml", "ASSESSMENT", []string{"1. Uncontrolled brittle Type II diabetic.\n2. Obesity."}},
		{"ccda/hl7-c-cda-examples/Consultation_Note.xml", "HISTORY OF PRESENT ILLNESS", []string{"This is a 38-year-old white woman with years of uncontrolled diabetes"}},
		{"ccda/hl7-c-cda-examples/Discharge_Summary.xml", "HOSPITAL DISCHARGE INSTRUCTIONS", []string{"1. Take all of your prescription medication", "2. Make an appointment"}},
		{"ccda/hl7-c-cda-examples/Discharge_Summary.xml", "HOSPITAL DISCHARGE STUDIES SUMMARY", []string{"Abdominal CT | Clear evidence of appendicitis."}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.title, func(t *testing.T) {
			b := readFile(t, "testdata/corpus/"+tc.file)
			var text string
			found := false
			for _, r := range b.Patients[0].Resources {
				if r.Type != "DocumentReference" {
					continue
				}
				d, err := record.Decode[record.DocumentReference](r)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(d.Description, tc.title) {
					continue
				}
				found = true
				att := d.Content[0].Attachment
				if att.ContentType != "text/plain; charset=utf-8" {
					t.Errorf("content type %q", att.ContentType)
				}
				raw, err := base64.StdEncoding.DecodeString(att.Data)
				if err != nil {
					t.Fatal(err)
				}
				text = string(raw)
			}
			if !found {
				t.Fatalf("no document entry titled %q", tc.title)
			}
			for _, w := range tc.words {
				if !strings.Contains(text, w) {
					t.Errorf("%q not in:\n%s", w, text)
				}
			}
			for _, bad := range []string{"<paragraph", "<td", "<content", "<br", "styleCode", "</"} {
				if strings.Contains(text, bad) {
					t.Errorf("markup %q left in:\n%s", bad, text)
				}
			}
		})
	}
}

// TestRead_OriginalTextReferences checks that codes without display names
// take their words from the narrative they point at.
func TestRead_OriginalTextReferences(t *testing.T) {
	// VA allergies: the substance is only named by the playing entity and a
	// reference to the narrative; the reaction only by its text reference.
	b := readFile(t, "testdata/corpus/c32-ccd/va-c32/VA_CCD_Sample_File_Version_12_5_1.xml")
	g := normalize(t, b)
	var allergies []record.Entry
	for _, e := range g.Entries {
		if e.Kind == record.KindAllergy {
			allergies = append(allergies, e)
		}
	}
	if len(allergies) != 10 || allergies[0].Title != "LATEX STRAP" {
		t.Fatalf("allergies %+v", allergies)
	}
	// InteliChart writes procedure codes without names; the section's table
	// gives the name.
	b = readFile(t, "testdata/corpus/ccda/onc-intellichart/G9InpSample2V13.xml")
	found := false
	for _, e := range normalize(t, b).Entries {
		if e.Kind == record.KindProcedure && e.Title == "Application of Dressing for burn" {
			found = true
		}
	}
	if !found {
		t.Error("the procedure was not named from the narrative table")
	}
}
