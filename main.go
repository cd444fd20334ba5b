// Kinfolio is an untethered personal health record: a family's health
// records from every clinic, in one encrypted file on their own computer.
package main

import (
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/kinfolio/kinfolio/app/ui"
)

// main opens the window; files named on the command line ("Open with
// Kinfolio") are imported once a vault is unlocked.
func main() {
	ui.New(fyneapp.NewWithID(ui.ID), &ui.Options{Import: os.Args[1:]}).ShowAndRun()
}
