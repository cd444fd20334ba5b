// Package assets holds the files Kinfolio embeds in its binaries: the
// application icon, the type family of the PDF printouts ([FontRegular],
// [FontBold]) and, as it arrives, the demo record.
// It imports no GUI code, so the command-line tool and the exporters can use
// it too.
package assets

import _ "embed"

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte
