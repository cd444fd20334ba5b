package vault

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

func putProfile(tx *bolt.Tx, s *sealer, p *record.Profile) error {
	b, err := bucket(tx, bucketProfiles)
	if err != nil {
		return err
	}
	k, ok := idKey(p.ID)
	if !ok {
		return fmt.Errorf("bad profile id")
	}
	js, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return b.Put(k, s.seal(bucketProfiles, k, js))
}

func sortProfiles(ps []record.Profile) {
	slices.SortFunc(ps, func(a, b record.Profile) int {
		if c := strings.Compare(record.NormalizeText(a.Name), record.NormalizeText(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Profiles returns the people in the vault, sorted by name. Errors:
// [ErrClosed].
func (v *Vault) Profiles() ([]record.Profile, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	out := make([]record.Profile, 0, len(v.st.profiles))
	for _, p := range v.st.profiles {
		out = append(out, cloneProfile(p))
	}
	sortProfiles(out)
	return out, nil
}

func cloneProfile(p *record.Profile) record.Profile {
	c := *p
	c.Identifiers = slices.Clone(p.Identifiers)
	c.Names = slices.Clone(p.Names)
	c.Contacts = slices.Clone(p.Contacts)
	return c
}

// Profile returns the person with the given id, or else the one whose name
// is ref (compared ignoring case, accents and punctuation). It returns an
// error wrapping [ErrNoSuchProfile] when none (or, by name, more than one)
// fits.
func (v *Vault) Profile(ref string) (record.Profile, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return record.Profile{}, ErrClosed
	}
	p, err := v.st.findProfile(ref)
	if err != nil {
		return record.Profile{}, err
	}
	return cloneProfile(p), nil
}

func (st *state) findProfile(ref string) (*record.Profile, error) {
	if p := st.profiles[ref]; p != nil {
		return p, nil
	}
	want := record.NormalizeText(ref)
	var found []*record.Profile
	for _, p := range st.profiles {
		if want != "" && record.NormalizeText(p.Name) == want {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("%w: %q", ErrNoSuchProfile, ref)
	}
	return nil, fmt.Errorf("%w: several people are named %q; use the id", ErrNoSuchProfile, ref)
}

func (st *state) nameTaken(name, except string) bool {
	n := record.NormalizeText(name)
	for _, p := range st.profiles {
		if p.ID != except && record.NormalizeText(p.Name) == n {
			return true
		}
	}
	return false
}

// AddProfile adds a person. Name is required; ID is assigned (any given is
// ignored). It returns the stored profile, or an error wrapping
// [ErrProfileExists] when a person of that name exists.
func (v *Vault) AddProfile(p record.Profile) (record.Profile, error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return record.Profile{}, ErrClosed
	}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	if p.Name == "" {
		return record.Profile{}, fmt.Errorf("%w: a name is required", ErrNoSuchProfile)
	}
	if v.st.nameTaken(p.Name, "") {
		return record.Profile{}, fmt.Errorf("%w: %q", ErrProfileExists, p.Name)
	}
	p = cloneProfile(&p)
	p.ID = fmtID(newID())
	err := v.update(func(tx *bolt.Tx) error {
		if err := putProfile(tx, v.s, &p); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionProfileAdd, Profile: p.ID, Detail: p.Name})
	})
	if err != nil {
		return record.Profile{}, err
	}
	stored := p
	v.st.profiles[p.ID] = &stored
	return p, nil
}

// RenameProfile gives a person a new name; the old one is kept among the
// profile's Names so later imports still match. It returns an error
// wrapping [ErrNoSuchProfile] or [ErrProfileExists].
func (v *Vault) RenameProfile(ref, newName string) error {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	p, err := v.st.findProfile(ref)
	if err != nil {
		return err
	}
	newName = strings.Join(strings.Fields(newName), " ")
	if newName == "" {
		return fmt.Errorf("%w: a name is required", ErrNoSuchProfile)
	}
	if v.st.nameTaken(newName, p.ID) {
		return fmt.Errorf("%w: %q", ErrProfileExists, newName)
	}
	np := cloneProfile(p)
	if !slices.Contains(np.Names, np.Name) {
		np.Names = append(np.Names, np.Name)
	}
	np.Name = newName
	err = v.update(func(tx *bolt.Tx) error {
		if err := putProfile(tx, v.s, &np); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionProfileRename, Profile: np.ID, Detail: newName})
	})
	if err != nil {
		return err
	}
	v.st.profiles[np.ID] = &np
	return nil
}

// ProfileDetails are what a person's own form edits besides the name
// (which [Vault.RenameProfile] changes, keeping the old one).
type ProfileDetails struct {
	BirthDate record.Date
	Sex       string
	Contacts  []record.Contact
	Language  string
}

// EditProfile sets a person's birth date, sex, emergency contacts and
// language, as the user states them. Record numbers and the names seen in
// files are never changed here. Errors: [ErrNoSuchProfile], [ErrClosed].
func (v *Vault) EditProfile(ref string, d ProfileDetails) (record.Profile, error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return record.Profile{}, ErrClosed
	}
	p, err := v.st.findProfile(ref)
	if err != nil {
		return record.Profile{}, err
	}
	np := cloneProfile(p)
	np.BirthDate, np.Sex, np.Language = d.BirthDate, strings.TrimSpace(d.Sex), strings.TrimSpace(d.Language)
	np.Contacts = slices.Clone(d.Contacts)
	err = v.update(func(tx *bolt.Tx) error {
		if err := putProfile(tx, v.s, &np); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionProfileEdit, Profile: np.ID})
	})
	if err != nil {
		return record.Profile{}, err
	}
	v.st.profiles[np.ID] = &np
	return cloneProfile(&np), nil
}

// RemoveProfile removes a person who has no records left. It returns an
// error wrapping [ErrNoSuchProfile], or [ErrProfileNotEmpty] while any
// entry or source belongs to the person (remove those sources first).
func (v *Vault) RemoveProfile(ref string) error {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	p, err := v.st.findProfile(ref)
	if err != nil {
		return err
	}
	if n := v.st.countEntries(p.ID); n > 0 {
		return fmt.Errorf("%w: %d entries", ErrProfileNotEmpty, n)
	}
	for _, s := range v.st.sources {
		if slices.Contains(s.Profiles, p.ID) {
			return fmt.Errorf("%w: source %s", ErrProfileNotEmpty, s.ID)
		}
	}
	k, _ := idKey(p.ID)
	err = v.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketProfiles)
		if err != nil {
			return err
		}
		if err := b.Delete(k); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionProfileRemove, Profile: p.ID, Detail: p.Name})
	})
	if err != nil {
		return err
	}
	delete(v.st.profiles, p.ID)
	delete(v.st.groups, p.ID)
	return nil
}

// countEntries is the person's number of entries, or everyone's when
// profile is "".
func (st *state) countEntries(profile string) int {
	if profile == "" {
		return len(st.entries)
	}
	return st.perProfile[profile]
}

// EntryCount returns how many entries the person has, or how many the
// vault holds when profile is "". Errors: [ErrClosed].
func (v *Vault) EntryCount(profile string) (int, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return 0, ErrClosed
	}
	return v.st.countEntries(profile), nil
}
