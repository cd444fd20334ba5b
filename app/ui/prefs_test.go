package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/kinfolio/kinfolio/app"
)

func TestPrefs_SizeThemeAndAutoLockAreRemembered(t *testing.T) {
	stubPages(t, app.SectionSummary)
	path, d := newDemo(t)
	t.Setenv("HOME", t.TempDir())
	a := test.NewTempApp(t)
	r := startIn(t, a, path)
	r.unlock(d.Passphrase)
	r.k.win.Resize(fyne.NewSize(1100, 700))
	r.k.lockNow()
	if got := r.k.savedSize(); got != fyne.NewSize(1100, 700) {
		t.Errorf("saved size %v, want 1100×700", got)
	}
	// Dark chosen in Settings: the theme wraps the default, forced dark.
	if err := r.k.SetTheme(ThemeDark, 1.3); err != nil {
		t.Fatal(err)
	}
	th := a.Settings().Theme()
	if got, want := th.Color(theme.ColorNameBackground, theme.VariantLight), theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark); got != want {
		t.Errorf("forced dark background %v, want %v", got, want)
	}
	if got := th.Size(theme.SizeNameText); got != float32(14*float32(1.3)) {
		t.Errorf("text size %v, want 18.2", got)
	}
	// A new window on the same settings and preferences starts as it was left.
	r2 := startIn(t, a, path)
	if r2.k.themeChoice() != ThemeDark || r2.k.textScale() != float32(1.3) || r2.k.savedSize() != fyne.NewSize(1100, 700) {
		t.Errorf("a new window: theme %v, scale %v, size %v", r2.k.themeChoice(), r2.k.textScale(), r2.k.savedSize())
	}
	// A shorter auto-lock from Settings applies at once.
	r2.unlock(d.Passphrase)
	if err := r2.k.SetAutoLock(2); err != nil {
		t.Fatal(err)
	}
	r2.clock.Advance(2 * time.Minute)
	r2.wantScreen("unlock")
	r2.wantText("after 2 minutes without use")
}
