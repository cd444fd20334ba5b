package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

func init() {
	registerPage(SectionSearch, func(k *App, r Route) Page { return newSearchPage(k, r) })
}

// searchLimit caps the rows a search lists (the newest; the count says
// how many matched in all).
const searchLimit = 500

// searchPage lists what matches the top bar's search across the person,
// as the person types: the frame calls Show with each new Route.Query.
// Rows are as in the lists, with their kind; one opens its detail beside.
type searchPage struct {
	k     *App
	route Route
	query string
	rows  []app.Row
	total int
	name  string // whose records

	heading *widget.Label
	count   *widget.RichText
	legend  *widget.RichText
	list    *widget.List
	split   *splitView
	pane    entryPane
	body    *fyne.Container
	root    *container.ThemeOverride
	seq     int
}

var (
	_ Page   = (*searchPage)(nil)
	_ Router = (*searchPage)(nil)
)

func newSearchPage(k *App, r Route) *searchPage {
	p := &searchPage{k: k, route: r}
	p.heading = newSubheading("Search")
	p.heading.Truncation = fyne.TextTruncateEllipsis
	p.count = newSecondary("")
	p.legend = newSecondary("")
	p.list = widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject { return newRowView(true) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*rowView).set(&p.rows[i])
			p.k.touch()
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.rows) && p.rows[i].ID != p.pane.openID {
			p.pane.open(p.rows[i].ID)
		}
	}
	p.split = newSplitView(p.list, "Choose a result to see its details and where it came from.")
	p.split.onBack = func() {
		p.pane.openID = ""
		p.list.UnselectAll()
	}
	p.pane = entryPane{k: k, split: p.split, onChanged: p.Refresh, onOpened: func(id string) {
		if i := slices.IndexFunc(p.rows, func(r app.Row) bool { return r.ID == id }); i >= 0 {
			p.list.Select(i)
		}
	}}
	p.body = container.NewStack()
	head := container.NewBorder(nil, nil, nil, container.NewCenter(p.count), p.heading)
	p.root = pageRoot(container.NewBorder(head, container.NewPadded(p.legend), nil, nil, p.body))
	p.query = "\x00" // not yet searched
	p.Show(r)
	return p
}

// Content is the page.
func (p *searchPage) Content() fyne.CanvasObject { return p.root }

// Show searches for the route's query (when it changed) and opens its entry.
func (p *searchPage) Show(r Route) {
	p.route = r
	if r.Query != p.query {
		p.search(r.Query)
	}
	if r.Entry != "" {
		p.pane.open(r.Entry)
	}
}

// Refresh searches again (after a change to the records).
func (p *searchPage) Refresh() { p.search(p.query) }

type searchResult struct {
	rows   []app.Row
	total  int
	name   string
	legend []app.Badge
}

func (p *searchPage) search(q string) {
	s := p.k.Session()
	if s == nil {
		return
	}
	p.query = q
	person := p.route.Person
	p.seq++
	seq := p.seq
	Background(p.k, func() (searchResult, error) {
		var res searchResult
		if pr, err := s.Person(person); err == nil {
			res.name = pr.Name
		}
		res.legend, _ = s.Legend(person)
		rows, total, err := s.Search(person, q, searchLimit)
		res.rows, res.total = rows, total
		return res, err
	}, func(res searchResult, err error) {
		if seq != p.seq {
			return
		}
		p.apply(q, res, err)
	})
}

func (p *searchPage) apply(q string, res searchResult, err error) {
	p.rows, p.total, p.name = res.rows, res.total, res.name
	legend := ""
	if len(res.rows) > 0 {
		legend = legendText(res.legend)
	}
	setSecondary(p.legend, legend)
	p.list.UnselectAll()
	p.pane.close()
	whose := "these records"
	if p.name != "" {
		whose = p.name + "’s records"
	}
	var o fyne.CanvasObject
	switch {
	case err != nil:
		p.heading.SetText("Search")
		setSecondary(p.count, "")
		o = emptyState(app.Sentence(err))
	case strings.TrimSpace(q) == "":
		p.heading.SetText("Search")
		setSecondary(p.count, "")
		o = emptyState("Type in the search field to find anything in " + whose +
			": a test, a medicine, a problem, a clinic, a doctor.")
	case res.total == 0:
		p.heading.SetText("No results for “" + q + "”")
		setSecondary(p.count, "")
		o = emptyState("Nothing in " + whose + " matches “" + q + "”. Try fewer letters or another word.")
	default:
		p.heading.SetText("Results for “" + q + "”")
		n := app.Plural(res.total, "match", "matches")
		if res.total > len(res.rows) {
			n = fmt.Sprintf("%s, the newest %d shown", n, len(res.rows))
		}
		setSecondary(p.count, n)
		o = p.split
	}
	swap(p.body, o)
	p.list.Refresh()
	scrollToTop(p.list)
}
