package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// SourceInfo is an imported file (or a hand-entered entry's source) as
// listed to the user.
type SourceInfo struct {
	record.Source
	// Profiles are the ids of the people the source's records went to.
	Profiles []string `json:"profiles"`
	// Entries is how many entries the source states (merged ones included).
	Entries int `json:"entries"`
	// Resources is how many resources are stored from it.
	Resources int `json:"resources"`
	// HasOriginal says whether the source's own original bytes are kept
	// (documents inside a package are kept inside the package's original).
	HasOriginal bool `json:"has_original"`
}

func (st *state) sourceInfo(src *storedSource, counts map[string]int) SourceInfo {
	return SourceInfo{Source: src.Source, Profiles: slices.Clone(src.Profiles), Entries: counts[src.ID],
		Resources: src.Resources, HasOriginal: src.Blob != ""}
}

// entryCounts is how many entries each source states (read only).
func (st *state) entryCounts() map[string]int { return st.perSource }

// Sources returns the sources whose records went to a person (everyone's
// when profile is ""), most recently imported first. Errors: [ErrClosed].
func (v *Vault) Sources(profile string) ([]SourceInfo, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	counts := v.st.entryCounts()
	var out []SourceInfo
	for _, src := range v.st.sources {
		if profile == "" || slices.Contains(src.Profiles, profile) {
			out = append(out, v.st.sourceInfo(src, counts))
		}
	}
	slices.SortFunc(out, func(a, b SourceInfo) int {
		if c := b.ImportedAt.Compare(a.ImportedAt); c != 0 {
			return c
		}
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Source returns one source. id may be a unique prefix (6 characters or
// more). Errors: [ErrNoSuchSource].
func (v *Vault) Source(id string) (SourceInfo, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return SourceInfo{}, ErrClosed
	}
	src, err := v.st.findSource(id)
	if err != nil {
		return SourceInfo{}, err
	}
	return v.st.sourceInfo(src, v.st.entryCounts()), nil
}

func (st *state) findSource(id string) (*storedSource, error) {
	if s := st.sources[id]; s != nil {
		return s, nil
	}
	id = strings.ToLower(strings.TrimSpace(id))
	var found *storedSource
	if len(id) >= 6 {
		for k, s := range st.sources {
			if strings.HasPrefix(k, id) {
				if found != nil {
					return nil, fmt.Errorf("%w: %q is the start of several ids", ErrNoSuchSource, id)
				}
				found = s
			}
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoSuchSource, id)
	}
	return found, nil
}

// OpenOriginal streams a source's original file, byte for byte as it was
// imported, one sealed chunk at a time. Reading past the end checks the
// bytes against the source's SHA-256. Errors: [ErrNoSuchSource],
// [ErrNoOriginal]; reads fail with [ErrDamaged] on a damaged chunk.
func (v *Vault) OpenOriginal(id string) (io.ReadCloser, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	src, err := v.st.findSource(id)
	if err != nil {
		return nil, err
	}
	if src.Blob == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoOriginal, src.ID)
	}
	blob, _ := hex.DecodeString(src.Blob)
	return &originalReader{v: v, blob: blob, chunks: src.Chunks, sha: src.SHA256, h: sha256.New()}, nil
}

type originalReader struct {
	v      *Vault
	blob   []byte
	chunks int
	next   int
	buf    []byte
	sha    string
	h      interface {
		io.Writer
		Sum([]byte) []byte
	}
	err error
	// locked is true when the caller already holds the vault's lock.
	locked bool
}

func newHash() interface {
	io.Writer
	Sum([]byte) []byte
} {
	return sha256.New()
}

func (r *originalReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.next == r.chunks {
			if hex.EncodeToString(r.h.Sum(nil)) != r.sha {
				r.err = fmt.Errorf("%w: the original file does not match its checksum", ErrDamaged)
			} else {
				r.err = io.EOF
			}
			return 0, r.err
		}
		if !r.locked {
			r.v.mu.RLock()
		}
		if r.v.s == nil {
			if !r.locked {
				r.v.mu.RUnlock()
			}
			r.err = ErrClosed
			return 0, r.err
		}
		err := r.v.view(func(tx *bolt.Tx) error {
			b, err := bucket(tx, bucketBlobs)
			if err != nil {
				return err
			}
			k := blobKey(r.blob, r.next)
			val := b.Get(k)
			if val == nil {
				return fmt.Errorf("%w: part of an original file is missing", ErrDamaged)
			}
			r.buf, err = r.v.s.open(bucketBlobs, k, val)
			return err
		})
		if !r.locked {
			r.v.mu.RUnlock()
		}
		if err != nil {
			r.err = err
			return 0, err
		}
		r.h.Write(r.buf)
		r.next++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *originalReader) Close() error { r.err = io.ErrClosedPipe; return nil }

// RemovedReport says what RemoveSource did.
type RemovedReport struct {
	// Sources are the ids removed: the source and the documents inside it.
	Sources []string `json:"sources"`
	// Entries is how many entries went (only that source stated them).
	Entries int `json:"entries"`
	// Kept is how many entries other sources also state: they stay, without
	// the removed source in their provenance.
	Kept int `json:"kept"`
}

// RemoveSource removes an imported file, the documents inside it, their
// original bytes and resources, and every entry only they stated, in one
// transaction. Entries other sources also state stay and lose the removed
// source from their Sources and Resources; one that was shown from the
// removed resource is projected again from a remaining one. Afterwards the
// same file can be imported again. Errors: [ErrNoSuchSource], [ErrDamaged].
func (v *Vault) RemoveSource(id string) (*RemovedReport, error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return nil, ErrClosed
	}
	src, err := v.st.findSource(id)
	if err != nil {
		return nil, err
	}
	return v.removeSources(src, AuditEvent{Time: v.opts.now(), Action: ActionRemoveSource, Source: src.ID, Detail: src.File})
}

func (v *Vault) removeSources(top *storedSource, ev AuditEvent) (*RemovedReport, error) {
	st := v.st
	gone := map[string]bool{top.ID: true}
	for changed := true; changed; {
		changed = false
		for id, s := range st.sources {
			if !gone[id] && gone[s.Parent] {
				gone[id] = true
				changed = true
			}
		}
	}
	rep := &RemovedReport{}
	for id := range gone {
		rep.Sources = append(rep.Sources, id)
	}
	slices.Sort(rep.Sources)
	t := newTxn(st, v.s)
	err := v.update(func(tx *bolt.Tx) error {
		for _, id := range rep.Sources {
			if err := v.dropSourceData(tx, t, st.sources[id]); err != nil {
				return err
			}
		}
		type groupRef struct{ profile, key string }
		touched := map[groupRef]bool{}
		for eid, e := range st.entries {
			if !slices.ContainsFunc(e.Sources, func(s string) bool { return gone[s] }) {
				continue
			}
			if k, ok := st.mergeKey[eid]; ok {
				touched[groupRef{e.Profile, k}] = true
			}
			m := t.mutableEntry(eid)
			basisGone := len(m.Resources) > 0 && gone[m.Resources[0].Source]
			m.Sources = slices.DeleteFunc(m.Sources, func(s string) bool { return gone[s] })
			m.Resources = slices.DeleteFunc(m.Resources, func(r record.ResourceRef) bool { return gone[r.Source] })
			if len(m.Sources) == 0 {
				t.delEntry[eid] = true
				rep.Entries++
				continue
			}
			rep.Kept++
			if basisGone && len(m.Resources) > 0 {
				if err := v.reproject(tx, m); err != nil {
					return err
				}
				if t.mergeable(m) {
					touched[groupRef{m.Profile, record.MergeKey(m)}] = true
				}
			}
		}
		// A conflict whose other side went is no longer one; a reprojected
		// entry may differ from its group in other ways: mark each touched
		// group again, as the transaction leaves it.
		changedKeys := map[groupRef][]string{}
		for id, e := range t.entries {
			if !t.delEntry[id] && t.mergeable(e) {
				g := groupRef{e.Profile, record.MergeKey(e)}
				if touched[g] {
					changedKeys[g] = append(changedKeys[g], id)
				}
			}
		}
		for g := range touched {
			ids := changedKeys[g]
			for _, id := range st.groups[g.profile][g.key] {
				if _, changed := t.entries[id]; !changed && !t.delEntry[id] {
					ids = append(ids, id)
				}
			}
			remarkConflicts(t, ids)
		}
		if err := t.flush(tx); err != nil {
			return err
		}
		return putAudit(tx, v.s, ev)
	})
	if err != nil {
		return nil, err
	}
	t.apply()
	return rep, nil
}

// dropSourceData deletes a source's record, member list, resources and
// original chunks.
func (v *Vault) dropSourceData(tx *bolt.Tx, t *txn, src *storedSource) error {
	t.delSrc[src.ID] = true
	k, _ := idKey(src.ID)
	mb, err := bucket(tx, bucketMembers)
	if err != nil {
		return err
	}
	if raw := mb.Get(k); raw != nil {
		plain, err := v.s.open(bucketMembers, k, raw)
		if err != nil {
			return err
		}
		ms, err := decodeMembers(plain)
		if err != nil {
			return err
		}
		for _, m := range ms {
			t.del(bucketResources, v.s.resourceKey(src.ID, m.Type, m.ID))
		}
	}
	if src.Blob != "" {
		blob, _ := hex.DecodeString(src.Blob)
		for i := range src.Chunks {
			t.del(bucketBlobs, blobKey(blob, i))
		}
	}
	return nil
}

// reproject recomputes an entry from its first remaining resource, keeping
// its identity, provenance and conflict flag.
func (v *Vault) reproject(tx *bolt.Tx, e *record.Entry) error {
	ref := e.Resources[0]
	r, err := v.getResource(tx, ref)
	if err != nil {
		return err
	}
	res := &txResolver{v: v, tx: tx, source: ref.Source}
	ne, ok, err := record.Project(r, res.resolve)
	if err != nil || !ok {
		return nil // keep the entry as it was shown
	}
	ne.ID, ne.Profile, ne.Sources, ne.Resources, ne.Conflict = e.ID, e.Profile, e.Sources, e.Resources, e.Conflict
	*e = ne
	return nil
}

// txResolver resolves references among one stored source's resources.
type txResolver struct {
	v      *Vault
	tx     *bolt.Tx
	source string
	byID   map[string]string // id → type, read from the member list on first need
}

func (r *txResolver) resolve(ref string) (record.Resource, bool) {
	typ, id, ok := strings.Cut(ref, "/")
	if !ok || strings.Contains(id, "/") {
		if i := strings.Index(ref, "/_history/"); i >= 0 {
			ref = ref[:i]
		}
		parts := strings.Split(ref, "/")
		if len(parts) >= 2 && !strings.HasPrefix(ref, "urn:") {
			typ, id = parts[len(parts)-2], parts[len(parts)-1]
		} else {
			id = strings.TrimPrefix(strings.TrimPrefix(ref, "urn:uuid:"), "urn:oid:")
			typ = r.typeOf(id)
		}
	}
	if typ == "" {
		return record.Resource{}, false
	}
	res, err := r.v.getResource(r.tx, record.ResourceRef{Source: r.source, Type: typ, ID: id})
	return res, err == nil
}

func (r *txResolver) typeOf(id string) string {
	if r.byID == nil {
		r.byID = map[string]string{}
		k, _ := idKey(r.source)
		if b, err := bucket(r.tx, bucketMembers); err == nil {
			if raw := b.Get(k); raw != nil {
				if plain, err := r.v.s.open(bucketMembers, k, raw); err == nil {
					ms, _ := decodeMembers(plain)
					for _, m := range ms {
						if _, dup := r.byID[m.ID]; !dup {
							r.byID[m.ID] = m.Type
						}
					}
				}
			}
		}
	}
	return r.byID[id]
}
