package record

import "errors"

// Errors returned by this package. Callers test them with [errors.Is].
var (
	// ErrUnknownKind: a kind name that is not one of [Kinds].
	ErrUnknownKind = errors.New("unknown kind")
	// ErrBadDate: a date that is not ISO 8601 / FHIR date or dateTime.
	ErrBadDate = errors.New("not a valid date")
	// ErrNotResource: JSON that is not a FHIR resource (no object, no resourceType).
	ErrNotResource = errors.New("not a FHIR resource")
	// ErrWrongType: decoding a resource into the struct of another resource type.
	ErrWrongType = errors.New("wrong resource type")
)
