package vault

import (
	"fmt"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// handEnteredFile is the File of the source of a hand-entered entry.
const handEnteredFile = "entered by hand"

// AddSelfReported stores a fact the user enters by hand for a person
// (profile id or name; "" when the vault holds exactly one person) as a
// FHIR resource made by [record.NewSelfReported], with its own source of
// format [record.SelfReported], and returns its entry. Hand-entered entries
// are never merged with imported ones, so they can be edited and deleted.
//
// Errors: [ErrNoSuchProfile], [ErrNeedProfile], [record.ErrNotSelfReportable].
func (v *Vault) AddSelfReported(profile string, s record.SelfReport) (record.Entry, error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return record.Entry{}, ErrClosed
	}
	var p *record.Profile
	if profile == "" {
		if len(v.st.profiles) != 1 {
			return record.Entry{}, ErrNeedProfile
		}
		for _, x := range v.st.profiles {
			p = x
		}
	} else {
		var err error
		if p, err = v.st.findProfile(profile); err != nil {
			return record.Entry{}, err
		}
	}
	src := &storedSource{Source: record.Source{ID: fmtID(newID()), File: handEnteredFile, Format: record.SelfReported,
		ImportedAt: v.opts.now(), Title: s.Title}, Profiles: []string{p.ID}}
	e, err := v.writeSelfReported(src, "", s, nil, AuditEvent{Action: ActionEntryAdd, Detail: string(s.Kind)})
	if err != nil {
		return record.Entry{}, err
	}
	return *cloneEntry(e), nil
}

// selfReportedSource returns the hand-entered source of an entry, or an
// error wrapping [ErrNotSelfReported].
func (st *state) selfReportedSource(e *record.Entry) (*storedSource, error) {
	if len(e.Sources) != 1 {
		return nil, ErrNotSelfReported
	}
	src := st.sources[e.Sources[0]]
	if src == nil || src.Format != record.SelfReported {
		return nil, ErrNotSelfReported
	}
	return src, nil
}

// EditSelfReported replaces a hand-entered entry's content, keeping its id.
// Errors: [ErrNoSuchEntry], [ErrNotSelfReported], [record.ErrNotSelfReportable].
func (v *Vault) EditSelfReported(id string, s record.SelfReport) (record.Entry, error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return record.Entry{}, ErrClosed
	}
	old, err := v.st.findEntry(id)
	if err != nil {
		return record.Entry{}, err
	}
	src, err := v.st.selfReportedSource(old)
	if err != nil {
		return record.Entry{}, err
	}
	ns := *src
	ns.Title = s.Title
	e, err := v.writeSelfReported(&ns, old.ID, s, old, AuditEvent{Action: ActionEntryEdit, Detail: string(s.Kind)})
	if err != nil {
		return record.Entry{}, err
	}
	return *cloneEntry(e), nil
}

// DeleteSelfReported removes a hand-entered entry with its source and
// resource. Errors: [ErrNoSuchEntry], [ErrNotSelfReported].
func (v *Vault) DeleteSelfReported(id string) error {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	e, err := v.st.findEntry(id)
	if err != nil {
		return err
	}
	src, err := v.st.selfReportedSource(e)
	if err != nil {
		return err
	}
	_, err = v.removeSources(src, AuditEvent{Time: v.opts.now(), Action: ActionEntryDelete, Source: src.ID, Profile: e.Profile, Detail: string(e.Kind)})
	return err
}

// writeSelfReported stores (or replaces) the resource and entry of a
// hand-entered fact in one transaction.
func (v *Vault) writeSelfReported(src *storedSource, entryID string, s record.SelfReport, old *record.Entry, ev AuditEvent) (*record.Entry, error) {
	pid := src.Profiles[0]
	resID := fmtID(newID())
	r, err := record.NewSelfReported(s, resID, pid)
	if err != nil {
		return nil, err
	}
	e, ok, err := record.Project(r, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the entry back: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s", record.ErrNotSelfReportable, s.Kind)
	}
	if entryID == "" {
		entryID = newIDNear(src.ID)
	}
	src.Title = e.Title
	e.ID, e.Profile = entryID, pid
	e.Sources = []string{src.ID}
	e.Resources = []record.ResourceRef{{Source: src.ID, Type: r.Type, ID: r.ID}}
	src.Resources = 1
	t := newTxn(v.st, v.s)
	t.sources[src.ID] = src
	t.entries[e.ID] = &e
	sk, _ := idKey(src.ID)
	if old != nil {
		for _, ref := range old.Resources {
			t.del(bucketResources, v.s.resourceKey(ref.Source, ref.Type, ref.ID))
		}
	}
	stored := storedResource{Profile: pid, Source: src.ID, Type: r.Type, ID: r.ID, JSON: r.JSON}
	rk := v.s.resourceKey(src.ID, r.Type, r.ID)
	t.put(bucketResources, rk, v.s.seal(bucketResources, rk, stored.encode()))
	t.put(bucketMembers, sk, v.s.seal(bucketMembers, sk, encodeMembers([]member{{r.Type, r.ID}})))
	ev.Time, ev.Source, ev.Profile = v.opts.now(), src.ID, pid
	err = v.update(func(tx *bolt.Tx) error {
		if err := t.flush(tx); err != nil {
			return err
		}
		return putAudit(tx, v.s, ev)
	})
	if err != nil {
		return nil, err
	}
	t.apply()
	return v.st.entries[e.ID], nil
}
