package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kinfolio/kinfolio/app"
)

// The window keeps two kinds of things between runs.
//
// The person's choices in Settings — theme, text size, auto-lock — are
// the settings file of package app (app.DefaultPaths().Settings, beside
// the default vault): every file Kinfolio keeps for a user is in that one
// folder, a save is atomic (a crash or a full disk never leaves half a
// file, where Fyne rewrites its preferences in place), and app checks
// each value as it reads it, so a file edited by hand cannot give a
// window with unreadable text.
//
// What the window remembers by itself — its size, and per vault the
// person last shown (by id, which says nothing about them) — is Fyne's
// preferences, under the app id: it changes with every person switched
// to, which Fyne saves in the background without a disk flush each time.
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefLastPerson = "lastperson."
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

// loadSettings reads the settings file (the defaults when there is none,
// or when it cannot be read: the window starts either way).
func (k *App) loadSettings() {
	k.settingsPath = k.opts.SettingsPath
	if k.settingsPath == "" {
		if p, err := app.DefaultPaths(); err == nil {
			k.settingsPath = p.Settings
		}
	}
	k.choices = app.DefaultWindowSettings()
	if k.settingsPath != "" {
		s, err := app.LoadWindowSettings(k.settingsPath)
		if err != nil {
			fyne.LogError("Kinfolio's settings were not read; the defaults apply", err)
		}
		k.choices = s
	}
}

// saveSettings writes the settings file.
func (k *App) saveSettings() error {
	if k.settingsPath == "" {
		return fmt.Errorf("%w: there is no folder for Kinfolio's files", app.ErrNoProfileDir)
	}
	return app.SaveWindowSettings(k.settingsPath, k.choices)
}

func (k *App) themeChoice() ThemeChoice { return ThemeChoice(k.choices.Theme) }

func (k *App) textScale() float32 { return float32(k.choices.TextSize) }

func (k *App) autoLockWait() time.Duration {
	if k.opts.AutoLock > 0 {
		return k.opts.AutoLock
	}
	return time.Duration(k.choices.Normalized().AutoLockMinutes) * time.Minute
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

// Settings returns the window's settings as they apply now.
func (k *App) Settings() app.WindowSettings { return k.choices }

// SetTheme applies the theme and text size at once (the Settings screen's
// choices: system, light or dark, and a scale for every size, 1 being
// 14 px body text) and saves them. They apply even when the saving fails,
// until the window closes; the error says why they were not kept.
func (k *App) SetTheme(choice ThemeChoice, scale float64) error {
	k.choices.Theme = string(choice)
	k.choices.TextSize = scale
	k.choices = k.choices.Normalized()
	k.fyne.Settings().SetTheme(newTheme(k.themeChoice(), k.textScale()))
	return k.saveSettings()
}

// SetAutoLock applies how many minutes unused lock the window (one of
// app.AutoLockChoices; the Settings screen's choice), counting from the
// last use, and saves it (errors as SetTheme's).
func (k *App) SetAutoLock(minutes int) error {
	k.choices.AutoLockMinutes = minutes
	k.choices = k.choices.Normalized()
	if k.idle != nil && k.opts.AutoLock == 0 {
		k.idle.SetWait(k.autoLockWait())
	}
	return k.saveSettings()
}
