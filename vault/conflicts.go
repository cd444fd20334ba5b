package vault

import (
	"slices"

	"github.com/kinfolio/kinfolio/record"
)

// Conflict is a disagreement between two entries of one person about the
// same fact (the same [record.MergeKey]) that come from different
// documents, with what a screen or a printout needs to show them side by
// side: both entries, the fields that differ with each value, and the files
// each side comes from. Both entries are kept; the user judges.
type Conflict struct {
	// Entry is the entry asked about, Other the entry that disagrees with
	// it. Both are copies.
	Entry, Other record.Entry
	// Differences are the fields that differ; in each, A is Entry's value
	// and B is Other's.
	Differences []record.Difference
	// EntrySources and OtherSources are the sources that state each side,
	// in the order of the entries' Sources.
	EntrySources, OtherSources []SourceInfo
}

// Conflicts returns the entries that disagree with the entry id (see
// [record.InConflict]), newest first, each with the fields that differ and
// the sources of both sides. It returns none for an entry that is not in
// conflict: when the other side of a conflict is removed (its source
// removed), the conflict is gone too. id may be a unique prefix of the id
// (at least 6 characters). Errors: [ErrNoSuchEntry], [ErrClosed].
func (v *Vault) Conflicts(id string) ([]Conflict, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	st := v.st
	e, err := st.findEntry(id)
	if err != nil {
		return nil, err
	}
	key, ok := st.mergeKey[e.ID]
	if !ok {
		return nil, nil
	}
	var others []*record.Entry
	for _, oid := range st.groups[e.Profile][key] {
		if o := st.entries[oid]; o != nil && record.InConflict(e, o) {
			others = append(others, o)
		}
	}
	slices.SortFunc(others, newestFirst)
	counts := map[string]int{}
	if len(others) > 0 {
		counts = st.entryCounts()
	}
	sources := func(x *record.Entry) []SourceInfo {
		var out []SourceInfo
		for _, s := range x.Sources {
			if src := st.sources[s]; src != nil {
				out = append(out, st.sourceInfo(src, counts))
			}
		}
		return out
	}
	var out []Conflict
	for _, o := range others {
		out = append(out, Conflict{Entry: *cloneEntry(e), Other: *cloneEntry(o),
			Differences: record.Differences(e, o), EntrySources: sources(e), OtherSources: sources(o)})
	}
	return out, nil
}
