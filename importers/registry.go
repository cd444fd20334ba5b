package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/kinfolio/kinfolio/record"
)

// Importer reads one format family.
type Importer interface {
	// Name is the reader's short name ("fhir", "ccda", "archive").
	Name() string
	// Sniff rates how surely this reader reads the input, from its leading
	// bytes (head, with any BOM) or, for a folder, its listing: 0 means no;
	// higher is surer. It must not read the whole input.
	Sniff(in *Input, head []byte) int
	// Read reads the input into a batch. Errors are [*Error]s naming
	// in.Name and the place, wrapping this package's sentinels where one
	// fits. On error the batch is nil. Read honours ctx cancellation in long
	// loops.
	Read(ctx context.Context, in *Input, env *Env) (*record.Batch, error)
}

// Env is what a reader may use besides its input.
type Env struct {
	Limits Limits
	// Registry reads documents found inside documents (zip entries, a
	// C-CDA inside a FHIR Binary).
	Registry *Registry
}

// Registry picks the reader for an input by content.
type Registry struct {
	readers []Importer
}

// NewRegistry returns a registry of the given readers. Sniff ties go to the
// reader listed first.
func NewRegistry(readers ...Importer) *Registry {
	return &Registry{readers: slices.Clone(readers)}
}

// Readers returns the registered readers, in the order given.
func (r *Registry) Readers() []Importer { return slices.Clone(r.readers) }

// Detect returns the reader with the highest [Importer.Sniff] rating, or an
// [*Error] wrapping [ErrUnknownFormat].
func (r *Registry) Detect(in *Input) (Importer, error) {
	head, err := in.Head()
	if err != nil {
		return nil, err
	}
	var best Importer
	bestScore := 0
	for _, imp := range r.readers {
		if s := imp.Sniff(in, head); s > bestScore {
			best, bestScore = imp, s
		}
	}
	if best == nil {
		return nil, &Error{File: in.Name, Err: ErrUnknownFormat}
	}
	return best, nil
}

// Read detects the input's format and reads it with lim. It fills what the
// reader left empty of the batch's Source (File, Size, SHA256) and Report
// (File, Format, Added), so every batch comes out with its content hash:
// the hash of the original the vault will keep (Original, else the stream
// of OpenOriginal, such as the zip a folder of NDJSON files is kept as), or
// of the input itself ([ContentHash]) when the batch keeps no original.
func (r *Registry) Read(ctx context.Context, in *Input, lim Limits) (*record.Batch, error) {
	imp, err := r.Detect(in)
	if err != nil {
		return nil, err
	}
	b, err := imp.Read(ctx, in, &Env{Limits: lim, Registry: r})
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) {
			err = &Error{File: in.Name, Err: err}
		}
		return nil, err
	}
	if b == nil {
		return nil, &Error{File: in.Name, Err: fmt.Errorf("%w: the %s reader returned nothing", ErrMalformed, imp.Name())}
	}
	if b.Source.File == "" {
		b.Source.File = in.Name
	}
	if b.Source.SHA256 == "" {
		sum, size, err := originalHash(b, in)
		if err != nil {
			return nil, err
		}
		b.Source.SHA256, b.Source.Size = sum, size
	}
	b.Walk(func(p *record.Batch) {
		if p.Report.File == "" {
			p.Report.File = p.Source.File
		}
		if p.Report.Format == "" {
			p.Report.Format = p.Source.Format
		}
		if p.Report.Added == nil {
			p.Report.Added = map[record.Kind]int{}
		}
	})
	return b, nil
}

// ReadPath reads a file or a folder from disk. A folder is read as one
// package, its files listed in Input.Dir.
func (r *Registry) ReadPath(ctx context.Context, path string, lim Limits) (*record.Batch, error) {
	in, err := PathInput(path)
	if err != nil {
		return nil, err
	}
	return r.Read(ctx, in, lim)
}

// PathInput returns the Input for a file or folder on disk, named by its
// base name.
func PathInput(path string) (*Input, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if st.IsDir() {
		return &Input{Name: name, Size: -1, Dir: os.DirFS(path)}, nil
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{File: name, Err: fmt.Errorf("%w: not a regular file", ErrMalformed)}
	}
	return &Input{Name: name, Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// ContentHash returns the hex SHA-256 and size of the input's content. For a
// folder it hashes each regular file's relative path and content hash, in
// path order, so the same folder always hashes the same.
func ContentHash(in *Input) (string, int64, error) {
	h := sha256.New()
	if in.Dir != nil {
		var total int64
		err := fs.WalkDir(in.Dir, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			f, err := in.Dir.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			fh := sha256.New()
			n, err := io.Copy(fh, f)
			if err != nil {
				return err
			}
			total += n
			fmt.Fprintf(h, "%s\x00%x\n", p, fh.Sum(nil))
			return nil
		})
		if err != nil {
			return "", 0, &Error{File: in.Name, Err: fmt.Errorf("hashing folder: %w", err)}
		}
		return hex.EncodeToString(h.Sum(nil)), total, nil
	}
	rc, err := in.Open()
	if err != nil {
		return "", 0, &Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, &Error{File: in.Name, Err: fmt.Errorf("hashing: %w", err)}
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// originalHash hashes what the vault keeps of the batch, so that the vault's
// check that the original did not change while it was imported compares
// like with like (a folder's own hash is not the hash of the zip it is kept
// as).
func originalHash(b *record.Batch, in *Input) (string, int64, error) {
	switch {
	case b.Original != nil:
		return HashBytes(b.Original), int64(len(b.Original)), nil
	case b.OpenOriginal != nil:
		rc, err := b.OpenOriginal()
		if err != nil {
			return "", 0, &Error{File: in.Name, Err: err}
		}
		defer rc.Close()
		h := sha256.New()
		n, err := io.Copy(h, rc)
		if err != nil {
			return "", 0, &Error{File: in.Name, Err: fmt.Errorf("hashing: %w", err)}
		}
		return hex.EncodeToString(h.Sum(nil)), n, nil
	}
	return ContentHash(in)
}

// HashBytes returns the hex SHA-256 of data, for readers that hold the
// content in memory and fill [record.Source.SHA256] themselves.
func HashBytes(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
