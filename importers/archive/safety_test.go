package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// zipPart is one entry for buildZip: a name and content, or a raw writer
// for entries archive/zip would not write on its own.
type zipPart struct {
	name string
	data []byte
	mode fs.FileMode
	raw  func(*zip.Writer) error
}

func buildZip(t testing.TB, parts ...zipPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.raw != nil {
			if err := p.raw(w); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if p.mode != 0 {
			h.SetMode(p.mode)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(p.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPart is an entry inflating to size zero bytes (a multiple of 1 MiB)
// whose header declares declared bytes. Its compressed form is one
// compressed mebibyte repeated, so a 1.5 GB bomb costs about 1.5 MB of
// memory to build; nothing is written to disk.
func bombPart(name string, size, declared int64) zipPart {
	return zipPart{raw: func(w *zip.Writer) error {
		const chunk = 1 << 20
		zero := make([]byte, chunk)
		var one bytes.Buffer
		fw, _ := flate.NewWriter(&one, flate.BestCompression)
		fw.Write(zero)
		fw.Flush() // byte-aligned and not final, so copies can follow
		var data bytes.Buffer
		crc := uint32(0)
		for range size / chunk {
			data.Write(one.Bytes())
			crc = crc32.Update(crc, crc32.IEEETable, zero)
		}
		data.Write([]byte{0x03, 0x00}) // the final, empty block
		f, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(data.Len()), UncompressedSize64: uint64(declared)})
		if err != nil {
			return err
		}
		_, err = f.Write(data.Bytes())
		return err
	}}
}

const bombSize = 1536 << 20 // 1.5 GiB

// noWrites runs fn with the working directory and TMPDIR pointing into an
// empty tree and fails if anything appears in it: zip-slip names resolve
// against the working directory, and a careless reader would spill
// entries into the temp dir.
func noWrites(t *testing.T, fn func()) {
	t.Helper()
	root := t.TempDir()
	work := filepath.Join(root, "a", "b", "c")
	tmp := filepath.Join(root, "tmp")
	for _, d := range []string{work, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	t.Setenv("TMPDIR", tmp)
	fn()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("the reader wrote %s", p)
		}
		return nil
	})
}

func skipFor(r record.Report, path string) string {
	for _, s := range r.Skipped {
		if s.Path == path {
			return s.Reason
		}
	}
	return ""
}

// TestZip_Hostile reads a zip holding one good document (an Apple Health
// export.xml) among zip-slip names, a symbolic link, a nested zip and two
// 1.5 GB zip bombs: the document is read, every other entry is reported
// with its reason, nothing is written anywhere and memory stays small.
func TestZip_Hostile(t *testing.T) {
	inner := buildZip(t, zipPart{name: "inside.xml", data: []byte("<x/>")})
	data := buildZip(t,
		zipPart{name: "apple_health_export/export.xml", data: corpusFile(t, appleMinimal)},
		zipPart{name: "../../evil.xml", data: []byte("<HealthData/>")},
		zipPart{name: `..\..\evil.bat`, data: []byte("echo")},
		zipPart{name: "/etc/cron.d/evil", data: []byte("* * * * * root true")},
		zipPart{name: "C:/Windows/evil.dll", data: []byte("MZ")},
		zipPart{name: "apple_health_export/link.xml", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777},
		zipPart{name: "apple_health_export/older.zip", data: inner},
		bombPart("apple_health_export/bomb.xml", bombSize, bombSize),
		bombPart("apple_health_export/liar.xml", bombSize, 1<<20),
	)
	var b *record.Batch
	var err error
	peak := memPeak(func() {
		noWrites(t, func() {
			b, err = readBytes(t, "export.zip", data, importers.DefaultLimits())
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("zip of %d bytes holding 3 GB of bombs: heap peak %d MB", len(data), peak>>20)
	if peak > 150<<20 {
		t.Errorf("heap peaked at %d MB", peak>>20)
	}
	if len(b.Parts) != 1 || b.Parts[0].Source.File != "apple_health_export/export.xml" {
		t.Fatalf("parts = %d; want export.xml read", len(b.Parts))
	}
	for _, tt := range []struct{ path, reason string }{
		{"../../evil.xml", `uses ".." to climb out`},
		{`..\..\evil.bat`, `uses ".." to climb out`},
		{"/etc/cron.d/evil", "absolute path"},
		{"C:/Windows/evil.dll", "drive letter"},
		{"apple_health_export/link.xml", "symbolic link"},
		{"apple_health_export/older.zip", "zip archive inside the package is not opened"},
		{"apple_health_export/bomb.xml", "zip bomb"},
		{"apple_health_export/liar.xml", "more than the 1048576 bytes its header declares"},
	} {
		if r := skipFor(b.Report, tt.path); !strings.Contains(r, tt.reason) {
			t.Errorf("%s: reason %q, want it to say %q", tt.path, r, tt.reason)
		}
	}
	if n := len(b.Report.Skipped); n != 8 {
		t.Errorf("%d skipped, want 8: %v", n, skipPaths(b.Report))
	}
}

func TestZip_Refused(t *testing.T) {
	many := make([]zipPart, 30)
	for i := range many {
		many[i] = zipPart{name: strings.Repeat("n", i+1) + ".xml", data: []byte("x")}
	}
	few := importers.DefaultLimits()
	few.MaxEntries = 20
	tests := []struct {
		name string
		data []byte
		lim  importers.Limits
		want error
	}{
		{"bomb alone", buildZip(t, bombPart("bomb.xml", bombSize, bombSize)), importers.DefaultLimits(), importers.ErrUnsafeArchive},
		{"lying bomb alone", buildZip(t, bombPart("liar.xml", bombSize, 1<<20)), importers.DefaultLimits(), importers.ErrUnsafeArchive},
		{"zip-slip only", buildZip(t, zipPart{name: "../x.xml", data: []byte("<x/>")}), importers.DefaultLimits(), importers.ErrUnsafeArchive},
		{"nested zip only", buildZip(t, zipPart{name: "in.zip", data: buildZip(t, zipPart{name: "a", data: []byte("a")})}), importers.DefaultLimits(), importers.ErrUnsafeArchive},
		{"too many entries", buildZip(t, many...), few, importers.ErrUnsafeArchive},
		{"nothing readable (no registry)", buildZip(t, zipPart{name: "notes.txt", data: []byte("blood pressure fine")}, zipPart{name: "README.TXT", data: []byte("x")}), importers.DefaultLimits(), importers.ErrUnknownFormat},
		{"empty zip", buildZip(t), importers.DefaultLimits(), importers.ErrUnknownFormat},
		{"damaged zip", []byte("PK\x03\x04 and then nothing a zip needs"), importers.DefaultLimits(), importers.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *record.Batch
			var err error
			noWrites(t, func() { b, err = readBytes(t, "download.zip", tt.data, tt.lim) })
			if !errors.Is(err, tt.want) || b != nil {
				t.Fatalf("err = %v (batch %v); want %v", err, b != nil, tt.want)
			}
			var ie *importers.Error
			if !errors.As(err, &ie) || ie.File != "download.zip" {
				t.Errorf("err = %#v; want an *importers.Error naming download.zip", err)
			}
		})
	}
}

func TestZip_TooLargeInMemory(t *testing.T) {
	lim := importers.DefaultLimits()
	lim.MaxFileSize = 1 << 10
	noise := make([]byte, 5000)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	data := buildZip(t, zipPart{name: "a.bin", data: noise}) // incompressible: the zip is over 1 KiB
	_, err := readBytes(t, "big.zip", data, lim)
	if !errors.Is(err, importers.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestFolder_Safety(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("apple_health_export/export.xml", corpusFile(t, appleMinimal))
	write(".DS_Store", []byte("x"))
	write("__MACOSX/._export.xml", []byte("x"))
	write("old/backup.zip", buildZip(t, zipPart{name: "a.xml", data: []byte("<a/>")}))
	outside := filepath.Join(t.TempDir(), "secret.xml")
	os.WriteFile(outside, corpusFile(t, appleMinimal), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link.xml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Dir(outside), filepath.Join(dir, "linkdir"))
	if fi, err := os.Lstat(filepath.Join(dir, "link.xml")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Skip("this system reports the link as the file it names (Wine does)")
	}

	in, err := importers.PathInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New().Read(context.Background(), in, &importers.Env{Limits: importers.DefaultLimits()})
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatAppleHealth || len(b.Parts) != 1 {
		t.Fatalf("format %s, %d parts", b.Source.Format, len(b.Parts))
	}
	if b.Original != nil || b.OpenOriginal != nil {
		t.Error("a folder has no single original to keep")
	}
	for _, tt := range []struct{ path, reason string }{
		{"link.xml", "symbolic link"}, {"linkdir", "symbolic link"}, {"old/backup.zip", "not opened"},
	} {
		if r := skipFor(b.Report, tt.path); !strings.Contains(r, tt.reason) {
			t.Errorf("%s: reason %q, want %q", tt.path, r, tt.reason)
		}
	}
	var ignored []string
	for _, ig := range b.Report.Ignored {
		ignored = append(ignored, ig.Path)
	}
	if strings.Join(ignored, ",") != ".DS_Store,__MACOSX/._export.xml" {
		t.Errorf("ignored = %v", ignored)
	}

	lim := importers.DefaultLimits()
	lim.MaxEntries = 3
	if _, err := New().Read(context.Background(), in, &importers.Env{Limits: lim}); !errors.Is(err, importers.ErrUnsafeArchive) {
		t.Errorf("a folder over the entry limit: err = %v, want ErrUnsafeArchive", err)
	}
	lim = importers.DefaultLimits()
	lim.MaxEntrySize = 1000
	b, err = New().Read(context.Background(), in, &importers.Env{Limits: lim})
	if err == nil || !errors.Is(err, importers.ErrUnsafeArchive) {
		t.Errorf("every file over the size limit: err = %v (parts %v), want ErrUnsafeArchive", err, b != nil)
	}
}

func TestSniff(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		in   *importers.Input
		head string
		want int
	}{
		{"zip", &importers.Input{}, "PK\x03\x04rest", 10},
		{"empty zip", &importers.Input{}, "PK\x05\x06", 10},
		{"export.xml", &importers.Input{}, `<?xml version="1.0" encoding="UTF-8"?>` + "\n<HealthData locale=\"en_US\">", 10},
		{"export.xml with a long DOCTYPE", &importers.Input{}, "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData ANY>\n" + strings.Repeat("<!-- x -->", 900), 10},
		{"C-CDA", &importers.Input{}, `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3">`, 0},
		{"a DOCTYPE of something else", &importers.Input{}, "<!DOCTYPE HealthDataX [", 0},
		{"JSON", &importers.Input{}, `{"resourceType":"Bundle"}`, 0},
		{"folder", &importers.Input{Dir: os.DirFS(".")}, "", 1},
	}
	for _, tt := range tests {
		if got := r.Sniff(tt.in, []byte(tt.head)); got != tt.want {
			t.Errorf("%s: Sniff = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// FuzzReadZip feeds arbitrary bytes to the package reader as a zip. It
// must never panic, never return both an error and a batch, and account
// for every document it reads as a part with its bytes.
func FuzzReadZip(f *testing.F) {
	for _, name := range []string{
		"xdm/direct-project/xd-common_samplexdm.zip",
		"xdm/direct-project/xdmail_samplexdm_backslash_paths.zip",
		"xdm/direct-project/xd_2010_xdm_backslash_paths.zip",
	} {
		f.Add(corpusFile(f, name))
	}
	f.Add(buildZip(f,
		zipPart{name: "apple_health_export/export.xml", data: corpusFile(f, appleMinimal)},
		zipPart{name: "../evil.xml", data: []byte("x")},
		zipPart{name: "in.zip", data: buildZip(f, zipPart{name: "a", data: []byte("a")})},
		zipPart{name: "l", data: []byte("/etc"), mode: fs.ModeSymlink | 0o777},
	))
	f.Add(buildZip(f, bombPart("b.xml", 4<<20, 4<<20)))
	reg := fuzzRegistry()
	lim := importers.DefaultLimits()
	lim.MaxFileSize, lim.MaxEntrySize, lim.MaxTotalSize = 4<<20, 8<<20, 16<<20
	lim.RatioGrace = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 || string(data[:2]) != "PK" {
			data = append([]byte("PK\x03\x04"), data...)
		}
		b, err := reg.Read(context.Background(), importers.BytesInput("fuzz.zip", data), lim)
		if err != nil {
			if b != nil {
				t.Fatal("an error and a batch")
			}
			var ie *importers.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *importers.Error", err)
			}
			return
		}
		if len(b.Parts) == 0 {
			t.Fatal("a package without parts was returned without an error")
		}
		if len(b.Report.Parts) != len(b.Parts) {
			t.Fatalf("%d parts but %d part reports", len(b.Parts), len(b.Report.Parts))
		}
		for _, p := range b.Parts {
			if p.Source.File == "" || (p.Original == nil && p.OpenOriginal == nil) {
				t.Fatalf("part %q without name or original", p.Source.File)
			}
		}
	})
}
