package ui

import (
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// unlockScreen asks for the passphrase (or a key) of the vault at path.
// The key derivation runs in the background with a spinner; a wrong
// passphrase, a vault in use, damaged or not a vault says so in a sentence.
type unlockScreen struct {
	k      *App
	path   string
	info   app.VaultInfo
	pass   *widget.Entry
	unlock *widget.Button
	useKey *widget.Button
	busy   *busy
	msg    *message
	// badge is the DEMO mark atop a demo vault's screen; demo says whose
	// made-up records these are and the passphrase.
	badge *fyne.Container
	demo  *fyne.Container
}

// showUnlock shows the unlock screen for the vault at path; note, when
// set, says why it is showing ("Locked after 5 minutes without use.").
func (k *App) showUnlock(path, note string) {
	u := &unlockScreen{k: k, path: path}
	u.pass = widget.NewPasswordEntry()
	u.pass.SetPlaceHolder("Passphrase")
	u.pass.OnSubmitted = func(string) { u.submit() }
	u.unlock = widget.NewButtonWithIcon("Unlock", lockIcon, u.submit)
	u.unlock.Importance = widget.HighImportance
	u.useKey = widget.NewButtonWithIcon("Use your recovery key…", theme.LoginIcon(), u.askKey)
	u.busy = newBusy()
	u.msg = newMessage()
	if note != "" {
		u.msg.info(note)
	} else if n := k.pendingNote(true); n != "" {
		u.msg.info(n)
	}
	u.demo = container.NewVBox()
	u.badge = container.NewVBox()

	logo := container.NewCenter(container.NewGridWrap(fyne.NewSize(72, 72), widget.NewIcon(Icon)))
	title := heading("Unlock Kinfolio")
	title.Alignment = fyne.TextAlignCenter
	file := secondary(shortPath(path))
	file.Alignment = fyne.TextAlignCenter
	other := widget.NewButtonWithIcon("Open another vault…", theme.FolderOpenIcon(), k.chooseVault)
	more := []fyne.CanvasObject{u.useKey, other}
	if filepath.Clean(path) != filepath.Clean(demoVaultPath(k.path)) {
		more = append(more, widget.NewButton("Open the demo", k.openDemo))
	}
	k.show("unlock", centered(460,
		u.badge,
		logo, title, file,
		u.demo,
		u.pass,
		u.unlock,
		u.busy,
		u.msg,
		container.NewCenter(container.NewHBox(more...)),
	))
	k.current = u
	k.win.SetTitle(Title)
	k.win.Canvas().Focus(u.pass)
	u.peek()
}

// peek reads the vault's header: is it a vault, and a demo (whose
// passphrase the screen then shows)?
func (u *unlockScreen) peek() {
	Background(u.k, func() (app.VaultInfo, error) {
		return app.Peek(u.path, u.k.opts.Session)
	}, func(info app.VaultInfo, err error) {
		if u.k.current != u {
			return // another screen since
		}
		u.info = info
		if err != nil {
			u.msg.problem(app.Sentence(err))
			return
		}
		if info.Demo {
			u.showDemo()
		}
	})
}

// showDemo says this is the demo vault, and its passphrase.
func (u *unlockScreen) showDemo() {
	u.badge.Objects = []fyne.CanvasObject{demoBadge()}
	u.badge.Refresh()
	u.k.win.SetTitle(Title + " (demo)")
	u.demo.Objects = nil
	if p := u.info.DemoPassphrase; p != "" {
		pass := widget.NewLabel(p)
		pass.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
		pass.Selectable = true
		fill := widget.NewButton("Fill it in", func() {
			u.pass.SetText(p)
			u.k.win.Canvas().Focus(u.pass)
		})
		u.demo.Add(wrapped("This is the demo vault: a made-up family's records, to look around. Its passphrase is"))
		u.demo.Add(container.NewCenter(container.NewHBox(pass, fill)))
	} else {
		u.demo.Add(wrapped("This is a demo vault of made-up records; its passphrase was changed."))
	}
	u.demo.Refresh()
}

func (u *unlockScreen) submit() {
	p := u.pass.Text
	if p == "" {
		u.msg.problem("Type your passphrase first.")
		return
	}
	u.open(app.Passphrase(p), "Unlocking…")
}

// open unlocks with secret in the background.
func (u *unlockScreen) open(secret app.Secret, doing string) {
	k := u.k
	u.msg.clear()
	u.pass.Disable()
	u.unlock.Disable()
	u.useKey.Disable()
	u.busy.start(doing)
	Background(k, func() (*app.Session, error) {
		return app.Open(u.path, secret, k.opts.Session)
	}, func(s *app.Session, err error) {
		if k.current != u {
			// The person moved on (another vault) while the key was derived.
			if s != nil {
				s.Lock()
			}
			return
		}
		u.busy.stop()
		if err != nil {
			u.pass.Enable()
			u.unlock.Enable()
			u.useKey.Enable()
			u.msg.problem(app.Sentence(err))
			if errors.Is(err, app.ErrWrongPassphrase) {
				u.pass.SetText("")
			}
			k.win.Canvas().Focus(u.pass)
			return
		}
		u.pass.SetText("")
		k.opened(s)
	})
}

// askKey unlocks with the recovery key (or a caregiver's key): typed or
// pasted, or from the file it was saved to.
func (u *unlockScreen) askKey() {
	k := u.k
	text := widget.NewMultiLineEntry()
	text.SetPlaceHolder("AGE-SECRET-KEY-1…")
	text.Wrapping = fyne.TextWrapBreak
	text.SetMinRowsVisible(2)
	var d dialog.Dialog
	fromFile := widget.NewButtonWithIcon("Open the key file…", theme.FolderOpenIcon(), func() {
		open := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			r.Close()
			d.Hide()
			u.open(app.IdentityFile(path), "Unlocking with the key…")
		}, k.win)
		open.Show()
	})
	body := container.NewVBox(
		wrapped("Type or paste your recovery key (or a caregiver's key), or open the file you saved it to."),
		text, fromFile)
	d = dialog.NewCustomConfirm("Unlock with a key", "Unlock", "Cancel", container.NewGridWrap(fyne.NewSize(480, 190), body), func(ok bool) {
		if ok && text.Text != "" {
			u.open(app.IdentityText(text.Text), "Unlocking with the key…")
		}
	}, k.win)
	d.Show()
	k.win.Canvas().Focus(text)
}

// opened takes a session just unlocked or created into the frame.
func (k *App) opened(s *app.Session) {
	k.session = s
	k.startIdle()
	k.showFrame()
	k.importPending()
}

// chooseVault picks another vault file to unlock. The one open (if any)
// is locked first.
func (k *App) chooseVault() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			k.ShowError("That file could not be opened", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		k.lockSession()
		k.showUnlock(path, "")
	}, k.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".kinfolio"}))
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(k.path))); err == nil {
		d.SetLocation(dir)
	}
	d.Show()
}

// chooseNewVault picks the folder a new vault goes in, then asks its
// passphrase. The vault is named vault.kinfolio there (or vault 2…, never
// over a file).
func (k *App) chooseNewVault() {
	k.chooseFolder("Where to keep the new vault", func(dir string) {
		k.lockSession()
		k.showCreate(app.FreePath(dir, "vault.kinfolio"))
	})
}

// chooseFolder asks for a folder, then calls then with its path. Kinfolio
// picks folders, not files, when it saves: Fyne's save dialog empties an
// existing file it is pointed at before Kinfolio sees the choice, and a
// vault chosen by mistake must never be emptied.
func (k *App) chooseFolder(title string, then func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			k.ShowError("That folder could not be opened", err)
			return
		}
		if dir != nil {
			then(dir.Path())
		}
	}, k.win)
	d.SetTitleText(title)
	d.SetConfirmText("Save here")
	d.Show()
}

// openDemo opens the demo vault beside the user's own, making it the
// first time.
func (k *App) openDemo() {
	path := demoVaultPath(k.path)
	k.lockSession()
	b := newBusy()
	k.show("opening-demo", centered(460, demoBadge(), container.NewCenter(container.NewGridWrap(fyne.NewSize(72, 72), widget.NewIcon(Icon))), b))
	if fileExists(path) {
		b.start("Opening the demo…")
		Background(k, func() (*app.Session, error) {
			info, err := app.Peek(path, k.opts.Session)
			if err != nil {
				return nil, err
			}
			if !info.Demo || info.DemoPassphrase == "" {
				return nil, errNotPlainDemo
			}
			return app.Open(path, app.Passphrase(info.DemoPassphrase), k.opts.Session)
		}, func(s *app.Session, err error) {
			b.stop()
			if err != nil {
				note := ""
				if !errors.Is(err, errNotPlainDemo) {
					note = app.Sentence(err)
				}
				k.showUnlock(path, note)
				return
			}
			k.opened(s)
		})
		return
	}
	b.start("Making the demo: a made-up family's records from three clinics…")
	Background(k, func() (*app.Session, error) {
		s, _, err := app.CreateDemo(path, k.opts.Session)
		return s, err
	}, func(s *app.Session, err error) {
		b.stop()
		if err != nil {
			k.start()
			k.ShowError("The demo could not be made", err)
			return
		}
		k.opened(s)
	})
}

// errNotPlainDemo: the demo file is there but its passphrase is not shown
// (changed, or not a demo): the unlock screen asks for it.
var errNotPlainDemo = fmt.Errorf("the demo vault's passphrase is not in its header")
