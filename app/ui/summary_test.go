package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

const auNoKnownAllergies = "testdata/corpus/ips/au-sparked/Bundle-aups-noknownx.json"

func TestSummary_ImportedPersonsAllergiesAndMedications(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newSummaryPage(k, Route{Person: person, Section: app.SectionSummary})
	show(k, p, contentWide)

	// Whose record, the allergies pinned first with their reactions, the
	// medications merged from both files, the conflicts flagged.
	wantText(t, p.Content(), "Rebecca Jones Larson", "born 1 May 1970",
		"Allergies ›", "4 allergies recorded", "Ampicillin", "Hives", "Penicillin G",
		"Medications ›", "Acetaminophen 500 MG Oral Tablet [Tylenol]", "Ciprofloxacin 250 MG Oral Tablet",
		"Problems ›", "Iron deficiency anemia", "Latest vitals ›", "Blood pressure", "145/88 mmHg",
		"Recent visits ›", "Sources ›", "From 2 providers; last import today",
		"4 entries differ between sources", "⚠ sources differ")
	all := allText(p.Content())
	if strings.Index(all, "Allergies ›") > strings.Index(all, "Medications ›") {
		t.Error("the allergy card is not first")
	}

	// Each card's title opens its section; each row opens its detail.
	tapLink(t, p.Content(), "Medications ›")
	if want := (Route{Person: person, Section: app.SectionMedications}); k.lastRoute != want {
		t.Errorf("the medications title went to %+v, want %+v", k.lastRoute, want)
	}
	row := tapRowSaying(p.Content(), "Ciprofloxacin 250 MG Oral Tablet")
	test.Tap(row)
	meds, _ := s.List(person, app.SectionMedications)
	var cipro string
	for _, m := range meds {
		if m.Title == "Ciprofloxacin 250 MG Oral Tablet" {
			cipro = m.ID
		}
	}
	if want := (Route{Person: person, Section: app.SectionMedications, Entry: cipro}); k.lastRoute != want {
		t.Errorf("the row went to %+v, want %+v", k.lastRoute, want)
	}
	// A vital sign's tile opens that result.
	test.Tap(tapRowSaying(p.Content(), "Blood pressure"))
	if k.lastRoute.Section != app.SectionResults || k.lastRoute.Entry == "" {
		t.Errorf("the blood pressure tile went to %+v", k.lastRoute)
	}
	test.AssertRendersToMarkup(t, "summary_larson.xml", k.win.Canvas())
}

func TestSummary_ThreeAllergyStates(t *testing.T) {
	s := pagesSession(t, alberto, auNoKnownAllergies)
	k := pagesApp(t, s)
	for _, tc := range []struct {
		person string
		want   []string
	}{
		// No source says anything about allergies.
		{"Alberto Atencio", []string{"No allergy information recorded", "Ask the clinic"}},
		// A source states there are none: say who said so, and when.
		{"", []string{"No known allergies ("}},
	} {
		var id string
		if tc.person != "" {
			id = personID(t, s, tc.person)
		} else {
			people, _ := s.People()
			for _, pr := range people {
				if pr.Name != "Alberto Atencio" {
					id = pr.ID
				}
			}
		}
		p := newSummaryPage(k, Route{Person: id, Section: app.SectionSummary})
		show(k, p, contentNarrow)
		wantText(t, p.Content(), tc.want...)
		if strings.Contains(allText(p.Content()), "No data") {
			t.Error(`the dashboard says "No data"`)
		}
	}
}

func TestSummary_EmptyRecordTeachesWhereRecordsComeFrom(t *testing.T) {
	s := pagesSession(t)
	person, err := s.AddPerson(app.PersonDetails{Name: "Sam Lee"})
	if err != nil {
		t.Fatal(err)
	}
	k := pagesApp(t, s)
	p := newSummaryPage(k, Route{Person: person.ID, Section: app.SectionSummary})
	show(k, p, contentWide)
	wantText(t, p.Content(), "Sam Lee", "Bring in your records", "Download my record", "Export All Health Data",
		"Medicare", "drop the files here")

	// The import work adds its drop zone and buttons through the hook.
	emptyVaultActions = func(k *App, r Route) fyne.CanvasObject { return widget.NewButton("Open files…", nil) }
	defer func() { emptyVaultActions = nil }()
	p.Refresh()
	wantText(t, p.Content(), "Open files…")
}

// BenchmarkSummaryPage: the dashboard page of a person with 50,000
// entries, from the vault (each run after a change, so nothing is cached)
// to laid out in the window (target: under 0.5 s after unlock).
func BenchmarkSummaryPage(b *testing.B) {
	s, person := newLongSession(b, 50000)
	k := pagesApp(b, s)
	b.ReportAllocs()
	defer measureCPU(b)()
	i := 0
	for b.Loop() {
		// A change drops the session's cached views, as an unlock starts without them.
		if _, err := s.AddPerson(app.PersonDetails{Name: "Cache Buster " + fmtNum(i)}); err != nil {
			b.Fatal(err)
		}
		p := newSummaryPage(k, Route{Person: person, Section: app.SectionSummary})
		show(k, p, contentWide)
		if p.dash == nil || len(p.dash.Results) == 0 {
			b.Fatal("no dashboard")
		}
		i++
	}
}

func fmtNum(i int) string {
	return string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
}
