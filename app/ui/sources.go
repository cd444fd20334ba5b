package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

func init() {
	registerPage(app.SectionSources, func(k *App, r Route) Page { return newSourcesPage(k, r) })
}

// sourceActions adds buttons to a source on the Sources page ("Remove…",
// "Save a copy…"): the import work (part 2 of the desktop app) sets it.
var sourceActions func(k *App, src app.SourceRow) []fyne.CanvasObject

// sourcesPage lists the files a person's records came from, most recently
// imported first, each package with its parts.
type sourcesPage struct {
	k     *App
	route Route
	rows  []app.SourceRow
	count *widget.RichText
	body  *fyne.Container
	root  *container.ThemeOverride
	seq   int
}

var _ Page = (*sourcesPage)(nil)

func newSourcesPage(k *App, r Route) *sourcesPage {
	p := &sourcesPage{k: k, route: r, count: newSecondary(""), body: container.NewStack()}
	head := container.NewHBox(newSubheading("Sources"), container.NewCenter(p.count))
	p.root = pageRoot(container.NewBorder(head, nil, nil, nil, p.body))
	p.Refresh()
	return p
}

// Content is the page.
func (p *sourcesPage) Content() fyne.CanvasObject { return p.root }

// Refresh reads the sources again.
func (p *sourcesPage) Refresh() {
	s := p.k.Session()
	if s == nil {
		return
	}
	person := p.route.Person
	p.seq++
	seq := p.seq
	Background(p.k, func() ([]app.SourceRow, error) { return s.Sources(person) }, func(rows []app.SourceRow, err error) {
		if seq != p.seq {
			return
		}
		var o fyne.CanvasObject
		switch {
		case err != nil:
			o = emptyState(app.Sentence(err))
		case len(rows) == 0:
			o = emptyState(app.SectionSources.Empty())
		default:
			p.rows = rows
			setSecondary(p.count, app.Plural(len(rows), "file", ""))
			box := container.NewVBox()
			for _, r := range rows {
				box.Add(p.sourceCard(r))
			}
			o = container.NewVScroll(container.NewPadded(box))
		}
		swap(p.body, o)
	})
}

// sourceCard is one imported file: who wrote it, what it is, when it was
// written and imported, how much it gave, and its parts.
func (p *sourcesPage) sourceCard(r app.SourceRow) fyne.CanvasObject {
	name := widget.NewLabel(r.Name)
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.Truncation = fyne.TextTruncateEllipsis
	head := container.NewBorder(nil, nil, container.NewCenter(newBadgeStrip([]app.Badge{r.Badge})),
		widget.NewLabel(app.Plural(r.Entries, "entry", "entries")), name)
	lines := []fyne.CanvasObject{head, p.about(r)}
	var buttons []fyne.CanvasObject
	if r.HasOriginal {
		id, title := r.ID, r.File
		buttons = append(buttons, widget.NewButtonWithIcon("Read the document", theme.DocumentIcon(), func() { p.readText(id, title) }))
	}
	if sourceActions != nil {
		buttons = append(buttons, sourceActions(p.k, r)...)
	}
	if len(buttons) > 0 {
		lines = append(lines, container.NewHBox(append(buttons, layout.NewSpacer())...))
	}
	if len(r.Parts) > 0 {
		lines = append(lines, newSecondary("Inside it: "+app.Plural(len(r.Parts), "document", "")))
		for _, part := range r.Parts {
			pn := newBody(part.File)
			pn.TextStyle = fyne.TextStyle{Bold: true}
			line := container.NewBorder(nil, nil, container.NewCenter(newBadgeStrip([]app.Badge{part.Badge})),
				widget.NewLabel(app.Plural(part.Entries, "entry", "entries")), pn)
			lines = append(lines, container.New(layout.NewCustomPaddedLayout(0, 0, 24, 0), tight(line, p.about(part))))
		}
	}
	return newPanel(container.NewVBox(lines...))
}

// about says what a file is and when it was written and imported.
func (p *sourcesPage) about(r app.SourceRow) fyne.CanvasObject {
	what := []string{r.File, r.FormatText}
	if r.Title != "" && r.Title != r.Name {
		what = append(what, "“"+r.Title+"”")
	}
	var when []string
	if r.DocumentDate != "" {
		when = append(when, "written "+r.DocumentDate)
	}
	when = append(when, "imported "+r.Imported+" ("+r.ImportedAgo+")")
	if len(r.People) > 0 {
		when = append(when, "for "+strings.Join(r.People, ", "))
	}
	return tight(newSecondary(strings.Join(what, " · ")), newSecondary(strings.Join(when, " · ")))
}

// readText shows a document's own text (its narrative, as text).
func (p *sourcesPage) readText(id, title string) {
	s := p.k.Session()
	if s == nil {
		return
	}
	Background(p.k, func() (string, error) { return s.SourceText(id) }, func(text string, err error) {
		if err != nil {
			p.k.ShowError("Could not read the document", err)
			return
		}
		var content fyne.CanvasObject
		if text == "" {
			content = wrapped("This file holds no readable text of its own; what it says is in the lists.")
		} else {
			content = container.NewVScroll(narrativeView(text))
		}
		d := dialog.NewCustom(title, "Close", container.New(&fixedBox{size: fyne.NewSize(720, 520)}, content), p.k.win)
		d.Show()
	})
}

// fixedBox gives its objects a fixed minimum size.
type fixedBox struct{ size fyne.Size }

func (f *fixedBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (f *fixedBox) MinSize([]fyne.CanvasObject) fyne.Size { return f.size }
