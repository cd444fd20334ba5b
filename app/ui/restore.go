package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Restoring a backup into a new vault (File → Restore a backup…, and the
// welcome screen): the backup file, what opens it (its passphrase or a
// key), where the new vault goes (never over a file) and its passphrase,
// with the strength meter. The restore and the key derivation run in the
// background; then the window locks the vault it had open, if any, and
// opens the restored one.

// restoreDialog is the restore dialog on show.
type restoreDialog struct {
	k          *App
	backup     string
	backupText *widget.Label
	opens      *widget.RadioGroup
	secret     *widget.Entry
	key        *widget.Entry
	keyFile    string
	dir        string
	dirText    *widget.Label
	pass       *widget.Entry
	again      *widget.Entry
	meter      *strengthMeter
	msg        *message
	busy       *busy
	ok         *widget.Button
	d          *dialog.CustomDialog
}

const (
	opensWithPassphrase = "Its passphrase"
	opensWithKey        = "A key (a caregiver's, or a recovery key)"
)

// restoreBackup shows the restore dialog.
func (k *App) restoreBackup() {
	r := &restoreDialog{k: k, dir: filepath.Dir(k.path)}
	if k.session != nil {
		r.dir = filepath.Dir(k.session.Path())
	}
	r.backupText = widget.NewLabel("No backup chosen yet.")
	r.backupText.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButtonWithIcon("Choose the backup…", theme.FolderOpenIcon(), r.chooseBackup)
	r.secret = widget.NewPasswordEntry()
	r.secret.SetPlaceHolder("The passphrase the backup was made with")
	r.key = widget.NewMultiLineEntry()
	r.key.SetPlaceHolder("AGE-SECRET-KEY-1… (or open the key file)")
	r.key.Wrapping = fyne.TextWrapBreak
	r.key.SetMinRowsVisible(2)
	keyFile := widget.NewButtonWithIcon("Open the key file…", theme.FolderOpenIcon(), r.chooseKeyFile)
	keyBox := container.NewVBox(r.key, keyFile)
	keyBox.Hide()
	r.opens = widget.NewRadioGroup([]string{opensWithPassphrase, opensWithKey}, func(l string) {
		keyBox.Hidden = l != opensWithKey
		r.secret.Hidden = l == opensWithKey
	})
	r.opens.Required = true
	r.opens.SetSelected(opensWithPassphrase)
	r.dirText = widget.NewLabel(shortPath(r.dir))
	r.dirText.Truncation = fyne.TextTruncateEllipsis
	change := widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), func() {
		k.chooseFolder("Where to keep the restored vault", func(dir string) {
			r.dir = dir
			r.dirText.SetText(shortPath(dir))
		})
	})
	r.pass = widget.NewPasswordEntry()
	r.pass.SetPlaceHolder("New passphrase")
	r.again = widget.NewPasswordEntry()
	r.again.SetPlaceHolder("The same passphrase again")
	r.meter = newStrengthMeter()
	r.pass.OnChanged = func(p string) { r.meter.show(p) }
	suggest := widget.NewButtonWithIcon("Suggest one", theme.ViewRefreshIcon(), func() {
		p := app.SuggestPassphrase(5)
		r.pass.SetText(p)
		r.again.SetText(p)
		r.msg.info("The passphrase is: " + p + " — write it down before you go on.")
	})
	r.again.OnSubmitted = func(string) { r.submit() }
	r.msg = newMessage()
	r.busy = newBusy()
	r.ok = widget.NewButtonWithIcon("Restore", theme.ConfirmIcon(), r.submit)
	r.ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { r.d.Hide() })

	body := container.NewVBox(
		wrapped("A backup comes back as a new vault, exactly as it was: its people, entries, original files and audit log. Nothing is overwritten."),
		fieldLabel("The backup"),
		container.NewBorder(nil, nil, nil, choose, r.backupText),
		fieldLabel("It opens with"),
		r.opens, r.secret, keyBox,
		fieldLabel("The new vault goes in"),
		container.NewBorder(nil, nil, nil, change, r.dirText),
		container.NewBorder(nil, nil, nil, suggest, fieldLabel("Its passphrase")),
		r.pass, r.again, r.meter,
		r.msg, r.busy,
	)
	size := k.win.Canvas().Size()
	r.d = k.showModal("Restore a backup",
		container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, r.ok), nil, nil,
			dialogScroll(container.New(&widthLayout{width: 520}, body))), nil).d
	r.d.Resize(fyne.NewSize(min(620, size.Width-40), min(640, size.Height-40)))
	k.work.restore = r
}

func (r *restoreDialog) chooseBackup() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			r.k.ShowError("That file could not be opened", err)
			return
		}
		if rc == nil {
			return
		}
		path, perr := app.LocalPath(rc.URI().Path())
		rc.Close()
		if perr != nil {
			r.k.ShowError("That file could not be opened", perr)
			return
		}
		r.setBackup(path)
	}, r.k.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".age"}))
	d.Show()
}

func (r *restoreDialog) setBackup(path string) {
	r.backup = path
	r.backupText.SetText(shortPath(path))
}

func (r *restoreDialog) chooseKeyFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path, perr := app.LocalPath(rc.URI().Path())
		rc.Close()
		if perr == nil {
			r.keyFile = path
			r.key.SetText("")
			r.key.SetPlaceHolder("The key in " + filepath.Base(path))
		}
	}, r.k.win)
	d.Show()
}

// submit checks what was given, then restores and opens the new vault.
func (r *restoreDialog) submit() {
	k := r.k
	if r.backup == "" {
		r.msg.problem("Choose the backup file first.")
		return
	}
	var secret app.Secret
	switch {
	case r.opens.Selected == opensWithPassphrase && r.secret.Text == "":
		r.msg.problem("Type the passphrase the backup was made with.")
		return
	case r.opens.Selected == opensWithPassphrase:
		secret = app.Passphrase(r.secret.Text)
	case strings.TrimSpace(r.key.Text) != "":
		secret = app.IdentityText(r.key.Text)
	case r.keyFile != "":
		secret = app.IdentityFile(r.keyFile)
	default:
		r.msg.problem("Paste the key the backup was made for, or open its key file.")
		return
	}
	p := r.pass.Text
	switch {
	case p == "":
		r.msg.problem("Choose a passphrase for the new vault.")
		return
	case p != r.again.Text:
		r.msg.problem("The two passphrases differ.")
		return
	}
	if st, err := os.Stat(r.dir); err != nil || !st.IsDir() {
		r.msg.problem("That folder is not there any more. Choose another.")
		return
	}
	if app.PassphraseStrength(p).Level == app.Weak {
		dialog.ShowConfirm("Use a weak passphrase?",
			"Someone who copies the vault could guess this passphrase quickly. Four or more random words are much safer.",
			func(ok bool) {
				if ok {
					r.restore(secret, p)
				}
			}, k.win)
		return
	}
	r.restore(secret, p)
}

func (r *restoreDialog) restore(secret app.Secret, p string) {
	k := r.k
	target := app.FreePath(r.dir, "vault.kinfolio")
	r.msg.clear()
	r.ok.Disable()
	r.busy.start("Restoring " + filepath.Base(r.backup) + "…")
	backup := r.backup
	type restored struct {
		s    *app.Session
		text string
	}
	opts := k.opts.Session
	Background(k, func() (restored, error) {
		rep, err := app.Restore(backup, secret, target, p, opts)
		if err != nil {
			return restored{}, err
		}
		s, err := app.Open(target, app.Passphrase(p), opts)
		if err != nil {
			return restored{}, err
		}
		return restored{s, app.RestoredText(rep)}, nil
	}, func(res restored, err error) {
		r.busy.stop()
		r.ok.Enable()
		if err != nil {
			r.msg.problem(app.Sentence(err))
			return
		}
		r.d.Hide()
		k.lockSession()
		k.path = target
		k.opened(res.s)
		k.inform("Backup restored", fmt.Sprintf("%s The restored vault is %s; it is open now.", res.text, shortPath(target)))
	})
}
