package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/vault"
)

// The Settings screen's keys: recovery keys (made by [Session.NewRecoveryKey])
// and caregivers' keys (age public keys pasted with a name).

// Key names.
const (
	// RecoveryKeyName is the name every recovery key carries.
	RecoveryKeyName = "recovery key"
	// maxKeyName bounds a caregiver key's name.
	maxKeyName = 100
)

// AddCaregiverKeyText says what adding a caregiver's key means, for the
// Settings screen.
const AddCaregiverKeyText = "A caregiver's key lets someone you trust open this vault without your passphrase, " +
	"with their own secret key: a partner or a grown child who would need the records if you could not give them. " +
	"Ask them for their age public key (it starts with age1; the age tool's age-keygen makes one) and paste it here."

// RecoveryKeys are the keys of [Session.Keys] that are recovery keys,
// oldest first.
func (s *Session) RecoveryKeys() ([]Key, error) {
	ks, err := s.Keys()
	return slices.DeleteFunc(ks, func(k Key) bool { return !k.Recovery }), err
}

// CaregiverKeys are the keys of [Session.Keys] that are not recovery
// keys, oldest first.
func (s *Session) CaregiverKeys() ([]Key, error) {
	ks, err := s.Keys()
	return slices.DeleteFunc(ks, func(k Key) bool { return k.Recovery }), err
}

// AddCaregiverKey lets a caregiver's age public key open the vault, under
// their name. Both are checked first, each problem naming its field for
// [InputProblem] ("name" or "key") and wrapping [ErrBadInput]:
//
//   - the name is needed (it is all the list shows of whose key it is),
//     at most 100 letters, and not "recovery key";
//   - the key is an age public key (age1…): a secret key
//     (AGE-SECRET-KEY-1…) is refused without being repeated, since it
//     should never leave its owner, and anything else also wraps
//     [vault.ErrBadRecipient];
//   - a key that opens the vault already is refused, naming whose it is
//     (adding it again would only rename it).
//
// Other errors are the vault's ([ErrLocked]).
func (s *Session) AddCaregiverKey(key, name string) error {
	key, name = strings.TrimSpace(key), strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return fieldProblem("name", "say whose key it is, such as the caregiver's name")
	case len([]rune(name)) > maxKeyName:
		return fieldProblem("name", "that name is longer than Kinfolio keeps; shorten it to 100 letters or fewer")
	case strings.EqualFold(name, RecoveryKeyName):
		return fieldProblem("name", "“recovery key” is the name of the keys Settings makes; use the caregiver's name")
	}
	compact := strings.Join(strings.Fields(key), "")
	switch {
	case compact == "":
		return fieldProblem("key", "paste the caregiver's key (it starts with age1)")
	case strings.HasPrefix(strings.ToUpper(compact), "AGE-SECRET-KEY-"):
		return fieldProblem("key", "this is a secret key, which should never leave its owner. "+
			"Ask for the public key instead: it starts with age1 (age-keygen -y prints it)")
	case !strings.HasPrefix(strings.ToLower(compact), "age1"):
		return notAKey
	case compact != key:
		return fieldProblem("key", "a key is one word with no spaces or line breaks: copy it again in full")
	}
	have, err := s.Keys()
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(have, func(k Key) bool { return k.Key == key }); i >= 0 {
		whose := "as a recovery key"
		if !have[i].Recovery {
			whose = "as " + have[i].Name + "'s key"
		}
		return fieldProblem("key", "this key opens the vault already, "+whose)
	}
	if err := s.AddKey(key, name); err != nil {
		if errors.Is(err, vault.ErrBadRecipient) {
			return notAKey
		}
		return err
	}
	return nil
}

var notAKey = &keyInputError{field: "key", text: "that is not an age public key. A key starts with age1 " +
	"and is about 60 letters long: copy it again in full", also: vault.ErrBadRecipient}

// keyInputError is a typed value that cannot be used: its field and what is
// wrong, worded as [InputProblem] reads it. It wraps [ErrBadInput] and,
// when set, also.
type keyInputError struct {
	field, text string
	also        error
}

func fieldProblem(field, text string) error { return &keyInputError{field: field, text: text} }

func (e *keyInputError) Error() string {
	return fmt.Sprintf("%s: %s: %s", ErrBadInput.Error(), e.field, e.text)
}

func (e *keyInputError) Unwrap() []error {
	if e.also != nil {
		return []error{ErrBadInput, e.also}
	}
	return []error{ErrBadInput}
}
