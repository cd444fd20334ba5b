package ui

import (
	"context"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// The corpus files the page tests import (testdata/corpus/MANIFEST.tsv):
// one patient from two vendors' C-CDAs, so facts merge and some differ,
// and a Synthea patient with years of vital signs.
const (
	larsonMeditech = "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml"
	larsonMcKesson = "testdata/corpus/ccda/onc-mckesson-paragon/larson-rn.xml"
	alberto        = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
)

// pagesNow is the tests' clock.
var pagesNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func pagesOptions() *app.Options {
	return &app.Options{WorkFactor: vaulttest.WorkFactor, Now: func() time.Time { return pagesNow },
		Run: func(work func()) { work() }}
}

// pagesSession is a new vault holding the given files, locked when the
// test ends.
func pagesSession(t testing.TB, files ...string) *app.Session {
	t.Helper()
	s, err := app.Create(filepath.Join(t.TempDir(), "vault.kinfolio"), vaulttest.Passphrase, pagesOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Lock() })
	if len(files) == 0 {
		return s
	}
	res, err := s.Import(context.Background(), files, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Failed() {
			t.Fatalf("%s: %v", r.File, r.Err)
		}
	}
	return s
}

func personID(t testing.TB, s *app.Session, name string) string {
	t.Helper()
	p, err := s.Person(name)
	if err != nil {
		t.Fatalf("Person(%q): %v", name, err)
	}
	return p.ID
}

// pagesApp is the desktop app on a test window with session s open, as
// the frame leaves it after unlocking: background work runs inline and
// Navigate records the route.
func pagesApp(t testing.TB, s *app.Session) *App {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("Kinfolio")
	t.Cleanup(w.Close)
	return &App{fyne: a, win: w, runner: func(f func()) { f() }, session: s}
}

// contentSizes are the content area's sizes in a 1280×800 and a 1024×640
// window (less the 220 px rail and the top bar).
var (
	contentWide   = fyne.NewSize(1060, 752)
	contentNarrow = fyne.NewSize(804, 592)
)

// show puts a page in the app's window at size.
func show(k *App, p Page, size fyne.Size) fyne.Window {
	w := k.win
	w.SetContent(p.Content())
	w.Resize(size)
	return w
}

// texts returns the text a person reads in o, in order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
			return
		case *widget.Hyperlink:
			out = append(out, v.Text)
			return
		case *widget.RichText:
			out = append(out, v.String())
			return
		case *widget.Button:
			out = append(out, v.Text)
			return
		case *canvas.Text:
			out = append(out, v.Text)
			return
		case *cellText:
			out = append(out, v.text)
			return
		case *widget.Accordion:
			for _, it := range v.Items {
				out = append(out, it.Title)
				if it.Open {
					walk(it.Detail)
				}
			}
			return
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func allText(o fyne.CanvasObject) string { return strings.Join(texts(o), "\n") }

// wantText fails unless o shows every one of want.
func wantText(t *testing.T, o fyne.CanvasObject, want ...string) {
	t.Helper()
	all := allText(o)
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the page does not say %q; it says:\n%s", w, all)
		}
	}
}

// find returns the first object in o (depth first, visible) that ok accepts.
func find[T fyne.CanvasObject](o fyne.CanvasObject, ok func(T) bool) T {
	var zero T
	var found T
	done := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if done || o == nil || !o.Visible() {
			return
		}
		if v, is := o.(T); is && ok(v) {
			found, done = v, true
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Accordion:
			for _, it := range v.Items {
				if it.Open {
					walk(it.Detail)
				}
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	if !done {
		return zero
	}
	return found
}

// tapRowSaying finds the tappable row that shows text.
func tapRowSaying(o fyne.CanvasObject, text string) *tapRow {
	return find(o, func(r *tapRow) bool { return strings.Contains(allText(r.content), text) })
}

// variantTheme forces the light or the dark look of the default theme.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// screenshot writes the window's picture to $KINFOLIO_SHOTS/name-<size>-<variant>.png
// in both variants, when that variable names a folder (to look at the pages
// as a person would; nothing is written otherwise).
func screenshot(t *testing.T, k *App, name string) {
	t.Helper()
	dir := os.Getenv("KINFOLIO_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	prev := k.fyne.Settings().Theme()
	defer k.fyne.Settings().SetTheme(prev)
	for _, v := range []struct {
		name string
		v    fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}} {
		k.fyne.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v.v})
		for _, sz := range []struct {
			name string
			size fyne.Size
		}{{"1280", contentWide}, {"1024", contentNarrow}} {
			k.win.Resize(sz.size)
			k.win.Content().Refresh()
			img := k.win.Canvas().Capture()
			f, err := os.Create(filepath.Join(dir, name+"-"+sz.name+"-"+v.name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
}

// tapLink taps a hyperlink on its text (a tap on its padding does nothing).
func tapLink(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	l := find(o, func(h *widget.Hyperlink) bool { return h.Text == text })
	if l == nil {
		t.Fatalf("no link %q; the page says:\n%s", text, allText(o))
	}
	if l.OnTapped != nil { // a link first shown after the last paint knows no text bounds yet
		l.OnTapped()
		return
	}
	sz := l.MinSize()
	test.TapAt(l, fyne.NewPos(sz.Width/2, sz.Height/2))
}
