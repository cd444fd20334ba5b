package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The list pages: one per kind of entry, each a list with its detail pane.
// Results & vitals adds its trends (results.go); Sources lists files
// (sources.go).
func init() {
	for _, sec := range []app.Section{app.SectionProblems, app.SectionMedications, app.SectionAllergies,
		app.SectionImmunizations, app.SectionVisits, app.SectionDocuments, app.SectionClaims, app.SectionOther} {
		registerPage(sec, func(k *App, r Route) Page { return newListPage(k, r) })
	}
}

// entryPane opens entries in a split view's detail pane: it reads the
// detail in the background and lays it out when it arrives (a later
// request wins over an earlier one still on its way).
type entryPane struct {
	k      *App
	split  *splitView
	openID string
	seq    int
	// onOpened is told which entry the pane shows (to select its row).
	onOpened func(id string)
	// onChanged is called after the entry shown was deleted.
	onChanged func()
}

// open shows entry id's detail ("" closes the pane).
func (p *entryPane) open(id string) {
	s := p.k.Session()
	if id == "" || s == nil {
		p.close()
		return
	}
	p.openID = id
	p.seq++
	seq := p.seq
	if p.onOpened != nil {
		p.onOpened(id)
	}
	Background(p.k, func() (entryView, error) { return loadEntry(s, id) }, func(ev entryView, err error) {
		if seq != p.seq {
			return
		}
		if err != nil {
			p.split.show(emptyState(app.Sentence(err)))
			return
		}
		p.split.show(newDetailView(p.k, ev, detailActions{open: p.open, deleted: func() {
			p.close()
			if p.onChanged != nil {
				p.onChanged()
			}
		}}))
	})
}

// close empties the pane.
func (p *entryPane) close() {
	p.seq++
	p.openID = ""
	p.split.close()
}

// listPage is one section's entries, newest first, with the detail of the
// one picked.
type listPage struct {
	k     *App
	route Route
	rows  []app.Row

	title  *widget.Label
	count  *widget.RichText
	legend *widget.RichText
	list   *widget.List
	body   *fyne.Container // the split view, or the empty state
	head   fyne.CanvasObject
	main   fyne.CanvasObject // body and legend: all below the heading
	split  *splitView
	pane   entryPane
	root   *container.ThemeOverride
	seq    int
	loaded bool
}

var (
	_ Page   = (*listPage)(nil)
	_ Router = (*listPage)(nil)
)

func newListPage(k *App, r Route) *listPage {
	p := &listPage{k: k, route: r}
	p.build()
	p.Refresh()
	return p
}

func (p *listPage) build() {
	p.title = newSubheading(p.route.Section.Title())
	p.count = newSecondary("")
	p.legend = newSecondary("")
	p.list = widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject { return newRowView(false) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*rowView).set(&p.rows[i])
			p.k.touch() // scrolling with the wheel is use too (no pointer move tells)
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.rows) && p.rows[i].ID != p.pane.openID {
			p.pane.open(p.rows[i].ID)
		}
	}
	p.split = newSplitView(p.list, "Choose an entry to see its details and every source it came from.")
	p.split.onBack = func() {
		p.pane.openID = ""
		p.list.UnselectAll()
	}
	p.pane = entryPane{k: p.k, split: p.split, onOpened: p.selectRow, onChanged: p.Refresh}
	p.body = container.NewStack(p.split)
	p.head = container.NewHBox(p.title, container.NewCenter(p.count))
	p.main = container.NewBorder(nil, container.NewPadded(p.legend), nil, nil, p.body)
	p.root = pageRoot(container.NewBorder(p.head, nil, nil, nil, p.main))
}

// Content is the page.
func (p *listPage) Content() fyne.CanvasObject { return p.root }

// Show opens the route's entry (or closes the detail).
func (p *listPage) Show(r Route) {
	p.route = r
	if !p.loaded {
		return // Refresh opens it once the rows are in
	}
	p.pane.open(r.Entry)
}

// selectRow selects the row of entry id without reopening it.
func (p *listPage) selectRow(id string) {
	i := slices.IndexFunc(p.rows, func(r app.Row) bool { return r.ID == id })
	if i < 0 {
		p.list.UnselectAll()
		return
	}
	p.list.Select(i)
	p.list.ScrollTo(i)
}

// Refresh reads the section again; the entry on show stays open if it is
// still there.
func (p *listPage) Refresh() {
	s := p.k.Session()
	if s == nil {
		return
	}
	type listData struct {
		rows   []app.Row
		legend []app.Badge
	}
	person, sec := p.route.Person, p.route.Section
	p.seq++
	seq := p.seq
	Background(p.k, func() (listData, error) {
		rows, err := s.List(person, sec)
		if err != nil {
			return listData{}, err
		}
		legend, err := s.Legend(person)
		return listData{rows, legend}, err
	}, func(d listData, err error) {
		if seq != p.seq {
			return
		}
		p.loaded = true
		if err != nil {
			p.rows = nil
			swap(p.body, emptyState(app.Sentence(err)))
			return
		}
		p.rows = d.rows
		setSecondary(p.count, app.Plural(len(p.rows), "entry", "entries"))
		setSecondary(p.legend, legendText(d.legend))
		if len(p.rows) == 0 {
			swap(p.body, emptyState(sec.Empty()))
		} else if !showing(p.body, p.split) {
			swap(p.body, p.split)
		}
		p.list.Refresh()
		want := p.pane.openID
		if want == "" {
			want = p.route.Entry
		}
		p.route.Entry = ""
		if want != "" && slices.ContainsFunc(p.rows, func(r app.Row) bool { return r.ID == want }) {
			p.pane.open(want)
		} else {
			p.pane.close()
			p.list.UnselectAll()
		}
	})
}
