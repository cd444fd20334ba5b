package ui

import (
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// trendChart draws one test's results over a true time axis with Fyne's
// canvas primitives: the reference range as a band, a line per series
// (two for blood pressure, named at their ends), a dot per result (up to
// a few hundred; longer series are drawn as their line only), ▲/▼ over
// abnormal results, the latest value labelled. Hovering or tapping near a
// result shows its value, date and source.
type trendChart struct {
	widget.BaseWidget
	trend *app.Trend
	// compact is the detail pane's small chart: fewer ticks, no line names.
	compact bool
	// onPick is called when a tap picks a result (nil: none).
	onPick func(p *app.TrendPoint)

	hover, picked pointRef
}

// pointRef names one result on the chart: line and index, line -1 for none.
type pointRef struct{ line, index int }

var noPoint = pointRef{-1, -1}

func newTrendChart(t *app.Trend) *trendChart {
	c := &trendChart{trend: t, hover: noPoint, picked: noPoint}
	c.ExtendBaseWidget(c)
	return c
}

var (
	_ desktop.Hoverable = (*trendChart)(nil)
	_ fyne.Tappable     = (*trendChart)(nil)
	_ fyne.Focusable    = (*trendChart)(nil)
)

// With the keyboard: Tab to the chart, then Left and Right step through
// the results (Home, End: the first, the latest), each picked as a tap
// would.
func (c *trendChart) FocusGained()   {}
func (c *trendChart) FocusLost()     {}
func (c *trendChart) TypedRune(rune) {}
func (c *trendChart) TypedKey(ev *fyne.KeyEvent) {
	if c.trend == nil || len(c.trend.Lines) == 0 || len(c.trend.Lines[0].Points) == 0 {
		return
	}
	n := len(c.trend.Lines[0].Points)
	i := c.picked.index
	if c.picked.line != 0 {
		i = n
	}
	switch ev.Name {
	case fyne.KeyLeft:
		i--
	case fyne.KeyRight:
		i++
	case fyne.KeyHome:
		i = 0
	case fyne.KeyEnd:
		i = n - 1
	default:
		return
	}
	c.pick(pointRef{0, min(max(i, 0), n-1)})
}

// setTrend shows another trend.
func (c *trendChart) setTrend(t *app.Trend) {
	c.trend = t
	c.hover, c.picked = noPoint, noPoint
	c.Refresh()
}

// point returns the result ref names, nil for none.
func (c *trendChart) point(ref pointRef) *app.TrendPoint {
	if c.trend == nil || ref.line < 0 || ref.line >= len(c.trend.Lines) || ref.index >= len(c.trend.Lines[ref.line].Points) {
		return nil
	}
	return &c.trend.Lines[ref.line].Points[ref.index]
}

// infoText says what the picked result is, or how to pick one.
func (c *trendChart) infoText() string {
	if p := c.point(c.picked); p != nil {
		return p.Label
	}
	return "Point at or tap a result to see its value, date and source."
}

// pick selects the result ref (tests and the keyboard use it too).
func (c *trendChart) pick(ref pointRef) {
	c.picked = ref
	c.Refresh()
	if c.onPick != nil {
		c.onPick(c.point(ref))
	}
}

func (c *trendChart) MouseIn(ev *desktop.MouseEvent) { c.MouseMoved(ev) }
func (c *trendChart) MouseMoved(ev *desktop.MouseEvent) {
	ref := c.nearest(ev.Position, 18)
	if ref != c.hover {
		c.hover = ref
		c.Refresh()
	}
}
func (c *trendChart) MouseOut() {
	if c.hover != noPoint {
		c.hover = noPoint
		c.Refresh()
	}
}

func (c *trendChart) Tapped(ev *fyne.PointEvent) {
	if ref := c.nearest(ev.Position, 28); ref != noPoint {
		c.pick(ref)
	}
}

// nearest finds the result drawn closest to pos within radius px.
func (c *trendChart) nearest(pos fyne.Position, radius float32) pointRef {
	if c.trend == nil {
		return noPoint
	}
	g := c.geometry(c.Size())
	best, bestD := noPoint, radius*radius
	for li, line := range c.trend.Lines {
		// Points are in time order: look only near pos.X.
		pts := line.Points
		i := sort.Search(len(pts), func(i int) bool { return g.x(pts[i].Time) >= pos.X-radius })
		for ; i < len(pts); i++ {
			x := g.x(pts[i].Time)
			if x > pos.X+radius {
				break
			}
			dx, dy := x-pos.X, g.y(pts[i].Value)-pos.Y
			if d := dx*dx + dy*dy; d <= bestD {
				best, bestD = pointRef{li, i}, d
			}
		}
	}
	return best
}

func (c *trendChart) MinSize() fyne.Size {
	c.ExtendBaseWidget(c)
	return fyne.NewSize(200, 120)
}

func (c *trendChart) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{c: c}
}

// chartGeometry maps time and value to the plot area.
type chartGeometry struct {
	left, top, width, height float32
	from, to                 time.Time
	lo, hi                   float64
}

func (g chartGeometry) x(t time.Time) float32 {
	span := g.to.Sub(g.from)
	if span <= 0 {
		return g.left + g.width/2
	}
	return g.left + float32(float64(t.Sub(g.from))/float64(span))*g.width
}

func (g chartGeometry) y(v float64) float32 {
	if g.hi <= g.lo {
		return g.top + g.height/2
	}
	return g.top + float32((g.hi-v)/(g.hi-g.lo))*g.height
}

const (
	chartLeftMin = 36
	chartBottom  = 22
	chartTop     = 18
)

// geometry lays the plot out in size: room for the value ticks on the
// left, the time ticks below, the latest label above; the value range
// covers the results and the band, rounded to tick steps.
func (c *trendChart) geometry(size fyne.Size) chartGeometry {
	t := c.trend
	lo, hi := t.Min, t.Max
	if b := t.Band; b != nil {
		if b.Low != nil {
			lo = math.Min(lo, *b.Low)
		}
		if b.High != nil {
			hi = math.Max(hi, *b.High)
		}
	}
	// A change of a few tenths on a value near 28 is not a slope: the
	// value axis spans at least a tenth of the largest value (and 1 when
	// all are zero), so small wobbles look small.
	if minSpan := math.Max(math.Max(math.Abs(lo), math.Abs(hi))*0.1, 1e-9); hi-lo < minSpan {
		if minSpan == 1e-9 {
			minSpan = 2
		}
		mid := (lo + hi) / 2
		lo, hi = mid-minSpan/2, mid+minSpan/2
		if t.Min >= 0 && lo < 0 {
			lo, hi = 0, minSpan
		}
	}
	step := niceStep((hi - lo) / 4)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	from, to := t.From, t.To
	if !to.After(from) {
		from, to = from.AddDate(0, 0, -30), to.AddDate(0, 0, 30)
	} else {
		pad := to.Sub(from) / 40
		from, to = from.Add(-pad), to.Add(pad)
	}
	left := float32(chartLeftMin)
	for _, v := range valueTicks(lo, hi, step) {
		left = max(left, fyne.MeasureText(v.label, c.Theme().Size(theme.SizeNameCaptionText), fyne.TextStyle{}).Width+12)
	}
	right := float32(16)
	if !c.compact && len(t.Lines) > 1 {
		right = 78
	}
	return chartGeometry{left: left, top: chartTop, width: max(size.Width-left-right, 10),
		height: max(size.Height-chartTop-chartBottom, 10), from: from, to: to, lo: lo, hi: hi}
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

type tick struct {
	value float64
	at    time.Time
	label string
}

// valueTicks are the labelled values from lo to hi.
func valueTicks(lo, hi, step float64) []tick {
	decimals := 0
	if step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
		if step*math.Pow(10, float64(decimals)) != math.Trunc(step*math.Pow(10, float64(decimals))) {
			decimals++
		}
	} else if step != math.Trunc(step) {
		decimals = 1
	}
	var out []tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step/1000; i++ {
		v := i * step
		if v == 0 {
			v = 0 // not -0
		}
		out = append(out, tick{value: v, label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return out
}

// timeTicks are at most n labelled instants between from and to, on
// calendar boundaries: years (every 1, 2, 5, 10, 20 or 50), quarters,
// months, weeks or days, whichever fits.
func timeTicks(from, to time.Time, n int) []tick {
	n = max(n, 2)
	span := to.Sub(from)
	day := 24 * time.Hour
	type unit struct {
		years, months, days int
	}
	units := []unit{{days: 1}, {days: 2}, {days: 7}, {days: 14}, {months: 1}, {months: 2}, {months: 3}, {months: 6},
		{years: 1}, {years: 2}, {years: 5}, {years: 10}, {years: 20}, {years: 50}, {years: 100}}
	approx := func(u unit) time.Duration {
		return time.Duration(u.years)*365*day + time.Duration(u.months)*30*day + time.Duration(u.days)*day
	}
	u := units[len(units)-1]
	for _, c := range units {
		if span/approx(c) <= time.Duration(n) {
			u = c
			break
		}
	}
	var start time.Time
	loc := from.Location()
	switch {
	case u.years > 0:
		y := from.Year() - from.Year()%u.years
		start = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	case u.months > 0:
		m := int(from.Month()) - 1
		m -= m % u.months
		start = time.Date(from.Year(), time.Month(m+1), 1, 0, 0, 0, 0, loc)
	default:
		start = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	}
	var out []tick
	for t := start; !t.After(to); t = t.AddDate(u.years, u.months, u.days) {
		if t.Before(from) {
			continue
		}
		var label string
		switch {
		case u.years > 0:
			label = strconv.Itoa(t.Year())
		case u.months > 0:
			label = t.Format("Jan 2006")
			if u.months < 12 && t.Month() != time.January && len(out) > 0 {
				label = t.Format("Jan")
			}
		default:
			label = t.Format("2 Jan")
			if len(out) == 0 || t.Month() == time.January && t.Day() <= u.days {
				label = t.Format("2 Jan 2006")
			}
		}
		out = append(out, tick{at: t, label: label})
	}
	return out
}

type chartRenderer struct {
	c    *trendChart
	objs []fyne.CanvasObject
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *chartRenderer) Destroy()                     {}
func (r *chartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *chartRenderer) Refresh()                     { r.Layout(r.c.Size()); canvas.Refresh(r.c) }

// maxDots is how many results a line shows as dots; a longer line is
// drawn as its line alone, one segment per pixel column at most.
const maxDots = 300

func (r *chartRenderer) Layout(size fyne.Size) {
	c := r.c
	r.objs = r.objs[:0]
	if c.trend == nil || size.Width <= 0 || size.Height <= 0 {
		return
	}
	th := c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	small := th.Size(theme.SizeNameCaptionText)
	g := c.geometry(size)
	t := c.trend
	text := func(s string, x, y float32, clr color.Color, bold bool) *canvas.Text {
		tx := canvas.NewText(s, clr)
		tx.TextSize = small
		tx.TextStyle = fyne.TextStyle{Bold: bold}
		ts := tx.MinSize()
		tx.Resize(ts)
		tx.Move(fyne.NewPos(x, y))
		r.objs = append(r.objs, tx)
		return tx
	}

	// The reference range band.
	if b := t.Band; b != nil {
		top, bottom := g.top, g.top+g.height
		if b.High != nil {
			top = g.y(*b.High)
		}
		if b.Low != nil {
			bottom = g.y(*b.Low)
		}
		band := canvas.NewRectangle(withAlpha(col(theme.ColorNameSuccess), 0x30))
		band.Move(fyne.NewPos(g.left, top))
		band.Resize(fyne.NewSize(g.width, max(bottom-top, 1)))
		r.objs = append(r.objs, band)
		label := "Normal range " + b.Text
		if t.RangeVaries {
			label += " (latest; labs differ)"
		}
		if !c.compact || bottom-top > small+4 {
			text(label, g.left+4, top+1, col(colorNameSecondary), false)
		}
	}

	// Value grid and ticks.
	step := niceStep((g.hi - g.lo) / 4)
	if c.compact {
		step = niceStep((g.hi - g.lo) / 2)
	}
	for _, tk := range valueTicks(g.lo, g.hi, step) {
		y := g.y(tk.value)
		ln := canvas.NewLine(col(theme.ColorNameSeparator))
		ln.StrokeWidth = 1
		ln.Position1, ln.Position2 = fyne.NewPos(g.left, y), fyne.NewPos(g.left+g.width, y)
		r.objs = append(r.objs, ln)
		tx := text(tk.label, 0, 0, col(colorNameSecondary), false)
		tx.Move(fyne.NewPos(g.left-tx.Size().Width-6, y-tx.Size().Height/2))
	}
	// Time ticks.
	n := int(g.width / 90)
	if c.compact {
		n = int(g.width / 110)
	}
	for _, tk := range timeTicks(g.from, g.to, n) {
		x := g.x(tk.at)
		ln := canvas.NewLine(col(theme.ColorNameSeparator))
		ln.Position1, ln.Position2 = fyne.NewPos(x, g.top+g.height), fyne.NewPos(x, g.top+g.height+4)
		r.objs = append(r.objs, ln)
		tx := text(tk.label, 0, 0, col(colorNameSecondary), false)
		tx.Move(fyne.NewPos(min(max(x-tx.Size().Width/2, g.left), size.Width-tx.Size().Width), g.top+g.height+5))
	}
	axis := canvas.NewLine(col(theme.ColorNameForeground))
	axis.StrokeWidth = 1
	axis.Position1, axis.Position2 = fyne.NewPos(g.left, g.top+g.height), fyne.NewPos(g.left+g.width, g.top+g.height)
	r.objs = append(r.objs, axis)

	// Where the lab's range changed.
	if len(t.Lines) == 1 {
		for _, p := range t.Lines[0].Points {
			if !p.RangeChanged {
				continue
			}
			x := g.x(p.Time)
			ln := canvas.NewLine(col(theme.ColorNameWarning))
			ln.StrokeWidth = 1
			ln.Position1, ln.Position2 = fyne.NewPos(x, g.top), fyne.NewPos(x, g.top+g.height)
			r.objs = append(r.objs, ln)
			if !c.compact {
				text("range changed", x+3, g.top+g.height-small-4, col(theme.ColorNameWarning), false)
			}
		}
	}

	// The lines, their dots and marks.
	lineColors := []color.Color{col(theme.ColorNamePrimary), col(theme.ColorNameForeground)}
	for li, line := range t.Lines {
		lc := lineColors[li%len(lineColors)]
		pts := line.Points
		dots := len(pts) <= maxDots
		lastX := float32(-1)
		var prev fyne.Position
		for i, p := range pts {
			pos := fyne.NewPos(g.x(p.Time), g.y(p.Value))
			if i > 0 && (dots || pos.X-lastX >= 1 || i == len(pts)-1) {
				seg := canvas.NewLine(lc)
				seg.StrokeWidth = 2
				seg.Position1, seg.Position2 = prev, pos
				r.objs = append(r.objs, seg)
				lastX = pos.X
				prev = pos
			} else if i == 0 {
				prev, lastX = pos, pos.X
			}
			if dots || i == len(pts)-1 || p.Abnormal && len(pts) <= 4*maxDots {
				r.dot(pos, li, p.Abnormal, lc, col)
			}
			if mark := flagMark(p.Flag); mark != "" && li == 0 && (dots || len(pts) <= 4*maxDots) {
				tx := text(mark, 0, 0, col(theme.ColorNameError), true)
				tx.Move(fyne.NewPos(pos.X-tx.Size().Width/2, pos.Y-tx.Size().Height-3))
			}
		}
		if len(pts) > 0 {
			last := pts[len(pts)-1]
			pos := fyne.NewPos(g.x(last.Time), g.y(last.Value))
			if li == 0 || !c.compact {
				label := last.Short
				if label == "" {
					label = strconv.FormatFloat(last.Value, 'g', 4, 64)
				}
				tx := text(label, 0, 0, col(theme.ColorNameForeground), true)
				x := min(pos.X-tx.Size().Width/2, size.Width-tx.Size().Width)
				y := pos.Y - tx.Size().Height - 4
				if last.Abnormal {
					y -= small
				}
				if li > 0 {
					y = pos.Y + 4
				}
				tx.Move(fyne.NewPos(max(x, g.left), max(y, 0)))
			}
			if !c.compact && len(t.Lines) > 1 {
				text(line.Name, g.left+g.width+6, pos.Y-small/2-2, lc, false)
			}
		}
	}

	// The hovered and the picked result.
	for _, ref := range []pointRef{c.picked, c.hover} {
		p := c.point(ref)
		if p == nil {
			continue
		}
		pos := fyne.NewPos(g.x(p.Time), g.y(p.Value))
		ring := canvas.NewCircle(color.Transparent)
		ring.StrokeColor = col(theme.ColorNameFocus)
		ring.StrokeWidth = 2
		ring.Position1, ring.Position2 = fyne.NewPos(pos.X-7, pos.Y-7), fyne.NewPos(pos.X+7, pos.Y+7)
		r.objs = append(r.objs, ring)
	}
	if p := c.point(c.hover); p != nil {
		r.tooltip(p, fyne.NewPos(g.x(p.Time), g.y(p.Value)), size, col, small)
	}
}

// dot draws one result: a filled circle for the first line, a square for
// the second (shape, not only colour, tells them apart); an abnormal
// result is drawn larger in the error colour (and gets ▲/▼).
func (r *chartRenderer) dot(pos fyne.Position, line int, abnormal bool, lc color.Color, col func(fyne.ThemeColorName) color.Color) {
	rad := float32(3.5)
	fill := lc
	if abnormal {
		rad = 4.5
		fill = col(theme.ColorNameError)
	}
	if line%2 == 1 {
		sq := canvas.NewRectangle(fill)
		sq.Move(fyne.NewPos(pos.X-rad, pos.Y-rad))
		sq.Resize(fyne.NewSize(2*rad, 2*rad))
		r.objs = append(r.objs, sq)
		return
	}
	ci := canvas.NewCircle(fill)
	ci.Position1, ci.Position2 = fyne.NewPos(pos.X-rad, pos.Y-rad), fyne.NewPos(pos.X+rad, pos.Y+rad)
	r.objs = append(r.objs, ci)
}

// tooltip is the box by a hovered result: value, date, source.
func (r *chartRenderer) tooltip(p *app.TrendPoint, at fyne.Position, size fyne.Size, col func(fyne.ThemeColorName) color.Color, small float32) {
	tx := canvas.NewText(p.Label, col(theme.ColorNameForeground))
	tx.TextSize = small
	ts := tx.MinSize()
	pad := float32(6)
	w, h := ts.Width+2*pad, ts.Height+2*pad
	x := min(max(at.X-w/2, 0), max(size.Width-w, 0))
	y := at.Y - h - 12
	if y < 0 {
		y = at.Y + 12
	}
	box := canvas.NewRectangle(col(theme.ColorNameOverlayBackground))
	box.StrokeColor = col(theme.ColorNameForeground)
	box.StrokeWidth = 1
	box.CornerRadius = 4
	box.Move(fyne.NewPos(x, y))
	box.Resize(fyne.NewSize(w, h))
	tx.Move(fyne.NewPos(x+pad, y+pad))
	tx.Resize(ts)
	r.objs = append(r.objs, box, tx)
}

// flagMark is the symbol of a flag ("▲" of "▲ H"), "" for none.
func flagMark(flag string) string {
	if f := strings.Fields(flag); len(f) > 0 {
		return f[0]
	}
	return ""
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// sparkline is a dashboard tile's small trend: the recent results as a
// line, the latest as a dot (in the error colour when abnormal; the tile
// also says ▲/▼).
type sparkline struct {
	widget.BaseWidget
	values   []float64
	abnormal bool
}

func newSparkline(values []float64, abnormal bool) *sparkline {
	s := &sparkline{values: values, abnormal: abnormal}
	s.ExtendBaseWidget(s)
	return s
}

func (s *sparkline) MinSize() fyne.Size {
	s.ExtendBaseWidget(s)
	return fyne.NewSize(72, 26)
}

func (s *sparkline) CreateRenderer() fyne.WidgetRenderer { return &sparkRenderer{s: s} }

type sparkRenderer struct {
	s    *sparkline
	objs []fyne.CanvasObject
}

func (r *sparkRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *sparkRenderer) Destroy()                     {}
func (r *sparkRenderer) MinSize() fyne.Size           { return r.s.MinSize() }
func (r *sparkRenderer) Refresh()                     { r.Layout(r.s.Size()); canvas.Refresh(r.s) }

func (r *sparkRenderer) Layout(size fyne.Size) {
	r.objs = r.objs[:0]
	vals := r.s.values
	if len(vals) == 0 {
		return
	}
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	lo, hi := vals[0], vals[0]
	for _, x := range vals {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	pad := float32(4)
	w, h := size.Width-2*pad, size.Height-2*pad
	pos := func(i int) fyne.Position {
		x := pad + w/2
		if len(vals) > 1 {
			x = pad + float32(i)/float32(len(vals)-1)*w
		}
		y := pad + h/2
		if hi > lo {
			y = pad + float32((hi-vals[i])/(hi-lo))*h
		}
		return fyne.NewPos(x, y)
	}
	lc := th.Color(theme.ColorNamePrimary, v)
	for i := 1; i < len(vals); i++ {
		ln := canvas.NewLine(lc)
		ln.StrokeWidth = 1.5
		ln.Position1, ln.Position2 = pos(i-1), pos(i)
		r.objs = append(r.objs, ln)
	}
	last := pos(len(vals) - 1)
	fill := lc
	if r.s.abnormal {
		fill = th.Color(theme.ColorNameError, v)
	}
	dot := canvas.NewCircle(fill)
	dot.Position1, dot.Position2 = fyne.NewPos(last.X-3, last.Y-3), fyne.NewPos(last.X+3, last.Y+3)
	r.objs = append(r.objs, dot)
}
