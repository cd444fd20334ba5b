// Package ui is Kinfolio's desktop interface, built with Fyne. It holds
// screens only: everything they show and do comes from package app, which
// knows nothing of windows.
//
// Screens are thin structs that call the domain; background work reports
// back to the window through fyne.Do ([Background]); errors become dialogs
// with a sentence a patient understands ([App.ShowError]).
//
// # Screens
//
// The window shows one screen at a time. With no vault yet: the welcome
// screen, which creates one ([App.showCreate], then the recovery key) or
// opens the demo. With a vault: the unlock screen, then the frame — the
// rail with the person switcher and the sections, the top bar, and the
// section's page, which the page files register with registerPage.
// Locking (the Lock button, Ctrl+L, or the auto-lock after idle minutes)
// drops the session and the frame with every page, and shows the unlock
// screen again.
package ui

import (
	"strings"
	"time"

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
	// Clock drives the auto-lock; nil is the computer's clock (tests pass
	// an apptest.Clock and move it).
	Clock app.Clock
	// AutoLock is how long the window may go unused before it locks; zero
	// means the saved setting, else [app.DefaultAutoLock].
	AutoLock time.Duration
	// SettingsPath is the settings file (theme, text size, auto-lock);
	// "" means app.DefaultPaths().Settings.
	SettingsPath string
	// Import names files and folders to import once a vault is open (the
	// ones named on the command line: "Open with Kinfolio"), as if dropped
	// on the window.
	Import []string
}

// App is the running desktop application: one main window, and the
// session of the vault it has open (none while locked).
type App struct {
	fyne   fyne.App
	win    fyne.Window
	opts   Options
	runner func(func()) // background work; nil means a goroutine

	// path is the vault the window is for.
	path    string
	session *app.Session
	frame   *frame
	idle    *app.IdleLock
	// screen names what is on show ("welcome", "create", "recovery",
	// "unlock", "opening-demo", "frame"), for the menu and tests; current
	// is its struct, when it has one (tests reach its fields).
	screen  string
	current any

	// navigate shows a route; set by the frame once a vault is open.
	navigate func(Route)
	// lastRoute is the route last asked for (what tests check).
	lastRoute Route

	// choices are the Settings screen's choices as they apply now, kept
	// in the file at settingsPath ("" when there is no place for it).
	choices      app.WindowSettings
	settingsPath string

	// modals are the window's dialogs on show that the keyboard can
	// close, the last on top ([App.showModal]).
	modals []*modal

	// work is the import under way and what waits to be imported
	// (importing.go).
	work work
}

// New builds the main window of the Fyne application a. It does not show it.
func New(a fyne.App, opts *Options) *App {
	a.SetIcon(Icon)
	k := &App{fyne: a}
	if opts != nil {
		k.opts = *opts
	}
	if k.opts.Session != nil {
		k.runner = k.opts.Session.Run
	}
	if k.opts.Clock == nil {
		k.opts.Clock = app.SystemClock
	}
	k.path = k.opts.VaultPath
	if k.path == "" {
		k.path = defaultVaultPath()
	}
	k.loadSettings()
	a.Settings().SetTheme(newTheme(k.themeChoice(), k.textScale()))

	w := a.NewWindow(Title)
	k.win = w
	w.SetIcon(Icon)
	w.Resize(k.savedSize())
	w.CenterOnScreen()
	w.SetOnClosed(k.closing)
	w.SetContent(wrapActivity(k, widget.NewLabel("")))
	w.Canvas().SetOnTypedKey(k.typedKey)
	w.Canvas().SetOnTypedRune(func(rune) { k.touch() })
	w.SetOnDropped(k.Dropped)
	for _, p := range k.opts.Import {
		if !strings.HasPrefix(p, "-psn_") { // macOS's process serial number, not a file
			k.work.pending = append(k.work.pending, p)
		}
	}
	k.watchForeground()
	k.start()
	return k
}

// Window returns the main window.
func (k *App) Window() fyne.Window { return k.win }

// Session returns the open vault's session, nil while locked.
func (k *App) Session() *app.Session { return k.session }

// Navigate shows a route: a person's section, an entry's detail.
func (k *App) Navigate(r Route) {
	k.touch()
	k.lastRoute = r
	if k.navigate != nil {
		k.navigate(r)
	}
}

// ShowAndRun shows the main window and runs the event loop until it closes.
func (k *App) ShowAndRun() { k.win.ShowAndRun() }

// start shows the first screen: the unlock screen when there is a vault,
// the welcome screen (first run) when there is none.
func (k *App) start() {
	if fileExists(k.path) {
		k.showUnlock(k.path, "")
		return
	}
	k.showWelcome()
}

// show puts a screen in the window, with the main menu that goes with it.
func (k *App) show(name string, content fyne.CanvasObject) {
	k.screen = name
	k.current = nil
	k.dismissOverlays()
	k.win.SetContent(wrapActivity(k, content))
	k.setMenu()
}

// dismissOverlays closes dialogs and pop-ups (a lock must not leave a
// person's dialog standing over the unlock screen).
func (k *App) dismissOverlays() {
	ov := k.win.Canvas().Overlays()
	for ov.Top() != nil {
		ov.Remove(ov.Top())
	}
	k.modals = nil
}

// welcome is the first run's top half: what Kinfolio is and the promises
// it keeps.
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
		container.NewCenter(logoBox),
		title,
		tagline,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 215), card)),
	)
}

// centered puts a screen's column in the middle of the window, at most
// width wide, scrolling when the window is short.
func centered(width float32, objs ...fyne.CanvasObject) fyne.CanvasObject {
	col := container.New(&columnLayout{width: width}, container.NewVBox(objs...))
	return container.NewVScroll(container.NewVBox(layout.NewSpacer(), col, layout.NewSpacer()))
}
