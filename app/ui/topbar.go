package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// topBar lays out the top bar: the search field, as wide as is left, and
// the action buttons on the right. When the window is too narrow for the
// buttons' words beside a usable search field (large text in a small
// window), the buttons show their icons only; their actions stay in the
// menu, with their shortcuts. Nothing is ever given a negative size.
type topBar struct {
	search  fyne.CanvasObject
	buttons []*widget.Button
	labels  []string // the buttons' words, for when there is room again
	compact bool
}

func newTopBar(search fyne.CanvasObject, buttons ...*widget.Button) *topBar {
	b := &topBar{search: search, buttons: buttons}
	for _, btn := range buttons {
		b.labels = append(b.labels, btn.Text)
	}
	return b
}

// minSearch is the narrowest the search field gets before the buttons
// give up their words (at 14 px text; it grows with the text size).
const minSearch = 220

func (b *topBar) objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{b.search}
	for _, btn := range b.buttons {
		objs = append(objs, btn)
	}
	return objs
}

// buttonsWidth is how wide the buttons are, with their words or without.
func (b *topBar) buttonsWidth(compact bool) float32 {
	pad := theme.Padding()
	var w float32
	for i, btn := range b.buttons {
		bw := btn.MinSize().Width
		if b.labels[i] != "" && compact != b.compact {
			// Measured as it would be: the words add their width and a gap.
			words := fyne.MeasureText(b.labels[i], theme.TextSize(), fyne.TextStyle{Bold: true}).Width + theme.InnerPadding()
			if compact {
				bw -= words
			} else {
				bw += words
			}
		}
		w += bw + pad
	}
	return w
}

func (b *topBar) setCompact(on bool) {
	if on == b.compact {
		return
	}
	b.compact = on
	for i, btn := range b.buttons {
		if on {
			btn.Text = ""
		} else {
			btn.Text = b.labels[i]
		}
		btn.Refresh()
	}
}

func (b *topBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	room := minSearch * theme.TextSize() / 14
	b.setCompact(size.Width-b.buttonsWidth(false) < room)
	x := size.Width
	for i := len(b.buttons) - 1; i >= 0; i-- {
		btn := b.buttons[i]
		w := btn.MinSize().Width
		x -= w
		btn.Move(fyne.NewPos(max(0, x), 0))
		btn.Resize(fyne.NewSize(w, size.Height))
		x -= theme.Padding()
	}
	b.search.Move(fyne.NewPos(0, 0))
	b.search.Resize(fyne.NewSize(max(0, x), size.Height))
}

func (b *topBar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	// As narrow as the icons alone and a little search field: the
	// window decides the width.
	return fyne.NewSize(b.buttonsWidth(true)+theme.IconInlineSize()*3, h)
}
