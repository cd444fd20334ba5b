package ui

import (
	"fyne.io/fyne/v2"
)

// Background runs work off the window's goroutine, then hands its result
// to done on the window's goroutine. It is the one way screens start slow
// work (a key derivation, an import, an export): the window never freezes
// and no widget is touched from another goroutine.
//
// The work runs with the session's runner when a session is open (inline
// in tests, where Fyne's test driver also runs fyne.Do inline), else on a
// new goroutine.
func Background[T any](k *App, work func() (T, error), done func(T, error)) {
	run := func() {
		v, err := work()
		fyne.Do(func() { done(v, err) })
	}
	if k.runner != nil {
		k.runner(run)
		return
	}
	go run()
}
