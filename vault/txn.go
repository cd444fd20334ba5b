package vault

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"slices"
	"sync"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// txn collects the changes of one write transaction on top of the open
// state: new and changed profiles, sources and entries, deletions, and the
// merge-key groups they touch. The state itself changes only in apply,
// after bbolt committed, so a failed transaction leaves memory as it was.
type txn struct {
	st       *state
	s        *sealer
	profiles map[string]*record.Profile
	sources  map[string]*storedSource
	delSrc   map[string]bool
	shas     map[string]string
	entries  map[string]*record.Entry
	delEntry map[string]bool
	groups   map[string]map[string][]string
	puts     map[string][]kv
	dels     map[string][][]byte
	// sealing are the background sealings (see sealAll) flush waits for.
	sealing []func()
}

type kv struct{ k, v []byte }

func newTxn(st *state, s *sealer) *txn {
	return &txn{st: st, s: s,
		profiles: map[string]*record.Profile{}, sources: map[string]*storedSource{},
		delSrc: map[string]bool{}, shas: map[string]string{},
		entries: map[string]*record.Entry{}, delEntry: map[string]bool{},
		groups: map[string]map[string][]string{},
		puts:   map[string][]kv{}, dels: map[string][][]byte{}}
}

// profileList is every profile as the transaction sees it.
func (t *txn) profileList() []record.Profile {
	var out []record.Profile
	for id, p := range t.st.profiles {
		if _, changed := t.profiles[id]; !changed {
			out = append(out, *p)
		}
	}
	for _, p := range t.profiles {
		out = append(out, *p)
	}
	sortProfiles(out)
	return out
}

func (t *txn) profile(id string) *record.Profile {
	if p := t.profiles[id]; p != nil {
		return p
	}
	return t.st.profiles[id]
}

// mutableProfile returns a copy of the profile that the transaction will write.
func (t *txn) mutableProfile(id string) *record.Profile {
	if p := t.profiles[id]; p != nil {
		return p
	}
	c := cloneProfile(t.st.profiles[id])
	t.profiles[id] = &c
	return &c
}

func (t *txn) entry(id string) *record.Entry {
	if t.delEntry[id] {
		return nil
	}
	if e := t.entries[id]; e != nil {
		return e
	}
	return t.st.entries[id]
}

// mutableEntry returns a deep copy of the entry that the transaction will write.
func (t *txn) mutableEntry(id string) *record.Entry {
	if e := t.entries[id]; e != nil {
		return e
	}
	c := cloneEntry(t.st.entries[id])
	t.entries[id] = c
	return c
}

// cloneEntry returns a deep copy of e, safe to hand to a caller or change.
func cloneEntry(e *record.Entry) *record.Entry {
	c := cloneEntries([]*record.Entry{e})[0]
	return &c
}

// cloneEntries copies entries for a caller, as cloneEntry does, but with
// each kind of list of all the copies in one allocation: a search with
// ten thousand hits costs a handful of allocations, not fifty thousand.
func cloneEntries(es []*record.Entry) []record.Entry {
	var nCodes, nReactions, nComponents, nSources, nResources, nRanges int
	for _, e := range es {
		nCodes += len(e.Codes)
		nReactions += len(e.Reactions)
		nComponents += len(e.Components)
		nSources += len(e.Sources)
		nResources += len(e.Resources)
		if e.Range != nil {
			nRanges++
		}
	}
	codes := make([]record.Coding, 0, nCodes)
	reactions := make([]string, 0, nReactions)
	components := make([]record.Component, 0, nComponents)
	sources := make([]string, 0, nSources)
	resources := make([]record.ResourceRef, 0, nResources)
	ranges := make([]record.RefRange, 0, nRanges)
	out := make([]record.Entry, len(es))
	for i, e := range es {
		c := *e
		c.Codes = takeOf(&codes, e.Codes)
		c.Reactions = takeOf(&reactions, e.Reactions)
		c.Components = takeOf(&components, e.Components)
		c.Sources = takeOf(&sources, e.Sources)
		c.Resources = takeOf(&resources, e.Resources)
		if e.Range != nil {
			ranges = append(ranges, *e.Range)
			c.Range = &ranges[len(ranges)-1]
		}
		out[i] = c
	}
	return out
}

// takeOf appends xs to a shared backing array (allocated large enough up
// front, so it never moves) and returns just that part, its capacity capped
// so a caller's append cannot run into the next entry's.
func takeOf[T any](arena *[]T, xs []T) []T {
	if xs == nil {
		return nil
	}
	start := len(*arena)
	*arena = append(*arena, xs...)
	return (*arena)[start:len(*arena):len(*arena)]
}

// group returns the ids of the profile's mergeable entries under key, as
// the transaction sees them.
func (t *txn) group(profile, key string) []string {
	g := t.groups[profile]
	if g == nil {
		g = map[string][]string{}
		t.groups[profile] = g
	}
	if ids, ok := g[key]; ok {
		return ids
	}
	var ids []string
	for _, id := range t.st.groups[profile][key] {
		if !t.delEntry[id] {
			ids = append(ids, id)
		}
	}
	g[key] = ids
	return ids
}

func (t *txn) addToGroup(profile, key, id string) {
	ids := t.group(profile, key)
	t.groups[profile][key] = append(ids, id)
}

func (t *txn) put(bucket string, k, v []byte) { t.puts[bucket] = append(t.puts[bucket], kv{k, v}) }

// sealAll seals the plaintexts of items (key, plaintext) and puts them,
// spreading the work over the CPUs: compressing and sealing thousands of
// resources is most of an import's work. It returns at once; the sealing
// goes on in the background while the import projects and merges, and
// [txn.flush] waits for it. The caller must not touch items afterwards.
// When tails is not nil, item i's plaintext is its v followed by tails[i]
// (a resource's header and its JSON, never copied into one).
func (t *txn) sealAll(bucket string, items []kv, tails [][]byte) {
	workers := min(runtime.GOMAXPROCS(0), 1+len(items)/128)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				var tail []byte
				if tails != nil {
					tail, tails[i] = tails[i], nil
				}
				items[i].v = t.s.sealParts(bucket, items[i].k, items[i].v, tail)
			}
		}()
	}
	t.sealing = append(t.sealing, func() {
		wg.Wait()
		t.puts[bucket] = append(t.puts[bucket], items...)
	})
}

func (t *txn) del(bucket string, k []byte) { t.dels[bucket] = append(t.dels[bucket], k) }

// flush writes everything the transaction collected, each bucket's keys in
// order (bbolt inserts sorted keys far faster than random ones).
func (t *txn) flush(tx *bolt.Tx) error {
	for _, wait := range t.sealing {
		wait()
	}
	t.sealing = nil
	for id, p := range t.profiles {
		js, err := json.Marshal(p)
		if err != nil {
			return err
		}
		k, _ := idKey(id)
		t.put(bucketProfiles, k, t.s.seal(bucketProfiles, k, js))
	}
	for id, src := range t.sources {
		js, err := json.Marshal(src)
		if err != nil {
			return err
		}
		k, _ := idKey(id)
		t.put(bucketSources, k, t.s.seal(bucketSources, k, js))
	}
	for id := range t.delSrc {
		k, _ := idKey(id)
		t.del(bucketSources, k)
		t.del(bucketMembers, k)
	}
	for id, e := range t.entries {
		if t.delEntry[id] {
			continue
		}
		k, _ := idKey(id)
		t.put(bucketEntries, k, t.s.sealRaw(bucketEntries, k, encodeEntry(e)))
	}
	for id := range t.delEntry {
		k, _ := idKey(id)
		t.del(bucketEntries, k)
	}
	for name, ks := range t.dels {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		for _, k := range ks {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	for name, kvs := range t.puts {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		slices.SortFunc(kvs, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
		for _, p := range kvs {
			if err := b.Put(p.k, p.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// apply folds the committed changes into the open state.
func (t *txn) apply() {
	st := t.st
	for id, p := range t.profiles {
		st.profiles[id] = p
	}
	for id := range t.delSrc {
		if src := st.sources[id]; src != nil && st.bySHA[src.SHA256] == id {
			delete(st.bySHA, src.SHA256)
		}
		delete(st.sources, id)
	}
	for id, src := range t.sources {
		st.sources[id] = src
	}
	for sha, id := range t.shas {
		st.bySHA[sha] = id
	}
	for id := range t.delEntry {
		st.removeEntry(id)
	}
	for id, e := range t.entries {
		if t.delEntry[id] {
			continue
		}
		st.removeEntry(id)
		st.addEntry(e)
	}
	if len(t.entries) > 0 || len(t.delEntry) > 0 {
		st.order = reorder(st.order, t.entries, t.delEntry)
		st.index = nil // built again on the next search
	}
}

// reorder returns a new order (newest first): old without the entries
// deleted or changed, merged with the changed ones. It costs a pass over
// old and a sort of what changed, so an import into a large vault does not
// sort every entry again.
func reorder(old []*record.Entry, changed map[string]*record.Entry, deleted map[string]bool) []*record.Entry {
	added := make([]*record.Entry, 0, len(changed))
	for id, e := range changed {
		if !deleted[id] {
			added = append(added, e)
		}
	}
	slices.SortFunc(added, newestFirst)
	out := make([]*record.Entry, 0, len(old)+len(added))
	next := 0
	for _, e := range old {
		if deleted[e.ID] {
			continue
		}
		if _, ok := changed[e.ID]; ok {
			continue
		}
		for next < len(added) && newestFirst(added[next], e) < 0 {
			out = append(out, added[next])
			next++
		}
		out = append(out, e)
	}
	return append(out, added[next:]...)
}

func fmtID(b []byte) string { return hex.EncodeToString(b) }

// mergeable is state.mergeable over the transaction's view of the sources.
func (t *txn) mergeable(e *record.Entry) bool {
	for _, s := range e.Sources {
		src := t.sources[s]
		if src == nil {
			src = t.st.sources[s]
		}
		if src != nil && src.Format == record.SelfReported {
			return false
		}
	}
	return true
}

// remarkConflicts marks the conflicts of one merge-key group again
// ([record.MarkConflicts]) and writes back the entries whose flag changed.
func remarkConflicts(t *txn, ids []string) {
	if len(ids) == 0 {
		return
	}
	group := make([]*record.Entry, len(ids))
	for i, id := range ids {
		c := *t.entry(id)
		group[i] = &c
	}
	if !record.MarkConflicts(group) {
		return
	}
	for i, id := range ids {
		if group[i].Conflict != t.entry(id).Conflict {
			t.mutableEntry(id).Conflict = group[i].Conflict
		}
	}
}
