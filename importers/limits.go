package importers

// Limits bound what reading one file may cost. The zero value is not useful;
// start from [DefaultLimits] and change what you need.
type Limits struct {
	// MaxFileSize caps a single document read into memory (a C-CDA, a FHIR
	// bundle, one zip entry read whole).
	MaxFileSize int64
	// MaxDepth caps JSON and XML nesting; reaching it is an error.
	MaxDepth int
	// MaxLineSize caps one NDJSON line.
	MaxLineSize int
	// MaxEntries caps the number of entries in a zip or files in a folder.
	MaxEntries int
	// MaxEntrySize caps one zip entry's uncompressed size when streamed
	// (an Apple Health export.xml may be several gigabytes).
	MaxEntrySize int64
	// MaxTotalSize caps the uncompressed size of all entries of a package.
	MaxTotalSize int64
	// MaxRatio caps an entry's uncompressed/compressed size ratio, once it
	// is larger than RatioGrace.
	MaxRatio int64
	// RatioGrace is the uncompressed size below which the ratio is not checked.
	RatioGrace int64
	// MaxResources caps resources in one file.
	MaxResources int
}

// DefaultLimits are generous enough for every real export seen (a 4 GB
// Apple Health export, NDJSON lines of tens of megabytes) and stop bombs.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:  512 << 20,
		MaxDepth:     256,
		MaxLineSize:  128 << 20,
		MaxEntries:   20000,
		MaxEntrySize: 16 << 30,
		MaxTotalSize: 32 << 30,
		MaxRatio:     200,
		RatioGrace:   16 << 20,
		MaxResources: 2_000_000,
	}
}
