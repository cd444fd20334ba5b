package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The frame's search field navigates with each change; the page takes
// each new query through Show, as the person types.
func TestSearch_ResultsAsYouType(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson, alberto)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newSearchPage(k, Route{Person: person, Section: SectionSearch})
	show(k, p, contentWide)
	wantText(t, p.Content(), "Type in the search field to find anything in Rebecca Jones Larson’s records")

	for _, q := range []string{"a", "an", "ane", "anem", "anemia"} {
		p.Show(Route{Person: person, Section: SectionSearch, Query: q})
	}
	want, total, err := s.Search(person, "anemia", searchLimit)
	if err != nil || total == 0 {
		t.Fatalf("search: %d, %v", total, err)
	}
	if len(p.rows) != len(want) {
		t.Fatalf("the page lists %d rows, the session finds %d", len(p.rows), len(want))
	}
	wantText(t, p.Content(), "Results for “anemia”", app.Plural(total, "match", "matches"),
		"Iron deficiency anemia", "problem · 22 Jun 2015")
	// Only this person's records: Alberto has no anemia, and his records never show.
	for _, r := range p.rows {
		if r.Person != person {
			t.Errorf("a result of another person: %+v", r)
		}
	}

	// A result opens its detail beside the list.
	p.list.Select(0)
	wantText(t, p.split.detail, p.rows[0].Title)

	// Nothing found says so and what to try.
	p.Show(Route{Person: person, Section: SectionSearch, Query: "zzzzqqq"})
	wantText(t, p.Content(), "No results for “zzzzqqq”", "Try fewer letters or another word.")
	if p.pane.openID != "" {
		t.Error("a new query kept the old detail open")
	}

	// Clearing the field returns to the hint.
	p.Show(Route{Person: person, Section: SectionSearch, Query: ""})
	wantText(t, p.Content(), "Type in the search field")
}

func TestSources_FilesWithTheirParts(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newSourcesPage(k, Route{Person: person, Section: app.SectionSources})
	show(k, p, contentWide)
	wantText(t, p.Content(), "Sources", "2 files", "Paragon Hospital - D", "larson-rn.xml", "C-CDA document",
		"written 14 Feb 2017", "imported 1 Dec 2026 (today)", "Marketing ARRA 5.6.7", "Test1_LarsonDSSample1.xml",
		"71 entries", "64 entries", "Read the document")

	// The document's own text, as text.
	test.Tap(find(p.Content(), func(b *widget.Button) bool { return b.Text == "Read the document" }))
	dlg := k.win.Canvas().Overlays().Top()
	if dlg == nil {
		t.Fatal("no document window")
	}
	wantText(t, dlg, "Test1_LarsonDSSample1.xml", "The Patient was found to have Anemia")
	test.AssertRendersToMarkup(t, "sources_larson.xml", k.win.Canvas())
}

func TestSources_EmptySaysWhatToDo(t *testing.T) {
	s := pagesSession(t)
	person, _ := s.AddPerson(app.PersonDetails{Name: "Sam Lee"})
	k := pagesApp(t, s)
	p := newSourcesPage(k, Route{Person: person.ID, Section: app.SectionSources})
	show(k, p, contentWide)
	wantText(t, p.Content(), app.SectionSources.Empty())
}

func TestSources_APackageListsItsParts(t *testing.T) {
	s := pagesSession(t, "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip")
	k := pagesApp(t, s)
	person := personID(t, s, "John Doe")
	rows, err := s.Sources(person)
	if err != nil || len(rows) != 1 || len(rows[0].Parts) == 0 {
		t.Fatalf("sources: %+v, %v", rows, err)
	}
	p := newSourcesPage(k, Route{Person: person, Section: app.SectionSources})
	show(k, p, contentWide)
	wantText(t, p.Content(), "xd-common_samplexdm.zip", "IHE XDM package", "Inside it: "+app.Plural(len(rows[0].Parts), "document", ""),
		rows[0].Parts[0].File, rows[0].Parts[0].FormatText)
}
