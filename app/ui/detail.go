package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// entryView is what the detail pane is given: the entry and, for a result
// or a vital sign, the chart of its test.
type entryView struct {
	detail *app.EntryDetail
	trend  *app.Trend
}

// loadEntry reads an entry's detail and its test's trend (the work a
// detail pane runs in the background).
func loadEntry(s *app.Session, id string) (entryView, error) {
	d, err := s.Detail(id)
	if err != nil {
		return entryView{}, err
	}
	ev := entryView{detail: d}
	if d.TrendKey != "" {
		if t, err := s.Trend(d.Person, d.TrendKey); err == nil {
			ev.trend = t
		}
	}
	return ev, nil
}

// editEntryForm opens the form that changes an entry the person entered
// (entryform.go sets it).
var editEntryForm func(k *App, d *app.EntryDetail)

// detailActions are what the detail pane can ask of the page that holds it.
type detailActions struct {
	// open shows another entry (one that differs from this one).
	open func(id string)
	// deleted is called after the entry was deleted.
	deleted func()
}

// newDetailView lays out one entry, in the order a person asks: what it is
// and its facts; for a result, the chart of that test; where it was seen,
// each source in its own words; what differs between sources, side by
// side; a document's text; the codes under "Details"; Edit and Delete for
// what the person entered.
func newDetailView(k *App, ev entryView, act detailActions) fyne.CanvasObject {
	d := ev.detail
	var objs []fyne.CanvasObject
	objs = append(objs, heading(d.Title))

	kind := d.KindText
	if kind != "" {
		kind = strings.ToUpper(kind[:1]) + kind[1:]
	}
	objs = append(objs, container.NewHBox(newSecondary(kind+" · "+d.DateText), container.NewCenter(newBadgeStrip(d.Badges))))

	if d.Conflict {
		objs = append(objs, banner(theme.WarningIcon(), "Differs between sources: see below.", widget.WarningImportance))
	}
	if d.SelfReported {
		objs = append(objs, banner(theme.AccountIcon(), "Entered by you.", widget.MediumImportance))
	} else if !d.Editable && d.ReadOnlyText != "" {
		// Said at the top, where a person looking for Edit looks first.
		objs = append(objs, banner(theme.InfoIcon(), d.ReadOnlyText, widget.MediumImportance))
	}

	if len(d.Facts) > 0 {
		form := container.New(layout.NewFormLayout())
		for _, f := range d.Facts {
			l := newSecondary(f.Label)
			l.Truncation = fyne.TextTruncateOff
			v := widget.NewLabel(f.Value)
			v.Wrapping = fyne.TextWrapWord
			v.Selectable = true
			if f.Label == "Result" && d.Abnormal {
				v.Importance = widget.DangerImportance
				v.TextStyle = fyne.TextStyle{Bold: true}
			}
			form.Add(container.NewVBox(l))
			form.Add(v)
		}
		objs = append(objs, form)
	}

	if t := ev.trend; t != nil && countPoints(t) > 1 {
		chart := newTrendChart(t)
		chart.compact = true
		info := wrappedSecondary(chart.infoText())
		chart.onPick = func(p *app.TrendPoint) { setSecondary(info, chart.infoText()) }
		see := widget.NewHyperlink("See the trend of "+t.Title+" ›", nil)
		see.OnTapped = func() {
			k.Navigate(Route{Person: d.Person, Section: app.SectionResults, Trend: d.TrendKey})
		}
		objs = append(objs, container.New(&fixedHeight{h: 170}, chart), info, see)
	}

	if d.Note != "" && d.Note != d.Narrative {
		objs = append(objs, newSubheading("Note"), selectableWrapped(d.Note))
	}

	if len(d.Differs) > 0 {
		objs = append(objs, widget.NewSeparator(), banner(theme.WarningIcon(), d.DiffersText, widget.WarningImportance))
		// This entry's side names the fields the others disagree on, with
		// its own values; each other side, its values.
		var mine []app.Difference
		for i := range d.Differences {
			for _, df := range d.Differences[i] {
				if !slices.ContainsFunc(mine, func(m app.Difference) bool { return m.Field == df.Field }) {
					mine = append(mine, app.Difference{Field: df.Field, Other: df.This})
				}
			}
		}
		cols := []fyne.CanvasObject{differsColumn("This entry", &d.Row, mine, nil)}
		for i := range d.Differs {
			r := &d.Differs[i]
			var theirs []app.Difference
			if i < len(d.Differences) {
				theirs = d.Differences[i]
			}
			cols = append(cols, differsColumn("Another source says", r, theirs, func() { act.open(r.ID) }))
		}
		objs = append(objs, container.NewGridWithColumns(min(len(cols), 3), cols...))
	}

	if len(d.Seen) > 0 {
		seen := newSubheading(d.SeenText)
		seen.Wrapping = fyne.TextWrapWord
		objs = append(objs, widget.NewSeparator(), seen)
		for _, st := range d.Seen {
			objs = append(objs, statementView(st))
		}
	}

	if d.Narrative != "" {
		objs = append(objs, widget.NewSeparator(), newSubheading("Document text"), narrativeView(d.Narrative))
	}

	objs = append(objs, detailsExpander(d))

	if d.Editable {
		edit := widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { editEntryForm(k, d) })
		del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { confirmDelete(k, d, act.deleted) })
		del.Importance = widget.DangerImportance
		objs = append(objs, container.NewHBox(edit, del))
	}
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}

func countPoints(t *app.Trend) int {
	n := 0
	for _, l := range t.Lines {
		n = max(n, len(l.Points))
	}
	return n
}

// banner is a sentence with an icon: never colour alone.
func banner(icon fyne.Resource, text string, imp widget.Importance) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	switch imp {
	case widget.WarningImportance:
		icon = theme.NewWarningThemedResource(icon)
	case widget.DangerImportance:
		icon = theme.NewErrorThemedResource(icon)
	}
	ic := widget.NewIcon(icon)
	return container.NewBorder(nil, nil, container.NewVBox(ic), nil, l)
}

func selectableWrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

// statementView is one source's own wording of the entry.
func statementView(st app.Statement) fyne.CanvasObject {
	name := widget.NewLabel(st.Source)
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.Truncation = fyne.TextTruncateEllipsis
	head := container.NewBorder(nil, nil, container.NewCenter(newBadgeStrip([]app.Badge{st.Badge})), nil, name)
	var where []string
	if st.File != "" {
		where = append(where, st.File)
	}
	if st.Imported != "" {
		where = append(where, "imported "+st.Imported)
	}
	if st.Times > 1 {
		where = append(where, app.Plural(st.Times, "time", "")+" in this file")
	}
	says := []string{st.Title}
	if st.Value != "" {
		says = append(says, st.Value)
	}
	if st.Date != "" {
		says = append(says, st.Date)
	}
	wording := widget.NewLabel("“" + strings.Join(says, " · ") + "”")
	wording.Wrapping = fyne.TextWrapWord
	return tight(head, container.NewPadded(tight(wording, wrappedSecondary(strings.Join(where, " · ")))))
}

// differsColumn is one side of a conflict: what one source says, and its
// values of the fields that differ (each Difference's Other).
func differsColumn(heading string, r *app.Row, fields []app.Difference, open func()) fyne.CanvasObject {
	var names []string
	for _, b := range r.Badges {
		names = append(names, b.Name)
	}
	title := widget.NewLabel(r.Title)
	title.Wrapping = fyne.TextWrapWord
	title.TextStyle = fyne.TextStyle{Bold: true}
	lines := []fyne.CanvasObject{newSecondary(heading),
		container.NewBorder(nil, nil, container.NewCenter(newBadgeStrip(r.Badges)), nil, wrappedSecondary(strings.Join(names, ", "))), title}
	if r.Detail != "" {
		lines = append(lines, wrapped(r.Detail))
	}
	lines = append(lines, newSecondary(r.DateText))
	for _, f := range fields {
		v := f.Other
		if v == "" {
			v = "not stated"
		}
		l := widget.NewLabel("≠ " + f.Field + ": " + v)
		l.Importance = widget.WarningImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Wrapping = fyne.TextWrapWord
		lines = append(lines, l)
	}
	col := newPanel(container.NewVBox(lines...))
	if open == nil {
		return col
	}
	return newTapRow(col, open)
}

// narrativeView shows a document's text as text, never as HTML: the
// section headings the text marks with "#" in bold, the rest as
// paragraphs that wrap.
func narrativeView(text string) fyne.CanvasObject {
	var segs []widget.RichTextSegment
	var para []string
	flush := func() {
		if len(para) > 0 {
			segs = append(segs, &widget.TextSegment{Text: strings.Join(para, "\n"), Style: widget.RichTextStyleParagraph})
			para = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, "#")
		if len(trimmed) < len(line) && strings.HasPrefix(trimmed, " ") {
			flush()
			segs = append(segs, &widget.TextSegment{Text: strings.TrimSpace(trimmed),
				Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}}})
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		para = append(para, line)
	}
	flush()
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// detailsExpander holds the technical terms: codes with their systems'
// names, the stored resources each source gave.
func detailsExpander(d *app.EntryDetail) fyne.CanvasObject {
	var lines []fyne.CanvasObject
	if len(d.Codes) == 0 {
		lines = append(lines, wrappedSecondary("No codes: the sources name this in words only."))
	}
	for _, c := range d.Codes {
		text := c.SystemName + " " + c.Code
		if c.Display != "" {
			text += " · " + c.Display
		}
		l := widget.NewLabel(text)
		l.Selectable = true
		l.Wrapping = fyne.TextWrapWord
		lines = append(lines, l)
	}
	for _, st := range d.Seen {
		if st.Resource.Type == "" {
			continue
		}
		lines = append(lines, wrappedSecondary("FHIR "+st.Resource.Type+" from "+st.File))
	}
	// The closed item's content is themed on its own: an accordion does
	// not pass a refresh on to what it hides.
	return widget.NewAccordion(widget.NewAccordionItem("Details", pageRoot(container.NewVBox(lines...))))
}

// confirmDelete asks before deleting an entry the person entered, then
// deletes it in the background.
func confirmDelete(k *App, d *app.EntryDetail, deleted func()) {
	dialog.ShowConfirm("Delete this entry?",
		"Delete “"+d.Title+"”, which you entered for "+d.PersonName+"? This cannot be undone.",
		func(ok bool) {
			if !ok || k.Session() == nil {
				return
			}
			s := k.Session()
			Background(k, func() (struct{}, error) { return struct{}{}, s.DeleteEntry(d.ID) },
				func(_ struct{}, err error) {
					if err != nil {
						k.ShowError("Could not delete the entry", err)
						return
					}
					if deleted != nil {
						deleted()
					}
				})
		}, k.win)
}

// fixedHeight gives its objects a fixed height and the full width.
type fixedHeight struct{ h float32 }

func (f *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (f *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, f.h)
}
