package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// Importing from the window. Files come in four ways, all through
// [App.ImportPaths]: the Import button and Ctrl+O (the window's own file
// chooser, which picks several files or a folder), files and folders
// dropped on the window ([App.Dropped]), the empty record's "Open files…",
// and the files named on the command line (Options.Import, imported once
// a vault is unlocked).
//
// The import runs in the background with its progress under the top bar
// ("Reading summary.xml… 3 of 5 files", a bar, Cancel); the window stays
// usable. When it ends, files whose person is not known are asked about
// one by one ("Whose is it?"), files that name someone other than the
// person chosen are filed under the person they name, and the report
// opens: sentences first, numbers second, what was left out on demand.
// Cancel takes back the whole run (app.Session.UndoImport): the vault is
// as it was.

// work is the window's import state.
type work struct {
	run *importRun
	// pending are files to import once a vault is open.
	pending []string
	// report is the last report shown, asking the question on show
	// (tests read them).
	report  *app.ImportReport
	asking  *asking
	chooser *fileChooser
	export  *exportDialog
	restore *restoreDialog
	// removed says what the last removal of a source removed.
	removed string
	// written is the last file an export wrote; revealed what Open or
	// Show in folder last opened.
	written, revealed string
	// progressHook, when set (tests), is told each progress of an import,
	// on the import's goroutine; paintHook each time the progress is
	// drawn, with how long the drawing took.
	progressHook func(app.Progress)
	paintHook    func(took time.Duration)
	// reportAfter is how long the last report took to appear once the
	// import's work had returned (the benchmark reads it).
	reportAfter time.Duration
}

// Dropped is the window's drop handler: the files and folders dropped on
// it are imported. (Fyne's test window ignores SetOnDropped; tests call
// this.)
func (k *App) Dropped(_ fyne.Position, uris []fyne.URI) {
	k.touch()
	var paths []string
	for _, u := range uris {
		if p, err := app.LocalPath(u.Path()); err == nil && p != "" {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 && len(uris) > 0 {
		dialog.ShowInformation("Nothing to import", "Only files and folders on this computer can be imported: drop them from a file manager.", k.win)
		return
	}
	k.ImportPaths(paths)
}

// ImportPaths imports files and folders. With no vault open they wait
// until one is unlocked; while another import runs, the person is told to
// wait for it.
func (k *App) ImportPaths(paths []string) {
	paths = cleanPaths(paths)
	if len(paths) == 0 {
		return
	}
	if k.session == nil || k.frame == nil {
		k.work.pending = cleanPaths(append(k.work.pending, paths...))
		if u, ok := k.current.(*unlockScreen); ok {
			u.msg.info(k.pendingNote(true))
		} else if k.screen == "welcome" || k.screen == "create" {
			dialog.ShowInformation("Create your vault first", k.pendingNote(false), k.win)
		}
		return
	}
	if r := k.work.run; r != nil {
		dialog.ShowInformation("An import is under way",
			fmt.Sprintf("Kinfolio is still importing %s. When it is done (or cancelled), import these again.", r.what), k.win)
		return
	}
	r := k.newImportRun(paths)
	r.step(paths, "")
}

// importPending imports the files that waited for a vault to be opened.
func (k *App) importPending() {
	if len(k.work.pending) == 0 || k.session == nil {
		return
	}
	paths := k.work.pending
	k.work.pending = nil
	k.ImportPaths(paths)
}

// pendingNote says which files wait for the vault (to be unlocked, or
// made).
func (k *App) pendingNote(unlocking bool) string {
	n := len(k.work.pending)
	if n == 0 {
		return ""
	}
	what := filepathBase(k.work.pending[0])
	if n > 1 {
		what += " and " + app.Plural(n-1, "more file", "more files")
	}
	if unlocking {
		return "Once you unlock, Kinfolio imports " + what + "."
	}
	return "Kinfolio imports " + what + " once your vault is made."
}

// stopWork cancels the import under way (the window is locking).
func (k *App) stopWork() {
	if r := k.work.run; r != nil {
		r.gone = true
		if r.cancel != nil {
			r.cancel()
		}
		k.work.run = nil
	}
}

func cleanPaths(paths []string) []string {
	var out []string
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if lp, err := app.LocalPath(p); err == nil {
			p = lp
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func filepathBase(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// importRun is one import from the window: the files given, then those
// asked about and answered, then those filed under the person they name.
type importRun struct {
	k *App
	s *app.Session
	// onScreen is the person on show when it began.
	onScreen string
	// what names the files for sentences ("summary.xml and 2 more files").
	what    string
	results []app.FileResult
	// asked and refiled are the files already asked about or imported
	// again without a choice, so none is asked twice.
	asked, refiled map[string]bool

	cancel    context.CancelFunc
	cancelled bool
	// gone: the window locked or moved on; nothing more is shown.
	gone  bool
	panel *importPanel
	// started is when the current step began, for the elapsed time;
	// returned when its work returned.
	started, returned time.Time
	// latest is the newest progress; lastPaint when it was last drawn
	// (unix nanoseconds), so a burst of progress is drawn ten times a
	// second, not a thousand.
	latest    atomic.Pointer[app.Progress]
	lastPaint atomic.Int64
	// stopTicks ends the elapsed-time ticker.
	stopTicks chan struct{}
	// painted counts progress drawn (tests).
	painted int
}

func (k *App) newImportRun(paths []string) *importRun {
	r := &importRun{k: k, s: k.session, asked: map[string]bool{}, refiled: map[string]bool{}}
	r.what = filepathBase(paths[0])
	if len(paths) > 1 {
		r.what += " and " + app.Plural(len(paths)-1, "more file", "more files")
	}
	if k.frame != nil {
		r.onScreen = k.frame.person.ID
	}
	k.work.run = r
	r.panel = newImportPanel(r)
	if k.frame != nil {
		k.frame.status.Objects = []fyne.CanvasObject{r.panel.root}
		k.frame.status.Show()
		k.frame.status.Refresh()
	}
	return r
}

// step imports paths (for person, when the answer to a question names
// them) in the background.
func (r *importRun) step(paths []string, person string) {
	k := r.k
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.started = time.Now()
	first := app.Progress{File: filepathBase(paths[0]), Index: 1, Files: len(paths), Stage: "reading",
		Text: fmt.Sprintf("Reading %s… 1 of %s", filepathBase(paths[0]), app.Plural(len(paths), "file", ""))}
	r.latest.Store(&first)
	r.panel.running()
	r.paint()
	r.startTicks()
	s := r.s
	Background(k, func() ([]app.FileResult, error) {
		res, err := s.Import(ctx, paths, app.ImportOptions{Person: person, Progress: r.progressed})
		r.returned = time.Now()
		return res, err
	}, func(res []app.FileResult, err error) {
		r.stopTicksNow()
		stopped := ctx.Err() != nil
		cancel()
		r.results = append(r.results, res...)
		if r.gone || k.work.run != r {
			return
		}
		switch {
		case r.cancelled || stopped:
			r.undo()
		case err != nil:
			r.end()
			k.ShowError("Nothing was imported", err)
		default:
			r.next()
		}
	})
}

// progressed is the import's Progress: it keeps the newest, and draws it
// at most every 100 ms, except that a file's start and end are drawn at
// once (the line names the file being read).
func (r *importRun) progressed(p app.Progress) {
	prev := r.latest.Swap(&p)
	now := time.Now().UnixNano()
	newFile := prev == nil || prev.Index != p.Index
	if newFile || p.Fraction >= 1 || now-r.lastPaint.Load() >= int64(100*time.Millisecond) {
		r.lastPaint.Store(now)
		fyne.Do(r.paint)
	}
	if h := r.k.work.progressHook; h != nil {
		h(p)
	}
}

// startTicks redraws the progress every second (the elapsed time moves
// while a step reports nothing, such as a large zip read in place). Tests
// run the work inline, so there is nothing to tick for.
func (r *importRun) startTicks() {
	if r.k.runner != nil {
		return
	}
	stop := make(chan struct{})
	r.stopTicks = stop
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(func() {
					select {
					case <-stop:
					default:
						r.paint()
					}
				})
			}
		}
	}()
}

func (r *importRun) stopTicksNow() {
	if r.stopTicks != nil {
		close(r.stopTicks)
		r.stopTicks = nil
	}
}

// paint shows the newest progress (on the window's goroutine).
func (r *importRun) paint() {
	if r.gone || r.k.work.run != r || r.cancelled {
		return
	}
	p := r.latest.Load()
	if p == nil {
		return
	}
	r.painted++
	began := time.Now()
	r.k.touch() // an import under way keeps the window from locking under it
	r.panel.show(p.Text, p.Fraction, time.Since(r.started))
	if h := r.k.work.paintHook; h != nil {
		h(time.Since(began))
	}
}

// next asks what must be asked, imports what must be imported again, and
// at the end shows the report.
func (r *importRun) next() {
	rep := r.s.ImportReport(r.results, r.onScreen)
	var refile []string
	for _, p := range rep.Refiles {
		if !r.refiled[p] {
			r.refiled[p] = true
			refile = append(refile, p)
		}
	}
	if len(refile) > 0 {
		r.step(refile, "")
		return
	}
	for _, a := range rep.Asks {
		if !r.asked[a.Path] {
			r.asked[a.Path] = true
			r.panel.waiting(fmt.Sprintf("Waiting for you to say whose %s is…", a.File))
			r.k.askWhose(a, func(person string) {
				if r.gone || r.k.work.run != r {
					return
				}
				if person == "" {
					r.next()
					return
				}
				r.step([]string{a.Path}, person)
			})
			return
		}
	}
	r.end()
	r.k.finishImport(rep)
	r.k.work.reportAfter = time.Since(r.returned)
}

// end takes the progress away.
func (r *importRun) end() {
	if r.k.work.run == r {
		r.k.work.run = nil
	}
	r.panel.remove(r.k)
}

// cancelNow is the panel's Cancel.
func (r *importRun) cancelNow() {
	if r.cancelled {
		return
	}
	r.cancelled = true
	r.panel.waiting("Cancelling… nothing of this import will be kept.")
	if r.cancel != nil {
		r.cancel()
	}
}

// undo takes back what the run stored before it was cancelled.
func (r *importRun) undo() {
	k := r.k
	s := r.s
	results := r.results
	r.panel.waiting("Cancelling… taking back what was imported.")
	Background(k, func() (struct{}, error) {
		return struct{}{}, s.UndoImport(results)
	}, func(_ struct{}, err error) {
		r.end()
		if r.gone || k.session != s {
			return
		}
		if err != nil {
			k.ShowError("The import was cancelled, but not all of it was taken back", err)
			return
		}
		k.inform("Import cancelled", fmt.Sprintf("Nothing of %s was kept: the vault is as it was before.", r.what))
	})
}

// finishImport shows whom the records went to and the report.
func (k *App) finishImport(rep app.ImportReport) {
	k.work.report = &rep
	if rep.Show != "" && k.frame != nil && k.frame.person.ID != rep.Show {
		k.Navigate(Route{Person: rep.Show, Section: app.SectionSummary})
	}
	k.showImportReport(rep)
}

// dialogScroll scrolls a dialog's body, keeping its right edge clear of
// the scroll bar (Fyne draws the bar over the content).
func dialogScroll(body fyne.CanvasObject) *container.Scroll {
	return container.NewVScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.Padding()*3), body))
}

// importPanel is the import's progress under the top bar.
type importPanel struct {
	r      *importRun
	text   *widget.Label
	time   *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	root   fyne.CanvasObject
}

func newImportPanel(r *importRun) *importPanel {
	p := &importPanel{r: r, text: widget.NewLabel(""), time: widget.NewLabel(""), bar: widget.NewProgressBar()}
	p.text.Truncation = fyne.TextTruncateEllipsis
	p.time.Importance = widget.LowImportance
	p.bar.TextFormatter = func() string { return fmt.Sprintf("%.0f%%", p.bar.Value*100) }
	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), r.k.touched(r.cancelNow))
	icon := widget.NewIcon(theme.DownloadIcon())
	line := container.NewBorder(nil, nil, icon, container.NewHBox(p.time, p.cancel), p.text)
	p.root = container.NewPadded(newPanel(container.NewVBox(line, p.bar)))
	return p
}

func (p *importPanel) running() {
	p.cancel.Enable()
	p.bar.Show()
}

func (p *importPanel) show(text string, fraction float64, elapsed time.Duration) {
	if p.text.Text != text {
		p.text.SetText(text)
	}
	p.bar.SetValue(min(max(fraction, 0), 1))
	if elapsed >= 2*time.Second {
		p.time.SetText(elapsedText(elapsed))
	}
}

// waiting shows a line with no bar (a question is open, or cancelling).
func (p *importPanel) waiting(text string) {
	p.text.SetText(text)
	p.time.SetText("")
	p.bar.Hide()
	if strings.HasPrefix(text, "Cancelling") {
		p.cancel.Disable()
	}
}

func (p *importPanel) remove(k *App) {
	if k.frame == nil {
		return
	}
	objs := slices.DeleteFunc(slices.Clone(k.frame.status.Objects), func(o fyne.CanvasObject) bool { return o == p.root })
	k.frame.status.Objects = objs
	if len(objs) == 0 {
		k.frame.status.Hide()
	}
	k.frame.status.Refresh()
}

func elapsedText(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %02d s", s/60, s%60)
}

// askWhose asks whose a file is: the people, likeliest first, and
// "Someone new" (prefilled with what the file gives). answer gets the
// chosen person's id, or "" for "Not now".
func (k *App) askWhose(a app.Ask, answer func(person string)) {
	const someoneNew = "Someone new"
	var labels []string
	ids := map[string]string{}
	for _, p := range a.People {
		l := p.Name
		if p.BirthText != "" {
			l += " (born " + p.BirthText + ")"
		}
		labels = append(labels, l)
		ids[l] = p.ID
	}
	labels = append(labels, someoneNew)

	name := widget.NewEntry()
	name.SetPlaceHolder("Name, as on their records")
	name.SetText(a.Name)
	birth := widget.NewEntry()
	birth.SetPlaceHolder("Birth date: 1981-04-12 (or just the year)")
	if !a.BirthDate.IsZero() {
		birth.SetText(a.BirthDate.String())
	}
	problem := newMessage()
	newBox := container.NewVBox(fieldLabel("Name"), name, fieldLabel("Birth date"), birth, problem)
	newBox.Hide()

	var d *dialog.CustomDialog
	ok := widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	ok.Disable()
	choice := widget.NewRadioGroup(labels, func(l string) {
		if l == someoneNew {
			newBox.Show()
			k.win.Canvas().Focus(name)
		} else {
			newBox.Hide()
		}
		if l == "" {
			ok.Disable()
		} else {
			ok.Enable()
		}
	})
	submit := func() {
		switch l := choice.Selected; l {
		case "":
			return
		case someoneNew:
			p, added := k.addPersonFrom(name.Text, birth.Text, problem)
			if !added {
				return
			}
			d.Hide()
			answer(p.ID)
		default:
			d.Hide()
			answer(ids[l])
		}
	}
	ok.OnTapped = k.touched(submit)
	name.OnSubmitted = func(string) { k.win.Canvas().Focus(birth) }
	birth.OnSubmitted = func(string) { submit() }
	notNow := widget.NewButton("Not now", func() {
		d.Hide()
		answer("")
	})

	title := "Whose is it?"
	if a.Kind == app.CouldBeSeveral {
		title = "Who is it?"
	}
	body := []fyne.CanvasObject{wrapped(a.Text)}
	if given := a.NameGiven(); given != "" {
		body = append(body, secondary("The file gives: "+given+"."))
	}
	body = append(body, secondary("Its records go only to the person you choose. Kinfolio never guesses whose a record is."),
		choice, newBox)
	content := container.New(&widthLayout{width: 480}, container.NewVBox(body...))
	d = k.showModal(title,
		container.NewBorder(nil, container.NewCenter(container.NewHBox(notNow, ok)), nil, nil, dialogScroll(content)), notNow.OnTapped).d
	d.Resize(fyne.NewSize(560, min(k.win.Canvas().Size().Height-60, content.MinSize().Height+260)))
	k.work.asking = &asking{ask: a, choice: choice, name: name, birth: birth, ok: ok, notNow: notNow, problem: problem}
}

// asking is the question on show (tests answer it).
type asking struct {
	ask         app.Ask
	choice      *widget.RadioGroup
	name, birth *widget.Entry
	ok, notNow  *widget.Button
	problem     *message
}

// showImportReport shows what an import did: sentences first, numbers
// second, what was left out and the technical detail folded away.
func (k *App) showImportReport(rep app.ImportReport) {
	var objs []fyne.CanvasObject
	head := wrapped(rep.Headline)
	head.TextStyle = fyne.TextStyle{Bold: true}
	objs = append(objs, head)
	if rep.ShowText != "" {
		objs = append(objs, banner(theme.InfoIcon(), rep.ShowText, widget.MediumImportance))
	}
	var d *dialog.CustomDialog
	for i := range rep.Files {
		f := &rep.Files[i]
		var ask *app.Ask
		for j := range rep.Asks {
			if rep.Asks[j].Path == f.Path {
				ask = &rep.Asks[j]
			}
		}
		objs = append(objs, k.reportFile(f, ask, func() { d.Hide() }))
	}
	body := container.NewVBox(objs...)
	content := dialogScroll(container.New(&widthLayout{width: 660}, body))
	size := k.win.Canvas().Size()
	close := widget.NewButton("Close", func() { d.Hide() })
	close.Importance = widget.HighImportance
	m := k.showModal(rep.Title, container.NewBorder(nil, container.NewCenter(close), nil, nil, content), nil)
	m.enter = m.hide // Enter and Escape close it
	d = m.d
	d.Resize(fyne.NewSize(min(720, size.Width-40), min(max(body.MinSize().Height+120, 240), size.Height-60)))
}

// reportFile is one file's part of the report.
func (k *App) reportFile(f *app.ImportedFile, ask *app.Ask, closeReport func()) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(f.File, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	icon := theme.DocumentIcon()
	switch {
	case f.Failed:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	case f.Before:
		icon = theme.ConfirmIcon()
	case len(f.Parts) > 0:
		icon = theme.FolderIcon()
	}
	var about []string
	if f.Format != "" {
		about = append(about, f.Format)
	}
	if f.Person != "" {
		about = append(about, "for "+f.Person)
	}
	lines := []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(icon), newSecondary(strings.Join(about, " · ")), name)}
	for _, s := range f.Sentences {
		lines = append(lines, wrapped(s))
	}
	if len(f.Numbers) > 0 {
		grid := container.NewGridWrap(fyne.NewSize(215, 28))
		for _, n := range f.Numbers {
			grid.Add(numberCell(n))
		}
		lines = append(lines, grid)
	}
	if len(f.Parts) > 0 {
		lines = append(lines, newSecondary("Inside it: "+app.Plural(len(f.Parts), "document", "")))
		for _, p := range f.Parts {
			pn := widget.NewLabelWithStyle(p.File, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			pn.Truncation = fyne.TextTruncateEllipsis
			lines = append(lines, container.New(layout.NewCustomPaddedLayout(0, 0, 24, 0), tight(pn, wrappedSecondary(p.Summary))))
		}
	}
	var folds []*widget.AccordionItem
	if n := len(f.Unread) + len(f.NotRecords); n > 0 {
		folds = append(folds, widget.NewAccordionItem(fmt.Sprintf("Show what was left out (%d)", n), leftOutList(f)))
	}
	if detail := technical(f); detail != "" {
		t := widget.NewLabel(detail)
		t.Wrapping = fyne.TextWrapBreak
		t.TextStyle = fyne.TextStyle{Monospace: true}
		t.SizeName = theme.SizeNameCaptionText
		t.Selectable = true
		folds = append(folds, widget.NewAccordionItem("Details", t))
	}
	if len(folds) > 0 {
		acc := widget.NewAccordion(folds...)
		acc.MultiOpen = true
		lines = append(lines, acc)
	}
	if ask != nil {
		a := *ask
		b := widget.NewButtonWithIcon("Say whose it is…", theme.QuestionIcon(), k.touched(func() {
			closeReport()
			if r := k.work.run; r != nil {
				// Another import began meanwhile (a drop): one at a time.
				dialog.ShowInformation("An import is under way",
					fmt.Sprintf("Kinfolio is still importing %s. When it is done (or cancelled), say whose %s is.", r.what, a.File), k.win)
				return
			}
			r := k.newImportRun([]string{a.Path})
			r.asked[a.Path] = true
			r.panel.waiting(fmt.Sprintf("Waiting for you to say whose %s is…", a.File))
			k.askWhose(a, func(person string) {
				if r.gone || k.work.run != r {
					return
				}
				if person == "" {
					r.end()
					return
				}
				r.step([]string{a.Path}, person)
			})
		}))
		lines = append(lines, container.NewHBox(b))
	}
	return newPanel(container.NewVBox(lines...))
}

// numberCell is "7  Problems": the number bold, right-aligned in its column.
func numberCell(n app.Number) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(fmt.Sprint(n.N), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	label := newBody(n.Label)
	return container.NewBorder(nil, nil, container.New(&columnWidth{width: 40}, num), nil, label)
}

// leftOutList is what was not imported, each with why and where.
func leftOutList(f *app.ImportedFile) fyne.CanvasObject {
	box := container.NewVBox()
	add := func(title string, items []app.LeftOut) {
		if len(items) == 0 {
			return
		}
		box.Add(fieldLabel(title))
		for _, it := range items {
			box.Add(tight(wrapped("• "+upperFirst(it.Why)), wrappedSecondary(it.Where)))
		}
	}
	add("Could not be read", f.Unread)
	add("Not health records, passed over", f.NotRecords)
	return box
}

// technical is the detail for whoever helps: where each item is, the
// format's own terms, the readers' notes, the error.
func technical(f *app.ImportedFile) string {
	var b strings.Builder
	if f.Detail != "" {
		b.WriteString(f.Detail + "\n")
	}
	for _, it := range f.Unread {
		if it.Detail != "" {
			fmt.Fprintf(&b, "%s: %s\n", it.Where, it.Detail)
		}
	}
	notes := slices.Clone(f.Notes)
	for _, p := range f.Parts {
		for _, n := range p.Notes {
			notes = append(notes, p.File+": "+n)
		}
	}
	for _, n := range notes {
		b.WriteString("Note: " + n + "\n")
	}
	return strings.TrimSpace(b.String())
}
