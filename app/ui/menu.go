package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The app-wide shortcuts live on main-menu items: Fyne runs those even
// while a passphrase field has focus, where shortcuts added to the canvas
// do not fire.

func shortcut(key fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

func menuItem(label string, key fyne.KeyName, action func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, action)
	if key != "" {
		it.Shortcut = shortcut(key)
	}
	return it
}

// setMenu sets the main menu for the screen on show: the vault's actions
// while one is open, only opening and creating vaults while locked.
func (k *App) setMenu() {
	vaults := []*fyne.MenuItem{
		menuItem("Open another vault…", "", k.chooseVault),
		menuItem("Create a new vault…", "", k.chooseNewVault),
		menuItem("Open the demo", "", k.openDemo),
		menuItem("Restore a backup…", "", k.restoreBackup),
	}
	help := fyne.NewMenu("Help", menuItem("About Kinfolio", "", k.showAbout))
	if k.screen != "frame" {
		k.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File", vaults...), help))
		return
	}
	f := k.frame
	file := append([]*fyne.MenuItem{
		menuItem("Import…", fyne.KeyO, k.touched(k.importFiles)),
		menuItem("Print / Export…", fyne.KeyP, k.touched(k.export)),
		fyne.NewMenuItemSeparator(),
	}, vaults...)
	file = append(file, fyne.NewMenuItemSeparator(), menuItem("Lock", fyne.KeyL, k.lockNow))
	edit := fyne.NewMenu("Edit",
		menuItem("Add entry…", fyne.KeyN, k.touched(k.addEntry)),
		menuItem("Search", fyne.KeyF, k.touched(f.focusSearch)),
	)
	tools := fyne.NewMenu("Tools",
		menuItem("Settings…", fyne.KeyComma, k.touched(k.settings)),
		menuItem("Audit log", "", k.touched(k.auditLog)),
	)
	k.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File", file...), edit, tools, help))
}

// moreMenu is the top bar's menu button.
func (k *App) moreMenu() *fyne.Menu {
	return fyne.NewMenu("",
		fyne.NewMenuItem("Settings…", k.touched(k.settings)),
		fyne.NewMenuItem("Audit log", k.touched(k.auditLog)),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open another vault…", k.chooseVault),
		fyne.NewMenuItem("About Kinfolio", k.showAbout),
	)
}

// addEntry is Ctrl+N and the top bar's button (addentry.go). Import and
// Print / Export are in choosefiles.go and exporting.go.
func (k *App) addEntry() {
	k.openAddEntry()
}

// showAbout says what Kinfolio is, its version, and which vault is open.
func (k *App) showAbout() {
	md := k.fyne.Metadata()
	version := md.Version
	if version == "" {
		version = "development build"
	}
	where := "No vault is open."
	if k.session != nil {
		where = "The vault open now is " + shortPath(k.session.Path()) + "."
	}
	body := container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), widget.NewIcon(Icon))),
		widget.NewLabelWithStyle("Kinfolio "+version, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		wrapped("Your family's health records, from every clinic, on your own computer. Nothing leaves this computer unless you export it."),
		secondary(where),
	)
	dialog.ShowCustom("About Kinfolio", "Close", container.New(&widthLayout{width: 400}, body), k.win)
}

// lockNow is the Lock button and Ctrl+L.
func (k *App) lockNow() {
	if k.session == nil {
		return
	}
	path := k.session.Path()
	k.lockSession()
	k.showUnlock(path, "")
}

// autoLocked runs when the window went unused for the auto-lock's wait.
func (k *App) autoLocked() {
	if k.session == nil {
		return
	}
	path := k.session.Path()
	wait := k.autoLockWait()
	k.lockSession()
	k.showUnlock(path, fmt.Sprintf("Kinfolio locked itself after %s without use. Unlock to go on.", minutes(wait)))
}

func minutes(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m == 1 {
		return "a minute"
	}
	if m < 1 {
		return fmt.Sprintf("%d seconds", int(d/time.Second))
	}
	return fmt.Sprintf("%d minutes", m)
}

// lockSession drops the session and the frame with every page: no
// decrypted value stays in a widget. The window's size is kept for next time.
func (k *App) lockSession() {
	k.stopIdle()
	if k.frame != nil {
		k.frame.close()
		k.frame = nil
	}
	k.navigate = nil
	k.stopWork()
	if k.session != nil {
		k.saveSize()
		k.session.Lock()
		k.session = nil
	}
}
