// Package ui is Kinfolio's desktop interface, built with Fyne. It holds
// screens only: everything they show and do comes from package app, which
// knows nothing of windows.
//
// Screens are thin structs that call the domain; background work reports
// back to the window through fyne.Do; errors become dialogs with a sentence
// a patient understands.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/assets"
)

// ID is the application id, as in FyneApp.toml. Fyne keeps preferences
// under it.
const ID = "io.kinfolio.app"

// Title is the main window's title.
const Title = "Kinfolio"

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)

// Options tune the desktop app; the zero value (or nil) is what a user runs.
type Options struct {
	// VaultPath is the vault to open; "" means $KINFOLIO_VAULT, else the
	// default location for this computer.
	VaultPath string
	// Session tunes the sessions the app opens (tests: a low work factor,
	// a fixed clock, background work run inline).
	Session *app.Options
}

// App is the running desktop application: one main window, and the
// session of the vault it has open (none while locked).
type App struct {
	fyne   fyne.App
	win    fyne.Window
	opts   Options
	runner func(func()) // background work; nil means a goroutine

	session *app.Session
	// navigate shows a route; set by the frame once a vault is open.
	navigate func(Route)
	// lastRoute is the route last asked for (what tests check).
	lastRoute Route
}

// New builds the main window of the Fyne application a. It does not show it.
func New(a fyne.App, opts *Options) *App {
	a.SetIcon(Icon)
	w := a.NewWindow(Title)
	w.SetIcon(Icon)
	w.Resize(fyne.NewSize(1000, 700))
	w.CenterOnScreen()
	k := &App{fyne: a, win: w}
	if opts != nil {
		k.opts = *opts
	}
	if k.opts.Session != nil {
		k.runner = k.opts.Session.Run
	}
	w.SetContent(k.welcome())
	return k
}

// Window returns the main window.
func (k *App) Window() fyne.Window { return k.win }

// Session returns the open vault's session, nil while locked.
func (k *App) Session() *app.Session { return k.session }

// Navigate shows a route: a person's section, an entry's detail.
func (k *App) Navigate(r Route) {
	k.lastRoute = r
	if k.navigate != nil {
		k.navigate(r)
	}
}

// ShowAndRun shows the main window and runs the event loop until it closes.
func (k *App) ShowAndRun() { k.win.ShowAndRun() }

// welcome is the first screen: what Kinfolio is and the promises it keeps.
func (k *App) welcome() fyne.CanvasObject {
	logo := widget.NewIcon(Icon)
	logoBox := container.NewGridWrap(fyne.NewSize(96, 96), logo)
	title := widget.NewLabelWithStyle("Kinfolio", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	tagline := widget.NewLabelWithStyle("Your family's health records, from every clinic, on your own computer.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	promises := widget.NewRichTextFromMarkdown(`
- Nothing leaves this computer unless you export it.
- A lost laptop or backup reveals nothing without your passphrase or recovery key.
- An import is all or nothing; importing a file twice changes nothing.
- Nothing you import is silently dropped or altered: what could not be read is reported.
- Your data is never locked in: backups are standard age files holding FHIR and your original files.
`)
	promises.Wrapping = fyne.TextWrapWord
	card := widget.NewCard("Our promises", "", promises)
	return container.NewVBox(
		layout.NewSpacer(),
		container.NewCenter(logoBox),
		title,
		tagline,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 215), card)),
		layout.NewSpacer(),
	)
}
