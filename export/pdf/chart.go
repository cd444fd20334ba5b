package pdf

import (
	"math"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// A trend is a series ready to chart: points on a true time axis, one or
// two values per point (blood pressure has two), the reference range.
type trend struct {
	t      []float64 // days since the first point
	v      [][]float64
	labels [][]string // the values as written, for min, max and last
	// low and high are the reference range of the latest result, if stated.
	low, high *float64
	// varies is true when earlier results state another range.
	varies        bool
	first, latest record.Date
	// text counts results that are not numbers (not charted).
	text int
	// goal is the person's own target, drawn as dashed lines.
	goal *goal
}

// makeTrend reads a series' points. Blood pressure ("128/82") gives two
// values per point; other text values are counted, not charted.
func makeTrend(s *record.Series) trend {
	var tr trend
	if len(s.Points) == 0 {
		return tr
	}
	last := s.Latest()
	if last.Range != nil {
		tr.low, tr.high = last.Range.Low, last.Range.High
	}
	want := last.Range.String()
	for _, e := range s.Points {
		if e.Range != nil && e.Range.String() != want && want != "" {
			tr.varies = true
		}
		vals, labels := pointValues(e)
		if len(vals) == 0 || e.Date.IsZero() {
			tr.text++
			continue
		}
		if len(tr.v) > 0 && len(vals) != len(tr.v[0]) {
			tr.text++
			continue
		}
		if len(tr.t) == 0 {
			tr.first = e.Date
		}
		tr.latest = e.Date
		tr.t = append(tr.t, e.Date.T.Sub(tr.first.T).Hours()/24)
		tr.v = append(tr.v, vals)
		tr.labels = append(tr.labels, labels)
	}
	return tr
}

// pointValues returns a result's numbers: one, or two for "128/82".
func pointValues(e *record.Entry) ([]float64, []string) {
	v := strings.TrimSpace(e.Value)
	if a, b, ok := strings.Cut(v, "/"); ok {
		x, ok1 := (&record.Entry{Value: a}).Numeric()
		y, ok2 := (&record.Entry{Value: b}).Numeric()
		if ok1 && ok2 && chartable(x) && chartable(y) {
			return []float64{x, y}, []string{tidyNumber(a), tidyNumber(b)}
		}
		return nil, nil
	}
	if x, ok := e.Numeric(); ok && chartable(x) {
		return []float64{x}, []string{tidyNumber(v)}
	}
	return nil, nil
}

// chartable reports whether a number can go on a chart: finite, and small
// enough that differences of such numbers are finite too.
func chartable(x float64) bool { return !math.IsNaN(x) && math.Abs(x) < 1e100 }

// chartSize is the size of a trend chart's plot and the labels around it.
type chartSize struct {
	plotW, plotH float64
	// labelSize is the labels' type size in points.
	labelSize float64
	// leftW, when set, is the room for the min and max labels, so the
	// plots of a table's rows line up.
	leftW float64
}

// chartBox returns the width and height a chart of cs needs with its labels.
func (d *doc) chartBox(tr *trend, cs chartSize) (w, h float64) {
	lw, rw := d.chartLabelWidths(tr, cs)
	return lw + cs.plotW + rw, cs.plotH + lh(cs.labelSize) + 0.6
}

func (d *doc) chartLabelWidths(tr *trend, cs chartSize) (left, right float64) {
	d.font("", cs.labelSize)
	if tr.hasExtremes() {
		lo, hi := tr.extremes()
		left = max(d.width("max "+hi.label), d.width("min "+lo.label)) + 1.2
	}
	left = max(left, cs.leftW)
	d.font("B", cs.labelSize)
	if n := len(tr.labels); n > 0 {
		right = d.width(strings.Join(tr.labels[n-1], "/")) + 1.5
	}
	return left, right
}

type extreme struct {
	i, k  int // point and value index
	v     float64
	label string
}

// hasExtremes reports whether min and max are worth labelling: more than
// one result, not all the same.
func (tr *trend) hasExtremes() bool {
	if len(tr.t) < 2 {
		return false
	}
	lo, hi := tr.extremes()
	return lo.v != hi.v
}

// extremes returns the lowest and highest charted values.
func (tr *trend) extremes() (lo, hi extreme) {
	lo.v, hi.v = math.Inf(1), math.Inf(-1)
	for i, vs := range tr.v {
		for k, v := range vs {
			if v < lo.v {
				lo = extreme{i, k, v, tr.labels[i][k]}
			}
			if v > hi.v {
				hi = extreme{i, k, v, tr.labels[i][k]}
			}
		}
	}
	return lo, hi
}

// drawChart draws a trend chart with its top-left corner at (x, y): the
// reference range as a grey band, a dot per result on a true time axis
// joined by a thin line, the lowest and highest results ringed and
// labelled at the left ("max 9.1", "min 5.4"), the latest result bold and
// labelled at the right, the first and last years under the axis.
func (d *doc) drawChart(x, y float64, tr *trend, cs chartSize) {
	if len(tr.t) == 0 {
		return
	}
	lw, _ := d.chartLabelWidths(tr, cs)
	px, py, pw, ph := x+lw, y+0.3, cs.plotW, cs.plotH
	lo, hi := tr.extremes()
	vmin, vmax := lo.v, hi.v
	bandLo, bandHi := math.Inf(-1), math.Inf(1)
	if tr.low != nil {
		bandLo = *tr.low
		vmin = min(vmin, bandLo)
		vmax = max(vmax, bandLo)
	}
	if tr.high != nil {
		bandHi = *tr.high
		vmin = min(vmin, bandHi)
		vmax = max(vmax, bandHi)
	}
	if tr.goal != nil {
		for _, g := range tr.goal.values {
			if chartable(g) {
				vmin, vmax = min(vmin, g), max(vmax, g)
			}
		}
	}
	if vmax-vmin < 1e-9 {
		vmin, vmax = vmin-1, vmax+1
		if vmin == -1 && lo.v >= 0 {
			vmin = 0
		}
	}
	pad := (vmax - vmin) * 0.1
	vmin, vmax = vmin-pad, vmax+pad
	span := tr.t[len(tr.t)-1]
	xAt := func(t float64) float64 {
		if span <= 0 {
			return px + pw // one result (or one day): at the end, where the latest goes
		}
		return px + t/span*pw
	}
	yAt := func(v float64) float64 { return py + ph - (v-vmin)/(vmax-vmin)*ph }

	// The frame: a hairline baseline only, as sparklines have.
	d.f.SetDrawColor(greyRule, greyRule, greyRule)
	d.f.SetLineWidth(0.1)
	d.f.Line(px, py+ph, px+pw, py+ph)
	if tr.low != nil || tr.high != nil {
		top := yAt(min(bandHi, vmax))
		bot := yAt(max(bandLo, vmin))
		d.f.SetFillColor(greyBand, greyBand, greyBand)
		d.f.Rect(px, top, pw, bot-top, "F")
	}
	if tr.goal != nil {
		// The personal goal: a dashed line at each target value.
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.15)
		d.f.SetDashPattern([]float64{0.8, 0.6}, 0)
		for _, g := range tr.goal.values {
			if chartable(g) {
				d.f.Line(px, yAt(g), px+pw, yAt(g))
			}
		}
		d.f.SetDashPattern(nil, 0)
	}
	nv := len(tr.v[0])
	// A dot per result while dots can be told apart; a dense series is a
	// thin line only.
	dense := float64(len(tr.t)) > pw/0.9
	for k := 0; k < nv; k++ {
		d.f.SetDrawColor(60, 60, 60)
		d.f.SetLineWidth(0.2)
		if dense {
			d.f.SetLineWidth(0.1)
		}
		for i := 1; i < len(tr.t); i++ {
			d.f.Line(xAt(tr.t[i-1]), yAt(tr.v[i-1][k]), xAt(tr.t[i]), yAt(tr.v[i][k]))
		}
		if dense {
			continue
		}
		d.f.SetFillColor(0, 0, 0)
		for i := range tr.t {
			d.f.Circle(xAt(tr.t[i]), yAt(tr.v[i][k]), 0.28, "F")
		}
	}
	n := len(tr.t) - 1
	d.f.SetFillColor(0, 0, 0)
	for k := 0; k < nv; k++ {
		d.f.Circle(xAt(tr.t[n]), yAt(tr.v[n][k]), 0.62, "F")
	}
	if tr.hasExtremes() {
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.2)
		for _, e := range []extreme{lo, hi} {
			if e.i != n {
				d.f.Circle(xAt(tr.t[e.i]), yAt(e.v), 0.6, "D")
			}
		}
		d.font("", cs.labelSize)
		d.grey(greyText)
		l := lh(cs.labelSize)
		d.text(x, py-0.6, lw-1.2, "max "+hi.label, "R")
		d.text(x, py+ph-l+0.6, lw-1.2, "min "+lo.label, "R")
		d.black()
	}
	// The latest value, bold, beside the last point.
	d.font("B", cs.labelSize)
	l := lh(cs.labelSize)
	ly := yAt(tr.v[n][0]) - l/2
	if nv > 1 {
		ly = (yAt(tr.v[n][0])+yAt(tr.v[n][1]))/2 - l/2
	}
	ly = min(max(ly, py-0.8), py+ph-l+0.8)
	d.text(px+pw+1.5, ly, 40, strings.Join(tr.labels[n], "/"), "L")
	// Years under the axis.
	d.font("", cs.labelSize)
	d.grey(greyText)
	ty := py + ph + 0.3
	if span <= 0 {
		d.text(px+pw-10, ty, 20, tr.first.T.Format("2006"), "C")
	} else {
		d.text(px-10, ty, 20, tr.first.T.Format("2006"), "C")
	}
	if span > 0 && tr.latest.T.Year() != tr.first.T.Year() && pw > 18 {
		d.text(px+pw-10, ty, 20, tr.latest.T.Format("2006"), "C")
	}
	d.black()
}
