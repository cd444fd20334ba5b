package app

import (
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// ChangePassphrase re-wraps the vault key to a new passphrase (one key
// derivation, about a second). Errors wrap [vault.ErrBadPassphrase].
func (s *Session) ChangePassphrase(newPassphrase string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	if err := v.ChangePassphrase(newPassphrase); err != nil {
		return locked(err)
	}
	s.changed(ChangeKeys)
	return nil
}

// NewRecoveryKey makes a recovery key, adds it to the vault and returns it
// (AGE-SECRET-KEY-1…) for the person to print or save: the vault keeps
// only its public half, so this is the only time it is shown.
func (s *Session) NewRecoveryKey() (string, error) {
	v, err := s.vault()
	if err != nil {
		return "", err
	}
	k, err := v.RecoveryKey()
	if err != nil {
		return "", locked(err)
	}
	s.changed(ChangeKeys)
	return k, nil
}

// Key is one age key that opens the vault besides the passphrase.
type Key struct {
	Key   string
	Name  string
	Added string // "3 Mar 2025"
	// Meaning says what the key is for, in a sentence.
	Meaning string
	// Recovery is set for a recovery key ([Session.NewRecoveryKey]),
	// clear for a caregiver's key.
	Recovery bool
}

// Keys lists the recovery key and caregivers' keys.
func (s *Session) Keys() ([]Key, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	rs, err := v.Recipients()
	if err != nil {
		return nil, locked(err)
	}
	var out []Key
	for _, r := range rs {
		k := Key{Key: r.Key, Name: r.Name, Added: record.DateOf(r.Added).Human()}
		if r.Name == RecoveryKeyName {
			k.Recovery = true
			k.Meaning = "Your recovery key: with it you can open the vault and set a new passphrase if you forget yours."
		} else {
			k.Meaning = "Whoever holds this key's secret half can open the whole vault, like you."
		}
		out = append(out, k)
	}
	return out, nil
}

// AddKey lets another age key (a caregiver's) open the vault. Adding a key
// already there only renames it. Errors wrap [vault.ErrBadRecipient].
func (s *Session) AddKey(key, name string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	if err := v.AddRecipient(strings.TrimSpace(key), strings.TrimSpace(name)); err != nil {
		return locked(err)
	}
	s.changed(ChangeKeys)
	return nil
}

// RemoveKeyText is what removing a key means, for its confirmation.
const RemoveKeyText = "Removing a key makes a new vault key and seals everything again with it, so the removed key opens nothing from now on. It takes a moment for a large vault."

// RemoveKey removes a key and rotates the vault key (see [RemoveKeyText]).
// Errors wrap [vault.ErrNoSuchRecipient] or [vault.ErrNeedPassphrase].
func (s *Session) RemoveKey(key string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	if err := v.RemoveRecipient(strings.TrimSpace(key)); err != nil {
		return locked(err)
	}
	s.changed(ChangeKeys)
	return nil
}

// LogLine is one audit-log event as the Audit log screen lists it.
type LogLine struct {
	Time   time.Time
	When   string // "3 Mar 2025 14:02"
	Action string // the vault's action name ("import")
	// What says it in words: "Imported summary.xml", "Removed a caregiver's key".
	What   string
	Person string
}

// LogFilter narrows the audit log: by action (all when empty) and by a
// word in the line.
type LogFilter struct {
	Actions []string
	Text    string
}

// Log returns the audit log, newest first.
func (s *Session) Log(f LogFilter) ([]LogLine, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	evs, err := v.Log()
	if err != nil {
		return nil, locked(err)
	}
	names := profileNames(v)
	var out []LogLine
	for i := len(evs) - 1; i >= 0; i-- {
		ev := evs[i]
		if len(f.Actions) > 0 && !slices.Contains(f.Actions, string(ev.Action)) {
			continue
		}
		var people []string
		for _, id := range strings.Split(ev.Profile, ",") {
			if n := names[id]; n != "" {
				people = append(people, n)
			}
		}
		l := LogLine{Time: ev.Time, When: ev.Time.Local().Format("2 Jan 2006 15:04"), Action: string(ev.Action),
			What: actionText(ev), Person: strings.Join(people, ", ")}
		if t := record.NormalizeText(f.Text); t != "" &&
			!strings.Contains(record.NormalizeText(l.What+" "+l.Person), t) {
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

func actionText(ev vault.AuditEvent) string {
	d := ev.Detail
	with := func(s string) string {
		if d == "" {
			return s
		}
		return s + ": " + d
	}
	switch ev.Action {
	case vault.ActionCreate:
		return "Created the vault"
	case vault.ActionImport:
		return with("Imported")
	case vault.ActionRemoveSource:
		return with("Removed an imported file")
	case vault.ActionExport:
		return with("Exported")
	case vault.ActionBackup:
		return with("Made a backup")
	case vault.ActionRestore:
		return with("Restored from a backup")
	case vault.ActionPassphrase:
		return "Changed the passphrase"
	case vault.ActionRecipientAdd:
		return with("Added a key")
	case vault.ActionRecipientRemove:
		return with("Removed a key (the vault key was changed)")
	case vault.ActionProfileAdd:
		return with("Added a person")
	case vault.ActionProfileRename:
		return with("Renamed a person")
	case vault.ActionProfileEdit:
		return "Changed a person's details"
	case vault.ActionProfileRemove:
		return with("Removed a person")
	case vault.ActionEntryAdd:
		if k, err := record.ParseKind(d); err == nil && d != "" {
			return "Added " + k.Noun() + " by hand"
		}
		return with("Added an entry by hand")
	case vault.ActionEntryEdit:
		if k, err := record.ParseKind(d); err == nil && d != "" {
			return "Edited " + k.Noun() + " entered by hand"
		}
		return with("Edited an entry entered by hand")
	case vault.ActionEntryDelete:
		if k, err := record.ParseKind(d); err == nil && d != "" {
			return "Deleted " + k.Noun() + " entered by hand"
		}
		return with("Deleted an entry entered by hand")
	}
	return with(string(ev.Action))
}
