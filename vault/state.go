package vault

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// storedSource is a source as kept in the sources bucket.
type storedSource struct {
	record.Source
	// Profiles are the people this source's records went to.
	Profiles []string `json:"profiles,omitempty"`
	// Blob is the hex id of the original bytes' chunks; empty when the
	// source has no original of its own.
	Blob   string `json:"blob,omitempty"`
	Chunks int    `json:"chunks,omitempty"`
	// Resources is the number of resources stored from this source.
	Resources int `json:"resources"`
	// Pending are the documents of a package left out because whose they
	// are was not known (their paths inside it); importing the package
	// again may add them.
	Pending []string `json:"pending,omitempty"`
	// Seq numbers the sources in the order they were imported (1, 2, ...;
	// the documents of a package after it, in its order); 0 for sources
	// stored before vaults kept it, which came first. Merging reads a
	// merge-key group in this order (see importer.heldOrder).
	Seq int64 `json:"seq,omitempty"`
}

// state is the decrypted index held while the vault is open: every profile,
// source and entry (not the resources or original files, which are read on
// demand), the merge-key groups and, built when first needed, the search index.
type state struct {
	profiles map[string]*record.Profile
	sources  map[string]*storedSource
	bySHA    map[string]string // content hash → source id
	entries  map[string]*record.Entry
	mergeKey map[string]string              // entry id → merge key
	groups   map[string]map[string][]string // profile → merge key → entry ids
	// order is every entry, newest first ([newestFirst]), kept as
	// entries come and go; a change makes a new slice, never edits it.
	order []*record.Entry
	index *searchIndex // over order; nil when stale
	// perSource counts the entries each source states, kept as entries
	// come and go, so listing sources costs nothing per entry.
	perSource map[string]int
	// perProfile counts each person's entries, kept the same way.
	perProfile map[string]int
}

func newState() *state {
	return &state{
		profiles: map[string]*record.Profile{},
		sources:  map[string]*storedSource{},
		bySHA:    map[string]string{},
		entries:  map[string]*record.Entry{},
		mergeKey: map[string]string{},
		groups:   map[string]map[string][]string{},

		perSource:  map[string]int{},
		perProfile: map[string]int{},
	}
}

// mergeable reports whether an entry takes part in merging: entries typed
// in by hand stay on their own so they can be edited and deleted.
func (st *state) mergeable(e *record.Entry) bool {
	for _, s := range e.Sources {
		if src := st.sources[s]; src != nil && src.Format == record.SelfReported {
			return false
		}
	}
	return true
}

func (st *state) addEntry(e *record.Entry) {
	st.entries[e.ID] = e
	st.countSources(e, 1)
	if !st.mergeable(e) {
		return
	}
	k := record.MergeKey(e)
	st.mergeKey[e.ID] = k
	g := st.groups[e.Profile]
	if g == nil {
		g = map[string][]string{}
		st.groups[e.Profile] = g
	}
	g[k] = append(g[k], e.ID)
}

func (st *state) removeEntry(id string) {
	e := st.entries[id]
	if e == nil {
		return
	}
	delete(st.entries, id)
	st.countSources(e, -1)
	if k, ok := st.mergeKey[id]; ok {
		delete(st.mergeKey, id)
		g := st.groups[e.Profile]
		ids := g[k]
		for i, x := range ids {
			if x == id {
				ids = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(g, k)
		} else {
			g[k] = ids
		}
	}
}

// countSources adds n to the count of each source e states, and of its person.
func (st *state) countSources(e *record.Entry, n int) {
	if st.perProfile[e.Profile] += n; st.perProfile[e.Profile] == 0 {
		delete(st.perProfile, e.Profile)
	}
	for _, s := range e.Sources {
		if st.perSource[s] += n; st.perSource[s] == 0 {
			delete(st.perSource, s)
		}
	}
}

// loadState decrypts the profiles, sources and entries.
func loadState(tx *bolt.Tx, s *sealer) (*state, error) {
	st := newState()
	err := forEach(tx, bucketProfiles, func(k, v []byte) error {
		plain, err := s.open(bucketProfiles, k, v)
		if err != nil {
			return err
		}
		var p record.Profile
		if err := json.Unmarshal(plain, &p); err != nil || p.ID != hex.EncodeToString(k) {
			return fmt.Errorf("%w: unreadable profile", ErrDamaged)
		}
		st.profiles[p.ID] = &p
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = forEach(tx, bucketSources, func(k, v []byte) error {
		plain, err := s.open(bucketSources, k, v)
		if err != nil {
			return err
		}
		var src storedSource
		if err := json.Unmarshal(plain, &src); err != nil || src.ID != hex.EncodeToString(k) {
			return fmt.Errorf("%w: unreadable source", ErrDamaged)
		}
		st.sources[src.ID] = &src
		if src.SHA256 != "" {
			st.bySHA[src.SHA256] = src.ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	entries, keys, err := loadEntries(tx, s, st.sources)
	if err != nil {
		return nil, err
	}
	// The order, the search index and the maps are built side by side.
	done := make(chan *searchIndex)
	go func() {
		order := slices.Clone(entries)
		slices.SortFunc(order, newestFirst)
		done <- buildIndex(order)
	}()
	st.entries = make(map[string]*record.Entry, len(entries))
	st.mergeKey = make(map[string]string, len(entries))
	for i, e := range entries {
		st.entries[e.ID] = e
		st.countSources(e, 1)
		e.Conflict = false // marked again below, by this version's rule
		if keys[i] == "" {
			continue
		}
		st.mergeKey[e.ID] = keys[i]
		g := st.groups[e.Profile]
		if g == nil {
			g = map[string][]string{}
			st.groups[e.Profile] = g
		}
		g[keys[i]] = append(g[keys[i]], e.ID)
	}
	st.index = <-done
	st.order = st.index.entries
	st.markConflicts()
	return st, nil
}

// markConflicts sets every entry's Conflict flag by the rule of this
// version ([record.MarkConflicts] over each merge-key group), whatever the
// file says: the flag is a judgment made from the entries, and it must
// agree with what [Vault.Conflicts] explains.
// Every flag starts false (loadState clears them); only groups of more
// than one entry can hold a conflict.
func (st *state) markConflicts() {
	var group []*record.Entry
	for _, g := range st.groups {
		for _, ids := range g {
			if len(ids) == 1 {
				continue
			}
			group = group[:0]
			for _, id := range ids {
				group = append(group, st.entries[id])
			}
			record.MarkConflicts(group)
		}
	}
}

// loadEntries decrypts and decodes every entry, in id order, and computes
// the merge keys of the mergeable ones, spread over the CPUs.
func loadEntries(tx *bolt.Tx, s *sealer, sources map[string]*storedSource) ([]*record.Entry, []string, error) {
	type kv struct{ k, v []byte }
	var raw []kv
	if err := forEach(tx, bucketEntries, func(k, v []byte) error {
		raw = append(raw, kv{k, v})
		return nil
	}); err != nil {
		return nil, nil, err
	}
	out := make([]*record.Entry, len(raw))
	keys := make([]string, len(raw))
	probe := &state{sources: sources}
	workers := min(runtime.GOMAXPROCS(0), 1+len(raw)/256)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// These goroutines read the memory map too: a fault or a panic
			// on a broken file is an error here, never a crash.
			debug.SetPanicOnFault(true)
			defer func() {
				if r := recover(); r != nil {
					errs[w] = damagedPanic(r)
				}
			}()
			buf := make([]byte, 4096)
			strs := map[string]string{}
			for i := w; i < len(raw); i += workers {
				e, err := decodeEntryBuf(s, raw[i].k, raw[i].v, buf, strs)
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = e
				if probe.mergeable(e) {
					keys[i] = record.MergeKey(e)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return out, keys, nil
}

// decodeEntryBuf opens and decodes one entry, decrypting into buf and
// interning short strings through strs.
func decodeEntryBuf(s *sealer, k, v, buf []byte, strs map[string]string) (*record.Entry, error) {
	plain, err := s.openInto(buf, bucketEntries, k, v)
	if err != nil {
		return nil, err
	}
	e, err := decodeEntryInterned(plain, strs)
	if err != nil || e.ID != hex.EncodeToString(k) {
		return nil, fmt.Errorf("%w: unreadable entry", ErrDamaged)
	}
	return e, nil
}
