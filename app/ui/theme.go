package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/kinfolio/kinfolio/app"
)

// ThemeChoice is the theme setting: follow the system, or always light or
// dark (app.WindowSettings.Theme).
type ThemeChoice string

// The theme choices (the Settings screen offers them).
const (
	ThemeSystem ThemeChoice = app.ThemeSystem
	ThemeLight  ThemeChoice = app.ThemeLight
	ThemeDark   ThemeChoice = app.ThemeDark
)

// kinTheme is Fyne's default theme with Kinfolio's few changes: a variant
// forced when the person chose one (else the system's), secondary text of
// 12 px, and every size scaled by the text-size setting.
type kinTheme struct {
	base   fyne.Theme
	choice ThemeChoice
	// scale multiplies every size (1 is Fyne's 14 px body text).
	scale float32
}

var _ fyne.Theme = (*kinTheme)(nil)

func newTheme(choice ThemeChoice, scale float32) *kinTheme {
	if scale <= 0 {
		scale = 1
	}
	return &kinTheme{base: theme.DefaultTheme(), choice: choice, scale: scale}
}

func (t *kinTheme) variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.choice {
	case ThemeLight:
		return theme.VariantLight
	case ThemeDark:
		return theme.VariantDark
	}
	return v
}

// Color is the base theme's, in the chosen variant.
func (t *kinTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base.Color(n, t.variant(v))
}

func (t *kinTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base.Font(s) }
func (t *kinTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// Size is the base theme's, scaled; secondary (caption) text is 12 px
// where body text is 14 (Fyne's own is 11).
func (t *kinTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameCaptionText {
		return t.base.Size(theme.SizeNameText) * 12 / 14 * t.scale
	}
	return t.base.Size(n) * t.scale
}
