package vault

import (
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// searchIndex is an inverted index over the open vault's entries: every
// word of the text fields, every code and every value, lower-cased, with
// the entries (by position in ids) that contain it.
type searchIndex struct {
	ids    []string
	terms  map[string][]int32
	sorted []string // the distinct terms, for prefix queries
}

// entryTerms lists the searchable terms of an entry.
func entryTerms(e *record.Entry, add func(string)) {
	words := func(s string) {
		if s == "" {
			return
		}
		for _, w := range strings.Fields(record.NormalizeText(s)) {
			add(w)
		}
		for _, w := range strings.Fields(strings.ToLower(s)) {
			add(strings.Trim(w, ",;:()[]\"'"))
		}
	}
	add(string(e.Kind))
	if !e.Date.IsZero() {
		add(e.Date.Day())
		add(e.Date.T.Format("2006"))
	}
	words(e.Title)
	words(e.Status)
	words(e.Value)
	words(e.Unit)
	words(e.Category)
	words(e.Dosage)
	words(e.Reason)
	words(e.Severity)
	words(e.Place)
	words(e.Performer)
	words(e.Note)
	words(e.Interpretation)
	for _, r := range e.Reactions {
		words(r)
	}
	for _, c := range e.Codes {
		add(strings.ToLower(strings.TrimSpace(c.Code)))
		words(c.Display)
	}
	for _, c := range e.Components {
		words(c.Title)
		words(c.Value)
		words(c.Unit)
		for _, cd := range c.Codes {
			add(strings.ToLower(strings.TrimSpace(cd.Code)))
		}
	}
}

func buildIndex(entries map[string]*record.Entry) *searchIndex {
	ix := &searchIndex{terms: map[string][]int32{}}
	ix.ids = make([]string, 0, len(entries))
	for id := range entries {
		ix.ids = append(ix.ids, id)
	}
	slices.Sort(ix.ids)
	for i, id := range ix.ids {
		doc := int32(i)
		entryTerms(entries[id], func(t string) {
			if t == "" {
				return
			}
			p := ix.terms[t]
			if n := len(p); n > 0 && p[n-1] == doc {
				return
			}
			ix.terms[t] = append(p, doc)
		})
	}
	ix.sorted = make([]string, 0, len(ix.terms))
	for t := range ix.terms {
		ix.sorted = append(ix.sorted, t)
	}
	slices.Sort(ix.sorted)
	return ix
}

type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) addAll(docs []int32) {
	for _, d := range docs {
		b[d/64] |= 1 << (uint(d) % 64)
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

// word returns the entries matching one query word: the word itself as a
// term (codes and values such as "4548-4" or "7.2"), or every one of its
// normalized parts, each as a term or, from three letters on, as the
// start of a term.
func (ix *searchIndex) word(w string) bitset {
	set := newBitset(len(ix.ids))
	set.addAll(ix.terms[strings.ToLower(w)])
	parts := strings.Fields(record.NormalizeText(w))
	if len(parts) == 0 {
		return set
	}
	all := newBitset(len(ix.ids))
	for i, p := range parts {
		ps := newBitset(len(ix.ids))
		ps.addAll(ix.terms[p])
		if len(p) >= 3 {
			lo := sort.SearchStrings(ix.sorted, p)
			for j := lo; j < len(ix.sorted) && strings.HasPrefix(ix.sorted[j], p); j++ {
				ps.addAll(ix.terms[ix.sorted[j]])
			}
		}
		if i == 0 {
			copy(all, ps)
		} else {
			all.and(ps)
		}
	}
	for i := range set {
		set[i] |= all[i]
	}
	return set
}

// Search returns a person's entries (everyone's when profile is "") that
// match every word of query, newest first. Words match the entry's title,
// status, value, unit, codes and code names, place, performer, notes and
// the like, ignoring case and accents; a word of three letters or more also
// matches words it begins ("chol" finds "cholesterol"). An empty query
// matches nothing. The index is built at unlock and after each change.
func (v *Vault) Search(profile, query string) ([]record.Entry, error) {
	v.mu.RLock()
	if v.st == nil {
		v.mu.RUnlock()
		return nil, ErrClosed
	}
	ix := v.st.index
	if ix == nil {
		v.mu.RUnlock()
		v.mu.Lock()
		if v.st == nil {
			v.mu.Unlock()
			return nil, ErrClosed
		}
		if v.st.index == nil {
			v.st.index = buildIndex(v.st.entries)
		}
		v.mu.Unlock()
		return v.Search(profile, query)
	}
	defer v.mu.RUnlock()
	words := strings.Fields(query)
	if len(words) == 0 {
		return nil, nil
	}
	var set bitset
	for i, w := range words {
		ws := ix.word(w)
		if i == 0 {
			set = ws
		} else {
			set.and(ws)
		}
	}
	var sel []*record.Entry
	for i, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << uint(b)
			e := v.st.entries[ix.ids[i*64+b]]
			if e != nil && (profile == "" || e.Profile == profile) {
				sel = append(sel, e)
			}
		}
	}
	slices.SortFunc(sel, newestFirst)
	out := make([]record.Entry, len(sel))
	for i, e := range sel {
		out[i] = *cloneEntry(e)
	}
	return out, nil
}
