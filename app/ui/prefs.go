package ui

import (
	"errors"
	"io/fs"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kinfolio/kinfolio/app"
)

// What the window remembers between runs (Fyne's preferences, under the
// app id): its size, the theme and text size, the auto-lock minutes, and
// per vault the person last shown (by id, which says nothing about them).
const (
	prefWidth       = "window.width"
	prefHeight      = "window.height"
	prefTheme       = "theme"
	prefTextScale   = "text.scale"
	prefAutoLockMin = "autolock.minutes"
	prefLastPerson  = "lastperson."
)

// defaultSize fits a 1366×768 laptop screen with its panels, and is the
// 1280×800 the screens are drawn for on larger ones.
var defaultSize = fyne.NewSize(1200, 740)

func (k *App) savedSize() fyne.Size {
	p := k.fyne.Preferences()
	w, h := p.Float(prefWidth), p.Float(prefHeight)
	if w < 800 || h < 560 {
		return defaultSize
	}
	return fyne.NewSize(float32(w), float32(h))
}

func (k *App) saveSize() {
	s := k.win.Canvas().Size()
	if s.Width >= 800 && s.Height >= 560 {
		p := k.fyne.Preferences()
		p.SetFloat(prefWidth, float64(s.Width))
		p.SetFloat(prefHeight, float64(s.Height))
	}
}

// closing runs as the window closes: remember its size, lock the vault.
func (k *App) closing() {
	k.saveSize()
	k.lockSession()
}

func (k *App) themeChoice() ThemeChoice {
	return ThemeChoice(k.fyne.Preferences().IntWithFallback(prefTheme, int(ThemeSystem)))
}

func (k *App) textScale() float32 {
	return float32(k.fyne.Preferences().FloatWithFallback(prefTextScale, 1))
}

func (k *App) autoLockWait() time.Duration {
	if k.opts.AutoLock > 0 {
		return k.opts.AutoLock
	}
	if m := k.fyne.Preferences().Int(prefAutoLockMin); m > 0 {
		return time.Duration(m) * time.Minute
	}
	return app.DefaultAutoLock
}

// lastPerson is the id of the person last shown in the vault with this id.
func (k *App) lastPerson(vaultID string) string {
	return k.fyne.Preferences().String(prefLastPerson + vaultID)
}

func (k *App) setLastPerson(vaultID, person string) {
	if vaultID != "" {
		k.fyne.Preferences().SetString(prefLastPerson+vaultID, person)
	}
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// SetTheme applies and remembers the theme and text size (the Settings
// screen's choices): system, light or dark, and a scale for every size
// (1 is 14 px body text).
func (k *App) SetTheme(choice ThemeChoice, scale float32) {
	if scale <= 0 {
		scale = 1
	}
	p := k.fyne.Preferences()
	p.SetInt(prefTheme, int(choice))
	p.SetFloat(prefTextScale, float64(scale))
	k.fyne.Settings().SetTheme(newTheme(choice, scale))
}

// SetAutoLock applies and remembers how many minutes unused lock the
// window (the Settings screen's choice); it counts from the last use.
func (k *App) SetAutoLock(minutes int) {
	if minutes < 1 {
		minutes = int(app.DefaultAutoLock / time.Minute)
	}
	k.fyne.Preferences().SetInt(prefAutoLockMin, minutes)
	if k.idle != nil && k.opts.AutoLock == 0 {
		k.idle.SetWait(time.Duration(minutes) * time.Minute)
	}
}
