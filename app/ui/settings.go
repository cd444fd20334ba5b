package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The Settings and Audit log pages are not sections of the rail: the menu
// (and Ctrl+,) opens them in the content area, beside the rail, and Back
// or Escape returns to where the person was.
const (
	SectionSettings app.Section = "settings"
	SectionAuditLog app.Section = "audit-log"
)

func init() {
	registerPage(SectionSettings, func(k *App, r Route) Page { return newSettingsPage(k, r) })
}

// isTool reports whether sec is one of the pages the menu opens.
func isTool(sec app.Section) bool { return sec == SectionSettings || sec == SectionAuditLog }

// openTool shows the Settings or Audit log page, remembering where to
// go back to.
func (k *App) openTool(sec app.Section) {
	f := k.frame
	if f == nil {
		return
	}
	if !isTool(f.route.Section) {
		f.toolBack = f.route
	}
	k.Navigate(Route{Person: f.person.ID, Section: sec})
}

// leaveTool goes back to where the person was before Settings or the
// Audit log.
func (k *App) leaveTool() {
	f := k.frame
	if f == nil {
		return
	}
	back := f.toolBack
	if back.Section == "" || isTool(back.Section) {
		back = Route{Person: f.person.ID, Section: app.SectionSummary}
	}
	k.Navigate(back)
}

func (k *App) settings() { k.openTool(SectionSettings) }
func (k *App) auditLog() { k.openTool(SectionAuditLog) }

// settingsPage is Settings: the vault's passphrase, recovery keys and
// caregivers' keys; then this computer's auto-lock, theme and text size,
// which apply at once. Slow work (a new passphrase's key derivation,
// sealing the vault again when a key is removed) runs in the background
// with a spinner; the window goes on.
type settingsPage struct {
	k     *App
	route Route

	passMsg *message

	recoveryList *fyne.Container
	recoveryMsg  *message
	makeRecovery *keyButton
	keeper       *recoveryKeeper // the new key's, while its dialog is open

	keyList    *fyne.Container
	keyName    *keyEntry
	keyText    *keyEntry
	nameMsg    *message
	keyMsg     *message
	addKey     *keyButton
	keysMsg    *message
	keysBusy   *busy
	removeKeys []*keyButton // every Remove… button, disabled while a key is removed

	autoLock *keySelect
	theme    *keySelect
	textSize *keySelect
	lookMsg  *message
	quiet    bool // the choices are being set from the settings, not by the person

	scroll *container.Scroll
	root   *container.ThemeOverride
}

var _ Page = (*settingsPage)(nil)

func newSettingsPage(k *App, r Route) *settingsPage {
	p := &settingsPage{k: k, route: r}
	back := newKeyButton(k, "Back", theme.NavigateBackIcon(), k.leaveTool)
	head := container.NewBorder(nil, nil, nil, back, pageTitle("Settings"))
	col := container.NewVBox(
		head,
		p.passphraseCard(),
		p.recoveryCard(),
		p.caregiversCard(),
		p.computerCard(),
	)
	p.scroll = container.NewVScroll(container.NewPadded(container.New(&maxWidth{w: 820}, col)))
	p.root = pageRoot(p.scroll)
	p.Refresh()
	return p
}

// Content is the page.
func (p *settingsPage) Content() fyne.CanvasObject { return p.root }

// Refresh reads the keys again (after any change to the vault) and shows
// the settings as they apply.
func (p *settingsPage) Refresh() {
	s := p.k.Session()
	if s == nil {
		return
	}
	p.removeKeys = nil
	p.showRecoveryKeys(s)
	p.showCaregiverKeys(s)
	p.quiet = true
	st := p.k.Settings()
	p.autoLock.SetSelected(app.AutoLockText(st.AutoLockMinutes))
	for _, c := range app.ThemeChoices {
		if c.Value == st.Theme {
			p.theme.SetSelected(c.Label)
		}
	}
	for _, t := range app.TextSizes {
		if t.Scale == st.TextSize {
			p.textSize.SetSelected(t.Label)
		}
	}
	p.quiet = false
}

// pageTitle is a page's title, on one line.
func pageTitle(s string) *widget.Label {
	l := heading(s)
	l.Wrapping = fyne.TextWrapOff
	return l
}

// card is one part of the page: a title, what it is about, and its
// controls.
func card(title, about string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	all := append([]fyne.CanvasObject{newSubheading(title), wrapped(about)}, objs...)
	return container.NewPadded(newPanel(container.NewVBox(all...)))
}

func (p *settingsPage) passphraseCard() fyne.CanvasObject {
	p.passMsg = newMessage()
	change := newKeyButton(p.k, "Change the passphrase…", theme.DocumentCreateIcon(), p.changePassphrase)
	return card("Passphrase",
		"Your passphrase opens this vault. You can change it without typing the old one, since the vault is open. "+
			"Your recovery key and caregivers' keys go on working.",
		container.NewHBox(change), p.passMsg)
}

// changePassphrase asks for the new passphrase, twice, with the strength
// meter, and changes it in the background.
func (p *settingsPage) changePassphrase() {
	k := p.k
	s := k.Session()
	if s == nil {
		return
	}
	f := newPassphraseFields(k, "New passphrase")
	b := newBusy()
	var m *modal
	cancel := newKeyButton(k, "Cancel", theme.CancelIcon(), func() { m.hide() })
	change := newKeyButton(k, "Change the passphrase", theme.ConfirmIcon(), nil)
	change.Importance = widget.HighImportance
	change.Disable()
	f.ready = func(ok bool) {
		if ok {
			change.Enable()
		} else {
			change.Disable()
		}
	}
	run := func(pass string) {
		f.enable(false)
		cancel.Disable()
		change.Disable()
		m.cancel = func() {} // the change cannot be stopped half way
		b.start("Changing the passphrase…")
		k.touch()
		Background(k, func() (struct{}, error) { return struct{}{}, s.ChangePassphrase(pass) }, func(_ struct{}, err error) {
			if k.Session() != s {
				return // locked meanwhile
			}
			k.touch()
			b.stop()
			if err != nil {
				f.enable(true)
				cancel.Enable()
				change.Enable()
				m.cancel = m.hide
				k.ShowError("The passphrase was not changed", err)
				return
			}
			m.hide()
			p.passMsg.info("The passphrase was changed. From now on, unlock with the new one: the old one no longer opens this vault.")
		})
	}
	submit := func() {
		pass := f.text()
		if pass == "" {
			return
		}
		if weakPassphrase(pass) {
			k.confirm("Use a weak passphrase?", weakPassphraseText, "Use it", false, func() { run(pass) })
			return
		}
		run(pass)
	}
	change.OnTapped = submit
	f.submit = submit
	body := container.New(&widthLayout{width: 520}, container.NewVBox(
		wrapped("Choose a passphrase you will remember. Five or more random words are strong and easy to type. "+
			"Nobody can reset it for you: Kinfolio keeps no copy anywhere."),
		f.form("New passphrase"),
		b,
	))
	m = k.showModal("Change the passphrase", body, nil, cancel, change)
	k.win.Canvas().Focus(f.pass)
}

func (p *settingsPage) recoveryCard() fyne.CanvasObject {
	p.recoveryList = container.NewVBox()
	p.recoveryMsg = newMessage()
	p.makeRecovery = newKeyButton(p.k, "Make a new recovery key…", theme.ContentAddIcon(), p.newRecoveryKey)
	return card("Recovery key",
		"If you forget your passphrase, a recovery key is the other way in, and lets you set a new passphrase. "+
			"Keep it printed or on a USB stick, never only on this computer. Make a new one if yours is lost.",
		p.recoveryList, container.NewHBox(p.makeRecovery), p.recoveryMsg)
}

func (p *settingsPage) showRecoveryKeys(s *app.Session) {
	keys, err := s.RecoveryKeys()
	p.recoveryList.Objects = nil
	switch {
	case err != nil:
		p.recoveryList.Add(wrapped(app.Sentence(err)))
	case len(keys) == 0:
		p.recoveryList.Add(banner(theme.WarningIcon(),
			"This vault has no recovery key: if you forget your passphrase, nothing can open it. Make one now.",
			widget.WarningImportance))
	}
	for _, key := range keys {
		rm := newKeyButton(p.k, "Remove…", theme.DeleteIcon(), func() { p.removeKey(key, len(keys)) })
		p.removeKeys = append(p.removeKeys, rm)
		line := newBody("A recovery key made " + key.Added)
		p.recoveryList.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.LoginIcon()), rm, line))
	}
	p.recoveryList.Refresh()
}

// newRecoveryKey makes a recovery key and shows it once, with Save and
// Print; when older ones open the vault too, it offers to remove them.
func (p *settingsPage) newRecoveryKey() {
	k := p.k
	s := k.Session()
	if s == nil {
		return
	}
	before, _ := s.RecoveryKeys()
	p.makeRecovery.Disable()
	Background(k, func() (string, error) { return s.NewRecoveryKey() }, func(key string, err error) {
		if k.Session() != s {
			return
		}
		p.makeRecovery.Enable()
		if err != nil {
			k.ShowError("No recovery key was made", err)
			return
		}
		p.showNewRecoveryKey(key, before)
	})
}

// showNewRecoveryKey is the new key's dialog: the key, Save and Print,
// the check that it was kept, then Done.
func (p *settingsPage) showNewRecoveryKey(key string, older []app.Key) {
	k := p.k
	r := newRecoveryKeeper(k, key)
	p.keeper = r
	var m *modal
	done := newKeyButton(k, "Done", theme.ConfirmIcon(), nil)
	done.Importance = widget.HighImportance
	done.Disable()
	r.kept = func(on bool) {
		if on {
			done.Enable()
		} else {
			done.Disable()
		}
	}
	finish := func() {
		r.key = ""
		p.keeper = nil
		m.hide()
		p.recoveryMsg.info("The new recovery key opens this vault from now on.")
		if len(older) > 0 {
			p.offerRemoval(older)
		}
	}
	done.OnTapped = finish
	body := container.New(&widthLayout{width: 640}, container.NewVBox(
		wrapped(app.RecoveryKeyAdvice),
		widget.NewCard("", "", r.keyText),
		container.NewCenter(container.NewHBox(r.save, r.print)),
		secondary(howToKeep+" This is the only time Kinfolio shows this key."),
		r.status,
		r.saved,
	))
	// Escape before the key was kept asks first: it is never shown again.
	cancel := func() {
		if r.saved.Checked {
			finish()
			return
		}
		k.confirm("Close without keeping the key?",
			"The new recovery key opens the vault, but Kinfolio will not show it again. If you did not save or print it, make another one.",
			"Close", false, finish)
	}
	m = k.showModal("Your new recovery key", body, cancel, done)
	m.enter = func() {
		if !done.Disabled() {
			finish()
		}
	}
}

// offerRemoval asks whether the recovery keys made before the new one
// should stop opening the vault.
func (p *settingsPage) offerRemoval(older []app.Key) {
	text := fmt.Sprintf("Your earlier recovery key, made %s, still opens this vault. "+
		"If it is lost, or you no longer know who could have it, remove it. ", older[0].Added)
	if len(older) > 1 {
		text = fmt.Sprintf("Your %d earlier recovery keys still open this vault. "+
			"If they are lost, or you no longer know who could have them, remove them. ", len(older))
	}
	p.k.confirm("Remove the earlier recovery key?", text+app.RemoveKeyText, "Remove", true, func() {
		p.removeKeysNow(older, "The earlier recovery key was removed: it opens nothing from now on.")
	})
}

func (p *settingsPage) caregiversCard() fyne.CanvasObject {
	k := p.k
	p.keyList = container.NewVBox()
	p.keysMsg = newMessage()
	p.keysBusy = newBusy()
	p.keyName = newKeyEntry(k)
	p.keyName.SetPlaceHolder("Whose key: Sam Lee")
	p.keyName.AlwaysShowValidationError = true
	p.keyText = newKeyEntry(k)
	p.keyText.SetPlaceHolder("age1…")
	p.keyText.TextStyle = fyne.TextStyle{Monospace: true}
	p.keyText.AlwaysShowValidationError = true
	p.nameMsg = newMessage()
	p.keyMsg = newMessage()
	p.addKey = newKeyButton(k, "Add the key", theme.ContentAddIcon(), p.addCaregiverKey)
	p.keyName.OnSubmitted = func(string) { k.win.Canvas().Focus(p.keyText) }
	p.keyText.OnSubmitted = func(string) { p.addCaregiverKey() }
	p.keyName.OnChanged = func(string) { p.keyName.SetValidationError(nil); p.nameMsg.clear() }
	p.keyText.OnChanged = func(string) { p.keyText.SetValidationError(nil); p.keyMsg.clear() }
	form := container.NewVBox(
		fieldLabel("Name"), p.keyName, p.nameMsg,
		fieldLabel("Their public key"), p.keyText, p.keyMsg,
		container.NewHBox(p.addKey),
	)
	return card("Caregivers' keys", app.AddCaregiverKeyText,
		p.keyList, p.keysBusy, p.keysMsg, widget.NewSeparator(), newSubheading("Add a caregiver's key"), form)
}

func (p *settingsPage) showCaregiverKeys(s *app.Session) {
	keys, err := s.CaregiverKeys()
	p.keyList.Objects = nil
	switch {
	case err != nil:
		p.keyList.Add(wrapped(app.Sentence(err)))
	case len(keys) == 0:
		p.keyList.Add(wrappedSecondary("No caregivers' keys: only your passphrase and recovery key open this vault."))
	}
	for _, key := range keys {
		rm := newKeyButton(p.k, "Remove…", theme.DeleteIcon(), func() { p.removeKey(key, 0) })
		p.removeKeys = append(p.removeKeys, rm)
		name := newBody(key.Name)
		name.TextStyle = fyne.TextStyle{Bold: true}
		name.Truncation = fyne.TextTruncateEllipsis
		pub := widget.NewLabel(key.Key)
		pub.TextStyle = fyne.TextStyle{Monospace: true}
		pub.Selectable = true
		pub.Truncation = fyne.TextTruncateEllipsis
		info := tight(
			container.NewBorder(nil, nil, nil, newSecondary("Added "+key.Added), name),
			pub,
			wrapped(key.Meaning),
		)
		p.keyList.Add(newPanel(container.NewBorder(nil, nil, nil, container.NewVBox(rm), info)))
	}
	p.keyList.Refresh()
}

// addCaregiverKey adds the key typed, or marks the field app says is wrong.
func (p *settingsPage) addCaregiverKey() {
	k := p.k
	s := k.Session()
	if s == nil {
		return
	}
	key, name := p.keyText.Text, p.keyName.Text
	p.addKey.Disable()
	Background(k, func() (struct{}, error) { return struct{}{}, s.AddCaregiverKey(key, name) }, func(_ struct{}, err error) {
		if k.Session() != s {
			return
		}
		p.addKey.Enable()
		if err != nil {
			field, text := app.InputProblem(err)
			switch field {
			case "name":
				p.keyName.SetValidationError(fmt.Errorf("%s", text))
				p.nameMsg.problem(text)
				k.win.Canvas().Focus(p.keyName)
			case "key":
				p.keyText.SetValidationError(fmt.Errorf("%s", text))
				p.keyMsg.problem(text)
				k.win.Canvas().Focus(p.keyText)
			default:
				k.ShowError("The key was not added", err)
			}
			return
		}
		p.keyName.SetText("")
		p.keyText.SetText("")
		p.keysMsg.info(fmt.Sprintf("%s's key was added: it opens this vault from now on.", strings.Join(strings.Fields(name), " ")))
	})
}

// removeKey confirms, saying what it means, then removes the key and
// seals the vault again with a new key. recoveryLeft is how many recovery
// keys there are, when key is one.
func (p *settingsPage) removeKey(key app.Key, recoveryLeft int) {
	title := fmt.Sprintf("Remove %s's key?", key.Name)
	text := fmt.Sprintf("%s will no longer be able to open this vault with their key. ", key.Name)
	done := fmt.Sprintf("%s's key was removed: it opens nothing from now on.", key.Name)
	if key.Recovery {
		title = "Remove this recovery key?"
		text = fmt.Sprintf("The recovery key made %s will no longer open this vault. ", key.Added)
		if recoveryLeft == 1 {
			text += "It is your only one: afterwards only your passphrase opens the vault, so make a new one first. "
		}
		done = "The recovery key was removed: it opens nothing from now on."
	}
	p.k.confirm(title, text+app.RemoveKeyText, "Remove", true, func() {
		p.removeKeysNow([]app.Key{key}, done)
	})
}

// removeKeysNow removes keys in the background, with a spinner: the vault
// is sealed again with a new key, which takes a moment for a large vault.
func (p *settingsPage) removeKeysNow(keys []app.Key, done string) {
	k := p.k
	s := k.Session()
	if s == nil {
		return
	}
	p.working(true)
	what := "Removing the key and sealing the vault again with a new key…"
	if len(keys) > 1 {
		what = "Removing the keys and sealing the vault again with a new key…"
	}
	p.keysBusy.start(what)
	k.touch()
	Background(k, func() (struct{}, error) {
		for _, key := range keys {
			if err := s.RemoveKey(key.Key); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}, func(_ struct{}, err error) {
		if k.Session() != s {
			return
		}
		k.touch()
		p.keysBusy.stop()
		p.working(false)
		if err != nil {
			k.ShowError("The key was not removed", err)
			return
		}
		if keys[0].Recovery {
			p.recoveryMsg.info(done)
		} else {
			p.keysMsg.info(done)
		}
	})
}

// working disables what changes keys while a key is removed.
func (p *settingsPage) working(on bool) {
	for _, b := range append(slices.Clone(p.removeKeys), p.addKey, p.makeRecovery) {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// computerCard holds this computer's settings: they apply at once.
func (p *settingsPage) computerCard() fyne.CanvasObject {
	k := p.k
	p.lookMsg = newMessage()
	var locks []string
	for _, m := range app.AutoLockChoices {
		locks = append(locks, app.AutoLockText(m))
	}
	p.autoLock = newKeySelect(k, locks, func(label string) {
		if p.quiet {
			return
		}
		i := slices.Index(locks, label)
		if i < 0 {
			return
		}
		p.saved(k.SetAutoLock(app.AutoLockChoices[i]))
	})
	var themes []string
	for _, c := range app.ThemeChoices {
		themes = append(themes, c.Label)
	}
	p.theme = newKeySelect(k, themes, func(label string) {
		if i := slices.Index(themes, label); i >= 0 && !p.quiet {
			p.saved(k.SetTheme(ThemeChoice(app.ThemeChoices[i].Value), k.Settings().TextSize))
		}
	})
	var sizes []string
	for _, t := range app.TextSizes {
		sizes = append(sizes, t.Label)
	}
	p.textSize = newKeySelect(k, sizes, func(label string) {
		if i := slices.Index(sizes, label); i >= 0 && !p.quiet {
			p.saved(k.SetTheme(ThemeChoice(k.Settings().Theme), app.TextSizes[i].Scale))
		}
	})
	column := func(o fyne.CanvasObject) fyne.CanvasObject { return container.New(&columnWidth{width: 200}, o) }
	form := container.New(layout.NewFormLayout(),
		fieldLabel("Lock when unused for"), container.NewHBox(column(p.autoLock)),
		fieldLabel("Theme"), container.NewHBox(column(p.theme)),
		fieldLabel("Text size"), container.NewHBox(column(p.textSize)),
	)
	return card("This computer",
		"These apply at once, to every vault opened on this computer. Kinfolio locks itself when it goes unused for the time you choose, "+
			"and when it comes back after being in the background that long. Everything in the window grows with the text size.",
		form, p.lookMsg)
}

// saved says, when a setting could not be saved, that it applies until
// Kinfolio closes.
func (p *settingsPage) saved(err error) {
	if err != nil {
		p.lookMsg.problem("This applies until Kinfolio closes, but it was not saved for next time. " + app.Sentence(err))
		return
	}
	p.lookMsg.clear()
}
