package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

func init() {
	registerPage(SectionAuditLog, func(k *App, r Route) Page { return newAuditPage(k, r) })
}

// allActions is the kind filter's first choice.
const allActions = "All actions"

// auditPage is the Audit log: everything done to the vault, newest first
// (imports, removals, exports and backups, key changes, people, entries
// by hand), narrowed by a kind of action and by a word as the person
// types. Rows are one line each, of one height, so a long log scrolls.
type auditPage struct {
	k     *App
	route Route

	kind  *keySelect
	word  *keyEntry
	count *widget.RichText
	list  *widget.List
	body  *fyne.Container
	lines []app.LogLine
	seq   int

	root *container.ThemeOverride
}

var _ Page = (*auditPage)(nil)

func newAuditPage(k *App, r Route) *auditPage {
	p := &auditPage{k: k, route: r, count: newSecondary(""), body: container.NewStack()}
	kinds := []string{allActions}
	for _, lk := range app.LogKinds {
		kinds = append(kinds, lk.Label)
	}
	p.kind = newKeySelect(k, kinds, func(string) { p.Refresh() })
	p.kind.SetSelectedIndex(0)
	p.word = newKeyEntry(k)
	p.word.SetPlaceHolder("Filter by a word: a file's name, a person, a key…")
	p.word.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.word.OnChanged = func(string) { p.Refresh() }
	p.list = widget.NewList(
		func() int { return len(p.lines) },
		func() fyne.CanvasObject { return newLogRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.lines) {
				o.(*logRow).set(&p.lines[i])
			}
			p.k.touch()
		})
	back := newKeyButton(k, "Back", theme.NavigateBackIcon(), k.leaveTool)
	head := container.NewVBox(
		container.NewBorder(nil, nil, nil, back, container.NewHBox(pageTitle("Audit log"), container.NewCenter(p.count))),
		wrapped("Everything done to this vault, newest first, for every person in it: imports, removals, exports and backups, "+
			"and changes to keys, people and the entries you added. The log is sealed in the vault like your records."),
		container.NewBorder(nil, nil, container.New(&columnWidth{width: 240}, p.kind), nil, p.word),
	)
	p.root = pageRoot(container.NewPadded(container.NewBorder(head, nil, nil, nil, p.body)))
	p.Refresh()
	return p
}

// Content is the page.
func (p *auditPage) Content() fyne.CanvasObject { return p.root }

// filter is what the kind and the word ask for.
func (p *auditPage) filter() app.LogFilter {
	f := app.LogFilter{Text: p.word.Text}
	if lk, ok := app.LogKindNamed(p.kind.Selected); ok {
		f.Actions = lk.Actions
	}
	return f
}

// Refresh reads the log again, with the filter.
func (p *auditPage) Refresh() {
	s := p.k.Session()
	if s == nil || p.kind == nil || p.word == nil {
		return
	}
	f := p.filter()
	p.seq++
	seq := p.seq
	type result struct {
		lines []app.LogLine
		all   int
	}
	Background(p.k, func() (result, error) {
		lines, err := s.Log(f)
		if err != nil {
			return result{}, err
		}
		all := len(lines)
		if len(f.Actions) > 0 || f.Text != "" {
			every, err := s.Log(app.LogFilter{})
			if err != nil {
				return result{}, err
			}
			all = len(every)
		}
		return result{lines, all}, nil
	}, func(r result, err error) {
		if seq != p.seq {
			return
		}
		if err != nil {
			p.lines = nil
			swap(p.body, emptyState(app.Sentence(err)))
			return
		}
		p.lines = r.lines
		setSecondary(p.count, app.LogCountText(len(r.lines), r.all))
		if len(r.lines) == 0 {
			swap(p.body, emptyState("Nothing in the log matches. Choose “"+allActions+"” and clear the word to see everything."))
			return
		}
		if !showing(p.body, p.list) {
			swap(p.body, p.list)
		}
		p.list.Refresh()
		scrollToTop(p.list)
	})
}

// logRow is one event: when, what was done, and to whom, in columns that
// grow with the text size.
type logRow struct {
	widget.BaseWidget
	when   *cellText
	what   *cellText
	person *cellText
}

func newLogRow() *logRow {
	r := &logRow{
		when:   newCell("", colorNameSecondary, theme.SizeNameText),
		what:   newCell("", theme.ColorNameForeground, theme.SizeNameText),
		person: newCell("", colorNameSecondary, theme.SizeNameText),
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *logRow) set(l *app.LogLine) {
	r.when.set(l.When, colorNameSecondary)
	r.what.set(l.What, theme.ColorNameForeground)
	r.person.set(l.Person, colorNameSecondary)
}

func (r *logRow) CreateRenderer() fyne.WidgetRenderer { return &logRowRenderer{r: r} }

type logRowRenderer struct{ r *logRow }

func (lr *logRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{lr.r.when, lr.r.what, lr.r.person}
}

// widths are the date column's (the longest date and time) and the
// person column's (a quarter of the row, at most 240 px at 14 px text).
func (lr *logRowRenderer) widths(w float32) (when, person float32) {
	th := lr.r.Theme()
	size, pad := th.Size(theme.SizeNameText), th.Size(theme.SizeNameInnerPadding)
	when = fyne.MeasureText("28 Sep 2026 23:59", size, fyne.TextStyle{}).Width + 2*pad
	person = min(w/4, 240*size/14)
	return when, person
}

func (lr *logRowRenderer) Layout(size fyne.Size) {
	when, person := lr.widths(size.Width)
	lr.r.when.Move(fyne.NewPos(0, 0))
	lr.r.when.Resize(fyne.NewSize(when, size.Height))
	lr.r.what.Move(fyne.NewPos(when, 0))
	lr.r.what.Resize(fyne.NewSize(max(0, size.Width-when-person), size.Height))
	lr.r.person.Move(fyne.NewPos(size.Width-person, 0))
	lr.r.person.Resize(fyne.NewSize(person, size.Height))
}

func (lr *logRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, lr.r.what.MinSize().Height)
}

func (lr *logRowRenderer) Refresh() {
	lr.Layout(lr.r.Size())
	for _, o := range lr.Objects() {
		o.Refresh()
	}
}

func (lr *logRowRenderer) Destroy() {}
