package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// rowNamed returns the row of a section titled title.
func rowNamed(t *testing.T, s *app.Session, person string, sec app.Section, title string, pick func(app.Row) bool) app.Row {
	t.Helper()
	rows, err := s.List(person, sec)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Title == title && (pick == nil || pick(r)) {
			return r
		}
	}
	t.Fatalf("no %s row %q", sec, title)
	return app.Row{}
}

func TestList_DetailWithItsSources(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	// Iron deficiency anemia is in both files: one entry, seen in two sources.
	anemia := rowNamed(t, s, person, app.SectionProblems, "Iron deficiency anemia", nil)
	p := newListPage(k, Route{Person: person, Section: app.SectionProblems})
	show(k, p, contentWide)
	wantText(t, p.Content(), "Problems", "10 entries", "Iron deficiency anemia", "A = Paragon Hospital - D",
		"B = Marketing ARRA 5.6.7", "Choose an entry")

	// Picking the row opens its detail beside the list.
	i := -1
	for j, r := range p.rows {
		if r.ID == anemia.ID {
			i = j
		}
	}
	p.list.Select(i)
	if p.pane.openID != anemia.ID {
		t.Fatalf("the detail shows %q, want the anemia", p.pane.openID)
	}
	if !p.list.Visible() || !p.split.wide {
		t.Error("at 1280 px the list does not stay beside the detail")
	}
	detail := p.split.detail
	wantText(t, detail, "Iron deficiency anemia", "Seen in 2 sources", "Paragon Hospital - D", "Marketing ARRA 5.6.7",
		"larson-rn.xml", "Test1_LarsonDSSample1.xml", "imported 1 Dec 2026", "Details",
		"Imported from a file, so it cannot be changed here")
	// The codes with their systems' names, under Details.
	acc := find(detail, func(a *widget.Accordion) bool { return true })
	if acc == nil {
		t.Fatal("no Details expander")
	}
	if strings.Contains(allText(detail), "SNOMED CT") {
		t.Error("codes show before Details is opened")
	}
	acc.Open(0)
	wantText(t, detail, "SNOMED CT 87522002 · Iron deficiency anemia", "ICD-10-CM D50.9", "2 times in this file")
	test.AssertRendersToMarkup(t, "problems_detail.xml", k.win.Canvas())
}

func TestList_ConflictSideBySide(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	amp := rowNamed(t, s, person, app.SectionAllergies, "Ampicillin", nil)
	p := newListPage(k, Route{Person: person, Section: app.SectionAllergies, Entry: amp.ID})
	show(k, p, contentWide)
	// The list marks conflicts in words, the detail sets the sources side by side.
	wantText(t, p.Content(), "⚠ differs")
	wantText(t, p.split.detail, "Differs between sources: see below.", "1 other entry says something different",
		"This entry", "Another source says", "Hives · moderate", "HIVES · high", "≠ ")
	// Opening the other side shows it, and selects its row.
	other := tapRowSaying(p.split.detail, "Another source says")
	if other == nil {
		t.Fatal("the other source's side cannot be opened")
	}
	test.Tap(other)
	if got := p.rows[selectedIndex(p)].Title; got != "ampicillin" {
		t.Errorf("after opening the other side the list selects %q", got)
	}
	wantText(t, p.split.detail, "ampicillin", "Marketing ARRA 5.6.7")
}

// selectedIndex is the row of the entry the list page's detail shows.
func selectedIndex(p *listPage) int {
	for i, r := range p.rows {
		if r.ID == p.pane.openID {
			return i
		}
	}
	return -1
}

func TestList_NarrowWindowDetailReplacesListWithBack(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newListPage(k, Route{Person: person, Section: app.SectionMedications})
	show(k, p, contentNarrow)
	if !p.list.Visible() || p.split.detail.Visible() {
		t.Fatal("at 1024 px with nothing open, the list should fill the page")
	}
	p.list.Select(0)
	if p.list.Visible() || !p.split.detail.Visible() || !p.split.bar.Visible() {
		t.Fatal("at 1024 px the detail should replace the list, with Back")
	}
	test.Tap(p.split.back)
	if !p.list.Visible() || p.split.detail.Visible() || p.pane.openID != "" {
		t.Error("Back does not return to the list")
	}
	// Widening the window puts them side by side again.
	p.list.Select(1)
	k.win.Resize(contentWide)
	if !p.list.Visible() || !p.split.detail.Visible() || p.split.bar.Visible() {
		t.Error("at 1280 px list and detail should stand side by side, with no Back")
	}
}

func TestList_EmptySectionSaysWhatToDo(t *testing.T) {
	s := pagesSession(t, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newListPage(k, Route{Person: person, Section: app.SectionClaims})
	show(k, p, contentWide)
	wantText(t, p.Content(), app.SectionClaims.Empty())
	if strings.Contains(allText(p.Content()), "No data") {
		t.Error(`an empty section says "No data"`)
	}
}

func TestList_DocumentNarrativeAsText(t *testing.T) {
	s := pagesSession(t, larsonMeditech)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	doc := rowNamed(t, s, person, app.SectionDocuments, "Assessments (Discharge Summary Document)", nil)
	p := newListPage(k, Route{Person: person, Section: app.SectionDocuments, Entry: doc.ID})
	show(k, p, contentWide)
	wantText(t, p.split.detail, "Document text", "The Patient was found to have Anemia")
	for _, tag := range []string{"<td", "<br", "<content", "<paragraph", "&lt;"} {
		if strings.Contains(allText(p.split.detail), tag) {
			t.Errorf("the narrative shows markup %q", tag)
		}
	}
}

func TestList_EnteredByYouHasEditAndDelete(t *testing.T) {
	s := pagesSession(t, larsonMcKesson)
	person := personID(t, s, "Rebecca Jones Larson")
	row, err := s.AddEntry(person, app.NewEntry{Kind: "medication", Title: "Vitamin D 1000 IU", Date: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	k := pagesApp(t, s)
	p := newListPage(k, Route{Person: person, Section: app.SectionMedications, Entry: row.ID})
	show(k, p, contentWide)
	wantText(t, p.split.detail, "Vitamin D 1000 IU", "Entered by you.", "Edit", "Delete")
	// The row shows the person's own badge.
	if i := selectedIndex(p); i < 0 || len(p.rows[i].Badges) != 1 || p.rows[i].Badges[0].Key != "P" {
		t.Errorf("the row's badges are not P: %+v", p.rows)
	}

	// Edit opens the medicine's form with what was typed.
	test.Tap(find(p.split.detail, func(b *widget.Button) bool { return b.Text == "Edit" }))
	wantText(t, k.win.Canvas().Overlays().Top(), "Edit medicine", "Save changes")
	if e := find(k.win.Canvas().Overlays().Top(), func(e *keyEntry) bool { return e.Text == "Vitamin D 1000 IU" }); e == nil {
		t.Error("the form does not hold the medicine's name")
	}
	k.win.Canvas().Overlays().Top().Hide()
	k.win.Canvas().Overlays().Remove(k.win.Canvas().Overlays().Top())

	// Delete asks, names the entry and the person, then deletes it.
	test.Tap(find(p.split.detail, func(b *widget.Button) bool { return b.Text == "Delete" }))
	dlg := k.win.Canvas().Overlays().Top()
	name := p.rows[selectedIndex(p)].PersonName
	wantText(t, dlg, "Delete “Vitamin D 1000 IU”, which you entered for "+name+"?")
	test.Tap(find(dlg, func(b *widget.Button) bool { return b.Text == "Yes" }))
	if _, err := s.Detail(row.ID); err == nil {
		t.Fatal("the entry is still in the vault")
	}
	for _, r := range p.rows {
		if r.ID == row.ID {
			t.Error("the deleted entry is still listed")
		}
	}
	if p.pane.openID != "" {
		t.Error("the detail of the deleted entry is still open")
	}
}

// The list reads nothing while it scrolls: rows come from the rows the
// page holds (a locked session answers nothing, and the list still draws).
func TestList_ScrollsWithoutReading(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newListPage(k, Route{Person: person, Section: app.SectionResults})
	show(k, p, contentWide)
	s.Lock()
	p.list.ScrollToBottom()
	last := p.rows[len(p.rows)-1]
	found := false
	for _, o := range test.LaidOutObjects(p.list) {
		if rv, ok := o.(*rowView); ok && rv.Visible() && rv.title.text == last.Title {
			found = true
		}
	}
	if !found {
		t.Errorf("after scrolling to the bottom the last row %q is not drawn", last.Title)
	}
	_ = fyne.NewSize
}
