package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// rail is the frame's left column: the DEMO mark in a demo vault, the
// person switcher, and the person's sections with their counts.
type rail struct {
	f *frame

	switcher *widget.Button
	badge    *avatar
	name     *widget.Label
	age      *widget.Label
	sections *widget.List
	items    []app.RailItem
	// selecting is set while the rail selects a row itself (not a tap).
	selecting bool
	box       *fyne.Container
}

func newRail(f *frame) *rail {
	r := &rail{f: f}
	k := f.k
	r.badge = newAvatar(36)
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.age = secondary("")
	r.age.Wrapping = fyne.TextWrapOff
	// A button under the person's badge and name: it gives the switcher
	// its hover, press and keyboard focus; the labels on top take no taps.
	r.switcher = widget.NewButton("", nil)
	r.switcher.OnTapped = k.touched(r.openMenu)
	who := container.NewBorder(nil, nil, container.NewCenter(r.badge), widget.NewIcon(theme.MenuDropDownIcon()),
		container.NewVBox(layout.NewSpacer(), r.name, r.age, layout.NewSpacer()))
	switcher := container.NewStack(r.switcher, container.NewPadded(who))

	r.sections = widget.NewList(
		func() int { return len(r.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("Visits & procedures")
			title.Truncation = fyne.TextTruncateEllipsis
			count := widget.NewLabel("0000")
			count.Alignment = fyne.TextAlignTrailing
			return container.NewBorder(nil, nil, nil, count, title)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			item := r.items[id]
			row.Objects[0].(*widget.Label).SetText(item.Title)
			count := ""
			if item.Count >= 0 {
				count = fmt.Sprint(item.Count)
			}
			row.Objects[1].(*widget.Label).SetText(count)
		})
	r.sections.OnSelected = func(id widget.ListItemID) {
		if r.selecting || id >= len(r.items) {
			return
		}
		f.k.Navigate(Route{Person: f.person.ID, Section: r.items[id].Section})
	}

	top := container.NewVBox()
	if f.demo {
		top.Add(container.NewPadded(demoBadge()))
	}
	top.Add(switcher)
	top.Add(widget.NewSeparator())
	r.box = container.NewBorder(top, nil, nil, nil, r.sections)
	return r
}

func (r *rail) content() fyne.CanvasObject { return r.box }

// showPerson puts the person on show in the switcher and reads their
// sections' counts.
func (r *rail) showPerson() {
	p := r.f.person
	if p.ID == "" {
		r.badge.set("+", 210)
		r.name.SetText("No one yet")
		r.age.SetText("Add a person to start")
		r.items = nil
		r.sections.Refresh()
		return
	}
	r.badge.set(p.Initial, p.Hue)
	r.name.SetText(p.Name)
	r.age.SetText(ageLine(p))
	r.loadSections()
}

// ageLine is the switcher's second line: "45 years · born 12 Apr 1981".
func ageLine(p app.Person) string {
	switch {
	case p.AgeText != "" && p.Age >= 2:
		return fmt.Sprintf("%s years · born %s", p.AgeText, p.BirthText)
	case p.AgeText != "":
		return fmt.Sprintf("%s · born %s", p.AgeText, p.BirthText)
	case p.BirthText != "":
		return "born " + p.BirthText
	}
	return "birth date not known"
}

func (r *rail) loadSections() {
	rail, err := r.f.s.Rail(r.f.person.ID)
	if err != nil {
		r.items = nil
	} else {
		r.items = rail.Sections
	}
	r.sections.Refresh()
	r.selectSection(r.f.route.Section)
}

// refresh reads the person and the counts again after a change.
func (r *rail) refresh() { r.showPerson() }

// selectSection highlights the section on show (none for search).
func (r *rail) selectSection(sec app.Section) {
	r.selecting = true
	defer func() { r.selecting = false }()
	for i, it := range r.items {
		if it.Section == sec {
			r.sections.Select(i)
			return
		}
	}
	r.sections.UnselectAll()
}

// openMenu shows the switcher's menu under it.
func (r *rail) openMenu() {
	widget.ShowPopUpMenuAtRelativePosition(r.menu(), r.f.k.win.Canvas(), fyne.NewPos(0, r.switcher.Size().Height), r.switcher)
}

// menu is the switcher's menu: the people, then adding one and renaming
// or removing the person on show.
func (r *rail) menu() *fyne.Menu {
	f, k := r.f, r.f.k
	var items []*fyne.MenuItem
	for _, p := range f.people {
		item := fyne.NewMenuItem(p.Label(), k.touched(func() { k.Navigate(Route{Person: p.ID, Section: app.SectionSummary}) }))
		item.Checked = p.ID == f.person.ID
		items = append(items, item)
	}
	if len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	items = append(items, fyne.NewMenuItem("Add a person…", k.touched(k.addPerson)))
	if p := f.person; p.ID != "" {
		items = append(items,
			fyne.NewMenuItem(fmt.Sprintf("Rename %s…", p.Name), k.touched(func() { k.renamePerson(p) })),
			fyne.NewMenuItem(fmt.Sprintf("%s's details and emergency contacts…", p.Name), k.touched(func() { k.editPerson(p) })),
			fyne.NewMenuItem(fmt.Sprintf("Remove %s…", p.Name), k.touched(func() { k.removePerson(p) })))
	}
	return fyne.NewMenu("", items...)
}
