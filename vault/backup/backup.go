// Package backup is the file format of Kinfolio's backups, and only that:
// how the files of a backup are packed, encrypted and checked. What goes
// into a backup, and how a vault is restored from one, is package vault's.
//
// # The file
//
// A backup is an age file (age-encryption.org/v1) whose plaintext is a
// zip archive. It is encrypted either to a passphrase, with age's scrypt
// recipient alone, or to one or more age public keys. So the stock age
// tool opens it, without Kinfolio:
//
//	age -d -o backup.zip family.kinfolio-backup      # asks for the passphrase
//	age -d -i key.txt -o backup.zip family.kinfolio-backup
//	unzip backup.zip
//
// The zip's files are deflated (or stored, for the few that would not
// shrink); the first is README.txt, saying what the backup holds, and the
// last is manifest.json, a [Manifest]: the format and its version, when
// the backup was made, the people and sources in it, counts, and the
// SHA-256 and size of every other file.
//
// # Checking
//
// [Open] reads the age header, authenticates the end of the file (a cut
// short backup fails here) and reads the manifest; [Reader.Open] reads
// one file and, at its end, checks it against the manifest, so a file
// that was altered, or is missing, is an error wrapping [ErrDamaged].
// Every 64 KiB of the age payload is authenticated on its own, so a
// single flipped bit anywhere is found when that part is read.
//
// # Versions
//
// [Version] is the version this package writes. A backup of a higher
// version is refused with [ErrNewerVersion], never misread.
package backup

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	"github.com/klauspost/compress/flate"
)

// Format is the manifest's "format": what the file is.
const Format = "kinfolio-backup"

// Version is the backup format version this package writes and reads.
const Version = 1

// ManifestPath is where the manifest is in the zip.
const ManifestPath = "manifest.json"

// Errors returned by this package. Callers test them with [errors.Is].
var (
	// ErrNotBackup: the file is not a Kinfolio backup (not an age file, no
	// zip inside, or no manifest of ours).
	ErrNotBackup = errors.New("not a Kinfolio backup")
	// ErrWrongKey: neither the passphrase nor the identities given open it.
	ErrWrongKey = errors.New("wrong passphrase or key for this backup")
	// ErrDamaged: the backup is cut short, altered or incomplete: a part
	// fails its authentication, a file its checksum, or one is missing.
	ErrDamaged = errors.New("the backup is damaged")
	// ErrNewerVersion: the backup was made by a newer Kinfolio.
	ErrNewerVersion = errors.New("the backup was made by a newer version of Kinfolio")
)

// Manifest describes a backup. Fields may be added in later versions,
// never removed.
type Manifest struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	// Scope is "vault" for a backup of everyone, "person" for one person
	// (a handover: nothing of anyone else is in it).
	Scope   string   `json:"scope"`
	People  []Person `json:"people"`
	Sources []Source `json:"sources"`
	Counts  Counts   `json:"counts"`
	// Files lists every file of the zip but the manifest, in the order
	// they were written.
	Files []File `json:"files"`
}

// Person is one person in a backup.
type Person struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	BirthDate record.Date `json:"birth_date"`
	// Bundle is the zip path of the person's FHIR R4 collection Bundle.
	Bundle    string `json:"fhir_bundle"`
	Entries   int    `json:"entries"`
	Resources int    `json:"resources"`
}

// Source is one imported file (or hand-entered entry) in a backup.
type Source struct {
	record.Source
	// Profiles are the people in the backup whose records came from it.
	Profiles []string `json:"profiles"`
	// Resources is how many of its resources the backup holds.
	Resources int `json:"resources"`
	// Original is the zip path of the original file, byte for byte; ""
	// when the backup does not hold it, with the reason in OriginalLeftOut.
	Original        string `json:"original,omitempty"`
	OriginalLeftOut string `json:"original_left_out,omitempty"`
	// Pending are the documents of a package left out because whose they
	// were was not known, and Seq the source's place in the order of
	// imports: both are kept so that a restored vault adds those
	// documents when the package is imported again, and merges as the
	// vault did. Backups made before they were kept lack them.
	Pending []string `json:"pending,omitempty"`
	Seq     int64    `json:"seq,omitempty"`
}

// Counts says how much the backup holds.
type Counts struct {
	People        int   `json:"people"`
	Sources       int   `json:"sources"`
	Entries       int   `json:"entries"`
	Resources     int   `json:"resources"`
	Originals     int   `json:"originals"`
	OriginalBytes int64 `json:"original_bytes"`
}

// File is one file of the zip with its checksum.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Writer writes a backup: files one after another, then the manifest.
type Writer struct {
	age   io.WriteCloser
	zip   *zip.Writer
	files []File
	open  *fileWriter
	raw   *DeflatedFile
	names map[string]bool
}

// NewWriter starts a backup on w, encrypted to recipients (one scrypt
// recipient alone, or X25519 ones). Close must be called to finish it.
func NewWriter(w io.Writer, recipients ...age.Recipient) (*Writer, error) {
	if len(recipients) == 0 {
		return nil, errors.New("backup: no passphrase or key to encrypt to")
	}
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypting the backup: %w", err)
	}
	zw := zip.NewWriter(aw)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out), nil
	})
	return &Writer{age: aw, zip: zw, names: map[string]bool{}}, nil
}

// Create adds a file at path (slash-separated, relative) and returns
// where to write its content, until the next Create or Close. modified is
// the time the zip records for it. compress=false stores it as it is (for
// content that is compressed already).
func (w *Writer) Create(name string, modified time.Time, compress bool) (io.Writer, error) {
	if err := w.finish(); err != nil {
		return nil, err
	}
	if err := w.claim(name); err != nil {
		return nil, err
	}
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()}
	if !compress {
		fh.Method = zip.Store
	}
	zf, err := w.zip.CreateHeader(fh)
	if err != nil {
		return nil, err
	}
	w.open = &fileWriter{w: zf, h: sha256.New(), path: name}
	return w.open, nil
}

// claim checks a new file's path and takes it.
func (w *Writer) claim(name string) error {
	if !validPath(name) || name == ManifestPath || w.names[name] {
		return fmt.Errorf("backup: bad or repeated path %q", name)
	}
	w.names[name] = true
	return nil
}

type fileWriter struct {
	w    io.Writer
	h    hash.Hash
	n    int64
	path string
}

func (f *fileWriter) Write(p []byte) (int, error) {
	f.h.Write(p)
	n, err := f.w.Write(p)
	f.n += int64(n)
	return n, err
}

func (w *Writer) finish() error {
	_, err := w.Finish()
	return err
}

// Finish ends the file being written (Create, CreateDeflated and Close
// also do) and returns what the manifest will say of it: its path, size
// and SHA-256.
func (w *Writer) Finish() (File, error) {
	if w.raw != nil {
		f, err := w.raw.finish()
		w.raw = nil
		if err != nil {
			return File{}, err
		}
		w.files = append(w.files, f)
		return f, nil
	}
	if w.open == nil {
		return File{}, nil
	}
	f := File{Path: w.open.path, SHA256: hex.EncodeToString(w.open.h.Sum(nil)), Size: w.open.n}
	w.files = append(w.files, f)
	w.open = nil
	return f, nil
}

// Close writes the manifest (its Files filled from what was written,
// Format and Version set) and ends the zip and the age file. It does not
// close the underlying writer.
func (w *Writer) Close(m *Manifest) error {
	if err := w.finish(); err != nil {
		return err
	}
	m.Format, m.Version = Format, Version
	m.Files = w.files
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	fw, err := w.zip.CreateHeader(&zip.FileHeader{Name: ManifestPath, Method: zip.Deflate, Modified: m.Created.UTC()})
	if err != nil {
		return err
	}
	if _, err := fw.Write(append(js, '\n')); err != nil {
		return err
	}
	if err := w.zip.Close(); err != nil {
		return err
	}
	return w.age.Close()
}

// validPath reports whether name is a clean relative slash path.
func validPath(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." || part == "" {
			return false
		}
	}
	return true
}

// SafeName turns a file's name into one that is safe as a zip path part:
// its base name, with anything but letters, digits, spaces and ".-_()"
// replaced, at most 100 bytes; "file" when nothing is left.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" .-_()", r):
			b.WriteRune(r)
		case r > 127 && r != 0xFFFD:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := strings.Trim(b.String(), " .")
	if s == "" {
		return "file"
	}
	return s
}

// Reader reads a backup.
type Reader struct {
	zip      *zip.Reader
	byName   map[string]*zip.File
	manifest Manifest
	want     map[string]File
}

// Open opens the backup in r (size bytes) with identities: the age scrypt
// identity of the passphrase, or X25519 identities. It authenticates the
// end of the file and reads the manifest.
//
// Errors: [ErrWrongKey], [ErrNotBackup], [ErrNewerVersion], [ErrDamaged].
func Open(r io.ReaderAt, size int64, identities ...age.Identity) (*Reader, error) {
	plain, n, err := age.DecryptReaderAt(r, size, identities...)
	if err != nil {
		return nil, ageError(err)
	}
	tr := &trackingReaderAt{r: plain}
	zr, err := zip.NewReader(tr, n)
	if err == nil {
		zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	}
	if err != nil {
		if tr.err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, tr.err)
		}
		return nil, fmt.Errorf("%w: no zip archive inside (%v)", ErrNotBackup, err)
	}
	br := &Reader{zip: zr, byName: map[string]*zip.File{}, want: map[string]File{}}
	for _, f := range zr.File {
		if _, dup := br.byName[f.Name]; dup {
			return nil, fmt.Errorf("%w: %q is in the archive twice", ErrDamaged, f.Name)
		}
		br.byName[f.Name] = f
	}
	mf := br.byName[ManifestPath]
	if mf == nil {
		return nil, fmt.Errorf("%w: no manifest", ErrNotBackup)
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: the manifest: %v", ErrDamaged, err)
	}
	js, err := io.ReadAll(io.LimitReader(rc, 256<<20))
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: the manifest: %v", ErrDamaged, err)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(js, &head); err != nil || head.Format != Format {
		return nil, fmt.Errorf("%w: the manifest is not a Kinfolio backup's", ErrNotBackup)
	}
	if head.Version > Version {
		return nil, fmt.Errorf("%w (format %d; this version reads up to %d)", ErrNewerVersion, head.Version, Version)
	}
	if head.Version < 1 {
		return nil, fmt.Errorf("%w: bad version number", ErrDamaged)
	}
	if err := json.Unmarshal(js, &br.manifest); err != nil {
		return nil, fmt.Errorf("%w: unreadable manifest (%v)", ErrDamaged, err)
	}
	for _, f := range br.manifest.Files {
		if !validPath(f.Path) {
			return nil, fmt.Errorf("%w: the manifest names a bad path %q", ErrDamaged, f.Path)
		}
		if br.byName[f.Path] == nil {
			return nil, fmt.Errorf("%w: %s is missing", ErrDamaged, f.Path)
		}
		br.want[f.Path] = f
	}
	return br, nil
}

// ageError maps age's errors to this package's.
func ageError(err error) error {
	var nm *age.NoIdentityMatchError
	switch {
	case errors.As(err, &nm), errors.Is(err, age.ErrIncorrectIdentity):
		return ErrWrongKey
	case strings.Contains(err.Error(), "failed to read header"), strings.Contains(err.Error(), "parse"):
		return fmt.Errorf("%w: not an age file (%v)", ErrNotBackup, err)
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}

// trackingReaderAt remembers a read of the decrypted payload that failed
// (a part that fails its authentication), to tell damage from a file
// that simply is no zip.
type trackingReaderAt struct {
	r   io.ReaderAt
	err error
}

func (t *trackingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := t.r.ReadAt(p, off)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// Manifest returns the backup's manifest.
func (r *Reader) Manifest() *Manifest { return &r.manifest }

// Open returns the content of the file at path. Reading it to the end
// checks its size and SHA-256 against the manifest: the last Read returns
// an error wrapping [ErrDamaged] instead of io.EOF when they differ, as
// does any Read of a part that fails its authentication. Open returns
// [ErrDamaged] for a file the manifest does not list.
func (r *Reader) Open(name string) (io.ReadCloser, error) {
	want, ok := r.want[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s is not in the manifest", ErrDamaged, name)
	}
	rc, err := r.byName[name].Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
	}
	return &checkedReader{rc: rc, want: want, h: sha256.New()}, nil
}

// ReadFile reads a whole file (at most max bytes), checked as Open checks it.
func (r *Reader) ReadFile(name string, max int64) ([]byte, error) {
	want, ok := r.want[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s is not in the manifest", ErrDamaged, name)
	}
	if want.Size > max {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than %d", ErrDamaged, name, want.Size, max)
	}
	rc, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	b.Grow(int(want.Size))
	if _, err := b.ReadFrom(rc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Paths lists the files the manifest names, in the order written.
func (r *Reader) Paths() []string {
	out := make([]string, 0, len(r.manifest.Files))
	for _, f := range r.manifest.Files {
		out = append(out, f.Path)
	}
	return out
}

// Verify reads every file and checks it.
func (r *Reader) Verify() error {
	buf := make([]byte, 256<<10)
	for _, p := range r.Paths() {
		rc, err := r.Open(p)
		if err != nil {
			return err
		}
		_, err = io.CopyBuffer(io.Discard, rc, buf)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

type checkedReader struct {
	rc   io.ReadCloser
	want File
	h    hash.Hash
	n    int64
	err  error
}

func (c *checkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.rc.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if c.n > c.want.Size {
		c.err = fmt.Errorf("%w: %s is longer than the manifest says", ErrDamaged, c.want.Path)
		return 0, c.err
	}
	switch {
	case err == io.EOF:
		if c.n != c.want.Size || hex.EncodeToString(c.h.Sum(nil)) != c.want.SHA256 {
			c.err = fmt.Errorf("%w: %s does not match its checksum", ErrDamaged, c.want.Path)
			return n, c.err
		}
		c.err = io.EOF
	case err != nil:
		c.err = fmt.Errorf("%w: %s: %v", ErrDamaged, c.want.Path, err)
		return n, c.err
	}
	return n, c.err
}

func (c *checkedReader) Close() error { return c.rc.Close() }
