package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kinfolio/kinfolio/app"
)

func TestWindowSettings_SavedAndReadBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kinfolio", "settings.json") // the folder is made
	got, err := app.LoadWindowSettings(path)
	if err != nil || got != app.DefaultWindowSettings() {
		t.Fatalf("no file: %+v, %v; want the defaults", got, err)
	}
	if got.AutoLockMinutes != 5 || got.Theme != app.ThemeSystem || got.TextSize != 1 {
		t.Errorf("defaults %+v", got)
	}
	want := app.WindowSettings{Theme: app.ThemeDark, TextSize: 1.3, AutoLockMinutes: 15}
	if err := app.SaveWindowSettings(path, want); err != nil {
		t.Fatal(err)
	}
	got, err = app.LoadWindowSettings(path)
	if err != nil || got != want {
		t.Errorf("read back %+v, %v; want %+v", got, err, want)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(path)
		di, _ := os.Stat(filepath.Dir(path))
		if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
			t.Errorf("modes: file %v, folder %v; want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
		}
	}
	// Saving again replaces the file whole, and leaves no temporary file.
	want.Theme = app.ThemeLight
	if err := app.SaveWindowSettings(path, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := app.LoadWindowSettings(path); got != want {
		t.Errorf("after a second save: %+v", got)
	}
	names, _ := os.ReadDir(filepath.Dir(path))
	if len(names) != 1 {
		t.Errorf("the folder holds %d files, want the settings only", len(names))
	}
}

func TestWindowSettings_BadFilesGiveTheDefaults(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		want          app.WindowSettings
		bad           bool
	}{
		{"damaged", `{"theme": "dark", "textSi`, app.DefaultWindowSettings(), true},
		{"not-json", "theme=dark\n", app.DefaultWindowSettings(), true},
		// Values Kinfolio does not offer become their defaults; the rest stay.
		{"edited", `{"theme": "purple", "textSize": 0.01, "autoLockMinutes": 30}`,
			app.WindowSettings{Theme: app.ThemeSystem, TextSize: 1, AutoLockMinutes: 30}, false},
		{"zero-lock", `{"theme": "light", "textSize": 1.5, "autoLockMinutes": 0}`,
			app.WindowSettings{Theme: app.ThemeLight, TextSize: 1.5, AutoLockMinutes: 5}, false},
		{"unknown-fields", `{"theme": "dark", "later": true}`,
			app.WindowSettings{Theme: app.ThemeDark, TextSize: 1, AutoLockMinutes: 5}, false},
	} {
		path := filepath.Join(dir, tc.name+".json")
		os.WriteFile(path, []byte(tc.content), 0o600)
		got, err := app.LoadWindowSettings(path)
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
		if tc.bad != errors.Is(err, app.ErrBadSettings) {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
}

func TestAutoLockText(t *testing.T) {
	for m, want := range map[int]string{1: "1 minute", 5: "5 minutes", 60: "1 hour", 120: "2 hours"} {
		if got := app.AutoLockText(m); got != want {
			t.Errorf("AutoLockText(%d) = %q, want %q", m, got, want)
		}
	}
}
