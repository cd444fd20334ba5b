package assets

import _ "embed"

// The printouts' type family: DejaVu Sans Condensed, regular and bold
// (version 2.37; licence in fonts/LICENSE-DejaVu.txt, the Bitstream Vera
// licence with DejaVu's changes in the public domain). It covers Latin,
// Greek, Cyrillic, Armenian, Georgian and Hebrew letters and the symbols
// the printouts use (▲ ▼ ⚠ → ·), its figures are tabular (all one width),
// and the condensed width fits tables and the wallet card. Only the two
// faces the PDFs use are embedded (about 0.7 MB each); PDFs embed a subset.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	FontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	FontBold []byte
	// FontLicense is the fonts' licence, to ship beside the binaries.
	//
	//go:embed fonts/LICENSE-DejaVu.txt
	FontLicense string
)
