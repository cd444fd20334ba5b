package ui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// What a person does with an imported file on the Sources page: save a
// copy of the original, byte for byte (into a folder they pick, under its
// own name or a free one: Fyne's save dialog empties a file it is pointed
// at before the app sees the choice, so the app picks folders), and remove
// it with what only it stated, after a confirmation that says how much
// goes and what stays.

func init() {
	sourceActions = func(k *App, src app.SourceRow) []fyne.CanvasObject {
		var out []fyne.CanvasObject
		if src.HasOriginal {
			out = append(out, widget.NewButtonWithIcon("Save a copy of the original…", theme.DocumentSaveIcon(),
				k.touched(func() { k.saveOriginal(src) })))
		}
		remove := widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), k.touched(func() { k.removeSource(src) }))
		return append(out, remove)
	}
}

// saveOriginal asks for a folder and writes the copy there.
func (k *App) saveOriginal(src app.SourceRow) {
	k.chooseFolder("Where to save a copy of "+src.File, func(dir string) { k.saveOriginalTo(src, dir) })
}

func (k *App) saveOriginalTo(src app.SourceRow, dir string) {
	s := k.session
	if s == nil {
		return
	}
	Background(k, func() (string, error) { return s.SaveOriginal(src.ID, dir) }, func(path string, err error) {
		if err != nil {
			k.ShowError("The copy was not saved", err)
			return
		}
		text := fmt.Sprintf("Saved a copy of %s, exactly as it was imported.", src.File)
		if filepath.Base(path) != filepath.Base(src.File) {
			text += " A file of that name was there already, so the copy has a new name; nothing was replaced."
		}
		k.showWritten("", path, text)
	})
}

// removeSource confirms, saying what goes and what stays, then removes.
func (k *App) removeSource(src app.SourceRow) {
	s := k.session
	if s == nil {
		return
	}
	plan, err := s.PlanSourceRemoval(src.ID)
	if err != nil {
		k.ShowError("Nothing was removed", err)
		return
	}
	d := dialog.NewCustomConfirm("Remove "+src.File+"?", "Remove", "Keep it", wrappedBox(plan.Question), func(ok bool) {
		if !ok {
			return
		}
		Background(k, func() (*removed, error) {
			rep, err := s.RemoveSource(src.ID)
			if err != nil {
				return nil, err
			}
			return &removed{entries: rep.Entries, kept: rep.Kept}, nil
		}, func(r *removed, err error) {
			if err != nil {
				k.ShowError(src.File+" was not removed", err)
				return
			}
			text := fmt.Sprintf("Removed %s and the %s only it gave.", src.File, app.Plural(r.entries, "entry", "entries"))
			if r.kept > 0 {
				text += fmt.Sprintf(" %s that other files also state stayed.", app.Plural(r.kept, "entry", "entries"))
			}
			k.work.removed = text
			k.inform("Removed", text+" You can import the file again at any time.")
		})
	}, k.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

type removed struct{ entries, kept int }
