package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Fyne has no "the user is idle" signal, so the window reports use to the
// session's app.IdleLock itself: every route shown, every button and menu
// item of the frame, typing in its fields, keys pressed with nothing
// focused, the pointer moving over the window (activity below), and the
// window coming to the front. Going to the background starts the count
// that locks a window left there.

// touch tells the auto-lock the window is in use.
func (k *App) touch() {
	if k.idle != nil {
		k.idle.Touch()
	}
}

// touched wraps a handler so that it counts as use.
func (k *App) touched(f func()) func() {
	return func() {
		k.touch()
		f()
	}
}

// startIdle starts the auto-lock for the session just opened.
func (k *App) startIdle() {
	k.stopIdle()
	k.idle = app.NewIdleLock(k.autoLockWait(), k.opts.Clock, func() {
		fyne.Do(k.autoLocked)
	})
}

func (k *App) stopIdle() {
	if k.idle != nil {
		k.idle.Stop()
		k.idle = nil
	}
}

// watchForeground follows the window to the background and back.
func (k *App) watchForeground() {
	lc := k.fyne.Lifecycle()
	lc.SetOnExitedForeground(func() {
		if k.idle != nil {
			k.idle.Away()
		}
	})
	lc.SetOnEnteredForeground(func() {
		if k.idle != nil {
			k.idle.Back()
		}
	})
}

// activity holds a screen and notices the pointer moving over it.
// Fyne sends pointer moves to the deepest hoverable object only, so the
// moves over buttons and list rows reach it as a request for its cursor
// (which Fyne asks of every object under the pointer, outermost first).
type activity struct {
	widget.BaseWidget
	k       *App
	content fyne.CanvasObject
}

var (
	_ desktop.Hoverable  = (*activity)(nil)
	_ desktop.Cursorable = (*activity)(nil)
)

func wrapActivity(k *App, content fyne.CanvasObject) *activity {
	a := &activity{k: k, content: content}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activity) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(a.content)
}

func (a *activity) Cursor() desktop.Cursor         { a.k.touch(); return desktop.DefaultCursor }
func (a *activity) MouseIn(*desktop.MouseEvent)    { a.k.touch() }
func (a *activity) MouseMoved(*desktop.MouseEvent) { a.k.touch() }
func (a *activity) MouseOut()                      {}
