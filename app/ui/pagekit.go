package ui

import (
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The pieces the section pages share: text sizes and colours, source
// badges, tappable rows, card panels and the list/detail split. The pages
// themselves live in summary.go, timeline.go, lists.go, detail.go,
// trends.go, sources.go and search.go.

// The colours the pages name beyond the usual ones. They are standard
// names, so a widget drawn before the pages' theme reaches it still gets
// a colour of the app's theme (a slightly weaker one) and never an
// undefined one.
const (
	// colorNameSecondary is the colour of secondary text (dates, sources,
	// the second line of a row): in the pages, the foreground softened
	// towards the background, still well above 4.5:1 in both variants (the
	// stock placeholder grey is not). No page has a text field whose
	// placeholder it would change.
	colorNameSecondary = theme.ColorNamePlaceHolder
	// colorNameHover is a row's background under the pointer.
	colorNameHover = theme.ColorNameHover
)

// pagesTheme is the app's theme with the pages' additions: secondary text
// 12 px where body text is 14 (the caption size, scaled with the text
// size setting), and the secondary and hover colours. It asks the app's
// current theme for everything else, so it follows light and dark and any
// theme the app sets.
type pagesTheme struct{}

func (pagesTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t pagesTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	b := t.base()
	switch n {
	case colorNameSecondary:
		return mixColor(b.Color(theme.ColorNameForeground, v), b.Color(theme.ColorNameBackground, v), 0.74)
	}
	// Text in these colours must read at 4.5:1 on the background, which the
	// stock error, warning and link colours do not on white: darker on a
	// light background, lighter on a dark one.
	if c, ok := readableColors[n]; ok {
		if isDark(b.Color(theme.ColorNameBackground, v)) {
			return c[1]
		}
		return c[0]
	}
	return b.Color(n, v)
}

// readableColors are the text colours of meaning, on a light and on a dark
// background (each with a contrast of 4.5:1 or more on the theme's background).
var readableColors = map[fyne.ThemeColorName][2]color.Color{
	theme.ColorNameError:     {color.NRGBA{0xc6, 0x28, 0x28, 0xff}, color.NRGBA{0xff, 0x8a, 0x80, 0xff}},
	theme.ColorNameWarning:   {color.NRGBA{0x9a, 0x4f, 0x00, 0xff}, color.NRGBA{0xff, 0xc1, 0x6b, 0xff}},
	theme.ColorNameHyperlink: {color.NRGBA{0x15, 0x5f, 0xc0, 0xff}, color.NRGBA{0x8a, 0xc4, 0xff, 0xff}},
}

// isDark reports whether c is a dark colour (relative luminance below one half).
func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 0.2126*float64(r)+0.7152*float64(g)+0.0722*float64(b) < 0.5*0xffff
}

func (t pagesTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t pagesTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t pagesTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameCaptionText {
		return t.base().Size(theme.SizeNameText) * 12 / 14
	}
	return t.base().Size(n)
}

// mixColor returns a weighted blend: w of a, 1-w of b (opaque).
func mixColor(a, b color.Color, w float64) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	mix := func(x, y uint32) uint8 { return uint8((float64(x)*w + float64(y)*(1-w)) / 257) }
	return color.NRGBA{R: mix(ar, br), G: mix(ag, bg), B: mix(ab, bb), A: 0xff}
}

// pageRoot wraps a page's content in the pages' theme additions.
func pageRoot(o fyne.CanvasObject) *container.ThemeOverride {
	return container.NewThemeOverride(o, pagesTheme{})
}

// scrollToTop shows a list's first row. Unlike List.ScrollToTop it is
// safe on a list that was never drawn (a page left before it loaded): the
// list has no scroller yet, and there is nothing to scroll.
func scrollToTop(l *widget.List) { l.ScrollToOffset(0) }

// swap makes o the only object of c, themed as the page around it: a
// theme override reaches only the objects it holds when made, so what
// comes later gets an override of its own.
func swap(c *fyne.Container, o fyne.CanvasObject) {
	c.Objects = []fyne.CanvasObject{pageRoot(o)}
	c.Refresh()
}

// showing reports whether c shows o (put there by swap).
func showing(c *fyne.Container, o fyne.CanvasObject) bool {
	if len(c.Objects) != 1 {
		return false
	}
	t, ok := c.Objects[0].(*container.ThemeOverride)
	return ok && t.Content == o
}

// newSecondary is secondary text (12 px, softer colour) on one line.
func newSecondary(s string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: s, Style: secondaryStyle(colorNameSecondary)})
}

// newSecondaryCut is secondary text cut with "…" when it does not fit.
func newSecondaryCut(s string) *widget.RichText {
	rt := newSecondary(s)
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

func secondaryStyle(c fyne.ThemeColorName) widget.RichTextStyle {
	return widget.RichTextStyle{ColorName: c, SizeName: theme.SizeNameCaptionText, Inline: true}
}

// setSecondary changes secondary text made by newSecondary.
func setSecondary(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text == s {
		return
	}
	seg.Text = s
	rt.Refresh()
}

// newBody is one line of body text cut with "…" when it does not fit.
func newBody(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// newSubheading is a heading inside a page ("Seen in 3 sources").
func newSubheading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.SizeName = theme.SizeNameSubHeadingText
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// tight stacks objects with no padding between them (two lines of one
// row read as one).
func tight(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), objs...)
}

// twoLines lays out a title and the line below it closer than two
// labels stand (each label pads its text; the pair shares that padding),
// so a row of two lines stays compact.
type twoLines struct{}

func (twoLines) overlap() float32 { return theme.InnerPadding() + theme.Padding()/2 }

func (l twoLines) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		h := o.MinSize().Height
		if i > 0 {
			y -= l.overlap()
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

func (l twoLines) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height -= l.overlap()
		}
	}
	return s
}

// badgeStrip shows an entry's source keys: a letter per provider and "P"
// for what the person entered (outlined, so it differs by shape as well as
// by letter).
type badgeStrip struct {
	widget.BaseWidget
	badges []app.Badge
}

func newBadgeStrip(bs []app.Badge) *badgeStrip {
	b := &badgeStrip{badges: bs}
	b.ExtendBaseWidget(b)
	return b
}

// set changes the badges shown.
func (b *badgeStrip) set(bs []app.Badge) {
	if slices.Equal(b.badges, bs) {
		return
	}
	b.badges = bs
	b.Refresh()
}

func (b *badgeStrip) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{b: b}
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b     *badgeStrip
	boxes []*canvas.Rectangle
	texts []*canvas.Text
	objs  []fyne.CanvasObject
}

const (
	badgeHeight = 18
	badgeGap    = 3
)

func (r *badgeRenderer) badgeWidth(i int) float32 {
	return float32(badgeHeight + 8*(len(r.b.badges[i].Key)-1))
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	x := float32(0)
	y := (size.Height - badgeHeight) / 2
	for i := range r.boxes {
		w := r.badgeWidth(i)
		r.boxes[i].Move(fyne.NewPos(x, y))
		r.boxes[i].Resize(fyne.NewSize(w, badgeHeight))
		ts := r.texts[i].MinSize()
		r.texts[i].Move(fyne.NewPos(x+(w-ts.Width)/2, y+(badgeHeight-ts.Height)/2))
		r.texts[i].Resize(ts)
		x += w + badgeGap
	}
}

func (r *badgeRenderer) MinSize() fyne.Size {
	w := float32(0)
	for i := range r.b.badges {
		if i > 0 {
			w += badgeGap
		}
		w += r.badgeWidth(i)
	}
	return fyne.NewSize(w, badgeHeight)
}

func (r *badgeRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for len(r.boxes) < len(r.b.badges) {
		r.boxes = append(r.boxes, &canvas.Rectangle{CornerRadius: 4})
		r.texts = append(r.texts, &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}})
	}
	r.boxes, r.texts = r.boxes[:len(r.b.badges)], r.texts[:len(r.b.badges)]
	r.objs = r.objs[:0]
	fg := th.Color(theme.ColorNameForeground, v)
	primary := th.Color(theme.ColorNamePrimary, v)
	for i, bd := range r.b.badges {
		box, t := r.boxes[i], r.texts[i]
		if bd.SelfReported {
			box.FillColor = color.Transparent
			box.StrokeColor = primary
			box.StrokeWidth = 1.5
		} else {
			box.FillColor = mixColor(primary, th.Color(theme.ColorNameBackground, v), 0.25)
			box.StrokeColor = color.Transparent
			box.StrokeWidth = 0
		}
		t.Text = bd.Key
		t.Color = fg
		t.TextSize = th.Size(theme.SizeNameCaptionText)
		box.Refresh()
		t.Refresh()
		r.objs = append(r.objs, box, t)
	}
	r.Layout(r.b.Size())
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *badgeRenderer) Destroy()                     {}

// tapRow is a row a person can click or, with the keyboard, focus and
// press Space or Return on: a card's line that opens its detail, a test
// in the trend picker. It highlights under the pointer and when focused.
type tapRow struct {
	widget.BaseWidget
	pressable
	content  fyne.CanvasObject
	selected bool
}

func newTapRow(content fyne.CanvasObject, onTap func()) *tapRow {
	t := &tapRow{content: content}
	t.pressable = pressable{onTap: onTap, refresh: t.Refresh}
	t.ExtendBaseWidget(t)
	return t
}

// pressable is what a widget pressed like a button does, embedded in
// it: a tap, Space or Enter runs onTap; the pointer shows a hand; hover
// and focus are kept for the renderer, which refresh redraws.
type pressable struct {
	onTap            func()
	refresh          func()
	hovered, focused bool
}

func (p *pressable) Tapped(*fyne.PointEvent) {
	if p.onTap != nil {
		p.onTap()
	}
}

func (p *pressable) Cursor() desktop.Cursor         { return desktop.PointerCursor }
func (p *pressable) MouseIn(*desktop.MouseEvent)    { p.hovered = true; p.refresh() }
func (p *pressable) MouseMoved(*desktop.MouseEvent) {}
func (p *pressable) MouseOut()                      { p.hovered = false; p.refresh() }
func (p *pressable) FocusGained()                   { p.focused = true; p.refresh() }
func (p *pressable) FocusLost()                     { p.focused = false; p.refresh() }
func (p *pressable) TypedRune(rune)                 {}
func (p *pressable) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeySpace || ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		p.Tapped(nil)
	}
}

var (
	_ fyne.Tappable      = (*tapRow)(nil)
	_ fyne.Focusable     = (*tapRow)(nil)
	_ desktop.Hoverable  = (*tapRow)(nil)
	_ desktop.Cursorable = (*tapRow)(nil)
)

func (t *tapRow) setSelected(on bool) { t.selected = on; t.Refresh() }

func (t *tapRow) CreateRenderer() fyne.WidgetRenderer {
	bg := &canvas.Rectangle{CornerRadius: 4}
	r := &tapRowRenderer{t: t, bg: bg}
	r.Refresh()
	return r
}

type tapRowRenderer struct {
	t  *tapRow
	bg *canvas.Rectangle
}

func (r *tapRowRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.t.content.Move(fyne.NewPos(0, 0))
	r.t.content.Resize(size)
}

func (r *tapRowRenderer) MinSize() fyne.Size { return r.t.content.MinSize() }

func (r *tapRowRenderer) Refresh() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	switch {
	case r.t.selected:
		r.bg.FillColor = th.Color(theme.ColorNameSelection, v)
	case r.t.hovered:
		r.bg.FillColor = th.Color(colorNameHover, v)
	default:
		r.bg.FillColor = color.Transparent
	}
	if r.t.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNameFocus, v)
		r.bg.StrokeWidth = 2
	} else {
		r.bg.StrokeWidth = 0
	}
	r.bg.Refresh()
	r.t.content.Refresh()
}

func (r *tapRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.t.content}
}
func (r *tapRowRenderer) Destroy() {}

// panel is a card's background: a rounded, outlined surface that follows
// the theme.
type panel struct {
	widget.BaseWidget
	content fyne.CanvasObject
	accent  bool // a thicker, coloured outline (the allergy card)
}

func newPanel(content fyne.CanvasObject) *panel {
	p := &panel{content: content}
	p.ExtendBaseWidget(p)
	return p
}

func (p *panel) CreateRenderer() fyne.WidgetRenderer {
	r := &panelRenderer{p: p, bg: &canvas.Rectangle{CornerRadius: 8}}
	r.Refresh()
	return r
}

type panelRenderer struct {
	p  *panel
	bg *canvas.Rectangle
}

func (r *panelRenderer) pad() float32 { return r.p.Theme().Size(theme.SizeNameInnerPadding) }

func (r *panelRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	p := r.pad()
	r.p.content.Move(fyne.NewPos(p, p/2))
	r.p.content.Resize(fyne.NewSize(size.Width-2*p, size.Height-p))
}

func (r *panelRenderer) MinSize() fyne.Size {
	p := r.pad()
	return r.p.content.MinSize().Add(fyne.NewSize(2*p, p))
}

func (r *panelRenderer) Refresh() {
	th := r.p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	r.bg.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	r.bg.StrokeWidth = 1
	if r.p.accent {
		r.bg.StrokeColor = th.Color(theme.ColorNameError, v)
		r.bg.StrokeWidth = 2
	}
	r.bg.Refresh()
	r.p.content.Refresh()
}

func (r *panelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.p.content} }
func (r *panelRenderer) Destroy()                     {}

// emptyState is what a page shows when there is nothing to list: the
// section's sentence (what it means and what to do), centred.
func emptyState(text string) fyne.CanvasObject {
	l := wrapped(text)
	l.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewVBox(layout.NewSpacer(),
		container.New(&maxWidth{w: 560}, l), layout.NewSpacer()))
}

// reading is what a page shows while its records are read (a long
// record takes a moment after unlocking).
func reading() fyne.CanvasObject {
	l := widget.NewLabel("Reading the records…")
	l.Importance = widget.LowImportance
	return container.NewCenter(l)
}

// maxWidth centres its objects at most w wide.
type maxWidth struct{ w float32 }

func (m *maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, m.w)
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (m *maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// legendText says what the badges mean: "A Valley Clinic · B St Mary's ·
// P entered by you".
func legendText(bs []app.Badge) string {
	out := ""
	for i, b := range bs {
		if i > 0 {
			out += "   "
		}
		name := b.Name
		if b.SelfReported {
			name = "entered by you"
		}
		out += b.Key + " = " + name
	}
	return out
}

// cellText is one line of text in a row of a long list: it draws a
// canvas.Text and cuts it with "…" only when it does not fit, measuring
// with Fyne's cached text metrics. (A label with ellipsis truncation shapes
// its text on every update, which made each new timeline row cost about
// a millisecond.)
type cellText struct {
	widget.BaseWidget
	text      string
	colorName fyne.ThemeColorName // "" is the foreground
	sizeName  fyne.ThemeSizeName  // "" is body text
	bold      bool
	align     fyne.TextAlign
}

func newCell(text string, colorName fyne.ThemeColorName, sizeName fyne.ThemeSizeName) *cellText {
	c := &cellText{text: text, colorName: colorName, sizeName: sizeName}
	c.ExtendBaseWidget(c)
	return c
}

// set changes the text and its colour.
func (c *cellText) set(text string, colorName fyne.ThemeColorName) {
	if text == c.text && colorName == c.colorName {
		return
	}
	c.text, c.colorName = text, colorName
	c.Refresh()
}

func (c *cellText) CreateRenderer() fyne.WidgetRenderer {
	r := &cellRenderer{c: c, t: &canvas.Text{}}
	r.Refresh()
	return r
}

type cellRenderer struct {
	c     *cellText
	t     *canvas.Text
	shown string // the text as cut for the last width
	width float32
}

func (r *cellRenderer) MinSize() fyne.Size {
	size, pad := r.c.metrics()
	return fyne.NewSize(2*pad, r.lineHeight(size, r.t.TextStyle)+2*pad)
}

// natural is the width the whole text needs, padding included.
func (c *cellText) natural() float32 {
	size, pad := c.metrics()
	return fyne.MeasureText(c.text, size, fyne.TextStyle{Bold: c.bold}).Width + 2*pad
}

// metrics are the text size and the padding around it.
func (c *cellText) metrics() (size, pad float32) {
	th := c.Theme()
	n := c.sizeName
	if n == "" {
		n = theme.SizeNameText
	}
	return th.Size(n), th.Size(theme.SizeNameInnerPadding)
}

func (r *cellRenderer) Layout(size fyne.Size) {
	textSize, pad := r.c.metrics()
	avail := size.Width - 2*pad
	style := r.t.TextStyle
	shown := r.c.text
	// Most texts plainly fit (no glyph is wider than 1.2 em): measure only
	// those that might not.
	if n := utf8.RuneCountInString(shown); float32(n)*textSize*1.2 > avail &&
		fyne.MeasureText(shown, textSize, style).Width > avail {
		runes := []rune(shown)
		lo, hi := 0, len(runes)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if fyne.MeasureText(string(runes[:mid])+"…", textSize, style).Width <= avail {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		shown = strings.TrimRight(string(runes[:lo]), " ") + "…"
		if lo == 0 {
			shown = ""
		}
	}
	if shown != r.t.Text {
		r.t.Text = shown
		r.t.Refresh()
	}
	// The text fills the cell less its padding and aligns itself in it.
	h := r.lineHeight(textSize, style)
	r.t.Alignment = r.c.align
	r.t.Move(fyne.NewPos(pad, (size.Height-h)/2))
	r.t.Resize(fyne.NewSize(max(avail, 0), h))
}

// lineHeight is the height of a line of text (measured once per size).
func (r *cellRenderer) lineHeight(size float32, style fyne.TextStyle) float32 {
	return fyne.MeasureText("M", size, style).Height
}

func (r *cellRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	n := r.c.colorName
	if n == "" {
		n = theme.ColorNameForeground
	}
	r.t.Color = th.Color(n, v)
	size, _ := r.c.metrics()
	r.t.TextSize = size
	r.t.TextStyle = fyne.TextStyle{Bold: r.c.bold}
	r.Layout(r.c.Size())
	r.t.Refresh()
}

func (r *cellRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t} }
func (r *cellRenderer) Destroy()                     {}
