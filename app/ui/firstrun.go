package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The first run: the welcome screen, creating a vault (passphrase, then the
// recovery key, shown once) or opening the demo.

// showWelcome is the first screen when there is no vault yet.
func (k *App) showWelcome() {
	create := widget.NewButtonWithIcon("Create my vault", theme.ContentAddIcon(), func() { k.showCreate(k.path) })
	create.Importance = widget.HighImportance
	demo := widget.NewButton("Open the demo", k.openDemo)
	other := widget.NewButtonWithIcon("Open a vault file…", theme.FolderOpenIcon(), k.chooseVault)
	restore := widget.NewButtonWithIcon("Restore a backup…", theme.HistoryIcon(), k.restoreBackup)
	where := secondary(fmt.Sprintf("Your vault will be one encrypted file: %s.", shortPath(k.path)))
	where.Alignment = fyne.TextAlignCenter
	demoText := secondary("Want to look around first? The demo is a made-up family's records from three clinics, kept apart from yours.")
	demoText.Alignment = fyne.TextAlignCenter
	k.show("welcome", centered(680,
		k.welcome(),
		container.NewCenter(container.NewHBox(create, demo, other, restore)),
		where,
		demoText,
	))
}

// createScreen asks for the new vault's passphrase, twice.
type createScreen struct {
	k      *App
	path   string
	fields *passphraseFields
	create *widget.Button
	back   *widget.Button
	busy   *busy
}

// showCreate shows the create screen for a vault at path.
func (k *App) showCreate(path string) {
	c := &createScreen{k: k, path: path}
	title := heading("Create your vault")
	intro := wrapped("Choose a passphrase you will remember. Five or more random words are strong and easy to type. " +
		"Nobody can reset it for you: Kinfolio keeps no copy anywhere.")
	c.fields = newPassphraseFields(k, "Passphrase")
	c.fields.ready = func(ok bool) {
		if ok {
			c.create.Enable()
		} else {
			c.create.Disable()
		}
	}
	c.fields.submit = c.submit
	c.create = widget.NewButtonWithIcon("Create vault", theme.ConfirmIcon(), c.submit)
	c.create.Importance = widget.HighImportance
	c.create.Disable()
	c.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), k.start)
	c.busy = newBusy()
	where := secondary("The vault will be " + shortPath(path) + ".")
	k.show("create", centered(560,
		title, intro, c.fields.form("Passphrase"),
		container.NewBorder(nil, nil, c.back, c.create),
		c.busy,
		where,
	))
	k.current = c
	k.win.Canvas().Focus(c.fields.pass)
}

func (c *createScreen) submit() {
	p := c.fields.text()
	if p == "" {
		return
	}
	if weakPassphrase(p) {
		c.k.confirm("Use a weak passphrase?", weakPassphraseText, "Use it", false, func() { c.createVault(p) })
		return
	}
	c.createVault(p)
}

func (c *createScreen) createVault(p string) {
	k := c.k
	c.create.Disable()
	c.back.Disable()
	c.fields.enable(false)
	c.busy.start("Creating your vault…")
	type made struct {
		s   *app.Session
		key string
	}
	Background(k, func() (made, error) {
		s, err := app.Create(c.path, p, k.opts.Session)
		if err != nil {
			return made{}, err
		}
		key, err := s.NewRecoveryKey()
		if err != nil {
			s.Lock()
			return made{}, err
		}
		return made{s, key}, nil
	}, func(m made, err error) {
		c.busy.stop()
		if err != nil {
			c.back.Enable()
			c.fields.enable(true)
			c.fields.changed()
			k.ShowError("The vault was not created", err)
			return
		}
		k.session = m.s
		k.showRecoveryKey(m.key)
	})
}

// recoveryKeeper shows a new recovery key once, with the ways to keep it
// (Save to file…, Print…) and a check that it was kept: the first run's
// recovery screen and the Settings screen's "Make a new recovery key" both
// use it.
type recoveryKeeper struct {
	k       *App
	key     string
	keyText *widget.Label
	save    *keyButton
	print   *keyButton
	status  *widget.Label
	saved   *keyCheck
	// kept is told when the check is ticked or cleared.
	kept func(bool)
}

func newRecoveryKeeper(k *App, key string) *recoveryKeeper {
	r := &recoveryKeeper{k: k, key: key}
	r.keyText = widget.NewLabel(key)
	r.keyText.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	r.keyText.Selectable = true
	r.keyText.Wrapping = fyne.TextWrapOff // one line, to read off without a break
	r.keyText.Alignment = fyne.TextAlignCenter
	r.save = newKeyButton(k, "Save to file…", theme.DocumentSaveIcon(), r.saveFile)
	r.print = newKeyButton(k, "Print…", theme.DocumentPrintIcon(), r.printSheet)
	r.status = wrapped("")
	r.status.Hide()
	r.saved = newKeyCheck(k, "I have saved or printed my recovery key, somewhere that is not this computer", func(on bool) {
		if r.kept != nil {
			r.kept(on)
		}
	})
	return r
}

// howToKeep says what Save and Print do.
const howToKeep = "Save to file puts the key in a folder you choose, such as a USB stick. Print makes a one-page PDF there " +
	"and opens it in your PDF viewer, to print from there."

func (r *recoveryKeeper) saveFile() {
	k := r.k
	k.chooseFolder("Where to save the recovery key (a USB stick is best)", func(dir string) {
		r.saveTo(app.FreePath(dir, k.session.RecoveryKeyFileName(".txt")))
	})
}

// saveTo writes the key file at path (what the save dialog chose).
func (r *recoveryKeeper) saveTo(path string) {
	if err := r.k.session.SaveRecoveryKey(path, r.key); err != nil {
		r.k.ShowError("The key was not saved", err)
		return
	}
	r.showStatus(fmt.Sprintf("Saved to %s. If that is on this computer, copy it to a USB stick and delete it here.", shortPath(path)))
}

func (r *recoveryKeeper) printSheet() {
	k := r.k
	k.chooseFolder("Where to put the sheet to print", func(dir string) {
		r.printTo(app.FreePath(dir, k.session.RecoveryKeyFileName(".pdf")))
	})
}

// printTo writes the printable sheet at path and opens it in the
// system's PDF viewer.
func (r *recoveryKeeper) printTo(path string) {
	if !strings.EqualFold(filepath.Ext(path), ".pdf") {
		path += ".pdf"
	}
	if err := r.k.session.SaveRecoverySheet(path, r.key); err != nil {
		r.k.ShowError("The sheet was not made", err)
		return
	}
	msg := fmt.Sprintf("The sheet is %s. It opens in your PDF viewer: print it from there, then delete the file unless it is on a USB stick.", shortPath(path))
	if err := openFile(r.k.fyne, path); err != nil {
		msg = fmt.Sprintf("The sheet is %s. Open it and print it, then delete the file unless it is on a USB stick.", shortPath(path))
	}
	r.showStatus(msg)
}

func (r *recoveryKeeper) showStatus(text string) {
	r.status.SetText(text)
	r.status.Show()
}

// recoveryScreen shows a new vault's recovery key once, with ways to keep it.
type recoveryScreen struct {
	*recoveryKeeper
	next *widget.Button
}

// showRecoveryKey shows a new vault's recovery key; going on needs the
// check that it was kept.
func (k *App) showRecoveryKey(key string) {
	r := &recoveryScreen{recoveryKeeper: newRecoveryKeeper(k, key)}
	r.kept = func(on bool) {
		if on {
			r.next.Enable()
		} else {
			r.next.Disable()
		}
	}
	r.next = widget.NewButtonWithIcon("Continue", theme.NavigateNextIcon(), r.done)
	r.next.Importance = widget.HighImportance
	r.next.Disable()
	k.show("recovery", centered(720,
		heading("Your recovery key"),
		wrapped(app.RecoveryKeyAdvice),
		widget.NewCard("", "", r.keyText),
		container.NewCenter(container.NewHBox(r.save, r.print)),
		secondary(howToKeep+" This is the only time Kinfolio shows this key; Settings can make a new one later."),
		r.status,
		r.saved,
		container.NewBorder(nil, nil, nil, r.next),
	))
	k.current = r
}

func (r *recoveryScreen) done() {
	r.key = ""
	r.k.opened(r.k.session)
}
