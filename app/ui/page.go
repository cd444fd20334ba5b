package ui

import (
	"fyne.io/fyne/v2"

	"github.com/kinfolio/kinfolio/app"
)

// Route is where the window is: a person's section and, in a list, the
// entry whose detail is open.
type Route struct {
	// Person is the person's id.
	Person  string
	Section app.Section
	// Entry is the id of the entry whose detail is shown ("" for none).
	Entry string
	// Trend is the series key a Results page opens on ("" for none).
	Trend string
	// Query is what the search page looks for (Section SectionSearch).
	Query string
}

// SectionSearch is the route of the search results page: not a section of
// the rail, reached from the top bar's search field (Ctrl+F).
const SectionSearch app.Section = "search"

// Page is one section's screen for one person (the dashboard, the
// timeline, a list with its detail pane, trends, sources). A page gets
// every piece of data from the session ([App.Session]) and holds no logic
// of its own.
type Page interface {
	// Content is the page's canvas object; built once, kept while the page
	// is on show.
	Content() fyne.CanvasObject
	// Refresh redraws the page from the session after a change (called on
	// the window's goroutine).
	Refresh()
}

// Router is an optional part of a Page: a page that can open an entry or a
// trend inside itself (a list opening its detail pane) takes the route.
type Router interface {
	Show(r Route)
}

// PageMaker builds a section's page for the route's person.
type PageMaker func(k *App, r Route) Page

// pages are the section pages, registered by the files that build them
// (in init functions) with [registerPage].
var pages = map[app.Section]PageMaker{}

func registerPage(sec app.Section, make PageMaker) {
	if _, dup := pages[sec]; dup {
		panic("ui: page registered twice: " + string(sec))
	}
	pages[sec] = make
}
