package ui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The window's own file chooser for importing: Fyne's file dialog picks
// one file, and records often come as several (three clinics' downloads)
// or as a folder (an unpacked export). It lists a folder (folders first),
// lets the person tick files and folders, open a folder, type or paste a
// path, or import the folder on show as one package. Everything is
// reachable by keyboard: the path field (Enter), the place buttons, the
// list (arrows and Space), Import.

// prefImportFolder is the folder the chooser opened last.
const prefImportFolder = "import.folder"

func init() {
	emptyVaultActions = func(k *App, r Route) fyne.CanvasObject { return k.dropZone() }
}

// importFiles is the Import button, Ctrl+O and "Open files…".
func (k *App) importFiles() {
	if k.session == nil {
		return
	}
	k.chooseFiles(k.ImportPaths)
}

// fileChooser is the chooser on show.
type fileChooser struct {
	k      *App
	dir    string
	items  []app.FolderItem
	chosen []string
	list   *widget.List
	where  *keyEntry
	count  *widget.Label
	msg    *message
	ok     *widget.Button
	folder *widget.Button
	d      *dialog.CustomDialog
	then   func([]string)
}

// chooseFiles shows the chooser; then gets the files and folders chosen.
func (k *App) chooseFiles(then func([]string)) {
	c := &fileChooser{k: k, then: then}
	c.where = newKeyEntry(k) // Escape in it closes the chooser
	c.where.SetPlaceHolder("Type or paste a folder or file, then press Enter")
	// Enter opens the folder typed, or ticks the file; Enter again (the
	// field showing the folder open) imports what is ticked.
	c.where.OnSubmitted = func(p string) {
		if strings.TrimSpace(p) == c.dir && len(c.chosen) > 0 {
			c.done(c.chosen)
			return
		}
		c.goTo(p)
	}
	c.count = widget.NewLabel("")
	c.msg = newMessage()
	c.list = widget.NewList(func() int { return len(c.items) }, c.newRow, c.updateRow)
	c.list.OnSelected = func(id widget.ListItemID) {
		c.list.Unselect(id)
		if id < 0 || id >= len(c.items) {
			return
		}
		it := c.items[id]
		if it.Dir {
			c.open(it.Path)
			return
		}
		c.toggle(it.Path)
	}
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { c.open(filepath.Dir(c.dir)) })
	var places []fyne.CanvasObject
	for _, p := range app.Places() {
		p := p
		places = append(places, widget.NewButtonWithIcon(p.Name, placeIcon(p.Name), func() { c.open(p.Path) }))
	}
	c.ok = widget.NewButtonWithIcon("Import", theme.DownloadIcon(), func() { c.done(c.chosen) })
	c.ok.Importance = widget.HighImportance
	c.folder = widget.NewButtonWithIcon("Import this whole folder", theme.FolderIcon(), func() { c.done([]string{c.dir}) })
	cancel := widget.NewButton("Cancel", func() { c.d.Hide() })

	top := container.NewVBox(
		wrapped("Tick the files to import (or folders, each read as one package), then Import. Click a folder to open it. Or type a file's path and press Enter twice."),
		container.NewHBox(places...),
		container.NewBorder(nil, nil, up, nil, c.where),
		c.msg,
	)
	bottom := container.NewVBox(c.count, container.NewHBox(c.folder, layout.NewSpacer(), cancel, c.ok))
	body := container.NewBorder(top, bottom, nil, nil, c.list)
	size := k.win.Canvas().Size()
	c.d = k.showModal("Import records", body, nil).d
	c.d.Resize(fyne.NewSize(min(780, size.Width-40), min(560, size.Height-40)))
	start := k.fyne.Preferences().String(prefImportFolder)
	if st, err := os.Stat(start); start == "" || err != nil || !st.IsDir() {
		start = defaultImportFolder()
	}
	c.open(start)
	k.work.chooser = c
	k.win.Canvas().Focus(c.where)
	// Typing a path replaces the folder shown, as in a file dialog.
	c.where.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// defaultImportFolder is where downloads land: Downloads, else home.
func defaultImportFolder() string {
	places := app.Places()
	for _, p := range places {
		if p.Name == "Downloads" {
			return p.Path
		}
	}
	if len(places) > 0 {
		return places[0].Path
	}
	wd, _ := os.Getwd()
	return wd
}

func placeIcon(name string) fyne.Resource {
	switch name {
	case "Home":
		return theme.HomeIcon()
	case "Downloads":
		return theme.DownloadIcon()
	case "Desktop":
		return theme.ComputerIcon()
	}
	return theme.DocumentIcon()
}

// goTo is the path field: a folder opens, a file is ticked (in its folder).
func (c *fileChooser) goTo(p string) {
	p = strings.TrimSpace(p)
	if p == "" {
		return
	}
	if lp, err := app.LocalPath(p); err == nil {
		p = lp
	}
	if strings.HasPrefix(p, "~") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	st, err := os.Stat(p)
	if err != nil {
		c.msg.problem(pathProblem(p, err))
		return
	}
	if st.IsDir() {
		c.open(p)
		return
	}
	c.open(filepath.Dir(p))
	if !slices.Contains(c.chosen, p) {
		c.toggle(p)
	}
}

// pathProblem words why a typed path cannot be opened: not allowed, or
// nothing there (a mistyped name, a file where a folder was written).
func pathProblem(p string, err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return app.Sentence(err)
	}
	return "There is no file or folder at " + p + ". Check the path, or pick the file from the list."
}

// open lists a folder.
func (c *fileChooser) open(dir string) {
	items, err := app.ListFolder(dir, c.k.opts.Clock.Now())
	if err != nil {
		c.msg.problem(app.Sentence(err))
		return
	}
	c.msg.clear()
	c.dir, c.items = dir, items
	c.where.SetText(dir)
	if c.k.win.Canvas().Focused() == c.where {
		// Typing replaces the folder shown (and no selection of the
		// earlier text is left over).
		c.where.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
	c.k.fyne.Preferences().SetString(prefImportFolder, dir)
	c.list.UnselectAll()
	scrollToTop(c.list)
	c.list.Refresh()
	c.folder.SetText("Import this whole folder (" + filepath.Base(dir) + ")")
	c.counted()
}

func (c *fileChooser) toggle(path string) {
	if i := slices.Index(c.chosen, path); i >= 0 {
		c.chosen = slices.Delete(c.chosen, i, i+1)
	} else {
		c.chosen = append(c.chosen, path)
	}
	c.list.Refresh()
	c.counted()
}

// counted says what is chosen and enables Import.
func (c *fileChooser) counted() {
	switch n := len(c.chosen); n {
	case 0:
		c.count.SetText("Nothing chosen yet.")
		c.ok.SetText("Import")
		c.ok.Disable()
	default:
		names := make([]string, 0, 3)
		for i, p := range c.chosen {
			if i == 3 {
				names = append(names, "…")
				break
			}
			names = append(names, filepath.Base(p))
		}
		c.count.SetText(app.Plural(n, "chosen", "chosen") + ": " + strings.Join(names, ", "))
		c.ok.SetText("Import " + app.Plural(n, "item", ""))
		c.ok.Enable()
	}
}

func (c *fileChooser) done(paths []string) {
	if len(paths) == 0 {
		return
	}
	c.d.Hide()
	c.k.work.chooser = nil
	c.then(slices.Clone(paths))
}

// A row: the tick, an icon, the name, the size and the date.
func (c *fileChooser) newRow() fyne.CanvasObject {
	check := widget.NewCheck("", nil)
	icon := widget.NewIcon(theme.FileIcon())
	name := newBody("")
	size := widget.NewLabel("")
	size.Alignment = fyne.TextAlignTrailing
	date := widget.NewLabel("")
	right := container.New(&columnWidth{width: 240}, container.NewGridWithColumns(2, size, date))
	return container.NewBorder(nil, nil, container.NewHBox(check, icon), right, name)
}

func (c *fileChooser) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(c.items) {
		return
	}
	it := c.items[id]
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	left := row.Objects[1].(*fyne.Container)
	check, icon := left.Objects[0].(*widget.Check), left.Objects[1].(*widget.Icon)
	cols := row.Objects[2].(*fyne.Container).Objects[0].(*fyne.Container)
	size, date := cols.Objects[0].(*widget.Label), cols.Objects[1].(*widget.Label)
	name.SetText(it.Name)
	name.TextStyle = fyne.TextStyle{Bold: it.Record || it.Dir}
	name.Refresh()
	switch {
	case it.Dir:
		icon.SetResource(theme.FolderIcon())
	case it.Record:
		icon.SetResource(theme.DocumentIcon())
	default:
		icon.SetResource(theme.FileIcon())
	}
	size.SetText(it.Size)
	date.SetText(it.Modified)
	check.OnChanged = nil
	check.SetChecked(slices.Contains(c.chosen, it.Path))
	path := it.Path
	check.OnChanged = func(on bool) {
		if on != slices.Contains(c.chosen, path) {
			c.toggle(path)
		}
	}
}

// dropZone is the empty record's invitation: drop files here, or open
// them, or look at the demo first.
func (k *App) dropZone() fyne.CanvasObject {
	open := widget.NewButtonWithIcon("Open files…", theme.FolderOpenIcon(), k.touched(k.importFiles))
	open.Importance = widget.HighImportance
	demo := widget.NewButton("Try the demo", k.openDemo)
	icon := widget.NewIcon(theme.DownloadIcon())
	words := widget.NewLabelWithStyle("Drop files or folders anywhere on this window", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	words.Wrapping = fyne.TextWrapWord
	inner := container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSize(48, 48), icon)),
		words,
		container.NewCenter(container.NewHBox(open, demo)),
	)
	return container.NewPadded(container.NewStack(newDashedBox(), container.NewPadded(container.NewPadded(inner))))
}

// dashedBox is the drop zone's outline: a rounded rectangle in the
// theme's primary colour, faintly filled.
type dashedBox struct {
	widget.BaseWidget
}

func newDashedBox() *dashedBox {
	b := &dashedBox{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *dashedBox) CreateRenderer() fyne.WidgetRenderer {
	d := &dashedRenderer{b: b, r: &canvas.Rectangle{CornerRadius: 12, StrokeWidth: 2}}
	d.Refresh()
	return d
}

type dashedRenderer struct {
	b *dashedBox
	r *canvas.Rectangle
}

func (d *dashedRenderer) Layout(s fyne.Size)           { d.r.Resize(s) }
func (d *dashedRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, 0) }
func (d *dashedRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{d.r} }
func (d *dashedRenderer) Destroy()                     {}
func (d *dashedRenderer) Refresh() {
	th := d.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	d.r.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	d.r.FillColor = mixColor(th.Color(theme.ColorNamePrimary, v), th.Color(theme.ColorNameBackground, v), 0.06)
	d.r.Refresh()
}
