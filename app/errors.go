package app

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/internal/atomicfile"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// Errors of this package. Most errors a Session returns wrap the vault's
// or the importers' sentinels instead; test them all with [errors.Is].
var (
	// ErrLocked: the session was locked; unlock again. It wraps
	// [vault.ErrClosed].
	ErrLocked = fmt.Errorf("the vault is locked: %w", vault.ErrClosed)
	// ErrNoVault: there is no file where the vault was looked for.
	ErrNoVault = errors.New("there is no vault there")
	// ErrBadKeyFile: a key file (recovery or caregiver key) that cannot be
	// read or holds no age secret key.
	ErrBadKeyFile = errors.New("not a usable key file")
	// ErrBadInput: a value a person typed that cannot be used (an empty
	// title, a date that is not a date, a unit without a value).
	ErrBadInput = errors.New("not a usable value")
)

// sentences word each sentinel for the people the app is for: what
// happened and what to do, never a Go error string. The first match wins,
// so more specific errors come first.
var sentences = []struct {
	err  error
	text string
}{
	{vault.ErrClosed, "The vault is locked. Unlock it to go on."},
	{vault.ErrWrongPassphrase, "That passphrase does not open this vault. Check it (capital letters count) and try again, or unlock with your recovery key."},
	{atomicfile.ErrInUse, "That file is open in another program (a PDF viewer, perhaps) or cannot be replaced. Close it, or choose another name, then try again."},
	{vault.ErrInUse, "This vault is open in another Kinfolio window or in kin. Close it there, then try again."},
	{vault.ErrNewerVersion, "This vault was made by a newer version of Kinfolio. Install the newer version to open it; nothing in it was changed."},
	{vault.ErrNotVault, "This file is not a Kinfolio vault. Choose the vault file (it ends in .kinfolio), or create a new vault."},
	{vault.ErrDamaged, "This vault file is damaged, so Kinfolio will not read it. Nothing was changed. Restore it from your latest backup."},
	{ErrNoVault, "There is no vault there yet. Create one, or open the vault file you already have."},
	{vault.ErrExists, "A file with that name is already there, and Kinfolio never overwrites one. Choose another name or folder."},
	{vault.ErrBadPassphrase, "That passphrase cannot be used. Choose one that is not empty."},
	{ErrBadKeyFile, "That is not a key file Kinfolio can use. Choose the file with your recovery key or caregiver key (it holds a line starting AGE-SECRET-KEY-1)."},
	{vault.ErrNeedPassphrase, "This needs the vault's passphrase. You unlocked with a key: set a new passphrase first, then try again."},
	{vault.ErrBadRecipient, "That is not a caregiver's key. A key starts with age1 and is about 60 letters long: copy it again in full."},
	{vault.ErrNoSuchRecipient, "That key does not open this vault, so there is nothing to remove."},
	{vault.ErrProfileMismatch, "This file is about someone else than the person you chose. Check whose file it is."},
	{vault.ErrAmbiguousPatient, "The person this file names could be more than one person here. Say whose record it is."},
	{vault.ErrNeedProfile, "This file does not say whose record it is. Choose the person it belongs to."},
	{importers.ErrNoPatient, "This file does not say whose record it is. Choose the person it belongs to."},
	{vault.ErrNoSuchProfile, "There is no such person in this vault."},
	{vault.ErrProfileExists, "There is already a person with that name here. Use another name, or add a middle initial."},
	{vault.ErrProfileNotEmpty, "This person still has records. Remove their files first."},
	{vault.ErrNoSuchSource, "That file is not in this vault (it may have been removed)."},
	{vault.ErrNoSuchEntry, "That entry is not in this vault (it may have been removed)."},
	{vault.ErrNotSelfReported, "This entry came from an imported file, so it cannot be changed here. Entries you added yourself can be edited."},
	{vault.ErrNoOriginal, "There is no original file kept for this: it came inside a package, or you entered it yourself."},
	{record.ErrNotSelfReportable, "This cannot be entered by hand. Give it a name, and choose a kind other than claims."},
	{ErrBadInput, "Some of what was typed cannot be used. Check the highlighted field."},
	{importers.ErrDoctype, "This file is not a health record Kinfolio can read: it is an XML file of a kind that is refused for safety (it declares a DOCTYPE)."},
	{importers.ErrUnsafeArchive, "This zip file breaks a safety limit (too many files, or it unpacks to far more than its size), so Kinfolio will not open it."},
	{importers.ErrTooLarge, "This file is larger than Kinfolio reads. If it is a package, import its files one by one."},
	{importers.ErrTooDeep, "This file is not a health record Kinfolio can read: it is nested far deeper than any real record."},
	{importers.ErrDuplicateKey, "This file is not a health record Kinfolio can read: it repeats a field, so its meaning is unclear."},
	{importers.ErrInvalidUTF8, "This file is not a health record Kinfolio can read: its text is in an encoding Kinfolio does not read."},
	{importers.ErrUnknownFormat, "This file is not a health record Kinfolio can read."},
	{importers.ErrMalformed, "This file is damaged or incomplete, so Kinfolio cannot read it. Download it again from the portal."},
	{fs.ErrNotExist, "There is no such file. It may have been moved or renamed."},
	{fs.ErrPermission, "Kinfolio is not allowed to read or write there. Choose another place, or check the file's permissions."},
}

// Sentence words err for a person in one or two sentences: what happened
// and what to do. It never returns a Go error string; the technical detail
// stays in err.Error() for `--json` and logs. Sentence(nil) is "".
func Sentence(err error) string {
	if err == nil {
		return ""
	}
	if ie := (*InputError)(nil); errors.As(err, &ie) && len(ie.Fields) == 1 {
		return ie.Fields[0].Text
	}
	for _, s := range sentences {
		if errors.Is(err, s.err) {
			return s.text
		}
	}
	return "Something went wrong, and nothing was changed. If it happens again, note what you were doing; the details below say what failed."
}
