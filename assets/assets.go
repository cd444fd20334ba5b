// Package assets holds the files Kinfolio embeds in its binaries: the
// application icon, the type family of the PDF printouts ([FontRegular],
// [FontBold]) and the demo record ([DemoRecords]). It imports no GUI
// code, so the command-line tool and the exporters can use it too.
package assets

import (
	"embed"
	"io/fs"
)

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

//go:embed demo/records demo/entered-by-hand.json
var demo embed.FS

// DemoRecords are the files of the demo record, made up from start to
// finish (demo/generate.go writes them; demo/README.md says what is in
// them): records/ holds the exports to import, in the order of their
// names, and entered-by-hand.json the entries the family typed in.
func DemoRecords() fs.FS {
	sub, err := fs.Sub(demo, "demo")
	if err != nil {
		panic(err) // the embedded folder is there by construction
	}
	return sub
}
