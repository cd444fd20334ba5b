package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

func init() {
	registerPage(app.SectionResults, func(k *App, r Route) Page { return newResultsPage(k, r) })
}

// resultsPage is Results & vitals: the list of every result with its
// detail, and beside it on a second tab the trends, a chart per test.
type resultsPage struct {
	k      *App
	route  Route
	list   *listPage
	trends *trendsView
	tabs   *container.AppTabs
	root   *container.ThemeOverride
}

var (
	_ Page   = (*resultsPage)(nil)
	_ Router = (*resultsPage)(nil)
)

func newResultsPage(k *App, r Route) *resultsPage {
	p := &resultsPage{k: k, route: r}
	p.list = newListPage(k, Route{Person: r.Person, Section: app.SectionResults, Entry: r.Entry})
	p.trends = newTrendsView(k, r.Person, func(id string) {
		p.tabs.SelectIndex(0)
		p.list.Show(Route{Person: r.Person, Section: app.SectionResults, Entry: id})
	})
	p.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("All results", theme.ListIcon(), p.list.main),
		container.NewTabItemWithIcon("Trends", theme.GridIcon(), p.trends.root))
	p.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Trends" {
			p.trends.load("")
		}
	}
	p.root = pageRoot(container.NewBorder(p.list.head, nil, nil, nil, p.tabs))
	if r.Trend != "" {
		p.Show(r)
	}
	return p
}

// Content is the page.
func (p *resultsPage) Content() fyne.CanvasObject { return p.root }

// Show opens a trend (Route.Trend) or an entry's detail.
func (p *resultsPage) Show(r Route) {
	p.route = r
	if r.Trend != "" {
		p.tabs.SelectIndex(1)
		p.trends.load(r.Trend)
		return
	}
	p.tabs.SelectIndex(0)
	p.list.Show(r)
}

// Refresh reads the results and, once shown, the trends again.
func (p *resultsPage) Refresh() {
	p.list.Refresh()
	if p.trends.loaded {
		p.trends.reload()
	}
}

// trendsView picks a test on the left (grouped as app.TrendGroups, most
// results first) and charts it on the right.
type trendsView struct {
	k      *App
	person string
	// openEntry shows a result's detail.
	openEntry func(id string)

	tests  []app.TrendTest
	key    string
	loaded bool
	seq    int

	picker    *fyne.Container // the tests, grouped
	pickerBox *fyne.Container // holds the picker (remade with each read)
	rows      map[string]*tapRow
	chart     *trendChart
	title     *widget.Label
	about     *widget.RichText
	info      *widget.RichText
	open      *widget.Hyperlink
	note      *widget.Label
	area      fyne.CanvasObject // the chart with its title and notes
	spans     *fyne.Container   // holds the span chips (latest year, 5 years, all)
	full      *app.Trend        // the trend of every result
	years     int               // the span on show: the latest 1 or 5 years, 0 for all
	main      *fyne.Container   // the area, or what stands instead
	root      fyne.CanvasObject
}

func newTrendsView(k *App, person string, openEntry func(id string)) *trendsView {
	v := &trendsView{k: k, person: person, openEntry: openEntry, rows: map[string]*tapRow{}}
	v.picker = container.NewVBox()
	v.pickerBox = container.NewStack(v.picker)
	v.chart = newTrendChart(nil)
	v.title = newSubheading("")
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.about = newSecondary("")
	v.info = wrappedSecondary("")
	v.open = widget.NewHyperlink("Open this result ›", nil)
	v.open.OnTapped = func() {
		if pt := v.chart.point(v.chart.picked); pt != nil && v.openEntry != nil {
			v.openEntry(pt.EntryID)
		}
	}
	v.open.Hide()
	v.chart.onPick = func(pt *app.TrendPoint) {
		setSecondary(v.info, v.chart.infoText())
		if pt != nil {
			v.open.Show()
		} else {
			v.open.Hide()
		}
	}
	v.note = widget.NewLabel("")
	v.note.Wrapping = fyne.TextWrapWord
	v.note.Hide()
	v.spans = container.NewStack()
	v.area = container.NewBorder(
		container.NewVBox(v.title, v.about, container.NewHBox(v.spans)),
		container.NewVBox(container.NewBorder(nil, nil, nil, v.open, v.info), v.note),
		nil, nil, container.NewPadded(v.chart))
	v.main = container.NewStack(v.area)
	v.root = container.NewBorder(nil, nil, container.New(&fixedWidth{w: 290}, container.NewVScroll(v.pickerBox)), nil,
		container.NewPadded(v.main))
	return v
}

// load reads the tests once and charts key (or, for "", the one on show
// or the first).
func (v *trendsView) load(key string) {
	if key != "" {
		v.key = key
	}
	if v.loaded {
		v.selectTest(v.key)
		return
	}
	v.reload()
}

// reload reads the tests again and charts the one on show.
func (v *trendsView) reload() {
	s := v.k.Session()
	if s == nil {
		return
	}
	v.seq++
	seq := v.seq
	person := v.person
	Background(v.k, func() ([]app.TrendTest, error) { return s.TrendTests(person) }, func(tests []app.TrendTest, err error) {
		if seq != v.seq {
			return
		}
		v.loaded = true
		if err != nil {
			swap(v.main, emptyState(app.Sentence(err)))
			return
		}
		v.tests = tests
		v.buildPicker()
		if len(tests) == 0 {
			swap(v.main, emptyState("No results with numbers to chart yet. "+
				"Trends appear when you import records with lab results or vital signs."))
			return
		}
		key := v.key
		if !slices.ContainsFunc(tests, func(t app.TrendTest) bool { return t.Key == key }) {
			key = tests[0].Key
		}
		v.selectTest(key)
	})
}

func (v *trendsView) buildPicker() {
	v.picker = container.NewVBox()
	v.rows = map[string]*tapRow{}
	group := ""
	for _, t := range v.tests {
		if t.Group != group {
			group = t.Group
			g := widget.NewLabel(group)
			g.TextStyle = fyne.TextStyle{Bold: true}
			v.picker.Add(g)
		}
		about := t.Unit
		if about != "" {
			about += " · "
		}
		about += app.Plural(t.Count, "result", "") + " · latest " + t.Latest
		title := newBody(t.Title)
		line2 := newSecondaryCut(about)
		if t.Abnormal {
			line2.Segments[0].(*widget.TextSegment).Style.ColorName = theme.ColorNameError
		}
		key := t.Key
		row := newTapRow(container.New(twoLines{}, title, line2), func() { v.selectTest(key) })
		v.rows[key] = row
		v.picker.Add(row)
	}
	swap(v.pickerBox, v.picker)
}

// selectTest charts the test with key.
func (v *trendsView) selectTest(key string) {
	s := v.k.Session()
	if s == nil || key == "" {
		return
	}
	v.key = key
	for k, r := range v.rows {
		r.setSelected(k == key)
	}
	v.seq++
	seq := v.seq
	person := v.person
	Background(v.k, func() (*app.Trend, error) { return s.Trend(person, key) }, func(t *app.Trend, err error) {
		if seq != v.seq {
			return
		}
		if err != nil {
			swap(v.main, emptyState(app.Sentence(err)))
			return
		}
		v.show(t)
	})
}

// show charts t, over the span chosen (all of it for a new test).
func (v *trendsView) show(t *app.Trend) {
	if v.full == nil || v.full.Key != t.Key {
		v.years = 0
	}
	v.full = t
	v.buildSpans()
	if v.years > 0 {
		t = t.Since(t.To.AddDate(-v.years, 0, 0))
	}
	v.title.SetText(t.Title)
	about := ""
	if t.Unit != "" {
		about = "In " + t.Unit + " · "
	}
	about += app.Plural(t.Count, "result", "")
	if !t.From.IsZero() {
		about += " · " + t.Lines[0].Points[0].DateText + " to " + t.LatestDate
	}
	setSecondary(v.about, about)
	v.chart.setTrend(t)
	setSecondary(v.info, v.chart.infoText())
	v.open.Hide()
	switch {
	case t.RangeVaries:
		v.note.SetText("⚠ The labs gave different normal ranges for this test. The band shows the latest one; a line marks where the range changed.")
		v.note.Show()
	case t.Band == nil:
		v.note.SetText("No normal range was given with these results.")
		v.note.Show()
	default:
		v.note.Hide()
	}
	if !showing(v.main, v.area) {
		swap(v.main, v.area)
	}
}

// buildSpans offers the spans that cut something off: the latest year,
// the latest 5 years, all.
func (v *trendsView) buildSpans() {
	t := v.full
	var chips []fyne.CanvasObject
	for _, span := range []struct {
		years int
		label string
	}{{1, "Latest year"}, {5, "Latest 5 years"}, {0, "All"}} {
		if span.years > 0 && !t.To.AddDate(-span.years, 0, 0).After(t.From) {
			continue
		}
		years := span.years
		chips = append(chips, newChip(span.label, v.years == years, func() {
			v.years = years
			v.show(v.full)
		}))
	}
	if len(chips) < 2 {
		swap(v.spans, container.NewStack())
		return
	}
	swap(v.spans, container.NewHBox(chips...))
}

// fixedWidth gives its objects a fixed width and the full height.
type fixedWidth struct{ w float32 }

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(f.w, size.Height))
	}
}

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.w, h)
}
