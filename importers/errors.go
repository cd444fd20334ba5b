package importers

import (
	"errors"
	"fmt"
)

// Errors a reader returns, wrapped in an [*Error] that names the file and
// the place. Callers test them with [errors.Is].
var (
	// ErrUnknownFormat: no reader recognizes the file's content.
	ErrUnknownFormat = errors.New("not a format Kinfolio can import")
	// ErrTooLarge: the file, an entry or a line exceeds a size limit.
	ErrTooLarge = errors.New("too large")
	// ErrTooDeep: JSON or XML nested deeper than the depth limit.
	ErrTooDeep = errors.New("nested too deeply")
	// ErrDuplicateKey: a JSON object repeats a key (in any letter case).
	ErrDuplicateKey = errors.New("duplicate JSON key")
	// ErrDoctype: XML with a document type declaration (refused: XXE, entity bombs).
	ErrDoctype = errors.New("XML with a DOCTYPE is refused")
	// ErrInvalidUTF8: text that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrMalformed: the content is not well-formed JSON or XML, or not the
	// structure its format requires.
	ErrMalformed = errors.New("malformed")
	// ErrUnsafeArchive: a zip that breaks a safety limit (entry count,
	// compression ratio, total size).
	ErrUnsafeArchive = errors.New("unsafe archive")
	// ErrNoPatient: the file names no patient and the caller did not say whose it is.
	ErrNoPatient = errors.New("the file does not say whose record it is")
)

// Error is a failure to read a file: which file, where in it, and why.
// Place is "line 12, column 4", "entry[3].resource", an XPath-like path,
// or "" when the whole file is at fault.
type Error struct {
	File  string
	Place string
	Err   error
}

func (e *Error) Error() string {
	if e.Place == "" {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.File, e.Place, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an [*Error] for file at place, wrapping err with a message.
// Use %w in format to keep a sentinel testable.
func Errorf(file, place, format string, args ...any) *Error {
	return &Error{File: file, Place: place, Err: fmt.Errorf(format, args...)}
}
