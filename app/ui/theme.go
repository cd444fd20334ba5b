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
// forced when the person chose one (else the system's), controls outlined
// so they can be seen, secondary text of 12 px, and
// every size scaled by the text-size setting.
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

// Outlines of fields, checkboxes and radio buttons: Fyne's stand 1.3:1
// from a light background and 1.6:1 from a dark one, leaving an unticked
// choice nearly invisible; these greys stand more than 3:1, as WCAG asks
// of controls (TestTheme_ControlsCanBeSeen).
var (
	lightInputBorder = color.NRGBA{R: 0x8d, G: 0x8d, B: 0x8d, A: 0xff}
	darkInputBorder  = color.NRGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff}
)

// Color is the base theme's, in the chosen variant, with controls'
// outlines that can be seen.
func (t *kinTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variant(v)
	if n == theme.ColorNameInputBorder {
		if v == theme.VariantLight {
			return lightInputBorder
		}
		return darkInputBorder
	}
	return t.base.Color(n, v)
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
