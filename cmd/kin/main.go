// Command kin is Kinfolio without a window: the same vault, importers and
// exports as the desktop app, for scripts, tests and people who prefer a
// terminal. It is pure Go (no cgo) and never imports Fyne.
//
// Usage:
//
//	kin [global flags] COMMAND [flags] [args]
//
// Global flags, accepted before or after the command:
//
//	--vault FILE            the vault (default $KINFOLIO_VAULT, else the user data directory)
//	--passphrase-file FILE  the passphrase is the first line of FILE
//	--identity FILE         unlock with an age identity (recovery or caregiver key)
//	--json                  one JSON document on stdout, nothing else there
//
// The passphrase may also come from $KINFOLIO_PASSPHRASE; otherwise kin asks
// for it without echo on the terminal. It is never taken from the command line.
//
// Exit codes: 0 success; 1 the work failed; 2 usage error; 3 wrong
// passphrase or identity; 4 vault damaged; 5 vault in use by another
// process; 6 not a vault, or a newer format.
//
// Run "kin help" for the commands and "kin help COMMAND" for one of them.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
