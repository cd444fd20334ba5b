package vault

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// Query selects entries. The zero Query selects every entry of everyone.
type Query struct {
	// Profile is a person's id; "" means everyone.
	Profile string
	// Kinds limits the kinds; empty means all.
	Kinds []record.Kind
	// Since and Until bound the entry's date, both inclusive at their own
	// precision ("2024-03" as Until includes all of March). Entries with an
	// unknown date are left out when either bound is set.
	Since, Until record.Date
	// Source limits to entries stated by that source.
	Source string
}

// end returns the first instant after the period d names.
func end(d record.Date) time.Time {
	switch d.Precision {
	case record.PrecisionYear:
		return d.T.AddDate(1, 0, 0)
	case record.PrecisionMonth:
		return d.T.AddDate(0, 1, 0)
	case record.PrecisionDay:
		return d.T.AddDate(0, 0, 1)
	}
	return d.T.Add(time.Nanosecond)
}

func (q *Query) match(e *record.Entry) bool {
	if q.Profile != "" && e.Profile != q.Profile {
		return false
	}
	if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, e.Kind) {
		return false
	}
	if q.Source != "" && !e.HasSource(q.Source) {
		return false
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		if e.Date.IsZero() {
			return false
		}
		if !q.Since.IsZero() && e.Date.T.Before(q.Since.Truncate(record.PrecisionDay).T) {
			return false
		}
		if !q.Until.IsZero() && !e.Date.T.Before(end(q.Until)) {
			return false
		}
	}
	return true
}

// newestFirst orders entries by date, newest first, unknown dates last,
// then by kind, title and id so the order is stable.
func newestFirst(a, b *record.Entry) int {
	if a.Date.IsZero() != b.Date.IsZero() {
		if a.Date.IsZero() {
			return 1
		}
		return -1
	}
	if c := b.Date.T.Compare(a.Date.T); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(a.Title, b.Title); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Entries returns the entries q selects, newest first. The entries are
// copies: changing them changes nothing in the vault. It returns
// [ErrNoSuchProfile] when q.Profile is not a person's id.
func (v *Vault) Entries(q Query) ([]record.Entry, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	sel, err := v.selectEntries(q)
	if err != nil {
		return nil, err
	}
	return cloneEntries(sel), nil
}

// SharedEntries is [Vault.Entries] without the copies, for a front end
// that reads many entries often (a dashboard of 50,000): the entries are
// the vault's own and must never be changed. They stay as they are: a
// change to the vault replaces an entry, it never edits one, so a slice
// read earlier still holds what it held (until a lock, when it should be
// dropped with every other decrypted value).
func (v *Vault) SharedEntries(q Query) ([]*record.Entry, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.selectEntries(q)
}

// selectEntries is what Entries selects, under the read lock.
func (v *Vault) selectEntries(q Query) ([]*record.Entry, error) {
	if v.st == nil {
		return nil, ErrClosed
	}
	if q.Profile != "" && v.st.profiles[q.Profile] == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoSuchProfile, q.Profile)
	}
	var sel []*record.Entry
	for _, e := range v.st.order { // newest first already
		if q.match(e) {
			sel = append(sel, e)
		}
	}
	return sel, nil
}

// readIndex takes the read lock and returns the search index, building it
// first when a change dropped it. The caller releases the read lock.
func (v *Vault) readIndex() (*searchIndex, error) {
	for {
		v.mu.RLock()
		if v.st == nil {
			v.mu.RUnlock()
			return nil, ErrClosed
		}
		if ix := v.st.index; ix != nil {
			return ix, nil
		}
		v.mu.RUnlock()
		v.mu.Lock()
		if v.st != nil && v.st.index == nil {
			v.st.index = buildIndex(v.st.order)
		}
		v.mu.Unlock()
	}
}

// Entry returns one entry with the stored resources behind it (one per
// source that states it). id may be a unique prefix of the id (at least 6
// characters). Errors: [ErrNoSuchEntry], [ErrDamaged] if a resource fails
// to open.
func (v *Vault) Entry(id string) (record.Entry, []record.Resource, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return record.Entry{}, nil, ErrClosed
	}
	e, err := v.st.findEntry(id)
	if err != nil {
		return record.Entry{}, nil, err
	}
	var rs []record.Resource
	err = v.view(func(tx *bolt.Tx) error {
		for _, ref := range e.Resources {
			r, err := v.getResource(tx, ref)
			if err != nil {
				return err
			}
			rs = append(rs, r)
		}
		return nil
	})
	if err != nil {
		return record.Entry{}, nil, err
	}
	return *cloneEntry(e), rs, nil
}

func (st *state) findEntry(id string) (*record.Entry, error) {
	if e := st.entries[id]; e != nil {
		return e, nil
	}
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) >= 6 {
		var found *record.Entry
		for k, e := range st.entries {
			if strings.HasPrefix(k, id) {
				if found != nil {
					return nil, fmt.Errorf("%w: %q is the start of several ids", ErrNoSuchEntry, id)
				}
				found = e
			}
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoSuchEntry, id)
}

// Resource returns one stored resource, its JSON byte for byte as
// imported. Errors: [ErrNoSuchResource], [ErrDamaged].
func (v *Vault) Resource(ref record.ResourceRef) (record.Resource, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return record.Resource{}, ErrClosed
	}
	var r record.Resource
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		r, err = v.getResource(tx, ref)
		return err
	})
	return r, err
}

func (v *Vault) getResource(tx *bolt.Tx, ref record.ResourceRef) (record.Resource, error) {
	sr, err := getStoredResource(tx, v.s, ref)
	if err != nil {
		return record.Resource{}, err
	}
	return record.Resource{Type: ref.Type, ID: ref.ID, JSON: sr.JSON}, nil
}

func getStoredResource(tx *bolt.Tx, s *sealer, ref record.ResourceRef) (storedResource, error) {
	b, err := bucket(tx, bucketResources)
	if err != nil {
		return storedResource{}, err
	}
	k := s.resourceKey(ref.Source, ref.Type, ref.ID)
	val := b.Get(k)
	if val == nil {
		return storedResource{}, fmt.Errorf("%w: %s/%s", ErrNoSuchResource, ref.Type, ref.ID)
	}
	plain, err := s.open(bucketResources, k, val)
	if err != nil {
		return storedResource{}, err
	}
	sr, err := decodeResource(plain)
	if err != nil {
		return storedResource{}, err
	}
	if sr.Source != ref.Source || sr.Type != ref.Type || sr.ID != ref.ID {
		return storedResource{}, fmt.Errorf("%w: a resource is stored under the wrong key", ErrDamaged)
	}
	return sr, nil
}

// ForEachResource calls fn for every stored resource of a person (every
// person when profile is ""), with the source it came from, in no
// particular order; it stops at fn's first error and returns it. The
// resource's JSON is a copy fn may keep. This is what an export or a
// backup reads. fn runs with the vault locked for reading: it must not call
// the vault's methods that change it. Errors also: [ErrDamaged].
func (v *Vault) ForEachResource(profile string, fn func(ref record.ResourceRef, r record.Resource) error) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return ErrClosed
	}
	return v.view(func(tx *bolt.Tx) error {
		return forEach(tx, bucketResources, func(k, val []byte) error {
			plain, err := v.s.open(bucketResources, k, val)
			if err != nil {
				return err
			}
			sr, err := decodeResource(plain)
			if err != nil {
				return err
			}
			if profile != "" && sr.Profile != profile {
				return nil
			}
			return fn(record.ResourceRef{Source: sr.Source, Type: sr.Type, ID: sr.ID},
				record.Resource{Type: sr.Type, ID: sr.ID, JSON: sr.JSON})
		})
	})
}
