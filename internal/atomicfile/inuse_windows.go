package atomicfile

import (
	"errors"
	"syscall"
)

// Windows error codes a rename gets while another handle keeps the target
// from being replaced.
const (
	errorAccessDenied     syscall.Errno = 5
	errorSharingViolation syscall.Errno = 32
	errorLockViolation    syscall.Errno = 33
)

// systemInUse reports whether err says another program holds the target.
// A read-only target gives the same access-denied error: both are worth a
// second's retries and then a sentence for the user.
func systemInUse(err error) bool {
	return errors.Is(err, errorAccessDenied) || errors.Is(err, errorSharingViolation) || errors.Is(err, errorLockViolation)
}
