package backup

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	kflate "github.com/klauspost/compress/flate"
)

var when = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// sample writes a small backup to the recipient and returns it with the
// files it holds.
func sample(t *testing.T, r age.Recipient) ([]byte, map[string][]byte) {
	t.Helper()
	big := make([]byte, 3*blockSize+12345) // several deflate blocks
	for i := range big {
		big[i] = "<component><section>"[i%20]
	}
	copy(big[blockSize-5:], "a boundary straddling marker")
	noise := make([]byte, 70000)
	rand.Read(noise)
	files := map[string][]byte{
		"README.txt":                      []byte("hello\n"),
		"people/ana/record.fhir.json":     []byte(`{"resourceType":"Bundle"}`),
		"originals/abc/clinic.xml":        big,
		"originals/def/export.zip":        noise,
		"originals/ghi/Zoë Ñúñez (2).xml": {},
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"README.txt", "people/ana/record.fhir.json", "originals/abc/clinic.xml", "originals/def/export.zip", "originals/ghi/Zoë Ñúñez (2).xml"} {
		fw, err := w.Create(name, when, name != "originals/def/export.zip")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	for name, pieces := range deflatedSample() {
		var content []byte
		for _, p := range pieces {
			content = append(content, p.plain...)
		}
		sum := sha256.Sum256(content)
		df, err := w.CreateDeflated(name, when, hex.EncodeToString(sum[:]))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pieces {
			if p.blocks == nil {
				_, err = df.Write(p.plain)
			} else {
				err = df.WriteBlocks(p.blocks, crc32.ChecksumIEEE(p.plain), int64(len(p.plain)))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if df.Size() != int64(len(content)) {
			t.Errorf("%s: Size %d, want %d", name, df.Size(), len(content))
		}
		files[name] = content
	}
	if err := w.Close(&Manifest{Created: when, Scope: "vault"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), files
}

// piece is part of a file written deflated: DEFLATE blocks and what they
// inflate to, or (blocks nil) plain bytes to store.
type piece struct{ blocks, plain []byte }

// deflatedSample are files written with CreateDeflated, as a vault writes
// its originals: pieces sync-flushed by two deflaters, plain bytes
// between them (more than a stored block holds), an empty piece, and an
// empty file.
func deflatedSample() map[string][]piece {
	text := bytes.Repeat([]byte(`{"resourceType":"Observation","status":"final"},`+"\n"), 5000)
	noise := make([]byte, 150_000)
	rand.Read(noise)
	klaus := func(p []byte) piece {
		var b bytes.Buffer
		fw, _ := kflate.NewWriter(&b, kflate.BestSpeed)
		fw.Write(p)
		fw.Flush()
		return piece{b.Bytes(), p}
	}
	std := func(p []byte) piece {
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		fw.Write(p)
		fw.Flush()
		return piece{b.Bytes(), p}
	}
	return map[string][]piece{
		"originals/jkl/Zoë in pieces.json": {klaus(text), {nil, noise}, std(text[:7777]), klaus(nil), klaus(text[100:])},
		"originals/mno/empty.xml":          {},
	}
}

func x25519(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRoundTrip(t *testing.T) {
	id := x25519(t)
	data, files := sample(t, id.Recipient())
	r, err := Open(bytes.NewReader(data), int64(len(data)), id)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Manifest()
	if m.Format != Format || m.Version != Version || len(m.Files) != len(files) || !m.Created.Equal(when) {
		t.Fatalf("manifest %+v", m)
	}
	for name, want := range files {
		got, err := r.ReadFile(name, 1<<30)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want %d bytes", name, len(got), err, len(want))
		}
	}
	if err := r.Verify(); err != nil {
		t.Error(err)
	}
}

// TestPassphrase: a backup to a passphrase opens with it, and not with another.
func TestPassphrase(t *testing.T) {
	rcp, _ := age.NewScryptRecipient("tangerine orbit")
	rcp.SetWorkFactor(10)
	data, _ := sample(t, rcp)
	good, _ := age.NewScryptIdentity("tangerine orbit")
	if _, err := Open(bytes.NewReader(data), int64(len(data)), good); err != nil {
		t.Fatal(err)
	}
	bad, _ := age.NewScryptIdentity("tangerine orbiT")
	if _, err := Open(bytes.NewReader(data), int64(len(data)), bad); !errors.Is(err, ErrWrongKey) {
		t.Errorf("another passphrase: %v, want ErrWrongKey", err)
	}
	if _, err := Open(bytes.NewReader(data), int64(len(data)), x25519(t)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("a key for a passphrase backup: %v, want ErrWrongKey", err)
	}
}

// TestDamage: a backup cut short, or with any bit flipped, never reads as
// whole: opening or reading fails with ErrDamaged (or, cut inside the
// age header, ErrNotBackup).
func TestDamage(t *testing.T) {
	id := x25519(t)
	data, _ := sample(t, id.Recipient())
	readAll := func(d []byte) error {
		r, err := Open(bytes.NewReader(d), int64(len(d)), id)
		if err != nil {
			return err
		}
		return r.Verify()
	}
	for _, cut := range []int{len(data) - 1, len(data) - 17, len(data) / 2, 300, 40, 0} {
		err := readAll(data[:cut])
		if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNotBackup) {
			t.Errorf("cut at %d of %d: %v, want damaged", cut, len(data), err)
		}
	}
	for _, at := range []int{200, len(data) / 3, len(data) / 2, len(data) - 30, len(data) - 1} {
		d := bytes.Clone(data)
		d[at] ^= 0x10
		if err := readAll(d); !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrWrongKey) && !errors.Is(err, ErrNotBackup) {
			t.Errorf("bit flipped at %d of %d: %v, want an error", at, len(data), err)
		} else if err == nil {
			t.Errorf("bit flipped at %d: read as whole", at)
		}
	}
}

func TestNotBackup(t *testing.T) {
	id := x25519(t)
	encrypt := func(plain []byte) []byte {
		var b bytes.Buffer
		w, _ := age.Encrypt(&b, id.Recipient())
		w.Write(plain)
		w.Close()
		return b.Bytes()
	}
	zipOf := func(name, content string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		f, _ := zw.Create(name)
		f.Write([]byte(content))
		zw.Close()
		return b.Bytes()
	}
	for name, d := range map[string][]byte{
		"plain text":         []byte("not an age file at all"),
		"age, no zip inside": encrypt([]byte("hello")),
		"a zip, no manifest": encrypt(zipOf("a.txt", "x")),
		"someone else's zip": encrypt(zipOf(ManifestPath, `{"format":"other"}`)),
		"a newer backup":     encrypt(zipOf(ManifestPath, `{"format":"kinfolio-backup","version":99}`)),
	} {
		_, err := Open(bytes.NewReader(d), int64(len(d)), id)
		want := ErrNotBackup
		if name == "a newer backup" {
			want = ErrNewerVersion
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
}

// TestAgeCLI: the stock age tool decrypts a backup and unzip-compatible
// readers read the archive inside.
func TestAgeCLI(t *testing.T) {
	agePath, err := exec.LookPath("age")
	if err != nil {
		t.Skip("the age tool is not installed (apt install age)")
	}
	id := x25519(t)
	data, files := sample(t, id.Recipient())
	dir := t.TempDir()
	in, key, out := filepath.Join(dir, "b.age"), filepath.Join(dir, "key.txt"), filepath.Join(dir, "b.zip")
	os.WriteFile(in, data, 0o600)
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	if msg, err := exec.Command(agePath, "-d", "-i", key, "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("age -d: %v\n%s", err, msg)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	seen := 0
	for _, f := range zr.File {
		want, ok := files[f.Name]
		if !ok {
			if f.Name != ManifestPath {
				t.Errorf("unexpected %s", f.Name)
			}
			continue
		}
		rc, _ := f.Open()
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s after age -d: %v", f.Name, err)
		}
		seen++
	}
	if seen != len(files) {
		t.Errorf("%d of %d files", seen, len(files))
	}
	if unzip, err := exec.LookPath("unzip"); err == nil {
		if msg, err := exec.Command(unzip, "-tq", out).CombinedOutput(); err != nil {
			t.Errorf("unzip -t: %v\n%s", err, msg)
		}
	}
}

func TestParallelDeflate(t *testing.T) {
	for _, n := range []int{0, 1, 100, blockSize - 1, blockSize, blockSize + 1, 5*blockSize + 7} {
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(i * i % 251)
		}
		var b bytes.Buffer
		d := newParallelDeflate(&b)
		// odd-sized writes
		for p := in; len(p) > 0; {
			k := min(len(p), 77777)
			d.Write(p[:k])
			p = p[k:]
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(flate.NewReader(&b))
		if err != nil || !bytes.Equal(got, in) {
			t.Errorf("%d bytes: round trip gave %d bytes, %v", n, len(got), err)
		}
	}
}

// TestDeflatedFile_Header: a file written deflated is listed as one
// written by Create is: deflated, with its time and its UTF-8 name, and a
// wrong checksum vouched for reads as damage.
func TestDeflatedFile_Header(t *testing.T) {
	id := x25519(t)
	data, _ := sample(t, id.Recipient())
	r, err := Open(bytes.NewReader(data), int64(len(data)), id)
	if err != nil {
		t.Fatal(err)
	}
	created, deflated := r.byName["originals/ghi/Zoë Ñúñez (2).xml"], r.byName["originals/jkl/Zoë in pieces.json"]
	for _, f := range []*zip.File{created, deflated} {
		if f.Method != zip.Deflate || !f.Modified.Equal(when) || f.Flags&0x800 == 0 {
			t.Errorf("%s: method %d, modified %v, flags %#x", f.Name, f.Method, f.Modified, f.Flags)
		}
	}
	if created.CreatorVersion != deflated.CreatorVersion || created.ReaderVersion != deflated.ReaderVersion {
		t.Errorf("versions %d/%d, want %d/%d as Create makes them", deflated.CreatorVersion, deflated.ReaderVersion, created.CreatorVersion, created.ReaderVersion)
	}

	var buf bytes.Buffer
	w, _ := NewWriter(&buf, id.Recipient())
	df, _ := w.CreateDeflated("originals/x/a.txt", when, strings.Repeat("0", 64))
	df.Write([]byte("not what the checksum says"))
	w.Close(&Manifest{Created: when})
	r, err = Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadFile("originals/x/a.txt", 1<<20); !errors.Is(err, ErrDamaged) {
		t.Errorf("a wrong checksum: %v, want ErrDamaged", err)
	}
}

// TestCRC32Combine: the CRC-32 of two parts joined, from theirs.
func TestCRC32Combine(t *testing.T) {
	data := make([]byte, 3<<20)
	rand.Read(data)
	for _, cut := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {5, 1000}, {1 << 20, 1 << 20}, {3, 3<<20 - 3}, {1<<20 + 1, 77}} {
		a, b := data[:cut[0]], data[cut[0]:cut[0]+cut[1]]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b)))
		if want := crc32.ChecksumIEEE(data[:cut[0]+cut[1]]); got != want {
			t.Errorf("%d + %d bytes: %08x, want %08x", len(a), len(b), got, want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"clinic.xml":                "clinic.xml",
		"IHE_XDM/SUBSET01/DOC1.XML": "DOC1.XML",
		`C:\Users\a\export.zip`:     "export.zip",
		"../../etc/passwd":          "passwd",
		"..":                        "file",
		"a:b*c?.json":               "a_b_c_.json",
		"Zoë Ñúñez.xml":             "Zoë Ñúñez.xml",
		strings.Repeat("x", 300):    strings.Repeat("x", 100),
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
