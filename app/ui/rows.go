package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// rowView is one entry as lists and search show it, on two lines of one
// fixed height (a list of thousands stays uniform):
//
//	Title of the entry .................... ⚠ differs  A B
//	12 Mar 2024 · 145/88 mm[Hg] ▲ H
//
// The second line holds the date and the one secondary fact; an abnormal
// value is coloured and keeps its ▲/▼ symbol, a conflict says "⚠ differs",
// and the badges name the sources by letter (never colour alone).
type rowView struct {
	widget.BaseWidget
	withKind bool
	// conflictText marks a conflict ("⚠ differs"; the dashboard says
	// "⚠ sources differ").
	conflictText string
	title        *cellText
	lead         *cellText // the date (and kind)
	detail       *cellText // the secondary fact
	marker       *cellText
	badges       *badgeStrip
}

// newRowView makes an empty row; withKind adds the kind in words to the
// second line ("lab result · 12 Mar 2024 · …"), for search results that
// mix kinds.
func newRowView(withKind bool) *rowView {
	v := &rowView{withKind: withKind, conflictText: "⚠ differs", title: newCell("", "", ""),
		lead:   newCell("", colorNameSecondary, theme.SizeNameCaptionText),
		detail: newCell("", colorNameSecondary, theme.SizeNameCaptionText),
		marker: newCell("", theme.ColorNameWarning, ""), badges: newBadgeStrip(nil)}
	v.marker.Hide()
	v.ExtendBaseWidget(v)
	return v
}

// set shows row r.
func (v *rowView) set(r *app.Row) {
	v.title.set(r.Title, "")
	lead := r.DateText
	if v.withKind {
		lead = r.KindText + " · " + r.DateText
	}
	if r.Detail != "" {
		lead += " · "
	}
	v.lead.set(lead, colorNameSecondary)
	c := colorNameSecondary
	if r.Abnormal {
		c = theme.ColorNameError
	}
	v.detail.set(r.Detail, c)
	if r.Conflict {
		v.marker.set(v.conflictText, theme.ColorNameWarning)
		v.marker.Show()
	} else {
		v.marker.Hide()
	}
	v.badges.set(r.Badges)
	v.layout()
}

// layout places the row's parts again (they depend on the texts).
func (v *rowView) layout() { (&rowViewRenderer{v: v}).Layout(v.Size()) }

func (v *rowView) CreateRenderer() fyne.WidgetRenderer { return &rowViewRenderer{v: v} }

type rowViewRenderer struct{ v *rowView }

func (r *rowViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.v.title, r.v.lead, r.v.detail, r.v.marker, r.v.badges}
}
func (r *rowViewRenderer) Destroy() {}
func (r *rowViewRenderer) Refresh() {
	for _, o := range r.Objects() {
		o.Refresh() // the theme may have changed
	}
	r.Layout(r.v.Size())
}

// metrics are a two-line row's text heights, the cells' padding, the
// space above and below the lines and between them.
func (v *rowView) metrics() (titleH, subH, pad, edge, gap float32) {
	ts, pad := v.title.metrics()
	ss, _ := v.lead.metrics()
	titleH = fyne.MeasureText("M", ts, fyne.TextStyle{}).Height
	subH = fyne.MeasureText("M", ss, fyne.TextStyle{}).Height
	return titleH, subH, pad, 6, 1
}

func (r *rowViewRenderer) MinSize() fyne.Size {
	titleH, subH, _, edge, gap := r.v.metrics()
	return fyne.NewSize(120, edge+titleH+gap+subH+edge)
}

func (r *rowViewRenderer) Layout(size fyne.Size) {
	v := r.v
	titleH, subH, pad, edge, gap := v.metrics()
	right := size.Width - 3*theme.Padding() // clear of the list's scroll bar
	bw := v.badges.MinSize().Width
	right -= bw
	v.badges.Move(fyne.NewPos(right, (size.Height-badgeHeight)/2))
	v.badges.Resize(fyne.NewSize(bw, badgeHeight))
	if v.marker.Visible() {
		mw := v.marker.natural()
		right -= mw
		v.marker.Move(fyne.NewPos(right, 0))
		v.marker.Resize(fyne.NewSize(mw, size.Height))
	}
	v.title.Move(fyne.NewPos(0, edge-pad))
	v.title.Resize(fyne.NewSize(max(right, 0), titleH+2*pad))
	y := edge + titleH + gap - pad
	lw := min(v.lead.natural(), max(right, 0))
	v.lead.Move(fyne.NewPos(0, y))
	v.lead.Resize(fyne.NewSize(lw, subH+2*pad))
	// The detail starts where the lead's text ends (the two read as one line).
	x := max(lw-2*pad, 0)
	v.detail.Move(fyne.NewPos(x, y))
	v.detail.Resize(fyne.NewSize(max(right-x, 0), subH+2*pad))
}

// splitView is a list with its detail pane. At a content width of
// splitWidth or more (a window of about 1200 px with the rail) the two
// stand side by side, 60/40; below that the detail replaces the list and a
// Back button returns to it.
type splitView struct {
	widget.BaseWidget
	list   fyne.CanvasObject
	detail *fyne.Container // holds the open detail, or the placeholder
	back   *widget.Button
	bar    *fyne.Container
	sep    *widget.Separator
	hint   fyne.CanvasObject
	open   bool
	wide   bool
	// onBack is called when Back closes the detail.
	onBack func()
}

// splitWidth is the content width from which list and detail stand side
// by side: a 1200 px window less the frame's 220 px rail.
const splitWidth = 960

func newSplitView(list fyne.CanvasObject, hint string) *splitView {
	s := &splitView{list: list, sep: widget.NewSeparator()}
	s.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() {
		s.close()
		if s.onBack != nil {
			s.onBack()
		}
	})
	s.back.Importance = widget.LowImportance
	s.bar = container.NewHBox(s.back, layout.NewSpacer())
	h := wrapped(hint)
	h.Alignment = fyne.TextAlignCenter
	s.hint = container.NewVBox(layout.NewSpacer(), h, layout.NewSpacer())
	s.detail = container.NewStack(s.hint)
	s.ExtendBaseWidget(s)
	return s
}

// show puts a detail in the pane and opens it.
func (s *splitView) show(o fyne.CanvasObject) {
	s.open = true
	swap(s.detail, o)
	s.Refresh()
}

// close returns to the list (and, side by side, to the placeholder).
func (s *splitView) close() {
	s.open = false
	swap(s.detail, s.hint)
	s.Refresh()
}

// detailOnly reports whether the detail currently hides the list.
func (s *splitView) detailOnly() bool { return s.open && !s.wide }

func (s *splitView) CreateRenderer() fyne.WidgetRenderer {
	return &splitRenderer{s: s}
}

type splitRenderer struct{ s *splitView }

func (r *splitRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.s.list, r.s.sep, r.s.bar, r.s.detail}
}

func (r *splitRenderer) MinSize() fyne.Size {
	l, d := r.s.list.MinSize(), r.s.detail.MinSize()
	return fyne.NewSize(max(l.Width, d.Width), max(l.Height, d.Height+r.s.bar.MinSize().Height))
}

func (r *splitRenderer) Layout(size fyne.Size) {
	s := r.s
	s.wide = size.Width >= splitWidth
	show := func(o fyne.CanvasObject, on bool) {
		if on && !o.Visible() {
			o.Show()
		} else if !on && o.Visible() {
			o.Hide()
		}
	}
	if s.wide {
		lw := float32(int(size.Width * 0.6))
		show(s.list, true)
		show(s.sep, true)
		show(s.bar, false)
		show(s.detail, true)
		s.list.Move(fyne.NewPos(0, 0))
		s.list.Resize(fyne.NewSize(lw, size.Height))
		s.sep.Move(fyne.NewPos(lw, 0))
		s.sep.Resize(fyne.NewSize(1, size.Height))
		s.detail.Move(fyne.NewPos(lw+1, 0))
		s.detail.Resize(fyne.NewSize(size.Width-lw-1, size.Height))
		return
	}
	show(s.sep, false)
	show(s.list, !s.open)
	show(s.bar, s.open)
	show(s.detail, s.open)
	if !s.open {
		s.list.Move(fyne.NewPos(0, 0))
		s.list.Resize(size)
		return
	}
	bh := s.bar.MinSize().Height
	s.bar.Move(fyne.NewPos(0, 0))
	s.bar.Resize(fyne.NewSize(size.Width, bh))
	s.detail.Move(fyne.NewPos(0, bh))
	s.detail.Resize(fyne.NewSize(size.Width, size.Height-bh))
}

func (r *splitRenderer) Refresh() {
	r.Layout(r.s.Size())
	canvasRefresh(r.s)
}

func (r *splitRenderer) Destroy() {}

// canvasRefresh asks the canvas holding o to redraw it.
func canvasRefresh(o fyne.CanvasObject) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
		c.Refresh(o)
	}
}
