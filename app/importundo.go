package app

import (
	"errors"
	"slices"

	"github.com/kinfolio/kinfolio/vault"
)

// UndoImport takes back what the imports of results stored: the run of a
// cancelled import, whose files finished before the cancel were kept
// (each file is its own transaction). It removes each source they stored
// (for a package imported before, only the documents added now) with what
// only it stated, then each person they added who is left with no
// entries. The vault is then as it was before the run, save for the audit
// log, which tells both. Files imported before the run are never touched.
func (s *Session) UndoImport(results []FileResult) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	changed := false
	defer func() {
		if changed {
			s.changed(ChangeRecords)
		}
	}()
	var errs []error
	remove := func(id string) {
		if _, err := v.RemoveSource(id); err != nil && !errors.Is(err, vault.ErrNoSuchSource) {
			errs = append(errs, locked(err))
			return
		}
		changed = true
	}
	for i := len(results) - 1; i >= 0; i-- {
		r := &results[i]
		if r.Source == "" || r.Report == nil {
			continue
		}
		before := slices.ContainsFunc(r.Report.Parts, func(p FileReport) bool { return p.AlreadyImported })
		if !before {
			remove(r.Source)
			continue
		}
		// A package some of whose documents were imported before: only
		// the documents this run added go.
		srcs, err := v.Sources("")
		if err != nil {
			errs = append(errs, locked(err))
			continue
		}
		for _, src := range srcs {
			if src.Parent != r.Source {
				continue
			}
			if slices.ContainsFunc(r.Report.Parts, func(p FileReport) bool { return p.File == src.File && !p.AlreadyImported }) {
				remove(src.ID)
			}
		}
	}
	for _, r := range results {
		// By id: a new person may share a name with someone already here.
		for _, id := range r.NewPeopleIDs {
			if n, err := v.EntryCount(id); err != nil || n > 0 {
				continue
			}
			if err := v.RemoveProfile(id); err != nil && !errors.Is(err, vault.ErrNoSuchProfile) {
				errs = append(errs, locked(err))
				continue
			}
			changed = true
		}
	}
	return errors.Join(errs...)
}
