package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
)

func TestUnlock_WrongThenRightPassphrase(t *testing.T) {
	stubPages(t, app.SectionSummary)
	path := newVault(t, "Ann Lee")
	r := start(t, path)
	r.wantScreen("unlock")
	r.wantText("Unlock Kinfolio", "~/vault.kinfolio", "Use your recovery key…", "Open another vault…")
	r.noText("DEMO")
	test.AssertRendersToMarkup(t, "unlock.xml", r.k.win.Canvas())

	r.unlock("correct horse battery stable")
	r.wantScreen("unlock")
	r.wantText("That passphrase does not open this vault")
	if e := r.entry("Passphrase"); e.Text != "" || e.Disabled() {
		t.Errorf("after a wrong passphrase the field holds %q (disabled %v); want it empty and ready", e.Text, e.Disabled())
	}
	if r.k.Session() != nil {
		t.Fatal("a wrong passphrase opened a session")
	}
	r.unlock("correct horse battery staple")
	r.wantScreen("frame")
	r.wantText("Ann Lee", "Page: summary")
	if r.k.Session() == nil || r.k.win.Title() != "Kinfolio — Ann Lee" {
		t.Errorf("after unlocking: session %v, title %q", r.k.Session(), r.k.win.Title())
	}
}

func TestUnlock_WithTheRecoveryKey(t *testing.T) {
	stubPages(t, app.SectionSummary)
	path := newVault(t, "Ann Lee")
	s, _ := app.Open(path, app.Passphrase("correct horse battery staple"), apptest.Options())
	key, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	r := start(t, path)
	u := r.k.current.(*unlockScreen)
	u.open(app.IdentityText("AGE-SECRET-KEY-1QQQ"), "Unlocking with the key…")
	r.wantText("not a key file Kinfolio can use")
	u.open(app.IdentityText(key), "Unlocking with the key…")
	r.wantScreen("frame")
}

// Each way a vault cannot be opened says so in a sentence, never a Go error.
func TestUnlock_ProblemsAreSentences(t *testing.T) {
	dir := t.TempDir()
	letter := filepath.Join(dir, "letter.kinfolio")
	os.WriteFile(letter, []byte(strings.Repeat("Dear doctor,\n", 800)), 0o600)

	damaged := newVault(t, "Ann Lee")
	b, _ := os.ReadFile(damaged)
	for i := 4096 * 2; i < len(b); i += 97 {
		b[i] ^= 0x5a
	}
	os.WriteFile(damaged, b, 0o600)

	inUse := newVault(t, "Ann Lee")
	held, err := app.Open(inUse, app.Passphrase("correct horse battery staple"), apptest.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Lock()

	for _, tc := range []struct {
		name, path, says string
	}{
		{"not a vault", letter, "This file is not a Kinfolio vault."},
		{"damaged", damaged, "damaged"},
		{"in use", inUse, "open in another Kinfolio window"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", dir)
			a := test.NewTempApp(t)
			r := startIn(t, a, tc.path)
			r.k.opts.Session.LockTimeout = 20 * time.Millisecond
			r.k.showUnlock(tc.path, "") // peek again with the short lock timeout
			r.wantScreen("unlock")
			r.wantText(tc.says)
			r.unlock("correct horse battery staple")
			r.wantScreen("unlock")
			r.wantText(tc.says)
			r.noText("bbolt", "%!", "error:")
		})
	}
}
