package ui

import (
	"os"
	"testing"

	"github.com/kinfolio/kinfolio/app"
)

// TestPages_Screenshots writes pictures of every page on real records, at
// both sizes in both themes, into the folder $KINFOLIO_SHOTS names (to
// look at them as a person would); without it, it is skipped.
func TestPages_Screenshots(t *testing.T) {
	if os.Getenv("KINFOLIO_SHOTS") == "" {
		t.Skip("set KINFOLIO_SHOTS to a folder to write the pages' screenshots")
	}
	s := pagesSession(t, larsonMeditech, larsonMcKesson, alberto)
	k := pagesApp(t, s)
	larson := personID(t, s, "Rebecca Jones Larson")
	al := personID(t, s, "Alberto Atencio")
	meds, _ := s.List(larson, app.SectionMedications)
	allergies, _ := s.List(larson, app.SectionAllergies)
	docs, _ := s.List(larson, app.SectionDocuments)
	tests, _ := s.TrendTests(al)
	results, _ := s.List(al, app.SectionResults)
	var weight string
	for _, r := range results {
		if r.Title == "Body Weight" && weight == "" {
			weight = r.ID
		}
	}
	empty, _ := s.AddPerson(app.PersonDetails{Name: "Sam Lee"})
	for _, tc := range []struct {
		name string
		page Page
	}{
		{"summary-alberto", newSummaryPage(k, Route{Person: al, Section: app.SectionSummary})},
		{"timeline-larson", newTimelinePage(k, Route{Person: larson, Section: app.SectionTimeline})},
		{"medications-larson", newListPage(k, Route{Person: larson, Section: app.SectionMedications, Entry: meds[1].ID})},
		{"allergy-conflict", newListPage(k, Route{Person: larson, Section: app.SectionAllergies, Entry: allergies[0].ID})},
		{"document-larson", newListPage(k, Route{Person: larson, Section: app.SectionDocuments, Entry: docs[1].ID})},
		{"immunizations-empty", newListPage(k, Route{Person: larson, Section: app.SectionClaims})},
		{"trends-alberto", newResultsPage(k, Route{Person: al, Section: app.SectionResults, Trend: tests[3].Key})},
		{"trends-bp", newResultsPage(k, Route{Person: al, Section: app.SectionResults, Trend: tests[0].Key})},
		{"result-detail-alberto", newResultsPage(k, Route{Person: al, Section: app.SectionResults, Entry: weight})},
		{"summary-empty", newSummaryPage(k, Route{Person: empty.ID, Section: app.SectionSummary})},
		{"sources-larson", newSourcesPage(k, Route{Person: larson, Section: app.SectionSources})},
		{"search-larson", newSearchPage(k, Route{Person: larson, Section: SectionSearch, Query: "anemia"})},
	} {
		show(k, tc.page, contentWide)
		screenshot(t, k, tc.name)
	}

	// A long record: 5,000 entries over 35 years.
	ls, lp := newLongSession(t, 5000)
	lk := pagesApp(t, ls)
	lt, _ := ls.TrendTests(lp)
	for _, tc := range []struct {
		name string
		page Page
	}{
		{"summary-long", newSummaryPage(lk, Route{Person: lp, Section: app.SectionSummary})},
		{"timeline-long", newTimelinePage(lk, Route{Person: lp, Section: app.SectionTimeline})},
		{"trends-long", newResultsPage(lk, Route{Person: lp, Section: app.SectionResults, Trend: lt[len(lt)-1].Key})},
	} {
		show(lk, tc.page, contentWide)
		screenshot(t, lk, tc.name)
	}
}
