package ui

import (
	"image/color"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

func init() {
	registerPage(app.SectionTimeline, func(k *App, r Route) Page { return newTimelinePage(k, r) })
}

// timelinePage is everything of a person by date, newest first, grouped
// by day under a header that sticks to the top while its day scrolls by.
// Chips filter by kind and by source; a year scrubber on the right jumps
// through long histories. The list is virtual: it holds one snapshot of
// the timeline ([app.Timeline]) and words only the rows on screen, all
// of the same height, with no vault read while scrolling.
type timelinePage struct {
	k     *App
	route Route
	tl    *app.Timeline

	kinds   []record.Kind // the kind chips on
	sources []string      // the source chips on

	count    *widget.RichText
	chipsBox *fyne.Container // holds the chips, remade with each snapshot
	list     *widget.List
	sticky   *timelineLine
	stickyAt int // the header item the sticky header shows
	scrubber *yearScrubber
	legend   *widget.RichText
	body     *fyne.Container
	split    *splitView
	pane     entryPane
	root     *container.ThemeOverride
	seq      int
	stride   float32 // a row's height and the gap below it
}

var (
	_ Page   = (*timelinePage)(nil)
	_ Router = (*timelinePage)(nil)
)

func newTimelinePage(k *App, r Route) *timelinePage {
	p := &timelinePage{k: k, route: r, stickyAt: -1}
	p.build()
	p.Refresh()
	return p
}

func (p *timelinePage) build() {
	p.count = newSecondary("")
	p.legend = newSecondary("")
	p.chipsBox = container.NewStack()
	p.list = widget.NewList(
		func() int {
			if p.tl == nil {
				return 0
			}
			return p.tl.Len()
		},
		func() fyne.CanvasObject { return newTimelineLine() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*timelineLine).set(p.tl.Item(i))
			p.syncPosition()
			p.k.touch() // scrolling with the wheel is use too (no pointer move tells)
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		it := p.tl.Item(i)
		if it.Header {
			p.list.Unselect(i)
			return
		}
		if it.Row.ID != p.pane.openID {
			p.pane.open(it.Row.ID)
		}
	}
	p.sticky = newTimelineLine()
	p.sticky.stuck = true
	p.sticky.Hide()
	p.scrubber = newYearScrubber(p.jumpToYear)
	listSide := container.NewBorder(nil, nil, nil, p.scrubber,
		container.NewStack(p.list, container.NewVBox(p.sticky)))
	p.split = newSplitView(listSide, "Choose an entry to see its details and every source it came from.")
	p.split.onBack = func() {
		p.pane.openID = ""
		p.list.UnselectAll()
	}
	p.pane = entryPane{k: p.k, split: p.split, onChanged: p.Refresh}
	p.body = container.NewStack(reading())
	head := container.NewHBox(newSubheading("Timeline"), container.NewCenter(p.count))
	top := container.NewVBox(head, container.NewPadded(p.chipsBox))
	p.root = pageRoot(container.NewBorder(top, container.NewPadded(p.legend), nil, nil, p.body))
	sz := newTimelineLine().MinSize()
	p.stride = sz.Height + theme.Padding()
}

// Content is the page.
func (p *timelinePage) Content() fyne.CanvasObject { return p.root }

// Show opens the route's entry in the detail pane.
func (p *timelinePage) Show(r Route) {
	p.route = r
	p.pane.open(r.Entry)
}

// Refresh builds the timeline again with the chips that are on.
func (p *timelinePage) Refresh() {
	s := p.k.Session()
	if s == nil {
		return
	}
	person := p.route.Person
	f := app.TimelineFilter{Kinds: slices.Clone(p.kinds), Sources: slices.Clone(p.sources)}
	p.seq++
	seq := p.seq
	Background(p.k, func() (*app.Timeline, error) { return s.Timeline(person, f) }, func(tl *app.Timeline, err error) {
		if seq != p.seq {
			return
		}
		if err != nil {
			p.tl = nil
			swap(p.body, emptyState(app.Sentence(err)))
			return
		}
		p.apply(tl)
		if legend, err := s.Legend(person); err == nil {
			setSecondary(p.legend, legendText(legend))
		}
		if p.route.Entry != "" {
			p.pane.open(p.route.Entry)
			p.route.Entry = ""
		}
	})
}

// apply shows a new snapshot of the timeline.
func (p *timelinePage) apply(tl *app.Timeline) {
	p.tl = tl
	p.stickyAt = -1
	filtered := len(p.kinds) > 0 || len(p.sources) > 0
	n := app.Plural(tl.Total, "entry", "entries")
	if filtered {
		n += " shown"
	}
	setSecondary(p.count, n)
	p.buildChips()
	p.scrubber.setYears(tl.Years)
	switch {
	case tl.Total == 0 && !filtered:
		swap(p.body, emptyState(app.SectionTimeline.Empty()))
	case tl.Total == 0:
		swap(p.body, emptyState("Nothing matches the filters that are on. Turn one off to see more."))
	default:
		swap(p.body, p.split)
	}
	p.list.UnselectAll()
	scrollToTop(p.list)
	p.list.Refresh()
	p.syncPosition()
}

// buildChips lays out the filter toggles: kinds, then sources.
func (p *timelinePage) buildChips() {
	var objs []fyne.CanvasObject
	for _, c := range p.tl.KindChips {
		k := record.Kind(c.Value)
		on := slices.Contains(p.kinds, k)
		objs = append(objs, newChip(c.Label+" "+strconv.Itoa(c.Count), on, func() {
			p.kinds = toggle(p.kinds, k)
			p.Refresh()
		}))
	}
	if len(p.tl.SourceChips) > 1 {
		for _, c := range p.tl.SourceChips {
			v := c.Value
			on := slices.Contains(p.sources, v)
			objs = append(objs, newChip(c.Label, on, func() {
				p.sources = toggle(p.sources, v)
				p.Refresh()
			}))
		}
	}
	swap(p.chipsBox, container.New(layout.NewRowWrapLayout(), objs...))
}

func toggle[T comparable](set []T, v T) []T {
	if i := slices.Index(set, v); i >= 0 {
		return slices.Delete(slices.Clone(set), i, i+1)
	}
	return append(slices.Clone(set), v)
}

// chip is a filter toggle: on, it is filled and starts with "✓", so the
// state shows in more than colour. Space or Return toggles a focused chip.
type chip struct {
	widget.BaseWidget
	pressable
	label string
	on    bool
}

func newChip(label string, on bool, tapped func()) *chip {
	c := &chip{label: label, on: on}
	c.pressable = pressable{onTap: tapped, refresh: c.Refresh}
	c.ExtendBaseWidget(c)
	return c
}

var (
	_ fyne.Tappable      = (*chip)(nil)
	_ fyne.Focusable     = (*chip)(nil)
	_ desktop.Hoverable  = (*chip)(nil)
	_ desktop.Cursorable = (*chip)(nil)
)

func (c *chip) text() string {
	if c.on {
		return "✓ " + c.label
	}
	return c.label
}

func (c *chip) CreateRenderer() fyne.WidgetRenderer {
	r := &chipRenderer{c: c, bg: &canvas.Rectangle{}, t: &canvas.Text{}}
	r.Refresh()
	return r
}

type chipRenderer struct {
	c  *chip
	bg *canvas.Rectangle
	t  *canvas.Text
}

func (r *chipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.t} }
func (r *chipRenderer) Destroy()                     {}

func (r *chipRenderer) MinSize() fyne.Size {
	ts := r.t.MinSize()
	return fyne.NewSize(ts.Width+24, ts.Height+10)
}

func (r *chipRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.CornerRadius = size.Height / 2
	ts := r.t.MinSize()
	r.t.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
	r.t.Resize(ts)
}

func (r *chipRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.t.Text = r.c.text()
	r.t.TextSize = th.Size(theme.SizeNameText) * 13 / 14
	r.t.TextStyle = fyne.TextStyle{Bold: r.c.on}
	r.bg.StrokeWidth = 1
	switch {
	case r.c.on:
		r.bg.FillColor = th.Color(theme.ColorNamePrimary, v)
		r.bg.StrokeColor = th.Color(theme.ColorNamePrimary, v)
		r.t.Color = th.Color(theme.ColorNameForegroundOnPrimary, v)
	case r.c.hovered:
		r.bg.FillColor = th.Color(colorNameHover, v)
		r.bg.StrokeColor = th.Color(colorNameSecondary, v)
		r.t.Color = th.Color(theme.ColorNameForeground, v)
	default:
		r.bg.FillColor = color.Transparent
		r.bg.StrokeColor = th.Color(colorNameSecondary, v)
		r.t.Color = th.Color(theme.ColorNameForeground, v)
	}
	if r.c.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNameFocus, v)
		r.bg.StrokeWidth = 2
	}
	r.Layout(r.c.Size())
	r.bg.Refresh()
	r.t.Refresh()
}

// firstVisible is the item at the top of the list.
func (p *timelinePage) firstVisible() int {
	if p.tl == nil || p.tl.Len() == 0 || p.stride <= 0 {
		return -1
	}
	i := int(p.list.GetScrollOffset() / p.stride)
	return min(max(i, 0), p.tl.Len()-1)
}

// syncPosition keeps the sticky header on the day at the top and the
// scrubber on its year. It runs as rows come into view (UpdateItem), so it
// reads only the snapshot in memory.
func (p *timelinePage) syncPosition() {
	i := p.firstVisible()
	if i < 0 {
		p.sticky.Hide()
		return
	}
	h := p.tl.HeaderIndex(i)
	if h != p.stickyAt {
		p.stickyAt = h
		p.sticky.set(p.tl.Item(h))
	}
	if !p.sticky.Visible() {
		p.sticky.Show()
	}
	p.scrubber.setCurrent(p.tl.YearAt(i))
}

// jumpToYear scrolls so that a year's first day is at the top.
func (p *timelinePage) jumpToYear(m app.YearMark) {
	p.list.ScrollToOffset(float32(m.Index) * p.stride)
	p.syncPosition()
}

// timelineLine is one line of the timeline, a day header or an entry, of
// one height either way:
//
//	Tue 12 Mar 2024 · Valley Clinic
//	lab result    Hemoglobin A1c ............ 7.2 % ▲ H   ⚠  A
type timelineLine struct {
	widget.BaseWidget
	stuck   bool // the sticky copy of a header, drawn over the list
	header  bool
	bg      *canvas.Rectangle
	heading *cellText
	kind    *cellText
	title   *cellText
	detail  *cellText
	marker  *cellText
	badges  *badgeStrip
	entry   *fyne.Container
}

func newTimelineLine() *timelineLine {
	l := &timelineLine{bg: canvas.NewRectangle(color.Transparent), heading: newCell("", "", ""),
		kind: newCell("", colorNameSecondary, theme.SizeNameCaptionText), title: newCell("", "", ""),
		detail: newCell("", colorNameSecondary, theme.SizeNameCaptionText),
		marker: newCell("⚠", theme.ColorNameWarning, ""), badges: newBadgeStrip(nil)}
	l.heading.bold = true
	l.marker.Hide()
	l.detail.align = fyne.TextAlignTrailing
	l.entry = container.New(&entryLineLayout{}, l.kind, l.title, l.detail, l.marker, l.badges)
	l.ExtendBaseWidget(l)
	return l
}

// entryLineLayout places a timeline entry's kind (fixed), title,
// secondary fact (as wide as it needs, at most 45% of what is left),
// conflict mark and badges (at the right, clear of the scroll bar).
type entryLineLayout struct{}

const timelineKindWidth = 104

func (entryLineLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	kind, title, detail, marker, badges := objs[0], objs[1], objs[2].(*cellText), objs[3].(*cellText), objs[4]
	pad := theme.Padding()
	h := size.Height
	kind.Move(fyne.NewPos(0, 0))
	kind.Resize(fyne.NewSize(timelineKindWidth, h))
	right := size.Width - 3*pad
	bw := badges.MinSize().Width
	right -= bw
	badges.Move(fyne.NewPos(right, (h-badgeHeight)/2))
	badges.Resize(fyne.NewSize(bw, badgeHeight))
	if marker.Visible() {
		mw := marker.natural()
		right -= mw
		marker.Move(fyne.NewPos(right, 0))
		marker.Resize(fyne.NewSize(mw, h))
	}
	rest := max(right-timelineKindWidth, 0)
	dw := float32(0)
	if detail.text != "" {
		dw = min(detail.natural(), rest*0.45)
	}
	detail.Move(fyne.NewPos(right-dw, 0))
	detail.Resize(fyne.NewSize(dw, h))
	title.Move(fyne.NewPos(timelineKindWidth, 0))
	title.Resize(fyne.NewSize(max(rest-dw, 0), h))
}

func (entryLineLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(timelineKindWidth+100, h)
}

// set shows item it.
func (l *timelineLine) set(it app.TimelineItem) {
	l.header = it.Header
	if it.Header {
		l.heading.set(it.Heading, "")
		l.heading.Show()
		l.entry.Hide()
	} else {
		r := &it.Row
		l.heading.Hide()
		l.entry.Show()
		l.kind.set(r.KindText, colorNameSecondary)
		l.title.set(r.Title, "")
		c := colorNameSecondary
		if r.Abnormal {
			c = theme.ColorNameError
		}
		l.detail.set(r.Detail, c)
		if r.Conflict {
			l.marker.Show()
		} else {
			l.marker.Hide()
		}
		l.badges.set(r.Badges)
		// The columns depend on the texts: lay them out again.
		l.entry.Layout.Layout(l.entry.Objects, l.entry.Size())
	}
	l.BaseWidget.Refresh()
}

func (l *timelineLine) CreateRenderer() fyne.WidgetRenderer {
	return &timelineLineRenderer{l: l}
}

type timelineLineRenderer struct{ l *timelineLine }

func (r *timelineLineRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.bg, r.l.heading, r.l.entry}
}

func (r *timelineLineRenderer) Layout(size fyne.Size) {
	r.l.bg.Resize(size)
	r.l.heading.Resize(size)
	r.l.entry.Resize(size)
}

func (r *timelineLineRenderer) MinSize() fyne.Size {
	return r.l.entry.MinSize().Max(r.l.heading.MinSize())
}

func (r *timelineLineRenderer) Refresh() {
	th := r.l.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	switch {
	case r.l.stuck:
		r.l.bg.FillColor = th.Color(theme.ColorNameBackground, v)
		r.l.bg.StrokeColor = th.Color(theme.ColorNameSeparator, v)
		r.l.bg.StrokeWidth = 0
	case r.l.header:
		r.l.bg.FillColor = th.Color(colorNameHover, v)
	default:
		r.l.bg.FillColor = color.Transparent
	}
	r.l.bg.Refresh()
}

func (r *timelineLineRenderer) Destroy() {}

// Refresh redraws the line and its parts (the theme may have changed).
func (l *timelineLine) Refresh() {
	l.BaseWidget.Refresh()
	if l.header {
		l.heading.Refresh()
	} else {
		l.entry.Refresh()
	}
}

// yearScrubber is the strip of years beside a long timeline: it marks the
// year on show, and a tap or a drag on it jumps to a year.
type yearScrubber struct {
	widget.BaseWidget
	years   []app.YearMark
	current int
	onPick  func(app.YearMark)
}

func newYearScrubber(onPick func(app.YearMark)) *yearScrubber {
	s := &yearScrubber{onPick: onPick, current: -1}
	s.ExtendBaseWidget(s)
	return s
}

var (
	_ fyne.Tappable      = (*yearScrubber)(nil)
	_ fyne.Draggable     = (*yearScrubber)(nil)
	_ desktop.Cursorable = (*yearScrubber)(nil)
)

func (s *yearScrubber) setYears(ys []app.YearMark) {
	s.years = ys
	if len(ys) > 1 {
		s.Show()
	} else {
		s.Hide()
	}
	s.Refresh()
}

func (s *yearScrubber) setCurrent(y int) {
	if y != s.current {
		s.current = y
		s.Refresh()
	}
}

func (s *yearScrubber) Cursor() desktop.Cursor { return desktop.PointerCursor }

// at is the year at height y: the strip spreads the years evenly.
func (s *yearScrubber) at(y float32) (app.YearMark, bool) {
	if len(s.years) == 0 || s.Size().Height <= 0 {
		return app.YearMark{}, false
	}
	i := int(y / s.Size().Height * float32(len(s.years)))
	return s.years[min(max(i, 0), len(s.years)-1)], true
}

func (s *yearScrubber) Tapped(ev *fyne.PointEvent) { s.pickAt(ev.Position.Y) }
func (s *yearScrubber) Dragged(ev *fyne.DragEvent) { s.pickAt(ev.Position.Y) }
func (s *yearScrubber) DragEnd()                   {}

func (s *yearScrubber) pickAt(y float32) {
	if m, ok := s.at(y); ok && s.onPick != nil && m.Year != s.current {
		s.current = m.Year
		s.onPick(m)
		s.Refresh()
	}
}

func (s *yearScrubber) MinSize() fyne.Size {
	s.ExtendBaseWidget(s)
	return fyne.NewSize(52, 40)
}

func (s *yearScrubber) CreateRenderer() fyne.WidgetRenderer { return &scrubRenderer{s: s} }

type scrubRenderer struct {
	s    *yearScrubber
	objs []fyne.CanvasObject
}

func (r *scrubRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *scrubRenderer) Destroy()                     {}
func (r *scrubRenderer) MinSize() fyne.Size           { return r.s.MinSize() }
func (r *scrubRenderer) Refresh()                     { r.Layout(r.s.Size()); canvas.Refresh(r.s) }

func (r *scrubRenderer) Layout(size fyne.Size) {
	r.objs = r.objs[:0]
	ys := r.s.years
	if len(ys) == 0 {
		return
	}
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	small := th.Size(theme.SizeNameCaptionText)
	slot := size.Height / float32(len(ys))
	// Label every year when there is room, else every 2nd, 5th, 10th.
	every := 1
	for _, e := range []int{1, 2, 5, 10, 20, 50} {
		every = e
		if slot*float32(e) >= small+6 {
			break
		}
	}
	track := canvas.NewRectangle(th.Color(colorNameHover, v))
	track.CornerRadius = 4
	track.Resize(size)
	r.objs = append(r.objs, track)
	for i, m := range ys {
		cur := m.Year == r.s.current
		if i%every != 0 && !cur {
			continue
		}
		label := strconv.Itoa(m.Year)
		if m.Year == 0 {
			label = "no date"
		}
		c := th.Color(colorNameSecondary, v)
		if cur {
			label = "▸" + label
			c = th.Color(theme.ColorNameForeground, v)
		}
		t := canvas.NewText(label, c)
		t.TextSize = small
		t.TextStyle = fyne.TextStyle{Bold: cur}
		ts := t.MinSize()
		y := float32(i)*slot + (slot-ts.Height)/2
		if cur && every > 1 { // keep the current year clear of its neighbours' labels
			y = min(max(y, 0), size.Height-ts.Height)
		}
		t.Move(fyne.NewPos(size.Width-ts.Width-4, y))
		t.Resize(ts)
		r.objs = append(r.objs, t)
	}
}
