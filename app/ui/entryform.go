package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Add entry (the top bar's button and Ctrl+N) and Edit: the forms are
// app's ([app.EntryForms]), built here from their data. What was typed is
// checked by app with kin add's rules ([app.Session.CheckEntry]); each
// problem is shown under its field, in app's words. Saving runs in the
// background; the entry's section then opens on it.

func init() {
	editEntryForm = func(k *App, d *app.EntryDetail) { k.editEntry(d) }
}

// openAddEntry asks what to add, for whom (the person on show unless
// another is chosen), then opens its form.
func (k *App) openAddEntry() {
	f := k.frame
	if f == nil || k.session == nil {
		return
	}
	if len(f.people) == 0 {
		k.inform("Add entry", "Add a person first: entries belong to someone. Use Add a person on the left.")
		return
	}
	person := f.person
	if person.ID == "" {
		person = f.people[0]
	}
	var m *modal
	var objs []fyne.CanvasObject
	if len(f.people) > 1 {
		var names []string
		for _, p := range f.people {
			names = append(names, p.Name)
		}
		who := newKeySelect(k, names, func(string) {})
		who.SetSelected(person.Name)
		who.OnChanged = func(string) {
			if i := who.SelectedIndex(); i >= 0 {
				person = f.people[i]
			}
		}
		objs = append(objs, container.NewBorder(nil, nil, fieldLabel("For"), nil, who))
	} else {
		objs = append(objs, wrapped("For "+person.Name+"."))
	}
	var first fyne.Focusable
	groups := map[string][]fyne.CanvasObject{}
	var order []string
	for _, form := range app.EntryForms() {
		b := newKeyButton(k, form.Label, nil, func() {
			m.hide()
			k.showEntryForm(person, form, form.New(), "")
		})
		b.Alignment = widget.ButtonAlignLeading
		if first == nil {
			first = b
		}
		if _, ok := groups[form.Group]; !ok {
			order = append(order, form.Group)
		}
		groups[form.Group] = append(groups[form.Group], b)
	}
	for _, g := range order {
		objs = append(objs, fieldLabel(g), container.NewGridWithColumns(3, groups[g]...))
	}
	cancel := newKeyButton(k, "Cancel", theme.CancelIcon(), func() { m.hide() })
	m = k.showModal("Add entry", k.formBody(580, container.NewVBox(objs...)), nil, cancel)
	k.win.Canvas().Focus(first)
}

// editEntry opens the form of an entry the person entered, with what
// they typed.
func (k *App) editEntry(d *app.EntryDetail) {
	s := k.Session()
	if s == nil {
		return
	}
	Background(k, func() (app.NewEntry, error) { return s.EntryInput(d.ID) }, func(n app.NewEntry, err error) {
		if k.Session() != s {
			return
		}
		if err != nil {
			k.ShowError("This entry cannot be changed", err)
			return
		}
		k.showEntryForm(app.Person{ID: d.Person, Name: d.PersonName}, app.FormOf(n), n, d.ID)
	})
}

// entryForm is one open form: its fields, the entry it edits ("" when
// adding) and whose it is.
type entryForm struct {
	k      *App
	s      *app.Session
	form   app.Form
	person app.Person
	id     string
	// base is the entry as it was opened: kind, vital sign, and any value
	// no field of the form shows.
	base    app.NewEntry
	fields  []*formField
	general *message
	busy    *busy
	save    *keyButton
	cancel  *keyButton
	m       *modal
	// checked is set once Save was pressed: from then on each change is
	// checked again, so a problem's sentence goes when it is put right.
	checked bool
}

// formField is one field's controls.
type formField struct {
	fd     app.Field
	label  fyne.CanvasObject
	input  fyne.CanvasObject
	msg    *message
	entry  *keyEntry // its text, when typed
	focus  fyne.Focusable
	read   func(n *app.NewEntry)
	shared bool // a number whose unit another field's choice holds
}

// showEntryForm opens form for person with n's values; id is the entry
// edited, "" for a new one.
func (k *App) showEntryForm(person app.Person, form app.Form, n app.NewEntry, id string) {
	s := k.Session()
	if s == nil {
		return
	}
	f := &entryForm{k: k, s: s, form: form, person: person, id: id, base: n, general: newMessage(), busy: newBusy()}
	units := map[string]bool{} // the unit fields that have their choice
	for _, fd := range form.Fields {
		f.fields = append(f.fields, f.newField(fd, n, units))
	}

	grid := container.New(layout.NewFormLayout())
	for _, ff := range f.fields {
		right := []fyne.CanvasObject{ff.input}
		if ff.fd.Help != "" {
			right = append(right, secondary(ff.fd.Help))
		}
		right = append(right, ff.msg)
		grid.Add(container.NewVBox(ff.label))
		grid.Add(tight(right...))
	}
	var top []fyne.CanvasObject
	if form.Intro != "" {
		top = append(top, wrapped(form.Intro))
	}
	whose := "For " + person.Name + "."
	if id != "" {
		whose = "Entered by you for " + person.Name + "."
	}
	top = append(top, fieldLabel(whose), f.general, grid, f.busy)

	title, action := form.Heading, "Save"
	if id != "" {
		title, action = form.EditHeading, "Save changes"
	}
	f.cancel = newKeyButton(k, "Cancel", theme.CancelIcon(), func() { f.m.hide() })
	f.save = newKeyButton(k, action, theme.ConfirmIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.m = k.showModal(title, k.formBody(640, container.NewVBox(top...)), nil, f.cancel, f.save)
	f.m.enter = f.submit
	if len(f.fields) > 0 && f.fields[0].focus != nil {
		k.win.Canvas().Focus(f.fields[0].focus)
	}
}

// newField makes a field's controls, showing n's value. units holds the
// unit fields whose choice is already made (a blood pressure's two numbers
// share one).
func (f *entryForm) newField(fd app.Field, n app.NewEntry, units map[string]bool) *formField {
	k := f.k
	ff := &formField{fd: fd, msg: newMessage()}
	ff.label = fieldLabel(fd.Label)
	value := n.Get(fd.Name)
	changed := func() {
		k.touch()
		if f.checked {
			f.recheck()
		}
	}
	textField := func(multi bool) *keyEntry {
		var e *keyEntry
		if multi {
			e = newKeyMultiLineEntry(k)
			e.SetMinRowsVisible(4)
		} else {
			e = newKeyEntry(k)
			e.OnSubmitted = func(string) { f.submit() }
		}
		e.PlaceHolder = fd.Hint
		e.SetText(value)
		e.OnChanged = func(string) { changed() }
		ff.entry, ff.focus = e, e
		return e
	}
	switch fd.Input {
	case app.InputLongText:
		ff.input = textField(true)
		ff.read = func(n *app.NewEntry) { n.Set(fd.Name, ff.entry.Text) }
	case app.InputNumber:
		e := textField(false)
		ff.read = func(n *app.NewEntry) { n.Set(fd.Name, strings.TrimSpace(e.Text)) }
		num := container.New(&widthLayout{width: 140}, e)
		switch {
		case fd.UnitField == "" || len(fd.Units) == 0:
			ff.input = container.NewHBox(num)
		case units[fd.UnitField]:
			ff.shared = true
			ff.input = container.NewHBox(num, unitWords(fd.Units))
		case len(fd.Units) == 1 && !fd.Open:
			units[fd.UnitField] = true
			read := ff.read
			ff.read = func(n *app.NewEntry) { read(n); n.Set(fd.UnitField, fd.Units[0].Code) }
			ff.input = container.NewHBox(num, unitWords(fd.Units))
		default:
			units[fd.UnitField] = true
			unit := newUnitChoice(k, fd, n.Get(fd.UnitField), changed)
			read := ff.read
			ff.read = func(n *app.NewEntry) { read(n); n.Set(fd.UnitField, unit.code()) }
			ff.input = container.NewHBox(num, unit.keySelect)
		}
	case app.InputChoice:
		if fd.Open {
			e := newChoiceEntry(k, fd.Choices, false)
			e.PlaceHolder = fd.Hint
			e.SetText(choiceLabel(fd.Choices, value))
			e.OnSubmitted = func(string) { f.submit() }
			e.OnChanged = func(string) { changed() }
			ff.entry, ff.focus, ff.input = &e.keyEntry, e, e
			ff.read = func(n *app.NewEntry) { n.Set(fd.Name, choiceValue(fd.Choices, e.Text)) }
			break
		}
		var labels []string
		if !fd.Required {
			labels = append(labels, notStated)
		}
		for _, c := range fd.Choices {
			labels = append(labels, c.Label)
		}
		sel := newKeySelect(k, labels, func(string) { changed() })
		if fd.Hint != "" {
			sel.PlaceHolder = fd.Hint
		}
		if value != "" {
			sel.SetSelected(choiceLabel(fd.Choices, value))
		}
		ff.focus, ff.input = sel, sel
		ff.read = func(n *app.NewEntry) {
			v := ""
			if sel.Selected != notStated {
				v = choiceValue(fd.Choices, sel.Selected)
			}
			n.Set(fd.Name, v)
		}
	case app.InputList:
		e := newChoiceEntry(k, fd.Choices, true)
		e.PlaceHolder = fd.Hint
		e.SetText(value)
		e.OnSubmitted = func(string) { f.submit() }
		e.OnChanged = func(string) { changed() }
		ff.entry, ff.focus, ff.input = &e.keyEntry, e, e
		ff.read = func(n *app.NewEntry) { n.Set(fd.Name, e.Text) }
	case app.InputCheck:
		c := newKeyCheck(k, fd.Label, func(bool) { changed() })
		c.SetChecked(value != "")
		ff.label = widget.NewLabel("")
		ff.focus, ff.input = c, c
		ff.read = func(n *app.NewEntry) {
			v := ""
			if c.Checked {
				v = "yes"
			}
			n.Set(fd.Name, v)
		}
	default: // InputText, InputDate
		e := textField(false)
		ff.input = e
		ff.read = func(n *app.NewEntry) { n.Set(fd.Name, e.Text) }
	}
	return ff
}

// notStated is the first choice of a choice that may be left open.
const notStated = "Not stated"

func choiceLabel(cs []app.Choice, value string) string {
	for _, c := range cs {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

func choiceValue(cs []app.Choice, label string) string {
	t := strings.TrimSpace(label)
	for _, c := range cs {
		if strings.EqualFold(c.Label, t) {
			return c.Value
		}
	}
	return t
}

// unitWords is a number's one unit, written beside it.
func unitWords(us []app.UnitChoice) fyne.CanvasObject {
	return widget.NewLabel(us[0].Label)
}

// read returns what the form holds, on top of the entry it opened with.
func (f *entryForm) read() app.NewEntry {
	n := f.base
	for _, ff := range f.fields {
		ff.read(&n)
	}
	return n
}

// submit checks what was typed, then saves it in the background.
func (f *entryForm) submit() {
	k, s := f.k, f.s
	if k.Session() != s || f.save.Disabled() {
		return
	}
	k.touch()
	n := f.read()
	f.checked = true
	if err := s.CheckEntry(n); err != nil {
		f.showProblems(err, true)
		return
	}
	f.showProblems(nil, false)
	f.working(true)
	person, id := f.person.ID, f.id
	Background(k, func() (app.Row, error) {
		if id == "" {
			return s.AddEntry(person, n)
		}
		return s.EditEntry(id, n)
	}, func(row app.Row, err error) {
		if k.Session() != s {
			return
		}
		f.working(false)
		if err != nil {
			if errors.Is(err, app.ErrBadInput) {
				f.showProblems(err, true)
				return
			}
			k.ShowError("The entry was not saved", err)
			return
		}
		f.m.hide()
		if id == "" {
			k.Navigate(Route{Person: row.Person, Section: app.SectionOf(row.Kind), Entry: row.ID})
		}
	})
}

func (f *entryForm) working(on bool) {
	for _, b := range []*keyButton{f.save, f.cancel} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		f.m.cancel = func() {} // a save cannot be stopped half way
		f.busy.start("Saving…")
	} else {
		f.m.cancel = f.m.hide
		f.busy.stop()
	}
}

// recheck checks again as the person types, after a first Save.
func (f *entryForm) recheck() {
	f.showProblems(f.s.CheckEntry(f.read()), false)
}

// showProblems puts each of err's sentences under its field (a unit's
// under its number), those of no field above the fields, and with focus
// moves to the first field marked.
func (f *entryForm) showProblems(err error, focus bool) {
	var ie *app.InputError
	if err != nil && !errors.As(err, &ie) {
		f.general.problem(app.Sentence(err))
		return
	}
	var general []string
	if ie != nil {
		for _, fe := range ie.Fields {
			if f.fieldFor(fe.Field) == nil {
				general = append(general, fe.Text)
			}
		}
	}
	f.general.problem(strings.Join(general, " "))
	var first *formField
	for _, ff := range f.fields {
		text := ""
		if ie != nil {
			text = ie.Text(ff.fd.Name)
			if text == "" && ff.fd.UnitField != "" && !ff.shared {
				text = ie.Text(ff.fd.UnitField)
			}
		}
		ff.msg.problem(text)
		if ff.entry != nil {
			if text != "" {
				ff.entry.SetValidationError(fmt.Errorf("%s", text))
			} else {
				ff.entry.SetValidationError(nil)
			}
		}
		if text != "" && first == nil {
			first = ff
		}
	}
	if focus && first != nil && first.focus != nil {
		f.k.win.Canvas().Focus(first.focus)
	}
}

// fieldFor is the field that shows problems of the NewEntry field called
// name: its own, or the number whose unit it is.
func (f *entryForm) fieldFor(name string) *formField {
	for _, ff := range f.fields {
		if ff.fd.Name == name || ff.fd.UnitField == name && !ff.shared {
			return ff
		}
	}
	return nil
}

// formBody holds a dialog's form at width (scaled with the text size),
// as tall as it needs up to what the window leaves, scrolling beyond.
func (k *App) formBody(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	// The scroll bar draws over its content: keep the fields clear of it.
	clear := container.New(layout.NewCustomPaddedLayout(0, 0, 0, 2*theme.Padding()+theme.ScrollBarSize()), content)
	return container.New(&formBodyLayout{k: k, width: width}, container.NewVScroll(clear))
}

type formBodyLayout struct {
	k     *App
	width float32
}

func (l *formBodyLayout) scaled() float32 { return l.width * theme.TextSize() / 14 }

func (l *formBodyLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *formBodyLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := l.scaled()
	if c := l.k.win.Canvas().Size().Width; c > 0 {
		w = min(w, c-8*theme.Padding())
	}
	var h float32
	for _, o := range objs {
		inner := o.(*container.Scroll).Content
		if inner.Size().Width != w {
			inner.Resize(fyne.NewSize(w, inner.MinSize().Height))
		}
		h = max(h, inner.MinSize().Height)
	}
	// What the window leaves after the dialog's title, buttons and margins
	// (about 180 px at the usual text size).
	if c := l.k.win.Canvas().Size().Height; c > 0 {
		h = max(min(h, c-180*theme.TextSize()/14), 120)
	}
	return fyne.NewSize(w, h)
}

// unitChoice chooses a number's unit.
type unitChoice struct {
	*keySelect
	units []app.UnitChoice
}

func newUnitChoice(k *App, fd app.Field, code string, changed func()) *unitChoice {
	u := &unitChoice{units: fd.Units}
	var labels []string
	for _, c := range fd.Units {
		labels = append(labels, c.Label)
	}
	u.keySelect = newKeySelect(k, labels, func(string) { changed() })
	u.PlaceHolder = "Unit"
	for _, c := range fd.Units {
		if c.Code == code {
			u.SetSelected(c.Label)
		}
	}
	if code != "" && u.Selected == "" {
		// A unit the list does not hold (typed with kin add): kept as it is.
		u.units = append(u.units, app.UnitChoice{Code: code, Label: code})
		u.Options = append(u.Options, code)
		u.SetSelected(code)
	}
	return u
}

// code is the chosen unit's code, "" for none.
func (u *unitChoice) code() string {
	if i := u.SelectedIndex(); i >= 0 && i < len(u.units) {
		return u.units[i].Code
	}
	return ""
}

// choiceEntry is a field that takes words typed or chosen from a list
// (its button, or the Down key): a choice replaces the text, or, for a
// list (an allergy's reactions), is added to it.
type choiceEntry struct {
	keyEntry
	choices []app.Choice
	add     bool
}

func newChoiceEntry(k *App, choices []app.Choice, add bool) *choiceEntry {
	e := &choiceEntry{choices: choices, add: add}
	e.k = k
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	drop := widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), e.showChoices)
	drop.Importance = widget.LowImportance
	e.ActionItem = drop
	return e
}

func (e *choiceEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyDown {
		e.showChoices()
		return
	}
	e.keyEntry.TypedKey(ev)
}

// showChoices opens the list under the field.
func (e *choiceEntry) showChoices() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil || e.Disabled() {
		return
	}
	var items []*fyne.MenuItem
	for _, ch := range e.choices {
		label := ch.Label
		items = append(items, fyne.NewMenuItem(label, func() { e.pick(label) }))
	}
	pop := widget.NewPopUpMenu(fyne.NewMenu("", items...), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(0, e.Size().Height))
	pop.ShowAtPosition(pos)
	pop.Resize(fyne.NewSize(e.Size().Width, pop.MinSize().Height))
}

// pick puts a chosen value in the field.
func (e *choiceEntry) pick(label string) {
	text := label
	if e.add {
		var have []string
		for _, p := range strings.FieldsFunc(e.Text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
			if p = strings.TrimSpace(p); p != "" {
				if strings.EqualFold(p, label) {
					return // already there
				}
				have = append(have, p)
			}
		}
		text = strings.Join(append(have, label), ", ")
	}
	e.SetText(text)
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.Focus(e)
	}
}
