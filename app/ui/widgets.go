package ui

import (
	"image/color"
	"math"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Small pieces the screens share.

// heading is a screen's title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// wrapped is body text that wraps.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// secondary is smaller text that wraps (12 px). It keeps the body colour:
// Fyne's low-importance grey fails the 4.5:1 contrast body text needs.
func secondary(text string) *widget.Label {
	l := wrapped(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// fieldLabel names a field above it.
func fieldLabel(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return l
}

// busy is a spinner with a line saying what is going on; hidden when idle.
type busy struct {
	widget.BaseWidget
	spin *widget.Activity
	text *widget.Label
	box  *fyne.Container
}

func newBusy() *busy {
	b := &busy{spin: widget.NewActivity(), text: widget.NewLabel("")}
	b.box = container.NewHBox(layout.NewSpacer(), b.spin, b.text, layout.NewSpacer())
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

func (b *busy) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.box) }

func (b *busy) start(text string) {
	b.text.SetText(text)
	b.Show()
	b.box.Refresh()
	b.spin.Start()
}

func (b *busy) stop() {
	b.spin.Stop()
	b.Hide()
}

// message is a line of feedback with an icon (never colour alone).
type message struct {
	widget.BaseWidget
	icon *widget.Icon
	text *widget.Label
	box  *fyne.Container
}

func newMessage() *message {
	m := &message{icon: widget.NewIcon(theme.ErrorIcon()), text: wrapped("")}
	// The icon sits level with the first line of text.
	icon := container.New(layout.NewCustomPaddedLayout(theme.InnerPadding()-1, 0, 0, 0), container.NewVBox(m.icon))
	m.box = container.NewBorder(nil, nil, icon, nil, m.text)
	m.ExtendBaseWidget(m)
	m.Hide()
	return m
}

func (m *message) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(m.box) }

// problem shows a sentence saying what went wrong.
func (m *message) problem(text string) { m.set(theme.NewErrorThemedResource(theme.ErrorIcon()), text) }

// info shows a sentence of news (locked after idle minutes).
func (m *message) info(text string) { m.set(theme.InfoIcon(), text) }

func (m *message) set(icon fyne.Resource, text string) {
	if text == "" {
		m.Hide()
		return
	}
	m.icon.SetResource(icon)
	m.text.SetText(text)
	m.Show()
	m.box.Refresh()
}

func (m *message) clear() { m.Hide() }

// strengthMeter shows how strong a passphrase is ([app.PassphraseStrength]),
// in a bar of three steps and in words (weak, fair, strong), with the
// advice and what makes it easy to guess.
type strengthMeter struct {
	widget.BaseWidget
	steps  [3]*canvas.Rectangle
	word   *widget.Label
	advice *widget.Label
	box    *fyne.Container
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{word: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), advice: secondary("")}
	bars := container.NewGridWithColumns(3)
	for i := range m.steps {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameInputBorder))
		r.CornerRadius = 2
		r.SetMinSize(fyne.NewSize(40, 6))
		m.steps[i] = r
		bars.Add(r)
	}
	m.box = container.NewVBox(container.NewBorder(nil, nil, nil, m.word, container.NewVBox(layout.NewSpacer(), bars, layout.NewSpacer())), m.advice)
	m.ExtendBaseWidget(m)
	return m
}

func (m *strengthMeter) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(m.box) }

func (m *strengthMeter) show(p string) {
	if p == "" {
		// Grey bars and no words: the meter keeps its place, so the
		// screen does not jump as the person starts typing.
		for _, r := range m.steps {
			r.FillColor = theme.Color(theme.ColorNameInputBorder)
			r.Refresh()
		}
		m.word.SetText("")
		m.advice.SetText("")
		m.box.Refresh()
		return
	}
	s := app.PassphraseStrength(p)
	level := int(s.Level)
	colors := []fyne.ThemeColorName{theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess}
	for i, r := range m.steps {
		if i <= level {
			r.FillColor = theme.Color(colors[level])
		} else {
			r.FillColor = theme.Color(theme.ColorNameInputBorder)
		}
		r.Refresh()
	}
	m.word.SetText("Strength: " + s.Level.String())
	advice := s.Advice
	if s.Why != "" && s.Level != app.Strong {
		advice = upperFirst(s.Why) + ". " + advice
	}
	m.advice.SetText(advice)
	m.box.Refresh() // lay out again for the new words
}

// avatar is a person's coloured circle with their initial.
type avatar struct {
	widget.BaseWidget
	size   float32
	circle *canvas.Circle
	letter *canvas.Text
}

func newAvatar(size float32) *avatar {
	a := &avatar{size: size, circle: canvas.NewCircle(color.Transparent), letter: canvas.NewText("", color.White)}
	a.letter.TextStyle = fyne.TextStyle{Bold: true}
	a.letter.TextSize = size * 0.45
	a.letter.Alignment = fyne.TextAlignCenter
	a.ExtendBaseWidget(a)
	return a
}

// set shows a person's initial on the colour of their hue.
func (a *avatar) set(initial string, hue int) {
	a.circle.FillColor = hueColor(hue)
	a.letter.Text = initial
	a.Refresh()
}

func (a *avatar) MinSize() fyne.Size { return fyne.NewSize(a.size, a.size) }

func (a *avatar) CreateRenderer() fyne.WidgetRenderer {
	return &avatarRenderer{a: a}
}

type avatarRenderer struct{ a *avatar }

func (r *avatarRenderer) Layout(s fyne.Size) {
	d := min(s.Width, s.Height, r.a.size)
	pos := fyne.NewPos((s.Width-d)/2, (s.Height-d)/2)
	r.a.circle.Move(pos)
	r.a.circle.Resize(fyne.NewSize(d, d))
	ts := r.a.letter.MinSize()
	r.a.letter.Move(fyne.NewPos(pos.X, pos.Y+(d-ts.Height)/2))
	r.a.letter.Resize(fyne.NewSize(d, ts.Height))
}

func (r *avatarRenderer) MinSize() fyne.Size { return r.a.MinSize() }
func (r *avatarRenderer) Refresh() {
	r.a.circle.Refresh()
	r.a.letter.Refresh()
	r.Layout(r.a.Size())
}
func (r *avatarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.a.circle, r.a.letter}
}
func (r *avatarRenderer) Destroy() {}

// hueColor is a badge colour of the given hue, darkened until white text
// on it has a contrast of at least 4.5:1.
func hueColor(hue int) color.Color {
	h := float64(hue%360) / 60
	const light, sat = 0.4, 0.6
	c := (1 - math.Abs(2*light-1)) * sat
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := light - c/2
	r, g, b = r+m, g+m, b+m
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	// White's contrast (1.05 / (L + 0.05)) ≥ 4.5 needs L ≤ 0.183.
	for 0.2126*lin(r)+0.7152*lin(g)+0.0722*lin(b) > 0.18 {
		r, g, b = r*0.95, g*0.95, b*0.95
	}
	to8 := func(v float64) uint8 { return uint8(math.Round(v * 255)) }
	return color.NRGBA{R: to8(r), G: to8(g), B: to8(b), A: 255}
}

// demoBadge is the "DEMO" mark every screen of a demo vault carries.
func demoBadge() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	bg.CornerRadius = 4
	title := canvas.NewText("DEMO", color.Black)
	title.TextStyle = fyne.TextStyle{Bold: true}
	note := canvas.NewText("made-up records", color.Black)
	note.TextSize = theme.CaptionTextSize()
	row := container.NewHBox(layout.NewSpacer(), title, note, layout.NewSpacer())
	return container.NewStack(bg, container.NewPadded(row))
}

// openFile opens a file with the system's application for it.
func openFile(a fyne.App, path string) error {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return a.OpenURL(u)
}

// lockIcon is a padlock, drawn for Kinfolio (Fyne's theme has none).
var lockIcon = theme.NewThemedResource(fyne.NewStaticResource("lock.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
	`<path d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 5a3 3 0 0 1 6 0v3H9V7zm3 7a2 2 0 0 1 1 3.7V19h-2v-1.3A2 2 0 0 1 12 14z"/></svg>`)))

// upperFirst capitalizes the first letter of a sentence part.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
