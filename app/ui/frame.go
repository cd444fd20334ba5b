package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// railWidth is the left rail's width (SCREENS.md).
const railWidth = 220

// frame is the window of an open vault: the rail (person switcher and
// sections), the top bar (search and actions), and the page of the route
// on show. It holds the session's people as last read and the one page on
// show; locking drops it whole.
type frame struct {
	k       *App
	s       *app.Session
	vaultID string
	demo    bool

	people []app.Person
	person app.Person // who is on show; zero when the vault has no one
	// shown says whom the rail, title and last-person setting show (see
	// shownKey), so a route within one person (a search keystroke) redoes
	// none of it; "" before the first route.
	shown string

	route Route
	// back is the route search returns to when its field is cleared.
	back Route
	// toolBack is the route Settings and the Audit log return to.
	toolBack Route
	page     Page
	// pageFor is the person and section the page was made for.
	pageFor Route

	rail    *rail
	search  *widget.Entry
	content *fyne.Container
	root    fyne.CanvasObject
	// status shows an import's progress, under the top bar.
	status *fyne.Container

	// quiet stops the search field's OnChanged from navigating while the
	// frame sets its text itself.
	quiet       bool
	unsubscribe func()
	// drawn is the revision the rail and page last refreshed for.
	drawn uint64
}

// showFrame shows the frame of the open session, on the person last shown
// (else the first), at their summary.
func (k *App) showFrame() {
	f := &frame{k: k, s: k.session, demo: k.session.Demo()}
	f.vaultID, _ = f.s.VaultID()
	f.build()
	k.frame = f
	k.navigate = f.show
	k.show("frame", f.root)
	f.drawn = f.s.Revision()
	f.unsubscribe = f.s.Subscribe(func(c app.Change) {
		fyne.Do(func() { f.changed(c) })
	})
	f.loadPeople()
	start := k.lastPerson(f.vaultID)
	if i := slices.IndexFunc(f.people, func(p app.Person) bool { return p.ID == start }); i < 0 && len(f.people) > 0 {
		start = f.people[0].ID
	}
	k.Navigate(Route{Person: start, Section: app.SectionSummary})
}

func (f *frame) build() {
	k := f.k
	f.rail = newRail(f)
	f.search = widget.NewEntry()
	f.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	f.search.OnChanged = func(q string) {
		k.touch()
		if !f.quiet {
			f.searchFor(q)
		}
	}
	importBtn := widget.NewButtonWithIcon("Import", theme.DownloadIcon(), k.touched(k.importFiles))
	exportBtn := widget.NewButtonWithIcon("Print / Export", theme.DocumentPrintIcon(), k.touched(k.export))
	addBtn := widget.NewButtonWithIcon("Add entry", theme.ContentAddIcon(), k.touched(k.addEntry))
	lockBtn := widget.NewButtonWithIcon("Lock", lockIcon, k.touched(k.lockNow))
	var menuBtn *widget.Button
	menuBtn = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), k.touched(func() {
		widget.ShowPopUpMenuAtRelativePosition(k.moreMenu(), k.win.Canvas(),
			fyne.NewPos(menuBtn.Size().Width, menuBtn.Size().Height), menuBtn)
	}))
	bar := container.NewPadded(container.New(newTopBar(f.search, importBtn, exportBtn, addBtn, lockBtn, menuBtn), f.search,
		importBtn, exportBtn, addBtn, lockBtn, menuBtn))

	f.content = container.NewStack()
	f.status = container.NewVBox()
	f.status.Hide()
	main := container.NewBorder(container.NewVBox(bar, widget.NewSeparator(), f.status), nil, nil, nil, f.content)
	railBox := container.NewBorder(nil, nil, nil, widget.NewSeparator(),
		container.New(&columnWidth{width: railWidth}, f.rail.content()))
	f.root = container.NewBorder(nil, nil, railBox, nil, main)
}

// loadPeople reads the people again; a person on show who was removed is
// replaced by the first one left.
func (f *frame) loadPeople() {
	people, err := f.s.People()
	if err != nil {
		return
	}
	f.people = people
	if f.person.ID != "" {
		if i := slices.IndexFunc(people, func(p app.Person) bool { return p.ID == f.person.ID }); i >= 0 {
			f.person = people[i]
		}
	}
}

// show is the frame's Navigate: the route's person and section, and in
// it the entry or trend.
func (f *frame) show(r Route) {
	if f.k.frame != f {
		return
	}
	if r.Person == "" {
		r.Person = f.person.ID
	}
	if i := slices.IndexFunc(f.people, func(p app.Person) bool { return p.ID == r.Person }); i >= 0 {
		if f.person.ID != r.Person {
			// A new person: search and selection are theirs no more.
			f.setSearch("")
			f.back = Route{}
		}
		f.person = f.people[i]
	} else {
		f.person = app.Person{}
		if len(f.people) > 0 {
			f.person = f.people[0]
		}
		r.Person = f.person.ID
	}
	if r.Section == "" {
		r.Section = app.SectionSummary
	}
	if r.Section != SectionSearch {
		f.setSearch("")
	} else if f.search.Text != r.Query {
		f.setSearch(r.Query)
	}
	f.route = r
	f.showPage(r)
	if key := shownKey(f.person); f.shown != key {
		f.shown = key
		if f.person.ID != "" {
			f.k.setLastPerson(f.vaultID, f.person.ID)
		}
		f.rail.showPerson()
		f.setTitle()
		f.search.SetPlaceHolder(f.searchHint())
		if f.person.ID == "" {
			f.search.Disable()
		} else {
			f.search.Enable()
		}
	}
	f.rail.selectSection(r.Section)
}

// shownKey is what the frame shows of a person outside the page: who,
// and their name and age as the rail and title say them.
func shownKey(p app.Person) string {
	return "\x01" + p.ID + "\x00" + p.Name + "\x00" + ageLine(p) + "\x00" + p.Initial + fmt.Sprint(p.Hue)
}

// showPage puts the route's page in the content area: the page on show
// when it is the same person's same section (told the route, if it takes
// routes), else a new one from the registry.
func (f *frame) showPage(r Route) {
	if f.person.ID == "" {
		f.page, f.pageFor = nil, Route{}
		f.setContent(f.noPeople())
		return
	}
	same := Route{Person: r.Person, Section: r.Section}
	if f.page != nil && f.pageFor == same {
		if rt, ok := f.page.(Router); ok {
			rt.Show(r)
		}
		return
	}
	f.page, f.pageFor = nil, same
	make, ok := pages[r.Section]
	if !ok {
		f.setContent(notBuilt(r.Section))
		return
	}
	f.page = make(f.k, r)
	f.setContent(f.page.Content())
}

func (f *frame) setContent(o fyne.CanvasObject) {
	f.content.Objects = []fyne.CanvasObject{o}
	f.content.Refresh()
}

// notBuilt stands in for a section whose page is not written yet.
func notBuilt(sec app.Section) fyne.CanvasObject {
	title := sec.Title()
	if sec == SectionSearch {
		title = "Search"
	}
	l := widget.NewLabelWithStyle(title+" is not built yet.", fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(l)
}

// changed refreshes the rail and the page after a change to the vault,
// once per change (and not at all for one a later change supersedes: its
// own notification follows).
func (f *frame) changed(c app.Change) {
	if f.k.frame != f || c.Kind == app.ChangeLocked {
		return
	}
	if c.Revision <= f.drawn || f.s.Revision() > c.Revision {
		return
	}
	f.drawn = c.Revision
	had := f.person.ID
	f.loadPeople()
	if had == "" && len(f.people) == 0 {
		f.rail.refresh()
		return
	}
	gone := !slices.ContainsFunc(f.people, func(p app.Person) bool { return p.ID == had })
	if gone || had == "" {
		// The person on show was removed, or the first one added.
		f.page = nil
		next := ""
		if len(f.people) > 0 {
			next = f.people[0].ID
		}
		f.person = app.Person{}
		f.show(Route{Person: next, Section: app.SectionSummary})
		return
	}
	f.rail.refresh()
	f.setTitle()
	if f.page != nil {
		f.page.Refresh()
	}
}

// close ends the frame: no more notifications, no page kept.
func (f *frame) close() {
	if f.unsubscribe != nil {
		f.unsubscribe()
	}
	f.page = nil
	f.content.Objects = nil
	f.people, f.person = nil, app.Person{}
}

func (f *frame) setTitle() {
	t := Title
	if f.demo {
		t += " (demo)"
	}
	if f.person.Name != "" {
		t += " — " + f.person.Name
	}
	f.k.win.SetTitle(t)
}

func (f *frame) searchHint() string {
	if f.person.Name == "" {
		return "Search (Ctrl+F)"
	}
	return fmt.Sprintf("Search %s's records (Ctrl+F)", f.person.Name)
}

// setSearch sets the search field without searching.
func (f *frame) setSearch(q string) {
	if f.search.Text == q {
		return
	}
	f.quiet = true
	f.search.SetText(q)
	f.quiet = false
}

// searchFor shows the search results as the person types; clearing the
// field goes back to where they were.
func (f *frame) searchFor(q string) {
	if f.person.ID == "" {
		return
	}
	if strings.TrimSpace(q) == "" {
		if f.route.Section == SectionSearch {
			back := f.back
			if back.Section == "" {
				back = Route{Person: f.person.ID, Section: app.SectionSummary}
			}
			f.k.Navigate(back)
		}
		return
	}
	if f.route.Section != SectionSearch {
		f.back = f.route
	}
	f.k.Navigate(Route{Person: f.person.ID, Section: SectionSearch, Query: q})
}

// focusSearch is Ctrl+F.
func (f *frame) focusSearch() {
	f.k.win.Canvas().Focus(f.search)
}

// noPeople is the content of a vault with no one in it yet: add the first
// person, and where records come from.
func (f *frame) noPeople() fyne.CanvasObject {
	k := f.k
	name := widget.NewEntry()
	name.SetPlaceHolder("Name, as on their records")
	birth := widget.NewEntry()
	birth.SetPlaceHolder("Birth date: 1981-04-12 (or just the year)")
	problem := newMessage()
	add := widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), nil)
	add.Importance = widget.HighImportance
	add.OnTapped = k.touched(func() {
		if p, ok := k.addPersonFrom(name.Text, birth.Text, problem); ok {
			k.Navigate(Route{Person: p.ID, Section: app.SectionSummary})
		}
	})
	name.OnSubmitted = func(string) { add.OnTapped() }
	birth.OnSubmitted = func(string) { add.OnTapped() }
	openFiles := widget.NewButtonWithIcon("Open files…", theme.FolderOpenIcon(), k.touched(k.importFiles))
	tryDemo := widget.NewButton("Try the demo", k.openDemo)
	teach := widget.NewRichTextFromMarkdown("Bring in your records. In your clinic's patient portal, look for *Download my record*, " +
		"*Health summary*, *Share my record* or *Sharing hub*, and choose the file for computers (XML, often in a zip " +
		"with a readable copy). From an iPhone: Health app → your picture → *Export All Health Data*. " +
		"Medicare: your claims download. Then drop the files here.")
	teach.Wrapping = fyne.TextWrapWord
	return centered(620,
		heading("Whose records will you keep here?"),
		wrapped("Start with yourself, or the person you care for. Each person has their own records; you can add more people later."),
		name, birth, problem,
		container.NewBorder(nil, nil, nil, add),
		widget.NewSeparator(),
		teach,
		container.NewHBox(openFiles, tryDemo, layout.NewSpacer()),
	)
}
