package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
)

// The window tests run the real screens on real vaults made through app,
// with a low scrypt work factor, background work inline (Fyne's test
// driver runs fyne.Do inline too) and a clock the test moves.

// testWindowSize is the size the screens are drawn for.
var testWindowSize = fyne.NewSize(1280, 800)

// run is a window under test.
type run struct {
	t     *testing.T
	k     *App
	clock *apptest.Clock
	dir   string
}

// start opens the app on the vault at path (made or not), in a test app
// whose preferences live in memory. HOME is the vault's folder, so the
// screens show the path as ~/… the same on every machine.
func start(t *testing.T, path string) *run {
	t.Helper()
	t.Setenv("HOME", filepath.Dir(path))
	a := test.NewTempApp(t)
	return startIn(t, a, path)
}

func startIn(t *testing.T, a fyne.App, path string) *run {
	t.Helper()
	clock := apptest.NewClock(apptest.Now)
	k := New(a, &Options{VaultPath: path, Session: apptest.Options(), Clock: clock,
		SettingsPath: filepath.Join(filepath.Dir(path), "settings.json")})
	k.win.Resize(testWindowSize)
	t.Cleanup(func() {
		k.lockSession()
		k.win.Close()
	})
	return &run{t: t, k: k, clock: clock, dir: filepath.Dir(path)}
}

// newVault makes a vault with one person at dir/vault.kinfolio and locks it.
func newVault(t *testing.T, people ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.kinfolio")
	s, err := app.Create(path, "correct horse battery staple", apptest.Options())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if _, err := s.AddPerson(app.PersonDetails{Name: p}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	return path
}

// newDemo makes a demo vault and locks it; it returns its path and passphrase.
func newDemo(t *testing.T) (string, *app.Demo) {
	t.Helper()
	path := filepath.Join(t.TempDir(), app.DemoFile)
	s, d, err := app.CreateDemo(path, apptest.Options())
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	return path, d
}

// objects are everything on show in the window (content and overlays),
// leaving out what is hidden and all inside it.
func (r *run) objects() []fyne.CanvasObject {
	c := r.k.win.Canvas()
	var objs []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		objs = append(objs, o)
		switch v := o.(type) {
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(v).Objects() {
				walk(ch)
			}
		case *fyne.Container:
			for _, ch := range v.Objects {
				walk(ch)
			}
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return objs
}

// text is all the text on show, one piece a line.
func (r *run) text() string {
	var b strings.Builder
	for _, o := range r.objects() {
		if t, ok := o.(*canvas.Text); ok && o.Visible() && t.Text != "" {
			b.WriteString(t.Text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// wantText checks the window says each of want, on one line or across
// the lines a label wraps it into.
func (r *run) wantText(want ...string) {
	r.t.Helper()
	text := r.text()
	flowing := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(text, w) && !strings.Contains(flowing, w) {
			r.t.Errorf("the window does not say %q; it says:\n%s", w, text)
		}
	}
}

func (r *run) noText(unwanted ...string) {
	r.t.Helper()
	text := r.text()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			r.t.Errorf("the window still says %q:\n%s", w, text)
		}
	}
}

// button finds a visible button by its text.
func (r *run) button(label string) *widget.Button {
	r.t.Helper()
	for _, o := range r.objects() {
		if b := asButton(o); b != nil && b.Text == label && b.Visible() {
			return b
		}
	}
	r.t.Fatalf("no button %q on screen %q; the window says:\n%s", label, r.k.screen, r.text())
	return nil
}

// asButton is o as a button: Fyne's, or one of the window's that takes
// keys (nil when o is no button).
func asButton(o fyne.CanvasObject) *widget.Button {
	switch b := o.(type) {
	case *widget.Button:
		return b
	case *keyButton:
		return &b.Button
	}
	return nil
}

// asEntry is o as a text field, Fyne's or the window's (nil when it is
// none). Typing into it types into the field on show.
func asEntry(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *keyEntry:
		return &e.Entry
	case *choiceEntry:
		return &e.Entry
	}
	return nil
}

// tap taps a button, which must be enabled.
func (r *run) tap(label string) {
	r.t.Helper()
	b := r.button(label)
	if b.Disabled() {
		r.t.Fatalf("button %q is disabled", label)
	}
	test.Tap(b)
}

// entries are the visible text fields, in the order they are drawn.
func (r *run) entries() []*widget.Entry {
	var out []*widget.Entry
	for _, o := range r.objects() {
		if e := asEntry(o); e != nil && e.Visible() {
			out = append(out, e)
		}
	}
	return out
}

// entry finds a visible field by its placeholder.
func (r *run) entry(placeholder string) *widget.Entry {
	r.t.Helper()
	for _, e := range r.entries() {
		if e.PlaceHolder == placeholder {
			return e
		}
	}
	r.t.Fatalf("no field %q on screen %q", placeholder, r.k.screen)
	return nil
}

// typeInto types text into a field, replacing what it held.
// typeInto replaces what e holds by typing text, as a person does:
// select all, then type.
// (Fyne's SetText("") after a selection leaves a selection behind that
// eats the first key typed.)
func typeInto(e *widget.Entry, text string) {
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	test.Type(e, text)
}

func (r *run) wantScreen(name string) {
	r.t.Helper()
	if r.k.screen != name {
		r.t.Fatalf("on screen %q, want %q; the window says:\n%s", r.k.screen, name, r.text())
	}
}

// menuItem finds a main-menu item by its label.
func (r *run) menuItem(label string) *fyne.MenuItem {
	r.t.Helper()
	mm := r.k.win.MainMenu()
	if mm != nil {
		for _, m := range mm.Items {
			for _, it := range m.Items {
				if it.Label == label {
					return it
				}
			}
		}
	}
	r.t.Fatalf("no menu item %q on screen %q", label, r.k.screen)
	return nil
}

// unlock types the passphrase into the unlock screen and unlocks.
func (r *run) unlock(passphrase string) {
	r.t.Helper()
	r.wantScreen("unlock")
	typeInto(r.entry("Passphrase"), passphrase)
	r.tap("Unlock")
}

// swapPages replaces the registered pages for a test (restored after),
// so a golden shows the frame alone, whatever pages are written.
func swapPages(t *testing.T, with map[app.Section]PageMaker) {
	saved := pages
	pages = with
	t.Cleanup(func() { pages = saved })
}

// stubPage is a page of the tests' own: it counts refreshes and routes.
type stubPage struct {
	label     *widget.Label
	refreshes int
	routes    []Route
}

func (p *stubPage) Content() fyne.CanvasObject { return p.label }
func (p *stubPage) Refresh()                   { p.refreshes++ }
func (p *stubPage) Show(r Route)               { p.routes = append(p.routes, r) }

// stubPages registers a stub page for each section, and returns them as
// they are made.
func stubPages(t *testing.T, secs ...app.Section) *[]*stubPage {
	made := &[]*stubPage{}
	m := map[app.Section]PageMaker{}
	for _, sec := range secs {
		m[sec] = func(k *App, r Route) Page {
			p := &stubPage{label: widget.NewLabel("Page: " + string(r.Section))}
			*made = append(*made, p)
			return p
		}
	}
	swapPages(t, m)
	return made
}
