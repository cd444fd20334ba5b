package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keyboard in dialogs. Fyne moves the focus with Tab and Shift+Tab in
// the order widgets are laid out, and a focused button takes Space; the
// rest is Kinfolio's:
//
//   - Escape closes the dialog on top (its Cancel), whatever has the focus
//     in it. Fyne gives Escape to the focused widget, which ignores it, or
//     to the canvas when nothing is focused; so the fields, buttons,
//     choices and checks of the window's dialogs are the key* widgets
//     below, which pass Escape to [App.escape], and the canvas does too.
//   - Enter in a field submits the form (each field's OnSubmitted); on a
//     focused button it presses the button; with nothing focused, or on a
//     check box or a closed choice, it presses the dialog's default
//     button, when it has a safe one.
//
// A dialog takes part by being shown with [App.showModal].

// modal is a dialog of the window's that the keyboard can close.
type modal struct {
	k       *App
	d       *dialog.CustomDialog
	overlay fyne.CanvasObject
	// cancel runs on Escape; nil while the dialog cannot be left (work
	// under way).
	cancel func()
	// enter runs on Enter with nothing focused; nil for none.
	enter func()
}

// showModal shows a dialog with its own buttons (none: the body has
// them) and makes it the one Escape closes. cancel is what Escape does
// (nil: just close it).
func (k *App) showModal(title string, body fyne.CanvasObject, cancel func(), buttons ...fyne.CanvasObject) *modal {
	m := &modal{k: k, d: dialog.NewCustomWithoutButtons(title, body, k.win)}
	if len(buttons) > 0 {
		m.d.SetButtons(buttons)
	}
	if cancel == nil {
		cancel = m.hide
	}
	m.cancel = cancel
	m.d.SetOnClosed(func() {
		if i := indexOf(k.modals, m); i >= 0 {
			k.modals = append(k.modals[:i], k.modals[i+1:]...)
		}
	})
	m.d.Show()
	m.overlay = k.win.Canvas().Overlays().Top()
	k.modals = append(k.modals, m)
	return m
}

func (m *modal) hide() { m.d.Hide() }

func indexOf(ms []*modal, m *modal) int {
	for i, x := range ms {
		if x == m {
			return i
		}
	}
	return -1
}

// topModal is the window's dialog on top of everything, nil when another
// overlay (a menu, one of Fyne's own dialogs) or none is.
func (k *App) topModal() *modal {
	if len(k.modals) == 0 {
		return nil
	}
	m := k.modals[len(k.modals)-1]
	if k.win.Canvas().Overlays().Top() != m.overlay {
		return nil
	}
	return m
}

// escape is the Escape key: the dialog on top is cancelled; with none,
// Settings and the Audit log go back to where the person was.
func (k *App) escape() {
	k.touch()
	if m := k.topModal(); m != nil {
		if m.cancel != nil {
			m.cancel()
		}
		return
	}
	if k.win.Canvas().Overlays().Top() == nil && k.frame != nil && isTool(k.frame.route.Section) {
		k.leaveTool()
	}
}

// enter presses the default button of the dialog on top, when it has one.
func (k *App) enter() {
	k.touch()
	if m := k.topModal(); m != nil && m.enter != nil {
		m.enter()
	}
}

// typedKey gets the keys typed while nothing has the focus.
func (k *App) typedKey(ev *fyne.KeyEvent) {
	k.touch()
	switch ev.Name {
	case fyne.KeyEscape:
		k.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		k.enter()
	}
}

// keyEntry is a text field that passes Escape on to the dialog.
type keyEntry struct {
	widget.Entry
	k *App
}

func newKeyEntry(k *App) *keyEntry {
	e := &keyEntry{k: k}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newKeyPasswordEntry is a passphrase field, hidden as dots until its eye
// is pressed.
func newKeyPasswordEntry(k *App) *keyEntry {
	e := newKeyEntry(k)
	e.Password = true
	e.ActionItem = newRevealer(e)
	return e
}

// newKeyMultiLineEntry is a field of several lines (a note).
func newKeyMultiLineEntry(k *App) *keyEntry {
	e := &keyEntry{k: k}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		e.k.escape()
		return
	}
	e.Entry.TypedKey(ev)
}

// revealer is a passphrase field's eye: it shows the passphrase, or hides it.
type revealer struct {
	widget.BaseWidget
	icon  *widget.Icon
	entry *keyEntry
}

var (
	_ fyne.Tappable      = (*revealer)(nil)
	_ desktop.Cursorable = (*revealer)(nil)
)

func newRevealer(e *keyEntry) *revealer {
	r := &revealer{icon: widget.NewIcon(theme.VisibilityOffIcon()), entry: e}
	r.ExtendBaseWidget(r)
	return r
}

func (r *revealer) CreateRenderer() fyne.WidgetRenderer {
	return &revealerRenderer{r: r}
}

func (r *revealer) Cursor() desktop.Cursor { return desktop.DefaultCursor }

func (r *revealer) Tapped(*fyne.PointEvent) {
	if r.entry.Disabled() {
		return
	}
	r.entry.Password = !r.entry.Password
	if r.entry.Password {
		r.icon.SetResource(theme.VisibilityOffIcon())
	} else {
		r.icon.SetResource(theme.VisibilityIcon())
	}
	r.entry.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		c.Focus(r.entry)
	}
}

type revealerRenderer struct{ r *revealer }

func (rr *revealerRenderer) Layout(size fyne.Size) {
	s := theme.IconInlineSize()
	rr.r.icon.Resize(fyne.NewSquareSize(s))
	rr.r.icon.Move(fyne.NewPos((size.Width-s)/2, (size.Height-s)/2))
}

func (rr *revealerRenderer) MinSize() fyne.Size {
	return fyne.NewSquareSize(theme.IconInlineSize() + 2*theme.InnerPadding())
}

func (rr *revealerRenderer) Refresh()                     { rr.r.icon.Refresh() }
func (rr *revealerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{rr.r.icon} }
func (rr *revealerRenderer) Destroy()                     {}

// keyButton is a button that Enter presses when it has the focus, and
// that passes Escape on to the dialog.
type keyButton struct {
	widget.Button
	k *App
}

func newKeyButton(k *App, label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{k: k}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		b.k.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.k.touch()
			b.OnTapped()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// keySelect is a drop-down choice that passes Escape on to the dialog
// (with its list closed: an open list closes on Escape by itself).
type keySelect struct {
	widget.Select
	k *App
}

func newKeySelect(k *App, options []string, changed func(string)) *keySelect {
	s := &keySelect{k: k}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Choose one)"
	s.ExtendBaseWidget(s)
	return s
}

func (s *keySelect) TypedKey(ev *fyne.KeyEvent) { s.k.dialogKey(ev, s.Select.TypedKey) }

// dialogKey is what a dialog's choice does with a key: Escape closes the
// dialog, Enter presses its default button, and other keys go to the
// widget itself (own).
func (k *App) dialogKey(ev *fyne.KeyEvent, own func(*fyne.KeyEvent)) {
	switch ev.Name {
	case fyne.KeyEscape:
		k.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		k.enter()
	default:
		own(ev)
	}
}

// keyCheck is a check box that passes Escape on to the dialog.
type keyCheck struct {
	widget.Check
	k *App
}

func newKeyCheck(k *App, label string, changed func(bool)) *keyCheck {
	c := &keyCheck{k: k}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) { c.k.dialogKey(ev, c.Check.TypedKey) }

// confirm asks before doing something: the question, what it means, and
// two buttons, the action (yes) and "Cancel". Escape cancels. A dangerous
// action (danger: deleting, removing) is red, and Enter with nothing
// focused does not press it; a safe one Enter presses.
func (k *App) confirm(title, text, yes string, danger bool, then func()) *modal {
	var m *modal
	cancel := newKeyButton(k, "Cancel", theme.CancelIcon(), func() { m.hide() })
	ok := newKeyButton(k, yes, theme.ConfirmIcon(), func() {
		m.hide()
		then()
	})
	ok.Importance = widget.HighImportance
	if danger {
		ok.Importance = widget.DangerImportance
		ok.Icon = theme.DeleteIcon()
	}
	m = k.showModal(title, wrappedBox(text), nil, cancel, ok)
	if !danger {
		m.enter = ok.OnTapped
	}
	return m
}

// inform shows a sentence with a Close button; Escape and Enter close it.
func (k *App) inform(title, text string) *modal {
	var m *modal
	closeBtn := newKeyButton(k, "Close", nil, func() { m.hide() })
	m = k.showModal(title, wrappedBox(text), nil, closeBtn)
	m.enter = m.hide
	return m
}
