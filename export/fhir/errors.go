package fhir

import "errors"

// Errors returned by this package. Callers test them with [errors.Is].
var (
	// ErrNoPerson: the Input names no person (its Person has no ID).
	ErrNoPerson = errors.New("no person to export")
	// ErrBadResource: a stored resource's JSON cannot be read; the error
	// names the resource by type and id.
	ErrBadResource = errors.New("a stored resource cannot be read")
)
