package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
	"github.com/kinfolio/kinfolio/vault"
)

const testPassphrase = "correct horse battery staple"

// openSettings unlocks a vault with Ann Lee and opens Settings from the
// menu, checking its shortcut is Ctrl+,.
func openSettings(t *testing.T) *run {
	t.Helper()
	stubPages(t, app.SectionSummary)
	pages[SectionSettings] = func(k *App, r Route) Page { return newSettingsPage(k, r) }
	pages[SectionAuditLog] = func(k *App, r Route) Page { return newAuditPage(k, r) }
	r := start(t, newVault(t, "Ann Lee"))
	r.unlock(testPassphrase)
	item := r.menuItem("Settings…")
	if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyComma || sc.Modifier != fyne.KeyModifierShortcutDefault {
		t.Errorf("Settings' shortcut %#v, want Ctrl+,", item.Shortcut)
	}
	item.Action()
	r.wantText("Settings", "Passphrase", "Recovery key", "Caregivers' keys", "This computer")
	return r
}

// pinAvatar gives the rail's avatar a fixed colour for a golden: it comes
// from the person's id, random per vault.
func (r *run) pinAvatar() { r.k.frame.rail.badge.set("A", 200) }

func (r *run) settingsPage() *settingsPage {
	r.t.Helper()
	p, ok := r.k.frame.page.(*settingsPage)
	if !ok {
		r.t.Fatalf("the page on show is %T, not Settings", r.k.frame.page)
	}
	return p
}

// key presses a key in the focused widget, or on the window when none is.
func (r *run) key(name fyne.KeyName) {
	c := r.k.win.Canvas()
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
		return
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func (r *run) noDialog() {
	r.t.Helper()
	if top := r.k.win.Canvas().Overlays().Top(); top != nil {
		r.t.Fatalf("a dialog is still open; the window says:\n%s", r.text())
	}
}

func TestSettings_ChangePassphrase(t *testing.T) {
	r := openSettings(t)
	path := r.k.Session().Path()
	r.pinAvatar()
	test.AssertRendersToMarkup(t, "settings.xml", r.k.win.Canvas())

	// Escape closes the dialog, from its field.
	r.tap("Change the passphrase…")
	r.wantText("Choose a passphrase you will remember", "Suggest one")
	if f := r.k.win.Canvas().Focused(); f == nil || f.(*keyEntry).PlaceHolder != "New passphrase" {
		t.Fatalf("the focus is on %v, want the new passphrase's field", f)
	}
	r.key(fyne.KeyEscape)
	r.noDialog()

	r.tap("Change the passphrase…")
	pass, again := r.entry("New passphrase"), r.entry("The same passphrase again")
	typeInto(pass, "maple otter")
	r.wantText("Strength: weak")
	if !r.button("Change the passphrase").Disabled() {
		t.Error("Change is enabled before the passphrase was typed twice")
	}
	r.tap("Suggest one")
	r.wantText("Strength: strong", "Write these words down")
	typeInto(pass, "lantern quiet harbor maple otter")
	typeInto(again, "lantern quiet harbor maple otte")
	r.wantText("The two passphrases differ.")
	typeInto(again, "lantern quiet harbor maple otter")
	// Enter in the second field changes it (Background runs inline here).
	again.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.noDialog()
	r.wantText("The passphrase was changed", "the old one no longer opens this vault")

	// The audit log says so.
	r.menuItem("Audit log").Action()
	r.wantText("Audit log", "Changed the passphrase", "Created the vault")

	// The old passphrase opens it no more; the new one does.
	r.k.lockNow()
	r.unlock(testPassphrase)
	r.wantScreen("unlock")
	r.wantText("That passphrase does not open this vault")
	if _, err := app.Open(path, app.Passphrase(testPassphrase), apptest.Options()); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("the old passphrase: %v", err)
	}
	r.unlock("lantern quiet harbor maple otter")
	r.wantScreen("frame")
}

func TestSettings_WeakPassphraseAsksFirst(t *testing.T) {
	r := openSettings(t)
	r.tap("Change the passphrase…")
	typeInto(r.entry("New passphrase"), "password1")
	typeInto(r.entry("The same passphrase again"), "password1")
	r.tap("Change the passphrase")
	r.wantText("Use a weak passphrase?", "Someone who copies the vault")
	// Escape closes the question only: the form is still there.
	r.key(fyne.KeyEscape)
	r.wantText("Choose a passphrase you will remember")
	r.noText("Use a weak passphrase?")
	r.tap("Change the passphrase")
	r.tap("Use it")
	r.noDialog()
	r.wantText("The passphrase was changed")
	path := r.k.Session().Path()
	r.k.lockNow()
	s, err := app.Open(path, app.Passphrase("password1"), apptest.Options())
	if err != nil {
		t.Fatalf("the new passphrase does not open the vault: %v", err)
	}
	s.Lock()
}

func TestSettings_CaregiverKeyAddedAndRemoved(t *testing.T) {
	r := openSettings(t)
	path := r.k.Session().Path()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pub := id.Recipient().String()
	r.wantText("No caregivers' keys", "A caregiver's key lets someone you trust open this vault")
	p := r.settingsPage()

	// Each problem is said under its field, which is marked.
	name, key := r.entry("Whose key: Sam Lee"), r.entry("age1…")
	typeInto(key, pub)
	r.tap("Add the key")
	r.wantText("Say whose key it is")
	if !p.nameMsg.Visible() || p.keyMsg.Visible() || r.k.win.Canvas().Focused() != p.keyName {
		t.Error("the problem is not under the name's field, or the focus not in it")
	}
	typeInto(name, "Sam Lee")
	typeInto(key, "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSTC8ZD6")
	r.tap("Add the key")
	r.wantText("secret key, which should never leave its owner")
	r.noText("Say whose key it is")
	if p.nameMsg.Visible() || !p.keyMsg.Visible() {
		t.Error("the mark did not follow the problem to the key's field")
	}
	// Enter in the key's field adds it.
	typeInto(key, pub)
	key.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.wantText("Sam Lee's key was added", "Sam Lee", "Added 1 Dec 2026", pub,
		"Whoever holds this key's secret half can open the whole vault")
	if name.Text != "" || key.Text != "" {
		t.Error("the fields still hold the key added")
	}

	// The caregiver's own key opens the vault.
	r.k.lockNow()
	s, err := app.Open(path, app.IdentityText(id.String()), apptest.Options())
	if err != nil {
		t.Fatalf("the caregiver's key does not open the vault: %v", err)
	}
	s.Lock()

	// Removing it says what it means, and seals the vault again.
	r.unlock(testPassphrase)
	r.menuItem("Settings…").Action()
	r.tap("Remove…")
	r.wantText("Remove Sam Lee's key?", "Sam Lee will no longer be able to open this vault",
		"seals everything again")
	r.key(fyne.KeyReturn) // Enter does not remove a key
	r.wantText("Remove Sam Lee's key?")
	r.tap("Remove")
	r.noDialog()
	r.wantText("Sam Lee's key was removed", "No caregivers' keys")

	r.menuItem("Audit log").Action()
	r.wantText("Added a key: Sam Lee", "Removed a key (the vault key was changed): Sam Lee")

	r.k.lockNow()
	if _, err := app.Open(path, app.IdentityText(id.String()), apptest.Options()); err == nil {
		t.Fatal("the removed key still opens the vault")
	}
	s, err = app.Open(path, app.Passphrase(testPassphrase), apptest.Options())
	if err != nil {
		t.Fatalf("the passphrase does not open the vault after the key was removed: %v", err)
	}
	s.Lock()
}

func TestSettings_NewRecoveryKeyReplacesTheOld(t *testing.T) {
	r := openSettings(t)
	path := r.k.Session().Path()
	r.wantText("This vault has no recovery key")

	first := newRecoveryKeyFromSettings(r)
	r.wantText("A recovery key made 1 Dec 2026")
	r.noText("This vault has no recovery key")

	second := newRecoveryKeyFromSettings(r)
	// The earlier key still opens the vault: the window offers to remove it.
	r.wantText("Remove the earlier recovery key?", "Your earlier recovery key, made 1 Dec 2026, still opens this vault")
	r.tap("Remove")
	r.noDialog()
	r.wantText("The earlier recovery key was removed")
	if n := strings.Count(r.text(), "A recovery key made"); n != 1 {
		t.Errorf("%d recovery keys listed, want 1", n)
	}
	r.k.lockNow()
	if _, err := app.Open(path, app.IdentityText(first), apptest.Options()); err == nil {
		t.Error("the first recovery key still opens the vault")
	}
	s, err := app.Open(path, app.IdentityText(second), apptest.Options())
	if err != nil {
		t.Fatalf("the new recovery key does not open the vault: %v", err)
	}
	s.Lock()
}

// newRecoveryKeyFromSettings makes a recovery key with the Settings page's
// button, saves it to a file and ticks the check, as a person does; it
// returns the key.
func newRecoveryKeyFromSettings(r *run) string {
	r.t.Helper()
	r.tap("Make a new recovery key…")
	r.wantText("Your new recovery key", "only other way in", "Save to file…", "Print…")
	m := r.k.topModal()
	if m == nil || !r.button("Done").Disabled() {
		r.t.Fatal("the key's dialog can be left before the key was kept")
	}
	keeper := r.settingsPage().keeper
	key := keeper.key
	if !strings.HasPrefix(key, "AGE-SECRET-KEY-1") {
		r.t.Fatalf("the dialog shows %q", key)
	}
	r.wantText(key)
	// Escape before the key was kept asks first.
	r.key(fyne.KeyEscape)
	r.wantText("Close without keeping the key?")
	r.key(fyne.KeyEscape)
	r.wantText("Your new recovery key")
	keeper.saveTo(filepath.Join(r.t.TempDir(), "key.txt"))
	r.wantText("Saved to")
	test.Tap(keeper.saved)
	r.key(fyne.KeyReturn) // Enter presses Done once the key is kept
	if strings.Contains(r.text(), "Your new recovery key") {
		r.t.Fatal("Enter did not close the key's dialog")
	}
	r.wantText("The new recovery key opens this vault from now on")
	return key
}

func TestSettings_ThemeTextSizeAndAutoLockApplyAtOnce(t *testing.T) {
	r := openSettings(t)
	p := r.settingsPage()
	a := r.k.fyne
	if p.theme.Selected != "Same as the computer" || p.textSize.Selected != "Normal" || p.autoLock.Selected != "5 minutes" {
		t.Errorf("the choices show %q, %q, %q", p.theme.Selected, p.textSize.Selected, p.autoLock.Selected)
	}
	p.theme.SetSelected("Dark")
	if got, want := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight),
		theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark); got != want {
		t.Errorf("after choosing Dark the background is %v, want %v", got, want)
	}
	p.textSize.SetSelected("Larger")
	if got := a.Settings().Theme().Size(theme.SizeNameText); got != 14*float32(1.3) {
		t.Errorf("after choosing Larger text is %v px, want 18.2", got)
	}
	// Both at once, and the page itself is drawn larger.
	r.pinAvatar()
	test.AssertRendersToMarkup(t, "settings_dark_larger.xml", r.k.win.Canvas())
	if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("choosing a text size undid the theme")
	}
	p.autoLock.SetSelected("1 minute")
	// Kept for next time, in the settings file.
	got, err := app.LoadWindowSettings(filepath.Join(r.dir, "settings.json"))
	if want := (app.WindowSettings{Theme: app.ThemeDark, TextSize: 1.3, AutoLockMinutes: 1}); err != nil || got != want {
		t.Errorf("the settings file holds %+v (%v), want %+v", got, err, want)
	}
	// The shorter auto-lock counts at once.
	r.clock.Advance(time.Minute)
	r.wantScreen("unlock")
	r.wantText("after a minute without use")
}

func TestAuditLog_FilterByKindAndWord(t *testing.T) {
	r := openSettings(t)
	s := r.k.Session()
	// A fixed key: the golden shows it.
	if err := s.AddCaregiverKey("age1ftcu9lhl67e2y0uckqwf7ajqwykj0ea3vj80a3zl32df0a706q9qegnqhl", "Sam Lee"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPerson(app.PersonDetails{Name: "Ben Lee"}); err != nil {
		t.Fatal(err)
	}
	r.menuItem("Audit log").Action()
	r.wantText("Audit log", "4 events", "Added a person: Ben Lee", "Added a key: Sam Lee", "Added a person: Ann Lee", "Created the vault")
	text := r.text()
	if strings.Index(text, "Ben Lee") > strings.Index(text, "Created the vault") {
		t.Error("the log is not newest first")
	}
	p := r.k.frame.page.(*auditPage)
	r.pinAvatar()
	test.AssertRendersToMarkup(t, "auditlog.xml", r.k.win.Canvas())

	p.kind.SetSelected("Keys and passphrase")
	r.wantText("2 of 4 events", "Added a key: Sam Lee", "Created the vault")
	r.noText("Added a person")
	typeInto(r.entry("Filter by a word: a file's name, a person, a key…"), "sam")
	r.wantText("1 of 4 events", "Added a key: Sam Lee")
	r.noText("Created the vault")
	typeInto(r.entry("Filter by a word: a file's name, a person, a key…"), "nobody")
	r.wantText("0 of 4 events", "Nothing in the log matches")

	// A change to the vault shows at once; Back and Escape return to where the person was.
	p.kind.SetSelected(allActions)
	typeInto(r.entry("Filter by a word: a file's name, a person, a key…"), "")
	s.RenamePerson(personNamed(r, "Ben Lee").ID, "Benjamin Lee")
	r.wantText("5 events", "Renamed a person")
	r.k.win.Canvas().Unfocus()
	r.key(fyne.KeyEscape)
	if r.k.frame.route.Section != app.SectionSummary {
		t.Errorf("Escape went to %q, want back to the summary", r.k.frame.route.Section)
	}
}

func personNamed(r *run, name string) app.Person {
	r.t.Helper()
	people, _ := r.k.Session().People()
	for _, p := range people {
		if p.Name == name {
			return p
		}
	}
	r.t.Fatalf("no %s", name)
	return app.Person{}
}

// TestSettings_PassphraseChangeRunsInTheBackground: the key derivation
// does not run on the window's goroutine. While it runs the dialog says
// so and cannot be left half way; when it ends, the window says it is done.
func TestSettings_PassphraseChangeRunsInTheBackground(t *testing.T) {
	r := openSettings(t)
	var pending []func()
	r.k.runner = func(work func()) { pending = append(pending, work) }
	r.tap("Change the passphrase…")
	typeInto(r.entry("New passphrase"), "lantern quiet harbor maple otter")
	typeInto(r.entry("The same passphrase again"), "lantern quiet harbor maple otter")
	r.tap("Change the passphrase")
	if len(pending) != 1 {
		t.Fatalf("%d pieces of work waiting, want the change", len(pending))
	}
	// The tap came back before the work ran: the window goes on.
	r.wantText("Changing the passphrase…")
	if !r.button("Cancel").Disabled() || !r.button("Change the passphrase").Disabled() {
		t.Error("the dialog's buttons work while the passphrase changes")
	}
	r.key(fyne.KeyEscape)
	r.wantText("Changing the passphrase…")
	pending[0]()
	r.noDialog()
	r.wantText("The passphrase was changed")
	path := r.k.Session().Path()
	r.k.lockNow()
	s, err := app.Open(path, app.Passphrase("lantern quiet harbor maple otter"), apptest.Options())
	if err != nil {
		t.Fatalf("the new passphrase: %v", err)
	}
	s.Lock()
}
