package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// A page refreshed before its list was ever drawn does not crash: Fyne's
// List.ScrollToTop would (its scroller is made with the renderer).
func TestScrollToTop_ListNeverDrawn(t *testing.T) {
	l := widget.NewList(func() int { return 3 }, func() fyne.CanvasObject { return widget.NewLabel("") }, func(int, fyne.CanvasObject) {})
	scrollToTop(l)
}
