package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Print / Export (Ctrl+P and the top bar's button): the visit summary,
// the emergency card and the full record as PDFs, the FHIR record and the
// IPS, a backup of everyone or a handover of the person on screen. The
// file goes into a folder the person picks (remembered), under a name
// they may change; an existing file is never replaced (the name gets a
// number: app.FreePath) and the vault never written over. The work runs
// in the background; then "Open" and "Show in folder" (Fyne's OpenURL with
// a file URI, which runs xdg-open on Linux, open on macOS and the shell on
// Windows: the file opens in its program, the folder in the file manager).

// prefExportFolder is the folder exports went to last.
const prefExportFolder = "export.folder"

// exportDialog is the Print / Export dialog on show.
type exportDialog struct {
	k      *App
	s      *app.Session
	person app.Person
	kind   app.ExportKind

	kinds   *widget.RadioGroup
	about   *widget.Label
	options *fyne.Container
	dir     string
	dirText *widget.Label
	name    *keyEntry
	msg     *message
	busy    *busy
	save    *widget.Button
	d       *dialog.CustomDialog

	// The options' fields (made for the kind on show).
	reason, referred, since *widget.Entry
	sections                map[string]*widget.Check
	large, strip            *widget.Check
	paper                   *widget.RadioGroup
	lock                    *widget.RadioGroup
	pass, again             *widget.Entry
	keys                    map[string]*widget.Check
	otherKeys               *widget.Entry
	// written is the last file written (tests).
	written string
}

// The ways a backup is locked.
const (
	lockVault   = "With the vault's passphrase"
	lockOther   = "With another passphrase"
	lockWithKey = "With keys (a caregiver's, or your recovery key)"
)

// export is Ctrl+P and the Print / Export button.
func (k *App) export() {
	if k.session == nil || k.frame == nil {
		return
	}
	e := &exportDialog{k: k, s: k.session, person: k.frame.person, kind: app.ExportVisitSummary}
	var labels []string
	for _, c := range app.ExportChoices() {
		if c.Person && e.person.ID == "" {
			continue
		}
		labels = append(labels, e.label(c))
	}
	if len(labels) == 0 {
		return
	}
	e.kinds = widget.NewRadioGroup(labels, func(l string) {
		for _, c := range app.ExportChoices() {
			if e.label(c) == l {
				e.choose(c.Kind)
			}
		}
	})
	e.kinds.Required = true
	e.about = wrapped("")
	e.options = container.NewVBox()
	e.dir = k.fyne.Preferences().String(prefExportFolder)
	if st, err := os.Stat(e.dir); e.dir == "" || err != nil || !st.IsDir() {
		e.dir = defaultExportFolder()
	}
	e.dirText = widget.NewLabel(shortPath(e.dir))
	e.dirText.Truncation = fyne.TextTruncateEllipsis
	change := widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), k.touched(func() {
		k.chooseFolder("Where to save it", func(dir string) {
			e.dir = dir
			e.dirText.SetText(shortPath(dir))
		})
	}))
	e.name = newKeyEntry(k) // Escape in it closes the dialog
	e.name.OnSubmitted = func(string) { e.submit() }
	e.msg = newMessage()
	e.busy = newBusy()
	e.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), k.touched(e.submit))
	e.save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { e.d.Hide() })

	right := container.NewVBox(
		e.about,
		e.options,
		widget.NewSeparator(),
		fieldLabel("Save in"),
		container.NewBorder(nil, nil, nil, change, e.dirText),
		fieldLabel("File name"),
		e.name,
		e.msg,
		e.busy,
	)
	left := container.NewVBox(fieldLabel("What to make"), e.kinds)
	body := container.NewBorder(nil, nil, container.NewPadded(left), nil,
		dialogScroll(container.NewPadded(right)))
	title := "Print / Export"
	if e.person.Name != "" {
		title += " — " + e.person.Name
	}
	size := k.win.Canvas().Size()
	e.d = k.showModal(title,
		container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, e.save), nil, nil, body), nil).d
	e.d.Resize(fyne.NewSize(min(940, size.Width-40), min(640, size.Height-40)))
	first := labels[0]
	e.kinds.SetSelected(first)
	k.work.export = e
	k.win.Canvas().Focus(e.name)
}

func (e *exportDialog) label(c app.ExportChoice) string {
	if c.Kind == app.ExportHandover && e.person.Name != "" {
		return "Handover backup of " + e.person.Name
	}
	return c.Label
}

// defaultExportFolder is Documents, else the home folder.
func defaultExportFolder() string {
	places := app.Places()
	for _, p := range places {
		if p.Name == "Documents" {
			return p.Path
		}
	}
	if len(places) > 0 {
		return places[0].Path
	}
	wd, _ := os.Getwd()
	return wd
}

// choose shows the options of kind k.
func (e *exportDialog) choose(k app.ExportKind) {
	e.kind = k
	c := app.ExportChoiceOf(k)
	e.about.SetText(c.About)
	e.name.SetText(e.s.ExportFileName(k))
	e.msg.clear()
	e.save.SetText(map[bool]string{true: "Save PDF", false: "Save"}[c.PDF])
	if k == app.ExportBackup || k == app.ExportHandover {
		e.save.SetText("Save backup")
	}
	var objs []fyne.CanvasObject
	switch k {
	case app.ExportVisitSummary:
		e.reason = widget.NewMultiLineEntry()
		e.reason.SetPlaceHolder("Why you are seeing the doctor, in your own words (optional)")
		e.reason.Wrapping = fyne.TextWrapWord
		e.reason.SetMinRowsVisible(3)
		e.referred = widget.NewEntry()
		e.referred.SetPlaceHolder("Referred by (optional)")
		objs = append(objs, fieldLabel("Reason for visit"), e.reason, e.referred)
		objs = append(objs, fieldLabel("Sections"))
		e.sections = map[string]*widget.Check{}
		grid := container.NewGridWithColumns(2)
		for _, sec := range app.SummarySections() {
			ch := widget.NewCheck(sec.Label, nil)
			ch.SetChecked(true)
			if sec.Always {
				ch.Text = sec.Label + " (always)"
				ch.Disable()
			}
			e.sections[sec.ID] = ch
			grid.Add(ch)
		}
		objs = append(objs, grid)
		objs = append(objs, e.sinceField()...)
		objs = append(objs, e.largeField())
		objs = append(objs, e.paperField()...)
	case app.ExportEmergencyCard:
		objs = append(objs, e.paperField()...)
		e.strip = widget.NewCheck("For a print shop: the card alone on a 171.2 × 54 mm page", nil)
		objs = append(objs, e.strip)
	case app.ExportFullRecord:
		objs = append(objs, e.sinceField()...)
		objs = append(objs, e.largeField())
		objs = append(objs, e.paperField()...)
	case app.ExportFHIR, app.ExportIPS:
		objs = append(objs, banner(theme.WarningIcon(), "This file is not encrypted: anyone who gets it can read it.", widget.WarningImportance))
	case app.ExportBackup, app.ExportHandover:
		objs = append(objs, e.lockFields()...)
	}
	e.options.Objects = objs
	e.options.Refresh()
}

func (e *exportDialog) sinceField() []fyne.CanvasObject {
	e.since = widget.NewEntry()
	e.since.SetPlaceHolder("A date such as 2020-01-01 (optional)")
	return []fyne.CanvasObject{fieldLabel("Leave out history before"), e.since,
		secondary("Results, visits and procedures before it are left out. Allergies, current medications and active problems always print.")}
}

func (e *exportDialog) largeField() fyne.CanvasObject {
	e.large = widget.NewCheck("Large print (13 pt; it runs longer)", nil)
	return e.large
}

func (e *exportDialog) paperField() []fyne.CanvasObject {
	e.paper = widget.NewRadioGroup([]string{app.PaperLetter, app.PaperA4}, nil)
	e.paper.Horizontal = true
	e.paper.Required = true
	local := app.LocalPaper()
	e.paper.SetSelected(local)
	return []fyne.CanvasObject{fieldLabel("Paper"), e.paper,
		secondary(local + " is this computer's paper, from its language settings. Letter is usual in the US and Canada, A4 elsewhere.")}
}

func (e *exportDialog) lockFields() []fyne.CanvasObject {
	e.pass = widget.NewPasswordEntry()
	e.pass.SetPlaceHolder("Passphrase for the backup")
	e.again = widget.NewPasswordEntry()
	e.again.SetPlaceHolder("The same passphrase again")
	meter := newStrengthMeter()
	e.pass.OnChanged = func(p string) { meter.show(p) }
	other := container.NewVBox(e.pass, e.again, meter)
	other.Hide()
	e.keys = map[string]*widget.Check{}
	keyBox := container.NewVBox()
	if keys, err := e.s.Keys(); err == nil {
		for _, key := range keys {
			name := key.Name
			if name == "" {
				name = "a key without a name"
			}
			ch := widget.NewCheck(fmt.Sprintf("%s (%s…, added %s)", upperFirst(name), key.Key[:min(len(key.Key), 12)], key.Added), nil)
			e.keys[key.Key] = ch
			keyBox.Add(ch)
		}
	}
	if len(e.keys) == 0 {
		keyBox.Add(secondary("This vault has no caregivers' keys yet (Settings adds them). Paste the key to lock the backup to: it starts with age1."))
	}
	e.otherKeys = widget.NewMultiLineEntry()
	e.otherKeys.SetPlaceHolder("Other keys, one per line (age1…)")
	e.otherKeys.SetMinRowsVisible(2)
	keyBox.Add(e.otherKeys)
	keyBox.Add(secondary("Only the holders of these keys' secret halves can open the backup; the passphrase cannot."))
	keyBox.Hide()
	e.lock = widget.NewRadioGroup([]string{lockVault, lockOther, lockWithKey}, func(l string) {
		other.Hidden = l != lockOther
		keyBox.Hidden = l != lockWithKey
		e.options.Refresh()
	})
	e.lock.Required = true
	e.lock.SetSelected(lockVault)
	return []fyne.CanvasObject{fieldLabel("Lock it"), e.lock, other, keyBox}
}

// target is the file to write: the name typed (with its extension), in
// the folder chosen, under a free name.
func (e *exportDialog) target() (string, error) {
	name := strings.TrimSpace(e.name.Text)
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("%w: file name: give the file a name (no slashes)", app.ErrBadInput)
	}
	ext := app.ExportChoiceOf(e.kind).Ext
	if !strings.EqualFold(filepath.Ext(name), ext) {
		name += ext
	}
	if st, err := os.Stat(e.dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("the folder %s: %w", e.dir, os.ErrNotExist)
	}
	return app.FreePath(e.dir, name), nil
}

// submit writes the export in the background.
func (e *exportDialog) submit() {
	if e.save.Disabled() {
		return
	}
	k, s := e.k, e.s
	path, err := e.target()
	if err != nil {
		e.problem(err)
		return
	}
	work, err := e.work(path)
	if err != nil {
		e.problem(err)
		return
	}
	e.msg.clear()
	e.save.Disable()
	e.busy.start("Writing " + filepath.Base(path) + "…")
	kind := e.kind
	Background(k, work, func(text string, err error) {
		e.busy.stop()
		e.save.Enable()
		if k.session != s {
			return
		}
		if err != nil {
			e.problem(err)
			return
		}
		e.d.Hide()
		e.written = path
		k.fyne.Preferences().SetString(prefExportFolder, e.dir)
		k.showWritten(kind, path, text)
	})
}

func (e *exportDialog) problem(err error) {
	if _, text := app.InputProblem(err); text != "" && errors.Is(err, app.ErrBadInput) {
		e.msg.problem(text)
		return
	}
	e.msg.problem(app.Sentence(err))
}

// work is the export's work for the options chosen, checked first; it
// returns what to say once written.
func (e *exportDialog) work(path string) (func() (string, error), error) {
	// The returned work runs off the window's goroutine: it uses these
	// copies, never the dialog's fields (which the window changes).
	s, person, kind := e.s, e.person, e.kind
	switch kind {
	case app.ExportVisitSummary, app.ExportEmergencyCard, app.ExportFullRecord:
		req := app.PrintRequest{Kind: kind, Paper: e.paper.Selected}
		if e.since != nil && kind != app.ExportEmergencyCard {
			d, err := s.ParseSince(e.since.Text)
			if err != nil {
				return nil, err
			}
			req.Since = d
		}
		if e.large != nil && kind != app.ExportEmergencyCard {
			req.LargePrint = e.large.Checked
		}
		if kind == app.ExportVisitSummary {
			req.Reason, req.ReferredBy = e.reason.Text, e.referred.Text
			all := true
			var secs []string
			for _, sec := range app.SummarySections() {
				if e.sections[sec.ID].Checked {
					secs = append(secs, sec.ID)
				} else {
					all = false
				}
			}
			if !all {
				req.Sections = secs
			}
		}
		if kind == app.ExportEmergencyCard {
			req.CardStrip = e.strip.Checked
		}
		return func() (string, error) {
			w, err := s.Print(person.ID, req, path)
			if err != nil {
				return "", err
			}
			what := strings.ToLower(app.ExportChoiceOf(kind).Label)
			text := fmt.Sprintf("Saved the %s of %s (%s paper, %s).", what, w.PersonName, req.Paper, app.ByteSize(w.Bytes))
			if kind == app.ExportEmergencyCard && !req.CardStrip {
				text += " Print it at 100% (actual size), not \"fit to page\", and check the 50 mm bar with a ruler."
			}
			return text, nil
		}, nil
	case app.ExportFHIR, app.ExportIPS:
		ips := kind == app.ExportIPS
		return func() (string, error) {
			w, err := s.ExportFHIR(person.ID, ips, path)
			if err != nil {
				return "", err
			}
			what := "FHIR record (" + app.Plural(w.Resources, "resource", "") + ")"
			if ips {
				what = "International Patient Summary"
			}
			return fmt.Sprintf("Saved the %s of %s (%s). It is not encrypted: keep it safe, and delete it when it has served.", what, w.PersonName, app.ByteSize(w.Bytes)), nil
		}, nil
	case app.ExportBackup, app.ExportHandover:
		opts := app.BackupOptions{}
		if kind == app.ExportHandover {
			opts.Person = person.ID
		}
		switch e.lock.Selected {
		case lockOther:
			if e.pass.Text == "" || e.pass.Text != e.again.Text {
				return nil, fmt.Errorf("%w: passphrase: type the backup's passphrase twice, the same both times", app.ErrBadInput)
			}
			opts.Passphrase = e.pass.Text
		case lockWithKey:
			for key, ch := range e.keys {
				if ch.Checked {
					opts.Recipients = append(opts.Recipients, key)
				}
			}
			for _, l := range strings.Fields(e.otherKeys.Text) {
				opts.Recipients = append(opts.Recipients, l)
			}
			if len(opts.Recipients) == 0 {
				return nil, fmt.Errorf("%w: keys: tick a key, or paste one (it starts with age1)", app.ErrBadInput)
			}
		}
		n := len(opts.Recipients)
		return func() (string, error) {
			w, err := s.Backup(path, opts)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Saved the backup (%s). %s", app.ByteSize(w.Bytes), w.Text(n)), nil
		}, nil
	}
	return nil, fmt.Errorf("%w: choose what to make", app.ErrBadInput)
}

// showWritten says where the file went, with Open and Show in folder.
func (k *App) showWritten(kind app.ExportKind, path, text string) {
	where := fmt.Sprintf("It is %s, in %s.", filepath.Base(path), shortPath(filepath.Dir(path)))
	body := container.NewVBox(wrapped(text), secondary(where))
	var d *dialog.CustomDialog
	buttons := container.NewHBox(layout.NewSpacer())
	if kind != app.ExportBackup && kind != app.ExportHandover {
		buttons.Add(widget.NewButtonWithIcon("Open", theme.FileIcon(), k.touched(func() { k.reveal(path, false) })))
	}
	buttons.Add(widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), k.touched(func() { k.reveal(path, true) })))
	close := widget.NewButton("Close", func() { d.Hide() })
	close.Importance = widget.HighImportance
	buttons.Add(close)
	buttons.Add(layout.NewSpacer())
	m := k.showModal("Saved", container.NewVBox(container.New(&widthLayout{width: 460}, body), buttons), nil)
	m.enter = m.hide // Enter and Escape close it
	d = m.d
	k.work.written = path
}

// reveal opens a file in its program, or its folder in the file manager
// (Fyne's OpenURL with a file URI: xdg-open here). It says so when
// nothing opened it.
func (k *App) reveal(path string, folder bool) {
	target := path
	if folder {
		target = filepath.Dir(path)
	}
	k.work.revealed = target
	if err := openFile(k.fyne, target); err != nil {
		k.inform("Nothing opened it", fmt.Sprintf("This computer has no program set to open it. The file is %s, in %s.",
			filepath.Base(path), shortPath(filepath.Dir(path))))
	}
}
