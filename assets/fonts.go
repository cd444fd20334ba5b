package assets

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sync"
)

// The printouts' type family: DejaVu Sans Condensed, regular and bold
// (version 2.37; licence in fonts/LICENSE-DejaVu.txt, the Bitstream Vera
// licence with DejaVu's changes in the public domain). It covers Latin,
// Greek, Cyrillic, Armenian, Georgian and Hebrew letters and the symbols
// the printouts use (▲ ▼ ⚠ → ·), its figures are tabular (all one width),
// and the condensed width fits tables and the wallet card. Only the two
// faces the PDFs use are embedded, gzipped (0.33 MB each instead of
// 0.7 MB); PDFs embed a subset.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf.gz
	fontRegularGz []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf.gz
	fontBoldGz []byte
	// FontLicense is the fonts' licence, to ship beside the binaries.
	//
	//go:embed fonts/LICENSE-DejaVu.txt
	FontLicense string
)

// FontRegular returns the regular face's TrueType file. It is unpacked
// once per process; callers must not change the bytes.
var FontRegular = sync.OnceValue(func() []byte { return gunzip(fontRegularGz) })

// FontBold returns the bold face's TrueType file, as [FontRegular].
var FontBold = sync.OnceValue(func() []byte { return gunzip(fontBoldGz) })

// gunzip unpacks an embedded file; the files are fixed at build time, so
// a failure is a broken build and panics.
func gunzip(b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic("assets: an embedded font does not unpack: " + err.Error())
	}
	out, err := io.ReadAll(r)
	if err != nil {
		panic("assets: an embedded font does not unpack: " + err.Error())
	}
	return out
}
