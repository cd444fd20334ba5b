package importers

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kinfolio/kinfolio/record"
)

// Zip packages are read through [OpenZip], never with archive/zip alone.
// Nothing is ever extracted to disk: entries are streamed from the archive
// into memory, one at a time, through a reader that counts every byte.
//
// What is checked, and when:
//
//   - Before anything else, the end-of-central-directory record is read and
//     an archive announcing more than [Limits.MaxEntries] entries is refused
//     (so a crafted central directory cannot make archive/zip allocate
//     millions of entries).
//   - Each entry name is made slash-separated (Windows tools write
//     backslashes, as some real XDM packages do) and must then be local in
//     the sense of [filepath.IsLocal]: not empty, not absolute, no drive
//     letter, no ".." at all (even one that stays inside). Names that are
//     not UTF-8 are read as code page 437, as old zip tools write them.
//     Unsafe names are skipped, reported.
//   - Symbolic links and other non-regular entries, encrypted entries,
//     entries compressed with a method archive/zip cannot read and repeated
//     names are skipped, reported. Directories are structure, not content,
//     and are passed over silently.
//   - An entry whose declared size exceeds [Limits.MaxEntrySize], or whose
//     declared compression ratio exceeds [Limits.MaxRatio] once larger than
//     [Limits.RatioGrace], is skipped, reported.
//   - Declared sizes adding up to more than [Limits.MaxTotalSize] refuse the
//     whole archive.
//   - While an entry streams, the same three caps are enforced on the bytes
//     actually produced, so a header that lies about sizes gains nothing:
//     reading stops with [ErrTooLarge] or [ErrUnsafeArchive] at the cap.
//
// Nested archives are not recognized here (an entry is only bytes); the
// package reader looks at each entry's leading bytes and reports archives
// inside archives without opening them.

// ZipArchive is a zip opened for safe reading by [OpenZip]: its usable
// entries and the ones passed over, with why.
type ZipArchive struct {
	// Name is what reports call the archive.
	Name string
	// Entries are the regular files with safe names, in archive order.
	Entries []*ZipEntry
	// Skipped are the entries that will not be read: path (as written in
	// the archive, made printable) and reason.
	Skipped []record.Skip

	lim   Limits
	total int64 // uncompressed bytes produced, counted once per entry byte
}

// ZipEntry is one regular file of a [ZipArchive].
type ZipEntry struct {
	// Path is the entry's slash-separated local path ("IHE_XDM/SUBSET01/DOC0001.XML").
	Path string
	// Size is the uncompressed size the archive declares.
	Size int64
	// CompressedSize is the stored size the archive declares.
	CompressedSize int64
	// Modified is the entry's modification time as recorded.
	Modified time.Time

	f    *zip.File
	a    *ZipArchive
	seen int64 // high-water mark of bytes read, so re-reading is not counted twice
}

// OpenZip reads the directory of the zip held by r (size bytes) and sorts
// its entries into usable ones and skipped ones (see the checks above).
// name is what errors call the archive.
//
// It returns an [*Error] wrapping [ErrUnsafeArchive] when the archive has
// more entries than lim.MaxEntries or declares more than lim.MaxTotalSize
// bytes in all, and one wrapping [ErrMalformed] when r is not a zip.
func OpenZip(name string, r io.ReaderAt, size int64, lim Limits) (*ZipArchive, error) {
	if n, ok := zipEntryCount(r, size); ok && n > uint64(lim.MaxEntries) {
		return nil, Errorf(name, "", "%w: %d entries, the limit is %d", ErrUnsafeArchive, n, lim.MaxEntries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, Errorf(name, "", "%w: not a readable zip archive (%v)", ErrMalformed, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, Errorf(name, "", "%w: %d entries, the limit is %d", ErrUnsafeArchive, len(zr.File), lim.MaxEntries)
	}
	a := &ZipArchive{Name: name, lim: lim}
	seen := map[string]bool{}
	var declared uint64
	for _, f := range zr.File {
		fname := f.Name
		if !utf8.ValidString(fname) {
			fname = decodeCP437(fname)
		}
		raw := printableName(fname)
		clean, why := LocalName(fname)
		mode := f.Mode()
		switch {
		case why == "" && (mode.IsDir() || strings.HasSuffix(fname, "/") || strings.HasSuffix(fname, `\`)):
			continue
		case why != "":
			a.skip(raw, why)
			continue
		case mode&fs.ModeSymlink != 0:
			a.skip(raw, "a symbolic link; links are never followed")
			continue
		case !mode.IsRegular():
			a.skip(raw, "not a regular file")
			continue
		case f.Flags&0x1 != 0:
			a.skip(raw, "password-protected; Kinfolio cannot read encrypted zip entries")
			continue
		case f.Method != zip.Store && f.Method != zip.Deflate:
			a.skip(raw, fmt.Sprintf("compressed with method %d, which Kinfolio cannot read", f.Method))
			continue
		case seen[clean]:
			a.skip(raw, "a second entry with the same name; only the first is read")
			continue
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntrySize) {
			a.skip(raw, fmt.Sprintf("%d bytes uncompressed, more than the limit of %d", f.UncompressedSize64, lim.MaxEntrySize))
			continue
		}
		if ratio, over := ratioOver(f.UncompressedSize64, f.CompressedSize64, lim); over {
			a.skip(raw, fmt.Sprintf("compressed %d to 1, beyond the limit of %d to 1 (a zip bomb?)", ratio, lim.MaxRatio))
			continue
		}
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxTotalSize) {
			return nil, Errorf(name, "", "%w: the entries add up to more than %d bytes uncompressed", ErrUnsafeArchive, lim.MaxTotalSize)
		}
		seen[clean] = true
		a.Entries = append(a.Entries, &ZipEntry{
			Path: clean, Size: int64(f.UncompressedSize64), CompressedSize: int64(f.CompressedSize64),
			Modified: f.Modified, f: f, a: a,
		})
	}
	return a, nil
}

func (a *ZipArchive) skip(p, reason string) {
	a.Skipped = append(a.Skipped, record.Skip{Path: p, Reason: reason})
}

// ratioOver returns the ratio of size to compressed and whether it breaks
// the limit: only sizes above lim.RatioGrace are judged.
func ratioOver(size, compressed uint64, lim Limits) (int64, bool) {
	if lim.MaxRatio <= 0 || size <= uint64(max(lim.RatioGrace, 0)) {
		return 0, false
	}
	if compressed == 0 {
		return int64(min(size, 1<<62)), true
	}
	r := size / compressed
	return int64(min(r, 1<<62)), r > uint64(lim.MaxRatio)
}

// ratioCap is the most an entry of compressed bytes may expand to.
func ratioCap(compressed int64, lim Limits) int64 {
	if lim.MaxRatio <= 0 || compressed > math.MaxInt64/2/lim.MaxRatio {
		return math.MaxInt64 - 1
	}
	return max(lim.RatioGrace, compressed*lim.MaxRatio)
}

// Open streams the entry's uncompressed bytes, enforcing the per-entry
// size, compression ratio and archive total caps on what is actually read.
// Reads past a cap fail with an [*Error] (file: the archive, place: the
// entry) wrapping [ErrTooLarge] or [ErrUnsafeArchive]; a corrupt entry or a
// checksum mismatch fails with one wrapping [ErrMalformed]. Open may be
// called again to read the entry from the start.
func (e *ZipEntry) Open() (io.ReadCloser, error) {
	rc, err := e.f.Open()
	if err != nil {
		return nil, Errorf(e.a.Name, e.Path, "%w: cannot open the entry (%v)", ErrMalformed, err)
	}
	return &zipEntryReader{e: e, rc: rc}, nil
}

// ReadAll reads the whole entry into memory, refusing entries larger than
// [Limits.MaxFileSize] with an [*Error] wrapping [ErrTooLarge]; the caps of
// [ZipEntry.Open] apply too.
func (e *ZipEntry) ReadAll() ([]byte, error) {
	lim := e.a.lim
	if e.Size > lim.MaxFileSize {
		return nil, Errorf(e.a.Name, e.Path, "%w: %d bytes, the limit for one document is %d", ErrTooLarge, e.Size, lim.MaxFileSize)
	}
	rc, err := e.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	buf.Grow(int(max(min(e.Size, lim.MaxFileSize), 0)) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(rc, lim.MaxFileSize+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > lim.MaxFileSize {
		return nil, Errorf(e.a.Name, e.Path, "%w: more than %d bytes", ErrTooLarge, lim.MaxFileSize)
	}
	return buf.Bytes(), nil
}

type zipEntryReader struct {
	e   *ZipEntry
	rc  io.ReadCloser
	n   int64
	err error
}

func (r *zipEntryReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	e, lim := r.e, r.e.a.lim
	// Never produce more than one byte past the tightest cap, so a cap is
	// noticed before the bytes beyond it are handed on.
	allowed := min(lim.MaxEntrySize, e.Size, ratioCap(e.CompressedSize, lim)) + 1 - r.n
	if allowed <= 0 {
		allowed = 1
	}
	if int64(len(p)) > allowed {
		p = p[:allowed]
	}
	n, err := r.rc.Read(p)
	r.n += int64(n)
	if cerr := r.check(); cerr != nil {
		r.err = cerr
		return 0, cerr
	}
	if err != nil && err != io.EOF {
		if errors.Is(err, zip.ErrFormat) && r.n >= e.Size {
			// archive/zip refuses to read past the declared size.
			r.err = Errorf(e.a.Name, e.Path, "%w: the entry holds more than the %d bytes its header declares", ErrUnsafeArchive, e.Size)
		} else {
			r.err = Errorf(e.a.Name, e.Path, "%w: the entry is damaged (%v)", ErrMalformed, err)
		}
		return n, r.err
	}
	return n, err
}

// check applies the caps to the bytes read so far.
func (r *zipEntryReader) check() error {
	e, lim := r.e, r.e.a.lim
	if r.n > lim.MaxEntrySize {
		return Errorf(e.a.Name, e.Path, "%w: more than %d bytes uncompressed", ErrTooLarge, lim.MaxEntrySize)
	}
	if r.n > e.Size {
		return Errorf(e.a.Name, e.Path, "%w: the entry holds more than the %d bytes its header declares", ErrUnsafeArchive, e.Size)
	}
	if ratio, over := ratioOver(uint64(r.n), uint64(e.CompressedSize), lim); over {
		return Errorf(e.a.Name, e.Path, "%w: compressed more than %d to 1 (a zip bomb?)", ErrUnsafeArchive, min(ratio, lim.MaxRatio))
	}
	if r.n > e.seen {
		e.a.total += r.n - e.seen
		e.seen = r.n
		if e.a.total > lim.MaxTotalSize {
			return Errorf(e.a.Name, e.Path, "%w: the package holds more than %d bytes uncompressed", ErrUnsafeArchive, lim.MaxTotalSize)
		}
	}
	return nil
}

func (r *zipEntryReader) Close() error { return r.rc.Close() }

// LocalName checks a path found inside a package (a zip entry name, a file
// in a folder). Backslashes count as separators. It returns the path made
// slash-separated and clean, or "" and the reason it is unsafe: empty,
// absolute, with a drive letter or a UNC prefix, using ".." anywhere,
// or holding control characters or invalid UTF-8.
func LocalName(name string) (clean, reason string) {
	if !utf8.ValidString(name) {
		return "", "the name is not valid text"
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return "", "the name holds control characters"
		}
	}
	n := strings.ReplaceAll(name, `\`, "/")
	switch {
	case strings.TrimRight(n, "/.") == "":
		if strings.HasPrefix(n, "/") {
			return "", "an absolute path"
		}
		return "", "an entry without a name"
	case len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z'):
		return "", "the name starts with a drive letter"
	case strings.HasPrefix(n, "/"):
		return "", "an absolute path"
	}
	n = strings.TrimSuffix(n, "/")
	if slices.Contains(strings.Split(n, "/"), "..") || !filepath.IsLocal(filepath.FromSlash(n)) {
		return "", `the path uses ".." to climb out of its folder`
	}
	return path.Clean(n), ""
}

// decodeCP437 reads a zip entry name that is not UTF-8 as code page 437,
// what old zip tools (and Windows' built-in one) write.
func decodeCP437(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
			continue
		}
		b.WriteRune(cp437[c-0x80])
	}
	return b.String()
}

var cp437 = []rune("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
	"└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0")

// printableName makes an entry name fit for a report line: invalid UTF-8
// and control characters are replaced, and very long names shortened.
func printableName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// zipEntryCount reads the entry count the end-of-central-directory record
// announces (zip64 included), without reading the directory itself. ok is
// false when the record is not found; archive/zip then reports the damage.
func zipEntryCount(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const eocdLen = 22
	if size < eocdLen {
		return 0, false
	}
	tail := min(size, eocdLen+65535)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	rec := buf[i:]
	n = uint64(binary.LittleEndian.Uint16(rec[10:12]))
	if n != 0xFFFF {
		return n, true
	}
	// zip64: the locator sits just before the record and points at the
	// zip64 end-of-central-directory record.
	locAt := size - tail + int64(i) - 20
	if locAt < 0 {
		return n, true
	}
	loc := make([]byte, 20)
	if _, err := r.ReadAt(loc, locAt); err != nil || !bytes.Equal(loc[:4], []byte("PK\x06\x07")) {
		return n, true
	}
	off := binary.LittleEndian.Uint64(loc[8:16])
	if off > uint64(size)-56 {
		return n, true
	}
	rec64 := make([]byte, 56)
	if _, err := r.ReadAt(rec64, int64(off)); err != nil || !bytes.Equal(rec64[:4], []byte("PK\x06\x06")) {
		return n, true
	}
	return binary.LittleEndian.Uint64(rec64[32:40]), true
}
