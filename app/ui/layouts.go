package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columnLayout places its one object in a column at most width wide,
// centred across, and centred down when there is room (inside a scroll
// container, which gives it at least the viewport's height).
type columnLayout struct{ width float32 }

func (l *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 4
	for _, o := range objs {
		w := min(l.width, size.Width-2*pad)
		w = max(w, min(o.MinSize().Width, size.Width))
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, max(pad, (size.Height-h)/2)))
	}
}

func (l *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding() * 4
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s = s.Max(fyne.NewSize(min(m.Width, l.width)+2*pad, m.Height+2*pad))
	}
	return s
}

// columnWidth gives its objects one width (the rail's 220 px at 14 px
// text, wider as the text-size setting makes text larger) and the height
// they are given.
type columnWidth struct{ width float32 }

// scaled is the width at the theme's text size.
func (l *columnWidth) scaled() float32 { return l.width * theme.TextSize() / 14 }

func (l *columnWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := l.scaled()
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *columnWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.scaled(), h)
}

// widthLayout makes its objects one width (a dialog's body), as tall as
// they need at that width (wrapped text grows down).
type widthLayout struct{ width float32 }

func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		if o.Size().Width != l.width {
			o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}
