// Kinfolio is an untethered personal health record: a family's health
// records from every clinic, in one encrypted file on their own computer.
package main

import (
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/kinfolio/kinfolio/app/ui"
)

func main() {
	ui.New(fyneapp.NewWithID(ui.ID), nil).ShowAndRun()
}
