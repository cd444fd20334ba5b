package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
)

func TestWelcome_FirstRunSaysWhatKinfolioIs(t *testing.T) {
	swapPages(t, nil)
	r := start(t, filepath.Join(t.TempDir(), "vault.kinfolio"))
	r.wantScreen("welcome")
	if r.k.win.Title() != "Kinfolio" {
		t.Errorf("window title %q, want Kinfolio", r.k.win.Title())
	}
	if !strings.HasPrefix(string(Icon.Content()), "\x89PNG") {
		t.Error("the app icon is not a PNG")
	}
	r.wantText("Kinfolio", "Nothing leaves this computer", "passphrase or recovery key",
		"Create my vault", "Open the demo", "~/vault.kinfolio")
	test.AssertRendersToMarkup(t, "welcome.xml", r.k.win.Canvas())
}

func TestFirstRun_CreateTheVaultAndKeepTheRecoveryKey(t *testing.T) {
	stubPages(t, app.SectionSummary)
	path := filepath.Join(t.TempDir(), "vault.kinfolio")
	r := start(t, path)
	r.tap("Create my vault")
	r.wantScreen("create")
	test.AssertRendersToMarkup(t, "create.xml", r.k.win.Canvas())

	pass, again := r.entry("Passphrase"), r.entry("The same passphrase again")
	// The meter says in words how strong it is; Suggest fills in random words.
	typeInto(pass, "password1")
	r.wantText("Strength: weak")
	r.tap("Suggest one")
	suggested := pass.Text
	if n := len(strings.Fields(suggested)); n < 5 || again.Text != suggested {
		t.Errorf("Suggest one filled in %q and %q", suggested, again.Text)
	}
	r.wantText(suggested, "Strength: strong", "Write these words down")
	typeInto(pass, "maple otter lantern quiet harbor")
	typeInto(again, "maple otter lantern quiet harbour")
	r.wantText("The two passphrases differ.")
	if !r.button("Create vault").Disabled() {
		t.Error("Create vault is enabled while the passphrases differ")
	}
	typeInto(again, "maple otter lantern quiet harbor")
	r.noText("The two passphrases differ.")
	r.tap("Create vault")

	// The recovery key, once, with a check that it was kept.
	r.wantScreen("recovery")
	rs := r.k.current.(*recoveryScreen)
	key := rs.key
	r.wantText(key, "only other way in", "Save to file…", "Print…")
	if !strings.HasPrefix(key, "AGE-SECRET-KEY-1") {
		t.Fatalf("recovery key %q", key)
	}
	if !r.button("Continue").Disabled() {
		t.Error("Continue is enabled before the key was kept")
	}
	keyFile := filepath.Join(t.TempDir(), "recovery.txt")
	rs.saveTo(keyFile) // what "Save to file…" does with the file the dialog chose
	r.wantText("Saved to")
	sheet := filepath.Join(t.TempDir(), "recovery")
	rs.printTo(sheet)
	if b, err := os.ReadFile(sheet + ".pdf"); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("Print did not write a PDF sheet: %v", err)
	}
	r.wantText("print it from there")
	test.Tap(rs.saved)
	r.tap("Continue")

	// An empty vault asks whose records it keeps.
	r.wantScreen("frame")
	r.wantText("Whose records will you keep here?", "Bring in your records", "Try the demo", "No one yet")
	typeInto(r.entry("Name, as on their records"), "Ann Lee")
	typeInto(r.entry("Birth date: 1981-04-12 (or just the year)"), "12/04/1981")
	r.tap("Add")
	r.wantText(`"12/04/1981" is not a date`)
	typeInto(r.entry("Birth date: 1981-04-12 (or just the year)"), "1981-04-12")
	r.tap("Add")
	if r.k.win.Title() != "Kinfolio — Ann Lee" {
		t.Errorf("window title %q", r.k.win.Title())
	}
	r.wantText("Ann Lee", "45 years · born 12 Apr 1981", "Page: summary")

	// The key saved opens the vault (after a lock), as the recovery key.
	r.k.lockNow()
	s, err := app.Open(path, app.IdentityFile(keyFile), apptest.Options())
	if err != nil {
		t.Fatalf("the saved recovery key does not open the new vault: %v", err)
	}
	s.Lock()
	s, err = app.Open(path, app.Passphrase("maple otter lantern quiet harbor"), apptest.Options())
	if err != nil {
		t.Fatalf("the chosen passphrase does not open the new vault: %v", err)
	}
	s.Lock()
}

func TestFirstRun_OpenTheDemo(t *testing.T) {
	stubPages(t, app.SectionSummary)
	dir := t.TempDir()
	r := start(t, filepath.Join(dir, "vault.kinfolio"))
	r.tap("Open the demo")
	r.wantScreen("frame")
	if _, err := os.Stat(filepath.Join(dir, "demo.kinfolio")); err != nil {
		t.Errorf("the demo vault is not beside the user's: %v", err)
	}
	if fileExists(filepath.Join(dir, "vault.kinfolio")) {
		t.Error("opening the demo made the user's own vault")
	}
	r.wantText("DEMO", "made-up records", "Ann Lee")
	if got := r.k.win.Title(); got != "Kinfolio (demo) — Ann Lee" {
		t.Errorf("window title %q", got)
	}
	// Locked, the demo's unlock screen is labelled too and shows the passphrase.
	r.k.lockNow()
	r.wantScreen("unlock")
	info, _ := app.Peek(filepath.Join(dir, "demo.kinfolio"), nil)
	r.wantText("DEMO", "This is the demo vault", info.DemoPassphrase)
	r.tap("Fill it in")
	r.tap("Unlock")
	r.wantScreen("frame")
}
