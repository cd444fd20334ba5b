package importers

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
)

// Input is one file (or folder) handed to a reader.
type Input struct {
	// Name is what reports call the file: its base name, or its path inside
	// a package ("IHE_XDM/SUBSET01/DOC0001.XML").
	Name string
	// Size is the content length in bytes, or -1 when unknown.
	Size int64
	// Open returns the content from the start; it may be called more than
	// once. Nil for a folder.
	Open func() (io.ReadCloser, error)
	// Dir is the folder's content when the input is a folder; nil otherwise.
	Dir fs.FS
}

// BytesInput wraps in-memory content as an Input.
func BytesInput(name string, data []byte) *Input {
	return &Input{Name: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// IsDir reports whether the input is a folder.
func (in *Input) IsDir() bool { return in.Dir != nil }

// ReadAll reads the whole content, refusing more than lim.MaxFileSize bytes
// with an [*Error] wrapping [ErrTooLarge].
func (in *Input) ReadAll(lim Limits) ([]byte, error) {
	if in.Open == nil {
		return nil, Errorf(in.Name, "", "%w: a folder, not a file", ErrMalformed)
	}
	if in.Size > lim.MaxFileSize {
		return nil, Errorf(in.Name, "", "%w: %d bytes, the limit is %d", ErrTooLarge, in.Size, lim.MaxFileSize)
	}
	rc, err := in.Open()
	if err != nil {
		return nil, &Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	// Read into a buffer of the known size at once, rather than growing one.
	var buf bytes.Buffer
	if in.Size > 0 && in.Size <= lim.MaxFileSize {
		buf.Grow(int(in.Size) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(rc, lim.MaxFileSize+1)); err != nil {
		return nil, &Error{File: in.Name, Err: fmt.Errorf("reading: %w", err)}
	}
	data := buf.Bytes()
	if int64(len(data)) > lim.MaxFileSize {
		return nil, Errorf(in.Name, "", "%w: more than %d bytes", ErrTooLarge, lim.MaxFileSize)
	}
	return data, nil
}

// HeadSize is how many leading bytes [Input.Head] returns for sniffing.
const HeadSize = 8 << 10

// Head returns up to [HeadSize] leading bytes of the content (nil for a folder).
func (in *Input) Head() ([]byte, error) {
	if in.Open == nil {
		return nil, nil
	}
	rc, err := in.Open()
	if err != nil {
		return nil, &Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	buf := make([]byte, HeadSize)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, &Error{File: in.Name, Err: fmt.Errorf("reading: %w", err)}
	}
	return buf[:n], nil
}
