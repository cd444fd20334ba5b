package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

func init() {
	registerPage(app.SectionSummary, func(k *App, r Route) Page { return newSummaryPage(k, r) })
}

// emptyVaultActions adds what a person can do on an empty record's page:
// the drop zone, "Open files…" and "Try the demo" belong to the import
// work (part 2 of the desktop app), which sets this; until then the page
// shows the words alone.
var emptyVaultActions func(k *App, r Route) fyne.CanvasObject

// summaryPage is a person's dashboard: a grid of cards in the order
// SCREENS.md gives (allergies pinned first), two or three columns by width.
// Each card's title opens its section; each row opens its detail.
type summaryPage struct {
	k     *App
	route Route
	body  *fyne.Container
	root  *container.ThemeOverride
	seq   int
	// dash is the dashboard on show (tests read it).
	dash *app.Dashboard
}

var _ Page = (*summaryPage)(nil)

// cardRows is how many rows a card lists before "and N more".
const cardRows = 8

func newSummaryPage(k *App, r Route) *summaryPage {
	p := &summaryPage{k: k, route: r, body: container.NewStack(reading())}
	p.root = pageRoot(p.body)
	p.Refresh()
	return p
}

// Content is the page.
func (p *summaryPage) Content() fyne.CanvasObject { return p.root }

// Refresh reads the dashboard again.
func (p *summaryPage) Refresh() {
	s := p.k.Session()
	if s == nil {
		return
	}
	person := p.route.Person
	p.seq++
	seq := p.seq
	Background(p.k, func() (*app.Dashboard, error) { return s.Dashboard(person) }, func(d *app.Dashboard, err error) {
		if seq != p.seq {
			return
		}
		var o fyne.CanvasObject
		if err != nil {
			o = emptyState(app.Sentence(err))
		} else {
			p.dash = d
			o = p.build(d)
		}
		swap(p.body, o)
	})
}

func (p *summaryPage) go2(r Route) func() {
	return func() {
		r.Person = p.route.Person
		p.k.Navigate(r)
	}
}

func (p *summaryPage) openRow(r *app.Row) func() {
	return p.go2(Route{Section: app.SectionOf(r.Kind), Entry: r.ID})
}

func (p *summaryPage) build(d *app.Dashboard) fyne.CanvasObject {
	head := p.personHeading(d.Person)
	if d.Empty {
		return container.NewBorder(head, nil, nil, nil, p.emptyRecord())
	}
	var cards []fyne.CanvasObject
	cards = append(cards, p.allergyCard(d))

	meds := p.rowsCard("Medications", app.SectionMedications, d.Medications, d.MedicationsNote,
		"No current medications recorded.")
	cards = append(cards, meds)
	cards = append(cards, p.rowsCard("Problems", app.SectionProblems, d.Problems, d.ProblemsNote,
		"No active problems recorded."))
	if len(d.Vitals) > 0 {
		cards = append(cards, p.tilesCard("Latest vitals", d.Vitals))
	}
	if len(d.Results) > 0 {
		cards = append(cards, p.tilesCard("Results", d.Results))
	}
	if len(d.Visits) > 0 {
		cards = append(cards, p.rowsCard("Recent visits", app.SectionVisits, d.Visits, "", ""))
	}
	cards = append(cards, p.sourcesCard(d.Sources))
	if len(d.ConflictRows) > 0 {
		cards = append(cards, p.conflictsCard(d))
	}

	grid := &cardGrid{}
	gridBox := container.New(grid, cards...)
	scroll := container.NewVScroll(container.NewPadded(gridBox))
	grid.onHeight = scroll.Refresh
	top := []fyne.CanvasObject{head}
	if d.Conflicts > 0 {
		top = append(top, container.NewPadded(banner(theme.WarningIcon(),
			app.Plural(d.Conflicts, "entry differs", "entries differ")+" between sources (marked ⚠). "+
				"Both versions are kept; check with your care team which is right.", widget.WarningImportance)))
	}
	return container.NewBorder(container.NewVBox(top...), nil, nil, nil, scroll)
}

// personHeading names whose record is on screen.
func (p *summaryPage) personHeading(person app.Person) fyne.CanvasObject {
	name := heading(person.Name)
	var about []string
	if person.BirthText != "" {
		about = append(about, "born "+person.BirthText)
	}
	if person.AgeText != "" {
		about = append(about, "age "+person.AgeText)
	}
	about = append(about, app.Plural(person.Entries, "entry", "entries"))
	line := ""
	for i, a := range about {
		if i > 0 {
			line += " · "
		}
		line += a
	}
	return container.NewPadded(tight(name, newSecondary(line)))
}

// emptyRecord teaches where records come from (SCREENS.md).
func (p *summaryPage) emptyRecord() fyne.CanvasObject {
	words := widget.NewRichTextFromMarkdown(`## Bring in your records

In your clinic's patient portal, look for *Download my record*, *Health summary*, *Share my record* or *Sharing hub*, and choose the file for computers (XML, often in a zip with a readable copy).

From an iPhone: Health app → your picture → *Export All Health Data*.

Medicare: your claims download.

Then drop the files here.`)
	words.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{words}
	if emptyVaultActions != nil {
		if o := emptyVaultActions(p.k, p.route); o != nil {
			objs = append(objs, o)
		}
	}
	return container.NewVScroll(container.NewPadded(container.New(&maxWidth{w: 640}, container.NewVBox(objs...))))
}

// cardTitle is a card's heading: it opens the card's section.
func (p *summaryPage) cardTitle(title string, sec app.Section, r Route) fyne.CanvasObject {
	link := widget.NewHyperlink(title+" ›", nil)
	link.TextStyle = fyne.TextStyle{Bold: true}
	link.SizeName = theme.SizeNameSubHeadingText
	r.Section = sec
	link.OnTapped = p.go2(r)
	return link
}

func (p *summaryPage) card(title fyne.CanvasObject, objs ...fyne.CanvasObject) *panel {
	return newPanel(container.NewVBox(append([]fyne.CanvasObject{title}, objs...)...))
}

// cardLine is one entry in a card, opening its detail.
func (p *summaryPage) cardLine(r *app.Row) fyne.CanvasObject {
	return p.cardLineMarked(r, "⚠ sources differ")
}

func (p *summaryPage) cardLineMarked(r *app.Row, conflict string) fyne.CanvasObject {
	v := newRowView(false)
	v.conflictText = conflict
	v.set(r)
	return newTapRow(v, p.openRow(r))
}

// more is a card's "and 12 more" link to its section.
func (p *summaryPage) more(n int, sec app.Section) fyne.CanvasObject {
	l := widget.NewHyperlink("and "+app.Plural(n, "more", "more")+" ›", nil)
	l.OnTapped = p.go2(Route{Section: sec})
	return l
}

func (p *summaryPage) allergyCard(d *app.Dashboard) fyne.CanvasObject {
	title := p.cardTitle("Allergies", app.SectionAllergies, Route{})
	var c *panel
	switch d.Allergies.State {
	case record.AllergiesRecorded:
		var lines []fyne.CanvasObject
		for i := range d.Allergies.Rows {
			// "⚠ differs" leaves the reaction room to be read.
			lines = append(lines, p.cardLineMarked(&d.Allergies.Rows[i], "⚠ differs"))
		}
		c = p.card(title, append([]fyne.CanvasObject{banner(theme.WarningIcon(),
			app.Plural(len(d.Allergies.Rows), "allergy", "allergies")+" recorded", widget.DangerImportance)}, lines...)...)
		c.accent = true
	case record.NoKnownAllergies:
		c = p.card(title, banner(theme.ConfirmIcon(), d.Allergies.Text, widget.MediumImportance))
	default:
		c = p.card(title, banner(theme.QuestionIcon(), d.Allergies.Text, widget.MediumImportance),
			wrappedSecondary("None of the records imported says whether there are allergies. Ask the clinic, or add them with Add entry."))
	}
	return c
}

func wrappedSecondary(s string) *widget.RichText {
	t := newSecondary(s)
	t.Truncation = fyne.TextTruncateOff
	t.Wrapping = fyne.TextWrapWord
	return t
}

func (p *summaryPage) rowsCard(title string, sec app.Section, rows []app.Row, note, none string) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := range rows {
		if i == cardRows {
			objs = append(objs, p.more(len(rows)-cardRows, sec))
			break
		}
		objs = append(objs, p.cardLine(&rows[i]))
	}
	if len(rows) == 0 {
		if note == "" {
			note = none
		}
		objs = append(objs, wrapped(note))
	}
	return p.card(p.cardTitle(title, sec, Route{}), objs...)
}

// tilesCard lists vital signs or tests: the name and date, a sparkline of
// the recent results, the latest value with its flag.
func (p *summaryPage) tilesCard(title string, tiles []app.Tile) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := range tiles {
		t := &tiles[i]
		value := widget.NewLabel(t.Value)
		value.TextStyle = fyne.TextStyle{Bold: true}
		if t.Flag != "" {
			value.SetText(t.Value + " " + t.Flag)
		}
		if t.Abnormal {
			value.Importance = widget.DangerImportance
		}
		// The value over its sparkline at the right, the name over the date
		// at the left: the name keeps most of the width.
		value.Alignment = fyne.TextAlignTrailing
		right := fyne.CanvasObject(value)
		if len(t.Spark) > 1 {
			right = container.New(twoLines{}, value, container.NewHBox(layout.NewSpacer(), newSparkline(t.Spark, t.Abnormal)))
		}
		line := container.NewBorder(nil, nil, nil, right, container.New(twoLines{}, newBody(t.Title), newSecondaryCut(t.DateText)))
		objs = append(objs, newTapRow(line, p.go2(Route{Section: app.SectionResults, Entry: t.EntryID})))
	}
	return p.card(p.cardTitle(title, app.SectionResults, Route{}), objs...)
}

func (p *summaryPage) sourcesCard(c app.SourcesCard) fyne.CanvasObject {
	objs := []fyne.CanvasObject{wrapped(c.Text)}
	for _, b := range c.Legend {
		name := b.Name
		if b.SelfReported {
			name = "Entered by you"
		}
		objs = append(objs, container.NewBorder(nil, nil, container.NewCenter(newBadgeStrip([]app.Badge{b})), nil, newBody(name)))
	}
	return p.card(p.cardTitle("Sources", app.SectionSources, Route{}), objs...)
}

func (p *summaryPage) conflictsCard(d *app.Dashboard) fyne.CanvasObject {
	title := widget.NewLabel("Differs between sources")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	objs := []fyne.CanvasObject{wrappedSecondary("Open one to see what each source says, side by side.")}
	for i := range d.ConflictRows {
		if i == cardRows {
			break
		}
		objs = append(objs, p.cardLine(&d.ConflictRows[i]))
	}
	return p.card(title, objs...)
}

// cardGrid lays cards out in columns (one below 540 px, two, three from
// 1000 px), each card going to the shortest column, so the order reads
// left to right, top to bottom with no gaps under short cards.
type cardGrid struct {
	h float32
	// onHeight is told when the height the cards need changes (the
	// scroll holding them must know).
	onHeight func()
}

const cardGap = 12

func gridColumns(w float32) int {
	switch {
	case w >= 1000:
		return 3
	case w >= 540:
		return 2
	}
	return 1
}

func (g *cardGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	cols := gridColumns(size.Width)
	colW := (size.Width - cardGap*float32(cols-1)) / float32(cols)
	heights := make([]float32, cols)
	for _, o := range objs {
		c := 0
		for i := range heights {
			if heights[i] < heights[c]-1 {
				c = i
			}
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(float32(c)*(colW+cardGap), heights[c]))
		o.Resize(fyne.NewSize(colW, h))
		heights[c] += h + cardGap
	}
	total := float32(0)
	for _, h := range heights {
		total = max(total, h-cardGap)
	}
	if total != g.h {
		g.h = total
		if g.onHeight != nil {
			g.onHeight()
		}
	}
}

func (g *cardGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	h := g.h
	if h == 0 { // not laid out yet: one column
		for _, o := range objs {
			h += o.MinSize().Height + cardGap
		}
	}
	return fyne.NewSize(w, h)
}

var _ fyne.Layout = (*cardGrid)(nil)
