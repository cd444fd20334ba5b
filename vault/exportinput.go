package vault

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// ExportInput returns everything an exporter is given about one person
// (an id or a name): the profile, their entries newest first, every stored
// resource of theirs with its source (source by source as imported, each
// source's in the order the file listed them), the sources most recently
// imported first, and now. The result is a copy the caller owns.
//
// Errors: [ErrNoSuchProfile], [ErrDamaged] when a resource fails to open,
// [ErrClosed].
func (v *Vault) ExportInput(profile string, now time.Time) (*export.Input, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	p, err := v.st.findProfile(profile)
	if err != nil {
		return nil, err
	}
	var in *export.Input
	err = v.view(func(tx *bolt.Tx) error {
		in, err = v.exportInput(tx, p.ID, now, true)
		return err
	})
	return in, err
}

// exportInput fills an Input for profile pid within tx; without
// withEntries, Entries is left empty (a backup writes them itself).
func (v *Vault) exportInput(tx *bolt.Tx, pid string, now time.Time, withEntries bool) (*export.Input, error) {
	st := v.st
	in := &export.Input{Person: cloneProfile(st.profiles[pid]), Now: now}
	var sel []*record.Entry
	counts := map[string]int{}
	for _, e := range st.order { // newest first already
		if e.Profile == pid {
			sel = append(sel, e)
			for _, s := range e.Sources {
				counts[s]++
			}
		}
	}
	if withEntries {
		in.Entries = cloneEntries(sel)
	}

	srcs := st.personSources(pid)
	people := st.peopleOf()
	for _, s := range srcs {
		in.Sources = append(in.Sources, export.Source{Source: s.Source, Name: export.SourceName(s.Source), Entries: counts[s.ID],
			Shared: len(people[s.ID]) > 1 || !people[s.ID][pid]})
	}
	slices.SortFunc(in.Sources, func(a, b export.Source) int {
		return cmp.Or(b.ImportedAt.Compare(a.ImportedAt), strings.Compare(a.File, b.File), strings.Compare(a.ID, b.ID))
	})
	srcs, err := v.importOrder(tx, srcs, sel)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, s := range srcs {
		n += s.Resources
	}
	in.Resources = make([]export.Resource, 0, n)
	// The JSON of every resource is copied into large blocks, shared by
	// the sources (a source's own would be mostly empty).
	arenas := make([]arena, workersFor(n))
	for _, s := range srcs {
		if in.Resources, err = v.sourceResources(in.Resources, tx, s, pid, arenas); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// importOrder returns srcs in the order they were imported. Import times
// are kept to the second, so the audit log's order of the imports decides
// between files, and the entries' source lists (a source is appended when
// it states an entry again) between the documents of one package: the
// order that decides how entries merge when the records are imported
// again, elsewhere.
func (v *Vault) importOrder(tx *bolt.Tx, srcs []*storedSource, entries []*record.Entry) ([]*storedSource, error) {
	seq := map[string]int{}
	n := 0
	err := forEach(tx, bucketAudit, func(k, val []byte) error {
		plain, err := v.s.open(bucketAudit, k, val)
		if err != nil {
			return err
		}
		var ev struct {
			Source string `json:"source"`
		}
		if json.Unmarshal(plain, &ev) == nil && ev.Source != "" {
			if _, seen := seq[ev.Source]; !seen {
				seq[ev.Source] = n
			}
		}
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	top := func(s *storedSource) *storedSource {
		for i := 0; s.Parent != "" && i < 64; i++ {
			p := v.st.sources[s.Parent]
			if p == nil {
				break
			}
			s = p
		}
		return s
	}
	rank := func(s *storedSource) (int, *storedSource) {
		t := top(s)
		r, ok := seq[t.ID]
		if !ok {
			r = math.MaxInt
		}
		return r, t
	}
	less := func(a, b *storedSource) int {
		ra, ta := rank(a)
		rb, tb := rank(b)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(ta.Seq, tb.Seq), ta.ImportedAt.Compare(tb.ImportedAt), strings.Compare(ta.ID, tb.ID),
			cmp.Compare(a.Seq, b.Seq), a.ImportedAt.Compare(b.ImportedAt), strings.Compare(a.ID, b.ID))
	}
	// Kahn's algorithm over "came before" from the entries' source lists,
	// taking the earliest by rank among those free to go next.
	in := map[string]bool{}
	for _, s := range srcs {
		in[s.ID] = true
	}
	after := map[string]map[string]bool{}
	indeg := map[string]int{}
	for _, e := range entries {
		prev := ""
		for _, s := range e.Sources {
			if !in[s] {
				continue
			}
			if prev != "" && prev != s && !after[prev][s] {
				if after[prev] == nil {
					after[prev] = map[string]bool{}
				}
				after[prev][s] = true
				indeg[s]++
			}
			prev = s
		}
	}
	sorted := slices.Clone(srcs)
	slices.SortFunc(sorted, less)
	out := make([]*storedSource, 0, len(srcs))
	done := map[string]bool{}
	for len(out) < len(sorted) {
		progressed := false
		for _, s := range sorted {
			if done[s.ID] || indeg[s.ID] > 0 {
				continue
			}
			done[s.ID] = true
			out = append(out, s)
			for next := range after[s.ID] {
				indeg[next]--
			}
			progressed = true
			break
		}
		if !progressed { // a cycle cannot happen; keep the rank order if it does
			for _, s := range sorted {
				if !done[s.ID] {
					done[s.ID] = true
					out = append(out, s)
				}
			}
		}
	}
	return out, nil
}

// personSources are the sources whose records went to pid.
func (st *state) personSources(pid string) []*storedSource {
	var out []*storedSource
	for _, s := range st.sources {
		if slices.Contains(s.Profiles, pid) {
			out = append(out, s)
		}
	}
	return out
}

// sourceResources appends a source's resources (only pid's when pid is
// not "") to dst, in the order of its member list. The resources are
// decrypted in parallel, by up to len(arenas) goroutines; each JSON is a
// fresh copy, from the arenas.
func (v *Vault) sourceResources(dst []export.Resource, tx *bolt.Tx, src *storedSource, pid string, arenas []arena) ([]export.Resource, error) {
	mb, err := bucket(tx, bucketMembers)
	if err != nil {
		return nil, err
	}
	sk, _ := idKey(src.ID)
	raw := mb.Get(sk)
	if raw == nil {
		return dst, nil
	}
	plain, err := v.s.open(bucketMembers, sk, raw)
	if err != nil {
		return nil, err
	}
	ms, err := decodeMembers(plain)
	if err != nil {
		return nil, err
	}
	rb, err := bucket(tx, bucketResources)
	if err != nil {
		return nil, err
	}
	keys := make([][]byte, len(ms))
	vals := make([][]byte, len(ms))
	for i, m := range ms {
		keys[i] = v.s.resourceKey(src.ID, m.Type, m.ID)
		vals[i] = rb.Get(keys[i])
		if vals[i] == nil {
			return nil, fmt.Errorf("%w: a resource of source %s is missing", ErrDamaged, src.ID)
		}
	}
	start := len(dst)
	dst = slices.Grow(dst, len(ms))[:start+len(ms)]
	out := dst[start:]
	keep := make([]bool, len(ms))
	openers := make([]opener, min(workersFor(len(ms)), len(arenas)))
	for i := range openers {
		openers[i].s = v.s
	}
	errs := parallelN(len(openers), len(ms), func(w, i int) error {
		p, err := openers[w].open(bucketResources, keys[i], vals[i])
		if err != nil {
			return err
		}
		js, ofPerson, err := matchResource(p, src.ID, ms[i].Type, ms[i].ID, pid)
		if err != nil || !ofPerson {
			return err
		}
		keep[i] = true
		out[i] = export.Resource{Ref: record.ResourceRef{Source: src.ID, Type: ms[i].Type, ID: ms[i].ID},
			Resource: record.Resource{Type: ms[i].Type, ID: ms[i].ID, JSON: arenas[w].copy(js)}}
		return nil
	})
	if errs != nil {
		return nil, errs
	}
	n := 0
	for i := range out {
		if keep[i] {
			out[n] = out[i]
			n++
		}
	}
	clear(out[n:])
	return dst[:start+n], nil
}

// arena hands out copies of byte slices from large blocks, so the JSON of
// a hundred thousand resources costs a hundred allocations, not a hundred
// thousand.
type arena struct{ block []byte }

func (a *arena) copy(b []byte) []byte {
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, max(1<<20, len(b)))
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// workersFor is how many goroutines [parallel] uses for n items.
func workersFor(n int) int { return max(1, min(runtime.GOMAXPROCS(0), 1+n/64)) }

// parallel runs fn(w, i) for i in 0..n-1 over the CPUs (w, below
// workersFor(n), names the goroutine) and returns the first error. The
// goroutines read the memory map: a fault on a broken file is an error
// wrapping [ErrDamaged], never a crash.
func parallel(n int, fn func(w, i int) error) error {
	return parallelN(workersFor(n), n, fn)
}

// parallelN is [parallel] on the given number of goroutines (at least one).
func parallelN(workers, n int, fn func(w, i int) error) error {
	workers = max(1, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			debug.SetPanicOnFault(true)
			defer func() {
				if r := recover(); r != nil {
					errs[w] = damagedPanic(r)
				}
			}()
			for i := w; i < n; i += workers {
				if err := fn(w, i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// SourceResources returns the resources one source gave (every person's),
// in the order its file listed them: reading them costs that source's
// resources, not the vault's. The result is the caller's. Errors:
// [ErrNoSuchSource], [ErrDamaged], [ErrClosed].
func (v *Vault) SourceResources(id string) ([]export.Resource, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	src := v.st.sources[id]
	if src == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoSuchSource, id)
	}
	var out []export.Resource
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		out, err = v.sourceResources(make([]export.Resource, 0, src.Resources), tx, src, "", make([]arena, workersFor(src.Resources)))
		return err
	})
	return out, err
}
