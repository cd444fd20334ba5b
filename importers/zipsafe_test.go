package importers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLocalName(t *testing.T) {
	tests := []struct {
		name, clean string
		unsafe      bool
	}{
		{"IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET01/DOC0001.XML", false},
		{`SUBSET01\METADATA.xml`, "SUBSET01/METADATA.xml", false},
		{"a/./b//c.xml", "a/b/c.xml", false},
		{"a/../b.xml", "", true},
		{"../evil.xml", "", true},
		{`..\..\evil.xml`, "", true},
		{"a/../../evil.xml", "", true},
		{"/etc/passwd", "", true},
		{`\Windows\evil.dll`, "", true},
		{`C:\Windows\evil.dll`, "", true},
		{"c:evil.xml", "", true},
		{`\\server\share\x.xml`, "", true},
		{"", "", true},
		{".", "", true},
		{"a\x00b.xml", "", true},
		{"a\nb.xml", "", true},
		{"bad\xffname.xml", "", true},
		{"Überweisung/Brief.xml", "Überweisung/Brief.xml", false},
	}
	for _, tt := range tests {
		clean, reason := LocalName(tt.name)
		if tt.unsafe {
			if reason == "" || clean != "" {
				t.Errorf("LocalName(%q) = %q, %q; want it refused", tt.name, clean, reason)
			}
			continue
		}
		if reason != "" || clean != tt.clean {
			t.Errorf("LocalName(%q) = %q, %q; want %q", tt.name, clean, reason, tt.clean)
		}
	}
}

func TestCP437Table(t *testing.T) {
	if len(cp437) != 128 {
		t.Fatalf("cp437 has %d runes, want 128", len(cp437))
	}
	if got := decodeCP437("Gr\x81\xe1e.xml"); got != "Grüße.xml" {
		t.Errorf("decodeCP437 = %q, want Grüße.xml", got)
	}
}

// zipEntry describes an entry for makeZip.
type zipEntry struct {
	name string
	body string
	mode fs.FileMode // 0: regular 0644
	raw  func(w *zip.Writer) error
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.raw != nil {
			if err := e.raw(w); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, e.body)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zeroDeflate returns a raw deflate stream of n zero bytes (n a multiple of
// 1 MiB) and its CRC-32, built by repeating one compressed mebibyte: a
// bomb of any size costs a few megabytes.
func zeroDeflate(t testing.TB, n int64) ([]byte, uint32) {
	t.Helper()
	const chunk = 1 << 20
	zero := make([]byte, chunk)
	var one bytes.Buffer
	fw, _ := flate.NewWriter(&one, flate.BestCompression)
	fw.Write(zero)
	fw.Flush() // ends byte-aligned, not final: copies can follow
	var out bytes.Buffer
	crc := uint32(0)
	for i := int64(0); i < n/chunk; i++ {
		out.Write(one.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	out.Write([]byte{0x03, 0x00}) // a final, empty block
	return out.Bytes(), crc
}

func rawEntry(name string, data []byte, crc uint32, declared uint64) zipEntry {
	return zipEntry{raw: func(w *zip.Writer) error {
		f, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(data)), UncompressedSize64: declared})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}}
}

func openZip(t *testing.T, data []byte, lim Limits) *ZipArchive {
	t.Helper()
	a, err := OpenZip("test.zip", bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		t.Fatalf("OpenZip: %v", err)
	}
	return a
}

func skipReason(a *ZipArchive, path string) string {
	for _, s := range a.Skipped {
		if s.Path == path {
			return s.Reason
		}
	}
	return ""
}

func TestOpenZip_SortsEntries(t *testing.T) {
	enc := zipEntry{raw: func(w *zip.Writer) error {
		h := &zip.FileHeader{Name: "locked.xml", Method: zip.Store, Flags: 0x1}
		f, err := w.CreateRaw(h)
		if err != nil {
			return err
		}
		_, err = f.Write(nil)
		return err
	}}
	odd := zipEntry{raw: func(w *zip.Writer) error {
		f, err := w.CreateRaw(&zip.FileHeader{Name: "bzip2.xml", Method: 12})
		if err != nil {
			return err
		}
		_, err = f.Write([]byte("x"))
		return err
	}}
	data := makeZip(t,
		zipEntry{name: "docs/", mode: fs.ModeDir | 0o755},
		zipEntry{name: "docs/a.xml", body: "<a/>"},
		zipEntry{name: `docs\b.xml`, body: "<b/>"},
		zipEntry{name: "../../evil.xml", body: "x"},
		zipEntry{name: "/abs.xml", body: "x"},
		zipEntry{name: `C:\win.xml`, body: "x"},
		zipEntry{name: "link", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777},
		zipEntry{name: "docs/a.xml", body: "<again/>"},
		zipEntry{name: "fifo", mode: fs.ModeNamedPipe | 0o644},
		enc, odd,
	)
	a := openZip(t, data, DefaultLimits())
	var paths []string
	for _, e := range a.Entries {
		paths = append(paths, e.Path)
	}
	if got := strings.Join(paths, ","); got != "docs/a.xml,docs/b.xml" {
		t.Errorf("entries = %s, want docs/a.xml,docs/b.xml", got)
	}
	for _, tt := range []struct{ path, reason string }{
		{"../../evil.xml", `uses ".."`},
		{"/abs.xml", "absolute"},
		{`C:\win.xml`, "drive letter"},
		{"link", "symbolic link"},
		{"fifo", "not a regular file"},
		{"locked.xml", "password-protected"},
		{"bzip2.xml", "method 12"},
	} {
		if r := skipReason(a, tt.path); !strings.Contains(r, tt.reason) {
			t.Errorf("skip reason for %s = %q, want it to mention %q", tt.path, r, tt.reason)
		}
	}
	var dup int
	for _, s := range a.Skipped {
		if s.Path == "docs/a.xml" && strings.Contains(s.Reason, "same name") {
			dup++
		}
	}
	if dup != 1 {
		t.Errorf("the repeated docs/a.xml was reported %d times, want 1", dup)
	}
	body, err := a.Entries[0].ReadAll()
	if err != nil || string(body) != "<a/>" {
		t.Errorf("ReadAll = %q, %v; want the first docs/a.xml", body, err)
	}
}

func TestOpenZip_EntryCount(t *testing.T) {
	var entries []zipEntry
	for i := range 11 {
		entries = append(entries, zipEntry{name: strings.Repeat("x", i+1), body: "x"})
	}
	data := makeZip(t, entries...)
	lim := DefaultLimits()
	lim.MaxEntries = 10
	_, err := OpenZip("many.zip", bytes.NewReader(data), int64(len(data)), lim)
	if !errors.Is(err, ErrUnsafeArchive) {
		t.Fatalf("11 entries with a limit of 10: err = %v, want ErrUnsafeArchive", err)
	}
	var ie *Error
	if !errors.As(err, &ie) || ie.File != "many.zip" {
		t.Errorf("err = %#v, want an *Error naming many.zip", err)
	}
	if n, ok := zipEntryCount(bytes.NewReader(data), int64(len(data))); !ok || n != 11 {
		t.Errorf("zipEntryCount = %d, %v; want 11", n, ok)
	}
}

func TestOpenZip_NotAZip(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("PK\x03\x04 truncated"), []byte("<ClinicalDocument/>")} {
		_, err := OpenZip("x.zip", bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("OpenZip(%q): err = %v, want ErrMalformed", data, err)
		}
	}
}

func TestOpenZip_Bombs(t *testing.T) {
	const size = 64 << 20
	bomb, crc := zeroDeflate(t, size)
	lim := DefaultLimits()
	lim.RatioGrace = 1 << 20

	// Honest header: refused from the directory, before any inflating.
	a := openZip(t, makeZip(t, rawEntry("zeros.bin", bomb, crc, size)), lim)
	if len(a.Entries) != 0 || !strings.Contains(skipReason(a, "zeros.bin"), "zip bomb") {
		t.Errorf("honest bomb: entries %d, skipped %v; want it skipped as a bomb", len(a.Entries), a.Skipped)
	}

	// A header claiming 1 MiB: passes the directory checks, stops while streaming.
	a = openZip(t, makeZip(t, rawEntry("zeros.bin", bomb, crc, 1<<20)), lim)
	if len(a.Entries) != 1 {
		t.Fatalf("lying bomb: %d entries, want 1", len(a.Entries))
	}
	n, err := io.Copy(io.Discard, mustOpen(t, a.Entries[0]))
	if !errors.Is(err, ErrUnsafeArchive) || n > 1<<20 {
		t.Errorf("lying bomb: read %d bytes, err %v; want at most 1 MiB and ErrUnsafeArchive", n, err)
	}

	// Ratio not limited, but the entry size is: refused from the directory.
	lim2 := lim
	lim2.MaxRatio, lim2.MaxEntrySize = 0, 32<<20
	a = openZip(t, makeZip(t, rawEntry("zeros.bin", bomb, crc, size)), lim2)
	if !strings.Contains(skipReason(a, "zeros.bin"), "more than the limit") {
		t.Errorf("oversized entry: skipped %v, want a size reason", a.Skipped)
	}

	// The total: two honest entries each within limits, together over it.
	lim3 := lim
	lim3.MaxRatio, lim3.MaxTotalSize = 0, 100<<20
	data := makeZip(t, rawEntry("a.bin", bomb, crc, size), rawEntry("b.bin", bomb, crc, size))
	if _, err := OpenZip("two.zip", bytes.NewReader(data), int64(len(data)), lim3); !errors.Is(err, ErrUnsafeArchive) {
		t.Errorf("declared total over the limit: err = %v, want ErrUnsafeArchive", err)
	}
}

func TestZipEntry_TotalCountedOnce(t *testing.T) {
	body := strings.Repeat("health ", 1000)
	data := makeZip(t, zipEntry{name: "a.txt", body: body}, zipEntry{name: "b.txt", body: body})
	lim := DefaultLimits()
	lim.MaxTotalSize = int64(len(body))*2 + 10
	a := openZip(t, data, lim)
	for range 3 { // reading an entry again costs nothing more
		for _, e := range a.Entries {
			if _, err := e.ReadAll(); err != nil {
				t.Fatalf("ReadAll %s: %v", e.Path, err)
			}
		}
	}
	if a.total != int64(len(body))*2 {
		t.Errorf("total = %d, want %d", a.total, len(body)*2)
	}
}

func TestZipEntry_ReadAllLimit(t *testing.T) {
	data := makeZip(t, zipEntry{name: "big.xml", body: strings.Repeat("a", 5000)})
	lim := DefaultLimits()
	lim.MaxFileSize = 4000
	a := openZip(t, data, lim)
	if _, err := a.Entries[0].ReadAll(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadAll of 5000 bytes with a 4000 limit: err = %v, want ErrTooLarge", err)
	}
}

func TestZipEntry_Corrupt(t *testing.T) {
	data := makeZip(t, zipEntry{name: "a.xml", body: strings.Repeat("<a>text</a>", 200)})
	// Flip a byte in the middle of the compressed data: inflating fails or
	// the checksum does not match.
	i := bytes.Index(data, []byte("a.xml")) + len("a.xml") + 20
	data[i] ^= 0xff
	a := openZip(t, data, DefaultLimits())
	if _, err := a.Entries[0].ReadAll(); !errors.Is(err, ErrMalformed) {
		t.Errorf("corrupt entry: err = %v, want ErrMalformed", err)
	}
}

func TestPrintableName(t *testing.T) {
	got := printableName("a\x01b\xff" + strings.Repeat("é", 400))
	if !utf8.ValidString(got) || strings.ContainsRune(got, 1) || len(got) > 310 {
		t.Errorf("printableName gave %q", got)
	}
}

func mustOpen(t *testing.T, e *ZipEntry) io.Reader {
	t.Helper()
	rc, err := e.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	return rc
}

// TestOpenZip_Zip64EntryCount checks that the entry count is read from the
// zip64 end record when an archive has more than 65534 entries, before
// archive/zip reads the directory.
func TestOpenZip_Zip64EntryCount(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	const n = 70000
	for i := range n {
		if _, err := w.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	data := buf.Bytes()
	if got, ok := zipEntryCount(bytes.NewReader(data), int64(len(data))); !ok || got != n {
		t.Fatalf("zipEntryCount = %d, %v; want %d from the zip64 record", got, ok, n)
	}
	_, err := OpenZip("many.zip", bytes.NewReader(data), int64(len(data)), DefaultLimits())
	if !errors.Is(err, ErrUnsafeArchive) || !strings.Contains(err.Error(), "70000 entries") {
		t.Errorf("err = %v, want ErrUnsafeArchive for 70000 entries", err)
	}
}
