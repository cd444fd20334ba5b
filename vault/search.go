package vault

import (
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// searchIndex is an inverted index over the open vault's entries, in two
// levels, since entries share most of their text ("Body Weight", "mg/dL"):
// each distinct field text is tokenized once and lists the entries (by
// position in entries) that hold it; each term lists the texts it occurs
// in. The entries are in the order results are shown, newest first, so a
// query's hits come out sorted and a page of them costs only that page.
// The index is dropped at every change, so its pointers stay current.
type searchIndex struct {
	entries []*record.Entry
	texts   map[string]int32 // distinct field text → text number
	docs    [][]int32        // text number → entries holding it
	terms   map[string][]int32
	sorted  []string // the distinct terms, for prefix queries
}

// entryTexts calls add with each searchable text of an entry.
func entryTexts(e *record.Entry, add func(string)) {
	add(string(e.Kind))
	if !e.Date.IsZero() {
		add(e.Date.Day())
		add(e.Date.T.Format("2006"))
	}
	for _, s := range []string{e.Title, e.Status, e.Value, e.Unit, e.Category, e.Dosage, e.Reason,
		e.Severity, e.Place, e.Performer, e.Note, e.Interpretation} {
		add(s)
	}
	for _, r := range e.Reactions {
		add(r)
	}
	for _, c := range e.Codes {
		add(c.Code)
		add(c.Display)
	}
	for _, c := range e.Components {
		add(c.Title)
		add(c.Value)
		add(c.Unit)
		for _, cd := range c.Codes {
			add(cd.Code)
		}
	}
}

// textTerms lists the terms of one text: its words lower-cased as written
// (so "4548-4" and "7.2" are terms) and its words normalized (case, accents
// and punctuation folded).
func textTerms(s string, add func(string)) {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		add(strings.Trim(w, ",;:()[]\"'"))
	}
	for _, w := range strings.Fields(record.NormalizeText(s)) {
		add(w)
	}
}

// buildIndex indexes entries, sorted newest first as results are shown
// (the state's order, which it keeps and never changes).
func buildIndex(entries []*record.Entry) *searchIndex {
	ix := &searchIndex{texts: make(map[string]int32, len(entries)), terms: map[string][]int32{}}
	ix.entries = entries
	for i, e := range entries {
		doc := int32(i)
		entryTexts(e, func(s string) {
			if s == "" {
				return
			}
			tid, ok := ix.texts[s]
			if !ok {
				tid = int32(len(ix.docs))
				ix.texts[s] = tid
				ix.docs = append(ix.docs, nil)
				textTerms(s, func(term string) {
					if term == "" {
						return
					}
					p := ix.terms[term]
					if n := len(p); n > 0 && p[n-1] == tid {
						return
					}
					ix.terms[term] = append(p, tid)
				})
			}
			p := ix.docs[tid]
			if n := len(p); n > 0 && p[n-1] == doc {
				return
			}
			ix.docs[tid] = append(p, doc)
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

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

// addTerm adds the entries holding any text with term.
func (ix *searchIndex) addTerm(b bitset, term string) {
	for _, tid := range ix.terms[term] {
		for _, d := range ix.docs[tid] {
			b[d/64] |= 1 << (uint(d) % 64)
		}
	}
}

// word returns the entries matching one query word: the word itself as a
// term (codes and values such as "4548-4" or "7.2"); or, when the word is
// not found as written, every one of its normalized parts, each as a term
// or, from three letters on, as the start of a term.
func (ix *searchIndex) word(w string) bitset {
	set := newBitset(len(ix.entries))
	raw := strings.ToLower(w)
	ix.addTerm(set, raw)
	parts := strings.Fields(record.NormalizeText(w))
	if len(parts) == 0 || (len(parts) > 1 || parts[0] != raw) && len(ix.terms[raw]) > 0 {
		// A code or value found as written ("4548-4", "7.2") means that.
		return set
	}
	all := newBitset(len(ix.entries))
	for i, p := range parts {
		ps := newBitset(len(ix.entries))
		ix.addTerm(ps, p)
		if len(p) >= 3 {
			lo := sort.SearchStrings(ix.sorted, p)
			for j := lo; j < len(ix.sorted) && strings.HasPrefix(ix.sorted[j], p); j++ {
				if ix.sorted[j] != p {
					ix.addTerm(ps, ix.sorted[j])
				}
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
// Errors: [ErrClosed].
func (v *Vault) Search(profile, query string) ([]record.Entry, error) {
	es, _, err := v.SearchPage(profile, query, 0)
	return es, err
}

// SearchPage is [Vault.Search] for a screen that shows the first limit
// results (all when limit ≤ 0) and how many there are: it copies only
// those, so typing a word that matches half the vault stays quick.
func (v *Vault) SearchPage(profile, query string, limit int) ([]record.Entry, int, error) {
	ix, err := v.readIndex()
	if err != nil {
		return nil, 0, err
	}
	defer v.mu.RUnlock()
	words := strings.Fields(query)
	if len(words) == 0 {
		return nil, 0, nil
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
	total := 0
	for i, word := range set {
		if profile == "" && limit > 0 && len(sel) == limit {
			total += bits.OnesCount64(word) // the rest are only counted
			continue
		}
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << uint(b)
			e := ix.entries[i*64+b]
			if profile != "" && e.Profile != profile {
				continue
			}
			total++
			if limit <= 0 || len(sel) < limit {
				sel = append(sel, e)
			}
		}
	}
	return cloneEntries(sel), total, nil
}
