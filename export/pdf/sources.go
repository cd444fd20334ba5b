package pdf

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// selfKey is the source key of the person's own entries.
const selfKey = "P"

// sourceKeys gives each source of a person's entries a short key that rows
// print: A, B, C... in the order the files were imported (so a new import
// does not change the older ones' letters), P for the person's own entries.
type sourceKeys struct {
	byID map[string]string
	src  map[string]*export.Source
	// newest is the date of each source's newest entry.
	newest map[string]record.Date
	// list is the keyed sources in key order (P last).
	list []keyedSource
}

type keyedSource struct {
	key string
	src export.Source
	// from and to span the dates of the entries the source states.
	from, to record.Date
	entries  int
}

func newSourceKeys(in *export.Input) *sourceKeys {
	used := map[string]*keyedSource{}
	for i := range in.Entries {
		e := &in.Entries[i]
		for _, id := range e.Sources {
			ks := used[id]
			if ks == nil {
				ks = &keyedSource{}
				used[id] = ks
			}
			ks.entries++
			if !e.Date.IsZero() {
				if ks.from.IsZero() || e.Date.Before(ks.from) {
					ks.from = e.Date
				}
				if ks.to.IsZero() || ks.to.Before(e.Date) {
					ks.to = e.Date
				}
			}
		}
	}
	var files []keyedSource
	var self []keyedSource
	known := map[string]bool{}
	for _, s := range in.Sources {
		ks, ok := used[s.ID]
		if !ok || known[s.ID] {
			continue // a package (zip) or a source of no entry of this person
		}
		known[s.ID] = true
		k := *ks
		k.src = s
		if s.Format == record.SelfReported {
			self = append(self, k)
		} else {
			files = append(files, k)
		}
	}
	// Entries may name sources the Input does not list (it should not
	// happen); they get keys too, so no row goes without one.
	var unknown []string
	for id := range used {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		k := *used[id]
		k.src = export.Source{Source: record.Source{ID: id}, Name: "a source no longer listed"}
		files = append(files, k)
	}
	slices.SortStableFunc(files, func(a, b keyedSource) int {
		return cmp.Or(a.src.ImportedAt.Compare(b.src.ImportedAt), strings.Compare(a.src.File, b.src.File), strings.Compare(a.src.ID, b.src.ID))
	})
	sk := &sourceKeys{byID: map[string]string{}, src: map[string]*export.Source{}, newest: map[string]record.Date{}}
	for id, ks := range used {
		sk.newest[id] = ks.to
	}
	for i := range in.Sources {
		sk.src[in.Sources[i].ID] = &in.Sources[i]
	}
	// Keys the Input gives (the app's, so screen and paper agree) are
	// kept; the other sources get the next free letters.
	taken := map[string]bool{selfKey: true}
	for _, f := range files {
		if f.src.Key != "" {
			taken[f.src.Key] = true
		}
	}
	n := 0
	for _, f := range files {
		f.key = f.src.Key
		if f.key == "" || f.key == selfKey {
			for f.key = letterKey(&n); taken[f.key]; f.key = letterKey(&n) {
			}
			taken[f.key] = true
		}
		sk.byID[f.src.ID] = f.key
		sk.list = append(sk.list, f)
	}
	slices.SortStableFunc(sk.list, func(a, b keyedSource) int { return compareKeys(a.key, b.key) })
	for _, s := range self {
		s.key = selfKey
		sk.byID[s.src.ID] = selfKey
		if len(sk.list) > 0 && sk.list[len(sk.list)-1].key == selfKey {
			last := &sk.list[len(sk.list)-1]
			last.entries += s.entries
			continue
		}
		sk.list = append(sk.list, s)
	}
	return sk
}

// letterKey returns the next key: A…Z without P, then AA, AB, …
func letterKey(n *int) string {
	const letters = "ABCDEFGHIJKLMNOQRSTUVWXYZ" // no P: it is the person's own
	i := *n
	*n++
	if i < len(letters) {
		return letters[i : i+1]
	}
	i -= len(letters)
	return letters[(i/len(letters))%len(letters):(i/len(letters))%len(letters)+1] + letters[i%len(letters):i%len(letters)+1]
}

// of returns the keys of an entry's sources, sorted, joined by spaces
// ("A C"); a self-reported entry gets "P".
func (sk *sourceKeys) of(e *record.Entry) string {
	return sk.ofAll(e.Sources)
}

// ofAll returns the keys of the sources ids, sorted; runs of three or more
// letters that follow each other in the alphabet are written as a range
// ("A–D F").
func (sk *sourceKeys) ofAll(ids []string) string {
	var keys []string
	for _, id := range ids {
		if k, ok := sk.byID[id]; ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareKeys)
	var out []string
	for i := 0; i < len(keys); {
		j := i
		for j+1 < len(keys) && len(keys[j]) == 1 && len(keys[j+1]) == 1 && keys[j+1][0] == keys[j][0]+1 {
			j++
		}
		if j-i >= 2 {
			out = append(out, keys[i]+"–"+keys[j])
		} else {
			out = append(out, keys[i:j+1]...)
		}
		i = j + 1
	}
	return strings.Join(out, " ")
}

// expand reads keys written by ofAll back into single keys.
func (sk *sourceKeys) expand(ks string) []string {
	var out []string
	for _, f := range strings.Fields(ks) {
		if a, b, ok := strings.Cut(f, "–"); ok && len(a) == 1 && len(b) == 1 {
			for c := a[0]; c <= b[0]; c++ {
				out = append(out, string(c))
			}
			continue
		}
		out = append(out, f)
	}
	return out
}

// compareKeys orders keys A…Z, AA…, with P last.
func compareKeys(a, b string) int {
	if (a == selfKey) != (b == selfKey) {
		if a == selfKey {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// selfReported reports whether every source of e is the person's own.
func (sk *sourceKeys) selfReported(e *record.Entry) bool {
	if len(e.Sources) == 0 {
		return false
	}
	for _, id := range e.Sources {
		if sk.byID[id] != selfKey {
			return false
		}
	}
	return true
}

// name returns what the legend says of a keyed source: "Valley Clinic,
// imported 2 Mar 2025" or "self-reported".
func (ks *keyedSource) name() string {
	if ks.key == selfKey {
		return "self-reported (entered by the patient or family)"
	}
	n := ks.src.Name
	if n == "" {
		n = export.SourceName(ks.src.Source)
	}
	if n == "" {
		n = "an imported file"
	}
	if !ks.src.ImportedAt.IsZero() {
		n += ", imported " + humanDay(ks.src.ImportedAt)
	}
	return n
}

// confirmed returns the newest date any of the entry's sources speaks for:
// the document's date; for a file that states none (a FHIR export), the
// date of its newest record, since an export of records up to 2011 says
// nothing of 2024 however late it was imported; for the person's own
// entries, the day they entered them; else the entry's own date. A fact a
// document of 2024 lists was still true in 2024.
func (sk *sourceKeys) confirmed(e *record.Entry) record.Date {
	best := e.Date
	for _, id := range e.Sources {
		s := sk.src[id]
		if s == nil {
			continue
		}
		d := s.DocumentDate
		switch {
		case s.Format == record.SelfReported && !s.ImportedAt.IsZero():
			d = record.DateOf(s.ImportedAt)
		case d.IsZero():
			d = sk.newest[id]
		}
		if best.Before(d) {
			best = d
		}
	}
	return best
}

// asOf returns the newest date the entries' sources speak for (see
// confirmed), for a section's "as of" note; zero when none is known.
func (sk *sourceKeys) asOf(entries []record.Entry) record.Date {
	var best record.Date
	for i := range entries {
		if d := sk.confirmed(&entries[i]); best.Before(d) {
			best = d
		}
	}
	return best
}

// monthsBefore returns the day n months before t.
func monthsBefore(t time.Time, n int) record.Date { return record.DateOf(t.AddDate(0, -n, 0)) }
