package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kinfolio/kinfolio/app"
)

// drawn counts the chart's dots and line segments as drawn.
func drawn(c *trendChart) (dots, segments int, texts []string) {
	for _, o := range test.WidgetRenderer(c).Objects() {
		switch v := o.(type) {
		case *canvas.Circle:
			dots++
		case *canvas.Line:
			if v.StrokeWidth == 2 {
				segments++
			}
		case *canvas.Text:
			texts = append(texts, v.Text)
		}
	}
	return dots, segments, texts
}

func TestTrends_ChartOfATestsSeries(t *testing.T) {
	s := pagesSession(t, alberto)
	k := pagesApp(t, s)
	person := personID(t, s, "Alberto Atencio")
	tests, err := s.TrendTests(person)
	if err != nil {
		t.Fatal(err)
	}
	var weight app.TrendTest
	for _, tt := range tests {
		if tt.Title == "Body Weight" {
			weight = tt
		}
	}
	p := newResultsPage(k, Route{Person: person, Section: app.SectionResults, Trend: weight.Key})
	show(k, p, contentWide)
	v := p.trends
	if p.tabs.Selected().Text != "Trends" {
		t.Fatalf("a trend route opens the %q tab", p.tabs.Selected().Text)
	}
	// The picker groups tests as app orders them, vital signs first.
	wantText(t, v.root, "Vital signs", "Blood counts", "Body Weight", "kg · 4 results · latest 61.4 kg")
	all := allText(v.root)
	if strings.Index(all, "Vital signs") > strings.Index(all, "Blood counts") {
		t.Error("vital signs are not listed first")
	}

	// The chart draws the series: a dot and a segment per result, on a
	// time axis labelled in years, the latest value labelled.
	trend, _ := s.Trend(person, weight.Key)
	pts := trend.Lines[0].Points
	dots, segs, texts := drawn(v.chart)
	if dots != len(pts) || segs != len(pts)-1 {
		t.Errorf("the chart draws %d dots and %d segments for %d results", dots, segs, len(pts))
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"2012", "2016", "2019", "61.4"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the chart does not say %q: %s", want, joined)
		}
	}
	// On a true time axis: the gaps between results are proportional to time.
	g := v.chart.geometry(v.chart.Size())
	x := func(i int) float32 { return g.x(pts[i].Time) }
	dt := func(i int) float64 { return pts[i+1].Time.Sub(pts[i].Time).Hours() }
	if r1, r2 := float64(x(1)-x(0))/dt(0), float64(x(3)-x(2))/dt(2); r1/r2 < 0.99 || r1/r2 > 1.01 {
		t.Errorf("the time axis is not linear: %.4f px/h and %.4f px/h", r1, r2)
	}
	wantText(t, v.root, "No normal range was given with these results.")

	// Hover shows a result's value, date and source; a tap picks it.
	pos := fyne.NewPos(g.x(pts[2].Time), g.y(pts[2].Value))
	v.chart.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}})
	_, _, texts = drawn(v.chart)
	if !strings.Contains(strings.Join(texts, "|"), pts[2].Label) {
		t.Errorf("hovering the third result does not show %q", pts[2].Label)
	}
	test.TapAt(v.chart, pos)
	wantText(t, v.root, pts[2].Label, "Open this result ›")
	// The keyboard steps through the results.
	v.chart.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	v.chart.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	wantText(t, v.root, pts[len(pts)-2].Label)
	test.TapAt(v.chart, pos)
	// "Open this result" opens it in the list.
	tapLink(t, v.root, "Open this result ›")
	if p.tabs.Selected().Text != "All results" || p.list.pane.openID != pts[2].EntryID {
		t.Errorf("Open this result went to tab %q, entry %q", p.tabs.Selected().Text, p.list.pane.openID)
	}
	test.AssertObjectRendersToMarkup(t, "trend_weight.xml", v.chart)
}

func TestTrends_BloodPressureTwoLinesNamed(t *testing.T) {
	s := pagesSession(t, alberto)
	k := pagesApp(t, s)
	person := personID(t, s, "Alberto Atencio")
	tests, _ := s.TrendTests(person)
	p := newResultsPage(k, Route{Person: person, Section: app.SectionResults, Trend: tests[0].Key})
	show(k, p, contentWide)
	if tests[0].Title != "Blood Pressure" {
		t.Fatalf("the first test is %q", tests[0].Title)
	}
	_, segs, texts := drawn(p.trends.chart)
	joined := strings.Join(texts, "|")
	if !strings.Contains(joined, "Systolic") || !strings.Contains(joined, "Diastolic") || segs != 6 {
		t.Errorf("blood pressure: %d segments, texts %s", segs, joined)
	}
	wantText(t, p.trends.root, "In mmHg")
}

// A result's detail shows its test's trend and links to the Trends tab;
// the results page takes the link's route.
func TestTrends_FromAResultsDetail(t *testing.T) {
	s := pagesSession(t, alberto)
	k := pagesApp(t, s)
	person := personID(t, s, "Alberto Atencio")
	w := rowNamed(t, s, person, app.SectionResults, "Body Weight", nil)
	p := newResultsPage(k, Route{Person: person, Section: app.SectionResults, Entry: w.ID})
	show(k, p, contentWide)
	detail := p.list.split.detail
	if find(detail, func(c *trendChart) bool { return true }) == nil {
		t.Fatal("the result's detail has no chart of its test")
	}
	wantText(t, detail, "Result", "61.4 kg", "See the trend of Body Weight ›")
	tapLink(t, detail, "See the trend of Body Weight ›")
	if k.lastRoute.Trend == "" || k.lastRoute.Section != app.SectionResults {
		t.Fatalf("the link went to %+v", k.lastRoute)
	}
	p.Show(k.lastRoute)
	if p.tabs.Selected().Text != "Trends" || p.trends.title.Text != "Body Weight" {
		t.Errorf("the route opened tab %q on %q", p.tabs.Selected().Text, p.trends.title.Text)
	}
}

// A lab whose results came with normal ranges draws the band, and marks
// abnormal results with ▲ or ▼ as well as colour.
func TestTrends_ReferenceBandAndFlags(t *testing.T) {
	s, person := newLongSession(t, 800)
	k := pagesApp(t, s)
	tests, _ := s.TrendTests(person)
	var glucose app.TrendTest
	for _, tt := range tests {
		if strings.HasPrefix(tt.Title, "Glucose") {
			glucose = tt
		}
	}
	p := newResultsPage(k, Route{Person: person, Section: app.SectionResults, Trend: glucose.Key})
	show(k, p, contentWide)
	c := p.trends.chart
	if c.trend.Band == nil {
		t.Fatal("no reference band")
	}
	band := false
	for _, o := range test.WidgetRenderer(c).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Size().Width > 100 {
			g := c.geometry(c.Size())
			if abs(r.Position().Y-g.y(*c.trend.Band.High)) < 1 && abs(r.Position().Y+r.Size().Height-g.y(*c.trend.Band.Low)) < 1 {
				band = true
			}
		}
	}
	if !band {
		t.Error("the band does not span the normal range 70–99")
	}
	_, _, texts := drawn(c)
	joined := strings.Join(texts, "|")
	if !strings.Contains(joined, "Normal range 70–99") || !strings.Contains(joined, "▲") || !strings.Contains(joined, "▼") {
		t.Errorf("the chart's words: %s", joined)
	}
	wantText(t, p.trends.root, "Glucose")
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func TestChart_Ticks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{52.5, 62.5, "52.5 55.0 57.5 60.0 62.5"},
		{0, 200, "0 50 100 150 200"},
		{4, 6, "4.0 4.5 5.0 5.5 6.0"},
		{0.6, 1.4, "0.6 0.8 1.0 1.2 1.4"},
		// A coarser step keeps to its own multiples.
		{52.5, 62.5, "55 60"},
	} {
		step := niceStep((tc.hi - tc.lo) / 4)
		if tc.want == "55 60" {
			step = 5
		}
		var got []string
		for _, tk := range valueTicks(tc.lo, tc.hi, step) {
			got = append(got, tk.label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("ticks %v–%v: %v, want %s", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestChart_TimeTicksOnCalendarBoundaries(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	for _, tc := range []struct {
		from, to string
		n        int
		want     string
	}{
		{"2012-02-27", "2019-03-11", 8, "2013 2014 2015 2016 2017 2018 2019"},
		{"1990-01-01", "2025-01-01", 8, "1990 1995 2000 2005 2010 2015 2020 2025"},
		{"2024-01-10", "2024-06-20", 6, "Feb 2024 Mar Apr May Jun"},
		{"2024-03-01", "2024-03-20", 4, "1 Mar 2024 8 Mar 15 Mar"},
	} {
		var got []string
		for _, tk := range timeTicks(d(tc.from), d(tc.to), tc.n) {
			got = append(got, tk.label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s to %s in %d: %q, want %q", tc.from, tc.to, tc.n, strings.Join(got, " "), tc.want)
		}
	}
}

// A long history can be narrowed to its latest years.
func TestTrends_LatestYears(t *testing.T) {
	s, person := newLongSession(t, 800)
	k := pagesApp(t, s)
	tests, _ := s.TrendTests(person)
	p := newResultsPage(k, Route{Person: person, Section: app.SectionResults, Trend: tests[0].Key})
	show(k, p, contentWide)
	v := p.trends
	all := len(v.chart.trend.Lines[0].Points)
	c := find(v.root, func(c *chip) bool { return c.label == "Latest 5 years" })
	if c == nil {
		t.Fatalf("no span chips: %s", allText(v.root))
	}
	test.Tap(c)
	cut := v.chart.trend
	if n := len(cut.Lines[0].Points); n == 0 || n >= all || cut.From.Before(cut.To.AddDate(-5, 0, 0)) {
		t.Errorf("the latest 5 years show %d of %d results, from %v to %v", n, all, cut.From, cut.To)
	}
	wantText(t, v.root, "✓ Latest 5 years")
	test.Tap(find(v.root, func(c *chip) bool { return c.label == "All" }))
	if len(v.chart.trend.Lines[0].Points) != all {
		t.Error("All does not show every result again")
	}
}
