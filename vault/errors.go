package vault

import "errors"

// Errors returned by this package, grouped by when they happen. Callers test
// them with [errors.Is]; the messages name no health data.
var (
	// Opening and unlocking.

	// ErrWrongPassphrase: neither the passphrase nor the identity given
	// unwraps the vault key. The vault file is not changed.
	ErrWrongPassphrase = errors.New("wrong passphrase or key")
	// ErrDamaged: the file is a Kinfolio vault but some of it cannot be read
	// back as written (bad checksum, a sealed value that fails to open,
	// a broken page). Nothing is repaired silently.
	ErrDamaged = errors.New("the vault is damaged")
	// ErrInUse: another process (or window) has the vault open.
	ErrInUse = errors.New("the vault is in use by another program")
	// ErrNotVault: the file is not a Kinfolio vault.
	ErrNotVault = errors.New("not a Kinfolio vault")
	// ErrNewerVersion: the vault was written by a newer Kinfolio whose
	// format this version does not know; it is refused, never misread.
	ErrNewerVersion = errors.New("the vault was made by a newer version of Kinfolio")
	// ErrExists: Create was given a path that already exists.
	ErrExists = errors.New("a file already exists there")
	// ErrClosed: the vault was closed (locked).
	ErrClosed = errors.New("the vault is locked")
	// ErrBadPassphrase: an empty passphrase, or a work factor out of range.
	ErrBadPassphrase = errors.New("unusable passphrase or work factor")

	// Keys.

	// ErrNeedPassphrase: rotating the vault key (removing a recipient)
	// re-wraps it to the passphrase, so the vault must have been unlocked
	// with the passphrase or have had it set with ChangePassphrase.
	ErrNeedPassphrase = errors.New("this needs the vault's passphrase")
	// ErrBadRecipient: a string that is not an age public key.
	ErrBadRecipient = errors.New("not an age public key")
	// ErrNoSuchRecipient: removing a key the vault does not hold.
	ErrNoSuchRecipient = errors.New("no such key in the vault")

	// People and records.

	// ErrAmbiguousPatient: the file's patient could be more than one person
	// in the vault; the caller must name the profile. Import returns it in
	// a [*PatientError].
	ErrAmbiguousPatient = errors.New("the file's patient matches more than one person")
	// ErrNeedProfile: the file names no patient and the vault does not hold
	// exactly one person; the caller must name the profile. Import returns
	// it in a [*PatientError].
	ErrNeedProfile = errors.New("say which person the file belongs to")
	// ErrProfileMismatch: the caller named a profile but the file's patient
	// is clearly someone else (see "Whose records" in the package doc).
	// Import returns it in a [*PatientError].
	ErrProfileMismatch = errors.New("the file's patient is someone other than the person chosen")
	// ErrNoSuchProfile: no profile has that id or name.
	ErrNoSuchProfile = errors.New("no such person in the vault")
	// ErrProfileExists: a profile of that name already exists.
	ErrProfileExists = errors.New("a person with that name already exists")
	// ErrProfileNotEmpty: removing a profile that still has records.
	ErrProfileNotEmpty = errors.New("the person still has records")
	// ErrNoSuchSource: no source has that id.
	ErrNoSuchSource = errors.New("no such source")
	// ErrNoSuchEntry: no entry has that id.
	ErrNoSuchEntry = errors.New("no such entry")
	// ErrNoSuchResource: no stored resource has that reference.
	ErrNoSuchResource = errors.New("no such resource")
	// ErrNotSelfReported: editing or deleting by hand an entry that came
	// from an imported file.
	ErrNotSelfReported = errors.New("the entry was imported, not entered by hand")
	// ErrNoOriginal: the source has no original bytes of its own (a
	// self-reported entry, or a document inside a package).
	ErrNoOriginal = errors.New("the source has no original file of its own")
)
