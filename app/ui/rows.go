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
	title        *widget.Label
	sub          *widget.RichText
	marker       *widget.Label
	badges       *badgeStrip
	box          *fyne.Container
}

// newRowView makes an empty row; withKind adds the kind in words to the
// second line ("lab result · 12 Mar 2024 · …"), for search results that
// mix kinds.
func newRowView(withKind bool) *rowView {
	v := &rowView{withKind: withKind, conflictText: "⚠ differs", title: newBody(""), badges: newBadgeStrip(nil)}
	v.sub = widget.NewRichText(
		&widget.TextSegment{Style: secondaryStyle(colorNameSecondary)},
		&widget.TextSegment{Style: secondaryStyle(colorNameSecondary)})
	v.sub.Truncation = fyne.TextTruncateEllipsis
	v.marker = widget.NewLabel("")
	v.marker.Importance = widget.WarningImportance
	v.marker.Hide()
	// The right padding keeps the badges clear of the list's scroll bar.
	right := container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.Padding()*3),
		container.NewHBox(v.marker, container.NewCenter(v.badges)))
	v.box = container.NewBorder(nil, nil, nil, right, container.New(twoLines{}, v.title, v.sub))
	v.ExtendBaseWidget(v)
	return v
}

// set shows row r.
func (v *rowView) set(r *app.Row) {
	v.title.SetText(r.Title)
	lead := r.DateText
	if v.withKind {
		lead = r.KindText + " · " + r.DateText
	}
	detail := ""
	if r.Detail != "" {
		lead += " · "
		detail = r.Detail
	}
	dateSeg := v.sub.Segments[0].(*widget.TextSegment)
	detailSeg := v.sub.Segments[1].(*widget.TextSegment)
	dateSeg.Text = lead
	detailSeg.Text = detail
	detailSeg.Style.ColorName = colorNameSecondary
	if r.Abnormal {
		detailSeg.Style.ColorName = theme.ColorNameError
	}
	v.sub.Refresh()
	if r.Conflict {
		v.marker.SetText(v.conflictText)
		v.marker.Show()
	} else {
		v.marker.Hide()
	}
	v.badges.set(r.Badges)
}

func (v *rowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.box) }

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
	// rescope themes a new detail as the page (see swap).
	rescope func()
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
	h := newWrapped(hint)
	h.Alignment = fyne.TextAlignCenter
	s.hint = container.NewVBox(layout.NewSpacer(), h, layout.NewSpacer())
	s.detail = container.NewStack(s.hint)
	s.ExtendBaseWidget(s)
	return s
}

// show puts a detail in the pane and opens it.
func (s *splitView) show(o fyne.CanvasObject) {
	s.open = true
	swap(s.detail, o, s.rescope)
	s.Refresh()
}

// close returns to the list (and, side by side, to the placeholder).
func (s *splitView) close() {
	s.open = false
	swap(s.detail, s.hint, s.rescope)
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
