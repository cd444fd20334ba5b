package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/kinfolio/kinfolio/internal/atomicfile"
)

// WindowSettings are the window's choices for one user on one computer,
// for every vault it opens: the theme, the text size and the auto-lock.
// They are kept in [Paths.Settings] ([LoadWindowSettings],
// [SaveWindowSettings]), a small JSON file beside the default vault, so
// that everything Kinfolio keeps for a user is in one folder and a crash
// while saving never loses them.
type WindowSettings struct {
	// Theme is "system" (follow the computer), "light" or "dark".
	Theme string `json:"theme"`
	// TextSize scales all text and spacing; 1 is the normal 14 px body
	// text. One of [TextSizes].
	TextSize float64 `json:"textSize"`
	// AutoLockMinutes is how long the window may go unused before it
	// locks. One of [AutoLockChoices].
	AutoLockMinutes int `json:"autoLockMinutes"`
}

// The theme choices of [WindowSettings.Theme].
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// ThemeChoice is one theme the Settings screen offers.
type ThemeChoice struct {
	Value string
	Label string
}

// ThemeChoices are the themes, in the order the Settings screen lists them.
var ThemeChoices = []ThemeChoice{
	{ThemeSystem, "Same as the computer"},
	{ThemeLight, "Light"},
	{ThemeDark, "Dark"},
}

// TextSize is one text size the Settings screen offers.
type TextSize struct {
	Scale float64
	Label string
}

// TextSizes are the text sizes, smallest first.
var TextSizes = []TextSize{
	{0.9, "Small"},
	{1, "Normal"},
	{1.15, "Large"},
	{1.3, "Larger"},
	{1.5, "Largest"},
}

// AutoLockChoices are the auto-lock waits offered, in minutes.
var AutoLockChoices = []int{1, 2, 5, 10, 15, 30, 60}

// AutoLockText says an auto-lock wait in words: "5 minutes", "1 hour".
func AutoLockText(minutes int) string {
	switch {
	case minutes == 60:
		return "1 hour"
	case minutes%60 == 0:
		return fmt.Sprintf("%d hours", minutes/60)
	}
	return Plural(minutes, "minute", "")
}

// DefaultWindowSettings are the settings before a user changes any: the
// computer's theme, normal text, [DefaultAutoLock].
func DefaultWindowSettings() WindowSettings {
	return WindowSettings{Theme: ThemeSystem, TextSize: 1, AutoLockMinutes: int(DefaultAutoLock / time.Minute)}
}

// ErrBadSettings: the settings file is there but is not settings Kinfolio
// wrote (damaged, or edited by hand into something else).
var ErrBadSettings = errors.New("the settings file cannot be read")

// Normalized returns s with every value Kinfolio does not offer replaced
// by its default, so a file edited by hand never gives a window with
// 0-point text or a lock after a second.
func (s WindowSettings) Normalized() WindowSettings {
	d := DefaultWindowSettings()
	if !slices.ContainsFunc(ThemeChoices, func(c ThemeChoice) bool { return c.Value == s.Theme }) {
		s.Theme = d.Theme
	}
	if !slices.ContainsFunc(TextSizes, func(t TextSize) bool { return t.Scale == s.TextSize }) {
		s.TextSize = d.TextSize
	}
	if !slices.Contains(AutoLockChoices, s.AutoLockMinutes) {
		s.AutoLockMinutes = d.AutoLockMinutes
	}
	return s
}

// maxSettingsFile bounds what is read of a settings file.
const maxSettingsFile = 64 << 10

// LoadWindowSettings reads the settings at path ([Paths.Settings]). No
// file there gives [DefaultWindowSettings] and no error. Values Kinfolio
// does not offer are replaced by their defaults ([WindowSettings.Normalized]).
// A file that cannot be read gives the defaults and an error: wrapping
// [ErrBadSettings] when it is not settings JSON, else the file system's.
// The window starts with the defaults either way.
func LoadWindowSettings(path string) (WindowSettings, error) {
	d := DefaultWindowSettings()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("reading the settings: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSettingsFile+1))
	if err != nil {
		return d, fmt.Errorf("reading the settings: %w", err)
	}
	if len(b) > maxSettingsFile {
		return d, fmt.Errorf("%w: %s is larger than a settings file", ErrBadSettings, path)
	}
	s := d
	if err := json.Unmarshal(b, &s); err != nil {
		return d, fmt.Errorf("%w: %s: %v", ErrBadSettings, path, err)
	}
	return s.Normalized(), nil
}

// SaveWindowSettings writes s ([WindowSettings.Normalized]) to path,
// readable by the user only (0600), in place of the file there: a
// temporary file, flushed and renamed over it, so a crash leaves the old
// settings or the new ones. It makes the folder (0700) when it is missing.
// Errors are the file system's, with the path, or wrap
// [atomicfile.ErrInUse] on Windows when another program holds the file.
func SaveWindowSettings(path string, s WindowSettings) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saving the settings: %w", err)
	}
	b, err := json.MarshalIndent(s.Normalized(), "", "  ")
	if err != nil {
		return err
	}
	f, err := atomicfile.Create(path, 0o600)
	if err != nil {
		return fmt.Errorf("saving the settings: %w", err)
	}
	defer f.Close()
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("saving the settings: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("saving the settings: %w", err)
	}
	return nil
}
