package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// Format names of the packages this reader reads, as they appear in
// [record.Source.Format] and in reports (see the kin CLI contract).
const (
	FormatXDM    = record.FormatXDM
	FormatZip    = record.FormatZip
	FormatFolder = record.FormatFolder
)

// inMemory is the size up to which an original (a package, a document in
// it) is held in memory as bytes; larger ones are streamed again when the
// vault stores them ([record.Batch.OpenOriginal]). Tests lower it to reach
// the streaming paths with small files.
var inMemory int64 = 32 << 20

// Reader reads packages: IHE XDM zips, plain zips and folders of exports,
// and Apple Health exports. Create it with [New]; the zero value works too.
type Reader struct{}

var _ importers.Importer = (*Reader)(nil)

// New returns a package reader.
func New() *Reader { return &Reader{} }

// Name returns "archive".
func (*Reader) Name() string { return "archive" }

// Sniff rates a zip (by its signature) and an Apple Health export.xml (by
// its DOCTYPE or root element) 10 and any folder 1: a folder is read as a
// package unless another reader knows it better (the FHIR reader claims a
// folder of NDJSON files as one bulk export).
func (*Reader) Sniff(in *importers.Input, head []byte) int {
	switch {
	case in != nil && in.Dir != nil:
		return 1
	case isZip(head):
		return 10
	case isAppleExport(head):
		return 10
	}
	return 0
}

func isZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

// isAppleExport recognizes export.xml by its root element, HealthData, or
// by Apple's DOCTYPE naming it: the DOCTYPE is often longer than the
// leading bytes a sniffer sees.
func isAppleExport(head []byte) bool {
	if _, local, ok := importers.SniffXML(head); ok {
		return local == "HealthData"
	}
	h := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	i := bytes.Index(h, []byte("<!DOCTYPE"))
	if i < 0 || i > 512 {
		return false
	}
	rest := bytes.TrimLeft(h[i+len("<!DOCTYPE"):], " \t\r\n")
	return bytes.HasPrefix(rest, []byte("HealthData")) && len(rest) > 10 && (isSpace(rest[10]) || rest[10] == '[' || rest[10] == '>')
}

// Read reads a zip, a folder or an Apple Health export.xml.
//
// A zip or folder gives a package batch: Source.Format is "xdm",
// "apple-health", "zip" or "folder"; Parts holds one batch per document
// read, each named by its path inside the package, with its bytes as
// Original (or OpenOriginal when large); Report.Parts mirrors the parts'
// reports; Report.Skipped lists every entry that could not be read, with
// why (unsafe names, symbolic links, nested archives, size and ratio
// limits, documents no reader could read); Report.Ignored lists what is not
// a health record (stylesheets, INDEX.HTM, README.TXT, Apple's workout
// routes). Documents are read by env.Registry; without a registry only
// Apple Health exports are read.
//
// export.xml alone gives a single batch of format "apple-health" whose
// patient group holds the observations; it names no patient (only a birth
// date and sex), so Patient is nil.
//
// Errors are [*importers.Error]s naming in.Name: [importers.ErrUnsafeArchive]
// for an archive breaking the entry count or total size limits, or for a
// package whose only documents were refused as unsafe;
// [importers.ErrUnknownFormat] for a package with no readable document;
// [importers.ErrTooLarge], [importers.ErrMalformed],
// [importers.ErrDoctype], [importers.ErrTooDeep] and
// [importers.ErrInvalidUTF8] from reading export.xml; the context's error
// when ctx ends.
func (r *Reader) Read(ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	if env == nil {
		env = &importers.Env{Limits: importers.DefaultLimits()}
	}
	if in.Dir != nil {
		p, err := listFolder(ctx, in, env.Limits)
		if err != nil {
			return nil, err
		}
		return readPackage(ctx, p, env)
	}
	head, err := in.Head()
	if err != nil {
		return nil, err
	}
	switch {
	case isZip(head):
		return readZip(ctx, in, env)
	case isAppleExport(head):
		return readAppleInput(ctx, in, env.Limits)
	}
	return nil, &importers.Error{File: in.Name, Err: fmt.Errorf("%w: neither a zip, a folder nor an Apple Health export", importers.ErrUnknownFormat)}
}

// readAppleInput reads export.xml given on its own.
func readAppleInput(ctx context.Context, in *importers.Input, lim importers.Limits) (*record.Batch, error) {
	if in.Size >= 0 && in.Size <= inMemory {
		data, err := in.ReadAll(lim)
		if err != nil {
			return nil, err
		}
		b, err := readAppleExport(ctx, in.Name, bytes.NewReader(data), lim)
		if err != nil {
			return nil, err
		}
		b.Original = data
		appleAlone(b)
		return b, nil
	}
	// Streamed: memory does not grow with the file, so only the entry
	// size limit (16 GiB by default) applies, not the in-memory one.
	if in.Size > lim.MaxEntrySize {
		return nil, importers.Errorf(in.Name, "", "%w: %d bytes, the limit is %d", importers.ErrTooLarge, in.Size, lim.MaxEntrySize)
	}
	rc, err := in.Open()
	if err != nil {
		return nil, &importers.Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	b, err := readAppleExport(ctx, in.Name, &capReader{r: rc, left: lim.MaxEntrySize, name: in.Name}, lim)
	if err != nil {
		return nil, err
	}
	b.OpenOriginal = in.Open
	appleAlone(b)
	return b, nil
}

// capReader fails with [importers.ErrTooLarge] past its budget, for
// streams of unknown size.
type capReader struct {
	r    io.Reader
	left int64
	name string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, importers.Errorf(c.name, "", "%w: more bytes than the limit", importers.ErrTooLarge)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, importers.Errorf(c.name, "", "%w: more bytes than the limit", importers.ErrTooLarge)
	}
	return n, err
}

func appleAlone(b *record.Batch) {
	for _, ig := range b.Report.Ignored {
		if ig.Path == "ClinicalRecord" {
			b.Report.Warn("export.xml lists clinical records (from your health providers) whose files are not here: import the whole export.zip, or its unpacked folder, to get them")
		}
	}
}

// member is one file of a package.
type member struct {
	path string
	size int64
	open func() (io.ReadCloser, error)
	// reopen gives an opener that stays valid after Read returns, for
	// OpenOriginal of large documents.
	reopen func() (io.ReadCloser, error)
}

// pkg is a package's listing: its files and what was passed over while
// listing them.
type pkg struct {
	name     string
	format   record.Format
	members  []member
	skipped  []record.Skip
	unsafe   int // entries skipped for safety
	original []byte
	openOrig func() (io.ReadCloser, error)
	sha256   string
}

// readZip opens a zip safely and reads it as a package. A zip in a file is
// read in place (random access); any other is read into memory, up to
// [importers.Limits.MaxFileSize].
func readZip(ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	lim := env.Limits
	rc, err := in.Open()
	if err != nil {
		return nil, &importers.Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	p := &pkg{name: in.Name, format: FormatZip}
	var za *importers.ZipArchive
	f, isFile := rc.(*os.File)
	var size int64 = -1
	if isFile {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	if size > inMemory {
		za, err = importers.OpenZip(in.Name, f, size, lim)
		if err != nil {
			return nil, err
		}
		p.openOrig = in.Open
	} else {
		if in.Size > lim.MaxFileSize {
			return nil, importers.Errorf(in.Name, "", "%w: %d bytes; a zip this large is read only from a file on disk", importers.ErrTooLarge, in.Size)
		}
		data, err := io.ReadAll(io.LimitReader(rc, lim.MaxFileSize+1))
		if err != nil {
			return nil, &importers.Error{File: in.Name, Err: fmt.Errorf("reading: %w", err)}
		}
		if int64(len(data)) > lim.MaxFileSize {
			return nil, importers.Errorf(in.Name, "", "%w: more than %d bytes; a zip this large is read only from a file on disk", importers.ErrTooLarge, lim.MaxFileSize)
		}
		za, err = importers.OpenZip(in.Name, bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			return nil, err
		}
		p.original = data
		p.sha256 = importers.HashBytes(data)
	}
	p.skipped = append(p.skipped, za.Skipped...)
	p.unsafe = len(za.Skipped)
	for _, e := range za.Entries {
		m := member{path: e.Path, size: e.Size, open: e.Open}
		if p.original != nil {
			m.reopen = e.Open // the archive lives in memory as long as the closure
		} else {
			m.reopen = reopenZipEntry(in, lim, e.Path)
		}
		p.members = append(p.members, m)
	}
	return readPackage(ctx, p, env)
}

// reopenZipEntry opens the zip file again and streams one entry, for a
// large document's OpenOriginal after Read has returned.
func reopenZipEntry(in *importers.Input, lim importers.Limits, entry string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		rc, err := in.Open()
		if err != nil {
			return nil, err
		}
		f, ok := rc.(*os.File)
		if !ok {
			rc.Close()
			return nil, importers.Errorf(in.Name, entry, "%w: the package can no longer be read in place", importers.ErrMalformed)
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		za, err := importers.OpenZip(in.Name, f, st.Size(), lim)
		if err != nil {
			f.Close()
			return nil, err
		}
		for _, e := range za.Entries {
			if e.Path == entry {
				er, err := e.Open()
				if err != nil {
					f.Close()
					return nil, err
				}
				return struct {
					io.Reader
					io.Closer
				}{er, closers{er, f}}, nil
			}
		}
		f.Close()
		return nil, importers.Errorf(in.Name, entry, "%w: the entry is gone from the package", importers.ErrMalformed)
	}
}

type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// listFolder lists a folder's regular files, applying the package limits:
// entry count (the whole folder is refused), names, symbolic links,
// per-file and total sizes (enforced again while reading).
func listFolder(ctx context.Context, in *importers.Input, lim importers.Limits) (*pkg, error) {
	p := &pkg{name: in.Name, format: FormatFolder}
	total := &sizeBudget{max: lim.MaxTotalSize}
	var declared int64
	count := 0
	err := fs.WalkDir(in.Dir, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			p.skip(name, "cannot be read: "+plainErr(err), false)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if name == "." {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if count++; count > lim.MaxEntries {
			return importers.Errorf(in.Name, "", "%w: more than %d files and folders", importers.ErrUnsafeArchive, lim.MaxEntries)
		}
		clean, why := importers.LocalName(name)
		switch {
		case why != "":
			p.skip(printable(name), why, true)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			p.skip(clean, "a symbolic link; links are never followed", true)
			return nil
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			p.skip(clean, "not a regular file", true)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			p.skip(clean, "cannot be read: "+plainErr(err), false)
			return nil
		}
		size := info.Size()
		if size > lim.MaxEntrySize {
			p.skip(clean, fmt.Sprintf("%d bytes, more than the limit of %d", size, lim.MaxEntrySize), true)
			return nil
		}
		if declared += size; declared > lim.MaxTotalSize {
			return importers.Errorf(in.Name, "", "%w: the files add up to more than %d bytes", importers.ErrUnsafeArchive, lim.MaxTotalSize)
		}
		open := folderOpener(in.Name, in.Dir, name, clean, size, lim, total)
		p.members = append(p.members, member{path: clean, size: size, open: open,
			reopen: folderOpener(in.Name, in.Dir, name, clean, size, lim, &sizeBudget{max: lim.MaxTotalSize})})
		return nil
	})
	if err != nil {
		var ie *importers.Error
		if errors.As(err, &ie) {
			return nil, err
		}
		return nil, &importers.Error{File: in.Name, Err: err}
	}
	return p, nil
}

func (p *pkg) skip(path, reason string, unsafe bool) {
	p.skipped = append(p.skipped, record.Skip{Path: path, Reason: reason})
	if unsafe {
		p.unsafe++
	}
}

// plainErr drops the path from a file system error: reports name the
// entry already.
func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// sizeBudget counts the bytes read from a folder's files against the total
// limit, each byte once however often a file is read.
type sizeBudget struct {
	max, used int64
}

// folderOpener streams one file of a folder under the size limits: the
// file may have grown since it was listed.
func folderOpener(pkgName string, dir fs.FS, name, clean string, size int64, lim importers.Limits, total *sizeBudget) func() (io.ReadCloser, error) {
	var seen int64
	return func() (io.ReadCloser, error) {
		f, err := dir.Open(name)
		if err != nil {
			return nil, importers.Errorf(pkgName, clean, "cannot be opened: %s", plainErr(err))
		}
		return &budgetReader{f: f, pkg: pkgName, path: clean, max: lim.MaxEntrySize, total: total, seen: &seen}, nil
	}
}

type budgetReader struct {
	f     fs.File
	pkg   string
	path  string
	n     int64
	max   int64
	total *sizeBudget
	seen  *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if room := b.max + 1 - b.n; int64(len(p)) > room {
		p = p[:max(room, 1)]
	}
	n, err := b.f.Read(p)
	b.n += int64(n)
	if b.n > b.max {
		return 0, importers.Errorf(b.pkg, b.path, "%w: more than %d bytes", importers.ErrTooLarge, b.max)
	}
	if b.n > *b.seen {
		b.total.used += b.n - *b.seen
		*b.seen = b.n
		if b.total.used > b.total.max {
			return 0, importers.Errorf(b.pkg, b.path, "%w: the folder holds more than %d bytes", importers.ErrUnsafeArchive, b.total.max)
		}
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.f.Close() }

// What a package member is, decided from its name and leading bytes.
type role int

const (
	roleDocument role = iota
	roleApple
	roleMetadata
	roleIgnore
	roleNested
)

// nestedArchive names the archive format whose signature head starts
// with, or "".
func nestedArchive(head []byte) string {
	switch {
	case isZip(head), bytes.HasPrefix(head, []byte("PK\x07\x08")):
		return "zip"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip"
	case bytes.HasPrefix(head, []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}):
		return "7-Zip"
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")):
		return "RAR"
	case bytes.HasPrefix(head, []byte("BZh")) && len(head) > 3 && head[3] >= '1' && head[3] <= '9':
		return "bzip2"
	case bytes.HasPrefix(head, []byte{0xFD, '7', 'z', 'X', 'Z', 0x00}):
		return "xz"
	case bytes.HasPrefix(head, []byte{0x28, 0xB5, 0x2F, 0xFD}):
		return "zstd"
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return "tar"
	}
	return ""
}

// ignoredName says why a file is not a health record by its name alone, or "".
func ignoredName(p string) string {
	base := strings.ToLower(path.Base(p))
	for _, part := range strings.Split(p, "/") {
		if part == "__MACOSX" {
			return "resource data macOS adds to zips, not a health record"
		}
		if strings.HasPrefix(part, ".") {
			return "a hidden file, not a health record"
		}
	}
	switch base {
	case "thumbs.db", "desktop.ini":
		return "a file Windows keeps, not a health record"
	case "index.htm", "index.html":
		return "the package's index page, not a health record"
	case "readme.txt", "readme", "readme.md":
		return "the package's read-me text, not a health record"
	}
	switch path.Ext(base) {
	case ".xsl", ".xslt", ".css":
		return "a stylesheet for displaying documents, not a health record"
	}
	return ""
}

// appleIgnoredName says why a file of an Apple Health export other than
// export.xml and clinical-records/*.json is passed over, or "".
func appleIgnoredName(p string) string {
	lower := strings.ToLower(p)
	switch {
	case strings.HasSuffix(lower, "_cda.xml"):
		return "Apple's CDA copy of export.xml; the measurements are read from export.xml"
	case strings.HasSuffix(lower, ".gpx"):
		return "a workout route (GPS track), not a health record"
	case strings.Contains(lower, "electrocardiograms/"):
		return "an ECG recording from the watch; Kinfolio does not import ECG traces yet"
	}
	return ""
}

// readHead returns up to [importers.HeadSize] leading bytes of a member.
func readHead(m member) ([]byte, error) {
	rc, err := m.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, importers.HeadSize)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return buf[:n], nil
}

// skipReason turns a reader's error into a report line's reason: the
// place and the cause, without the file name (the line names the entry).
func skipReason(err error) string {
	var ie *importers.Error
	if errors.As(err, &ie) {
		if ie.Place != "" {
			return ie.Place + ": " + ie.Err.Error()
		}
		return ie.Err.Error()
	}
	return err.Error()
}

func isSafetyError(err error) bool {
	return errors.Is(err, importers.ErrUnsafeArchive) || errors.Is(err, importers.ErrTooLarge)
}

// readPackage sorts a package's members out and reads every document.
func readPackage(ctx context.Context, p *pkg, env *importers.Env) (*record.Batch, error) {
	lim := env.Limits
	slices.SortFunc(p.members, func(a, b member) int { return strings.Compare(a.path, b.path) })
	b := &record.Batch{Original: p.original, OpenOriginal: p.openOrig}
	b.Source = record.Source{File: p.name, SHA256: p.sha256}
	if p.original != nil {
		b.Source.Size = int64(len(p.original))
	}
	rep := &b.Report
	rep.Skipped = append(rep.Skipped, p.skipped...)
	unsafe := p.unsafe

	roles := make([]role, len(p.members))
	heads := make([][]byte, len(p.members))
	var nApple, nMeta int
	xdmFolder := false
	for i, m := range p.members {
		if err := ctx.Err(); err != nil {
			return nil, &importers.Error{File: p.name, Err: err}
		}
		if why := ignoredName(m.path); why != "" {
			roles[i] = roleIgnore
			rep.Ignore(m.path, why)
			continue
		}
		if slices.ContainsFunc(strings.Split(m.path, "/"), func(s string) bool { return strings.EqualFold(s, "IHE_XDM") }) {
			xdmFolder = true
		}
		head, err := readHead(m)
		if err != nil {
			roles[i] = roleIgnore
			rep.Skip(m.path, skipReason(err))
			if isSafetyError(err) {
				unsafe++
			}
			continue
		}
		heads[i] = head
		switch {
		case nestedArchive(head) != "":
			roles[i] = roleNested
			rep.Skip(m.path, fmt.Sprintf("a %s archive inside the package is not opened; unpack it and import its files on their own", nestedArchive(head)))
			unsafe++
		case isAppleExport(head):
			roles[i] = roleApple
			nApple++
		case strings.EqualFold(path.Base(m.path), "METADATA.XML"):
			roles[i] = roleMetadata
			nMeta++
		}
	}
	format := p.format
	switch {
	case nApple > 0:
		format = FormatAppleHealth
	case nMeta > 0 || xdmFolder:
		format = FormatXDM
	}
	b.Source.Format, rep.Format = format, format
	if format == FormatAppleHealth {
		for i, m := range p.members {
			if roles[i] == roleDocument {
				if why := appleIgnoredName(m.path); why != "" {
					roles[i] = roleIgnore
					rep.Ignore(m.path, why)
				}
			}
		}
	}

	// XDM metadata: titles, authors and dates of the documents.
	var metas map[string]*docMeta
	if nMeta > 0 {
		metas = map[string]*docMeta{}
		var docs []string
		for i, m := range p.members {
			if roles[i] == roleDocument {
				docs = append(docs, m.path)
			}
		}
		for i, m := range p.members {
			if roles[i] != roleMetadata {
				continue
			}
			sub, err := readMetadata(m, lim, docs, metas)
			if err != nil {
				rep.Skip(m.path, "the XDM metadata cannot be read, so documents keep their own titles: "+skipReason(err))
				continue
			}
			rep.Ignore(m.path, "the XDM package's metadata (read for document titles, authors and dates), not a health record")
			for _, w := range sub.warnings {
				rep.Warn(w)
			}
			if b.Source.Title == "" {
				b.Source.Title = sub.title
			}
			if b.Source.Author == "" {
				b.Source.Author = sub.author
			}
			if b.Source.DocumentDate.IsZero() {
				b.Source.DocumentDate = sub.date
			}
		}
	}

	registry := env.Registry
	if registry == nil {
		registry = importers.NewRegistry()
	}
	for i, m := range p.members {
		if err := ctx.Err(); err != nil {
			return nil, &importers.Error{File: p.name, Err: err}
		}
		var part *record.Batch
		var err error
		switch roles[i] {
		case roleApple:
			part, err = readAppleMember(ctx, m, lim)
		case roleDocument:
			part, err = readDocument(ctx, m, registry, lim, metas[m.path])
		default:
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, &importers.Error{File: p.name, Err: ctx.Err()}
			}
			rep.Skip(m.path, skipReason(err))
			if isSafetyError(err) {
				unsafe++
			}
			continue
		}
		if part.Original == nil && (p.original != nil || p.openOrig != nil) {
			// A large document inside a zip that is kept whole: its bytes
			// are in the package's original, so they are not stored twice
			// (a multi-gigabyte Apple Health export.xml would double the vault).
			part.OpenOriginal = nil
		}
		b.Parts = append(b.Parts, part)
	}
	if len(b.Parts) == 0 {
		sentinel := importers.ErrUnknownFormat
		if unsafe > 0 {
			sentinel = importers.ErrUnsafeArchive
		}
		msg := fmt.Sprintf("no health record Kinfolio can read in the package (%d files skipped, %d ignored)", len(rep.Skipped), len(rep.Ignored))
		if len(rep.Skipped) > 0 {
			return nil, importers.Errorf(p.name, rep.Skipped[0].Path, "%w: %s; first: %s", sentinel, msg, rep.Skipped[0].Reason)
		}
		return nil, importers.Errorf(p.name, "", "%w: %s", sentinel, msg)
	}
	byPath := func(a, b record.Skip) int { return strings.Compare(a.Path, b.Path) }
	slices.SortStableFunc(rep.Skipped, byPath)
	slices.SortStableFunc(rep.Ignored, byPath)
	b.FinishReport(nil)
	return b, nil
}

// readAppleMember streams an export.xml inside a package.
func readAppleMember(ctx context.Context, m member, lim importers.Limits) (*record.Batch, error) {
	if m.size <= inMemory {
		data, err := readMember(m, lim)
		if err != nil {
			return nil, err
		}
		b, err := readAppleExport(ctx, m.path, bytes.NewReader(data), lim)
		if err != nil {
			return nil, err
		}
		b.Original = data
		return b, nil
	}
	rc, err := m.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := readAppleExport(ctx, m.path, rc, lim)
	if err != nil {
		return nil, err
	}
	b.OpenOriginal = m.reopen
	return b, nil
}

// readMember reads a member whole, up to [importers.Limits.MaxFileSize].
func readMember(m member, lim importers.Limits) ([]byte, error) {
	if m.size > lim.MaxFileSize {
		return nil, importers.Errorf(m.path, "", "%w: %d bytes, the limit for one document is %d", importers.ErrTooLarge, m.size, lim.MaxFileSize)
	}
	rc, err := m.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	buf.Grow(int(max(m.size, 0)) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(rc, lim.MaxFileSize+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > lim.MaxFileSize {
		return nil, importers.Errorf(m.path, "", "%w: more than %d bytes", importers.ErrTooLarge, lim.MaxFileSize)
	}
	return buf.Bytes(), nil
}

// readDocument hands one document of a package to the registry. Small
// documents are read into memory once (they are the part's Original);
// large ones (a bulk NDJSON file) are streamed, and streamed again when
// stored.
func readDocument(ctx context.Context, m member, reg *importers.Registry, lim importers.Limits, meta *docMeta) (*record.Batch, error) {
	var in *importers.Input
	var data []byte
	if m.size <= inMemory {
		var err error
		if data, err = readMember(m, lim); err != nil {
			return nil, err
		}
		in = importers.BytesInput(m.path, data)
	} else {
		in = &importers.Input{Name: m.path, Size: m.size, Open: m.open}
	}
	part, err := reg.Read(ctx, in, lim)
	if err != nil {
		return nil, err
	}
	part.Source.File = m.path
	if data != nil {
		part.Original = data
	} else {
		part.Original, part.OpenOriginal = nil, m.reopen
	}
	if meta != nil {
		meta.apply(part, data)
	}
	return part, nil
}
