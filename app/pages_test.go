package app_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
)

// What the desktop pages read from app beyond the views' first half: a
// document's text in its own order, one statement per wording, the
// timeline's day and year at any line, where a lab's range changed.

func TestDetail_DocumentTextInTheDocumentsOrder(t *testing.T) {
	s := imported(t, larsonMeditech)
	p := personNamed(t, s, "Rebecca Jones Larson")
	rows, err := s.List(p.ID, app.SectionDocuments)
	if err != nil {
		t.Fatal(err)
	}
	var doc app.Row
	for _, r := range rows {
		if r.Title == "Discharge Summary Document" {
			doc = r
		}
	}
	d, err := s.Detail(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The sections that have text, in the document's order, each with its
	// text; the sections read as entries (allergies, problems) are not
	// listed as empty headings.
	course := strings.Index(d.Narrative, "# Hospital Course\n")
	goals := strings.Index(d.Narrative, "# Goals\n")
	if course < 0 || goals < 0 || course > goals {
		t.Fatalf("the narrative's sections:\n%s", d.Narrative)
	}
	if !strings.Contains(d.Narrative[course:], "The Patient was found to have Anemia") {
		t.Error("the hospital course has no text")
	}
	if strings.Contains(d.Narrative, "# Allergies, Adverse Reactions, Alerts") {
		t.Error("an empty section is listed")
	}

	// The file's text reads the same, every time.
	srcs, _ := s.Sources(p.ID)
	text, err := s.SourceText(srcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, d.Narrative) {
		t.Errorf("the source's text does not start with the document's:\n%.300s", text)
	}
	for i := 0; i < 3; i++ {
		if again, _ := s.SourceText(srcs[0].ID); again != text {
			t.Fatal("the source's text changes from one reading to the next")
		}
	}
}

func TestDetail_OneStatementPerWording(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	p := personNamed(t, s, "Rebecca Jones Larson")
	rows, _ := s.List(p.ID, app.SectionProblems)
	for _, r := range rows {
		if r.Title != "Iron deficiency anemia" {
			continue
		}
		d, err := s.Detail(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Stated twice in the discharge summary, once in the referral note.
		if len(d.Seen) != 2 || d.SeenText != "Seen in 2 sources" {
			t.Fatalf("seen: %q %+v", d.SeenText, d.Seen)
		}
		times := d.Seen[0].Times + d.Seen[1].Times
		if times != 3 {
			t.Errorf("the statements count %d, want 3", times)
		}
		return
	}
	t.Fatal("no iron deficiency anemia")
}

func TestTimeline_HeaderAndYearOfEveryLine(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	p := personNamed(t, s, "Rebecca Jones Larson")
	tl, err := s.Timeline(p.ID, app.TimelineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	header := -1
	for i := 0; i < tl.Len(); i++ {
		it := tl.Item(i)
		if it.Header {
			header = i
		}
		if got := tl.HeaderIndex(i); got != header {
			t.Fatalf("line %d: header %d, want %d", i, got, header)
		}
		want := 0
		for _, m := range tl.Years {
			if m.Index <= i {
				want = m.Year
			}
		}
		if got := tl.YearAt(i); got != want {
			t.Fatalf("line %d: year %d, want %d", i, got, want)
		}
	}
}

func TestDashboard_ConflictRowsAreTheConflicts(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	p := personNamed(t, s, "Rebecca Jones Larson")
	d, err := s.Dashboard(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Conflicts == 0 || len(d.ConflictRows) != d.Conflicts {
		t.Fatalf("%d conflicts, %d rows", d.Conflicts, len(d.ConflictRows))
	}
	for _, r := range d.ConflictRows {
		if !r.Conflict {
			t.Errorf("%q is listed as differing but is not flagged", r.Title)
		}
	}
}

func TestTrend_MarksWhereTheRangeChanged(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"resourceType":"Patient","id":"r","name":[{"family":"Range","given":["Ray"]}],"birthDate":"1960-01-01"}` + "\n")
	for i, r := range []struct{ date, low, high, value string }{
		{"2020-01-10", "70", "99", "91"}, {"2021-01-10", "70", "99", "97"}, {"2022-01-10", "65", "105", "101"}, {"2023-01-10", "65", "105", "99"},
	} {
		b.WriteString(`{"resourceType":"Observation","id":"g` + string(rune('0'+i)) + `","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},"subject":{"reference":"Patient/r"},"effectiveDateTime":"` +
			r.date + `","valueQuantity":{"value":` + r.value + `,"unit":"mg/dL"},"referenceRange":[{"low":{"value":` + r.low + `},"high":{"value":` + r.high + `}}]}` + "\n")
	}
	path := dir + "/ranges.ndjson"
	if err := writeFile(path, b.String()); err != nil {
		t.Fatal(err)
	}
	s := imported(t, path)
	p := personNamed(t, s, "Ray Range")
	tests, _ := s.TrendTests(p.ID)
	tr, err := s.Trend(p.ID, tests[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, pt := range tr.Lines[0].Points {
		if pt.RangeChanged {
			changed = append(changed, pt.DateText+" "+pt.Range)
		}
	}
	if !tr.RangeVaries || strings.Join(changed, ",") != "10 Jan 2022 65–105" {
		t.Errorf("varies %v, changed at %v", tr.RangeVaries, changed)
	}
	if tr.Lines[0].Points[0].Short != "91" {
		t.Errorf("the first point's label is %q", tr.Lines[0].Points[0].Short)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

func TestTrend_SinceCutsTheSpan(t *testing.T) {
	s := imported(t, alberto)
	p := personNamed(t, s, "Alberto Atencio")
	tests, _ := s.TrendTests(p.ID)
	var key string
	for _, tt := range tests {
		if tt.Title == "Body Weight" {
			key = tt.Key
		}
	}
	tr, err := s.Trend(p.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Since(time.Time{}) != tr || tr.Since(tr.From.AddDate(-1, 0, 0)) != tr {
		t.Error("Since before the first result is not the whole trend")
	}
	last := tr.Lines[0].Points[len(tr.Lines[0].Points)-1]
	cut := tr.Since(last.Time.AddDate(-4, 0, 0))
	if len(cut.Lines[0].Points) >= len(tr.Lines[0].Points) || cut.Count != len(cut.Lines[0].Points) {
		t.Fatalf("the last 4 years keep %d of %d results (count %d)", len(cut.Lines[0].Points), len(tr.Lines[0].Points), cut.Count)
	}
	if !cut.To.Equal(tr.To) || cut.From.Before(last.Time.AddDate(-4, 0, 0)) || cut.Max != last.Value {
		t.Errorf("cut: from %v to %v, max %v", cut.From, cut.To, cut.Max)
	}
	if len(tr.Lines[0].Points) != tr.Count {
		t.Error("Since changed the whole trend")
	}
}

// A package names no one itself; the person whose document it holds sees
// it on their Sources page with the document as its part, counted once.
func TestSources_APersonsPackageWithItsParts(t *testing.T) {
	s := imported(t, "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip")
	p := personNamed(t, s, "John Doe")
	rows, err := s.Sources(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].File != "xd-common_samplexdm.zip" || len(rows[0].Parts) != 1 || rows[0].Entries != 53 {
		t.Fatalf("sources: %+v", rows)
	}
	rail, _ := s.Rail(p.ID)
	for _, it := range rail.Sections {
		if it.Section == app.SectionSources && it.Count != 1 {
			t.Errorf("the rail counts %d sources", it.Count)
		}
	}
}
