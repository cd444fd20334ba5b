// Package app is the application Kinfolio's two front ends hold: the
// desktop window (package app/ui) and the command-line tool (cmd/kin). It
// opens, creates and locks a vault, imports files, and hands out plain,
// copied structs already sorted and labelled for showing. It imports no
// GUI toolkit and needs no cgo.
package app
