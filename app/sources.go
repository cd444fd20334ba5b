package app

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// SourceRow is one imported file as the Sources screen lists it.
type SourceRow struct {
	ID string
	// Name is the provider ("Valley Clinic"), Badge its key on rows.
	Name  string
	Badge Badge
	// File is the file's name as imported; FormatText what it was read as
	// in words ("C-CDA document", "FHIR R4 bundle").
	File       string
	Format     record.Format
	FormatText string
	Title      string
	// Imported is when it was imported ("3 Mar 2025", "2 days ago").
	Imported    string
	ImportedAgo string
	// DocumentDate is the date the document was written, when it says.
	DocumentDate string
	// Entries is how many entries it states; People whose records it held.
	Entries int
	People  []string
	// Parts are the documents inside a package (a zip, a folder).
	Parts []SourceRow
	// HasText says [Session.SourceText] can show the document's text.
	HasOriginal bool
}

// Sources lists the files a person's records came from (everyone's when
// person is ""), most recently imported first, each package with its parts.
// The person's own entries are left out (they are not a file).
func (s *Session) Sources(person string) ([]SourceRow, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	pid := ""
	if person != "" {
		p, err := v.Profile(person)
		if err != nil {
			return nil, locked(err)
		}
		pid = p.ID
	}
	all := slices.Clone(s.sourcesOf(v, pid))
	if pid != "" {
		// A package (a zip, a folder) names no one itself: list it with the
		// person's parts it holds, not the parts alone.
		have := map[string]bool{}
		for _, src := range all {
			have[src.ID] = true
		}
		for _, src := range s.sourcesOf(v, "") {
			if have[src.ID] || src.Parent != "" {
				continue
			}
			if slices.ContainsFunc(all, func(c vault.SourceInfo) bool { return c.Parent == src.ID }) {
				all = append(all, src)
				have[src.ID] = true
			}
		}
		slices.SortStableFunc(all, func(a, b vault.SourceInfo) int {
			return cmp.Or(b.ImportedAt.Compare(a.ImportedAt), strings.Compare(a.File, b.File), strings.Compare(a.ID, b.ID))
		})
	}
	names := profileNames(v)
	keys := map[string]*sourceKeys{}
	keysOf := func(src vault.SourceInfo) *sourceKeys {
		id := pid
		if id == "" && len(src.Profiles) > 0 {
			id = src.Profiles[0]
		}
		if keys[id] == nil {
			keys[id] = s.keysFor(v, id)
		}
		return keys[id]
	}
	now := s.now()
	byID := map[string]*SourceRow{}
	var order []string
	var children []vault.SourceInfo
	for _, src := range all {
		if src.Format == record.SelfReported {
			continue
		}
		r := &SourceRow{ID: src.ID, Badge: keysOf(src).bySource[src.ID], File: src.File, Format: src.Format,
			FormatText: src.Format.Text(), Title: src.Title, Imported: record.DateOf(src.ImportedAt).Human(),
			ImportedAgo: Ago(src.ImportedAt, now), Entries: src.Entries, HasOriginal: src.HasOriginal}
		r.Name = r.Badge.Name
		if r.Name == "" {
			r.Name = src.File
		}
		if !src.DocumentDate.IsZero() {
			r.DocumentDate = src.DocumentDate.Human()
		}
		for _, id := range src.Profiles {
			r.People = append(r.People, names[id])
		}
		byID[src.ID] = r
		if src.Parent != "" {
			children = append(children, src)
			continue
		}
		order = append(order, src.ID)
	}
	for i := len(children) - 1; i >= 0; i-- {
		c := children[i]
		if parent, ok := byID[c.Parent]; ok {
			parent.Parts = append(parent.Parts, *byID[c.ID])
		} else { // the package is another person's: show the part alone
			order = append(order, c.ID)
		}
	}
	var out []SourceRow
	for _, id := range order {
		r := byID[id]
		for _, part := range r.Parts {
			r.Entries += part.Entries
		}
		out = append(out, *r)
	}
	return out, nil
}

// SourceRemoval says what removing a source would do, for the confirmation.
type SourceRemoval struct {
	Source SourceRow
	// Entries go with it (only it states them); Kept stay, because another
	// source also states them.
	Entries, Kept int
	Question      string
}

// PlanSourceRemoval says what [Session.RemoveSource] would remove.
// Errors wrap [vault.ErrNoSuchSource].
func (s *Session) PlanSourceRemoval(id string) (SourceRemoval, error) {
	v, err := s.vault()
	if err != nil {
		return SourceRemoval{}, err
	}
	src, err := v.Source(id)
	if err != nil {
		return SourceRemoval{}, locked(err)
	}
	ids := map[string]bool{src.ID: true}
	for _, o := range s.sourcesOf(v, "") {
		if o.Parent == src.ID {
			ids[o.ID] = true
		}
	}
	es, err := v.Entries(vault.Query{})
	if err != nil {
		return SourceRemoval{}, locked(err)
	}
	var r SourceRemoval
	for i := range es {
		mine, others := 0, 0
		for _, sid := range es[i].Sources {
			if ids[sid] {
				mine++
			} else {
				others++
			}
		}
		switch {
		case mine > 0 && others == 0:
			r.Entries++
		case mine > 0:
			r.Kept++
		}
	}
	rows, err := s.Sources("")
	if err != nil {
		return SourceRemoval{}, err
	}
	for _, row := range rows {
		if row.ID == src.ID {
			r.Source = row
		}
		for _, part := range row.Parts {
			if part.ID == src.ID {
				r.Source = part
			}
		}
	}
	name := src.File
	q := fmt.Sprintf("Remove %s and the %s only it gave?", name, Plural(r.Entries, "entry", "entries"))
	if r.Kept > 0 {
		q += fmt.Sprintf(" %s that other files also state will stay.", Plural(r.Kept, "entry", "entries"))
	}
	r.Question = q + " You can import the file again later."
	return r, nil
}

// RemoveSource removes an imported file with what only it stated. Errors
// wrap [vault.ErrNoSuchSource].
func (s *Session) RemoveSource(id string) (*vault.RemovedReport, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	rep, err := v.RemoveSource(id)
	if err != nil {
		return nil, locked(err)
	}
	s.changed(ChangeRecords)
	return rep, nil
}

// SourceText returns the readable text of an imported document: a C-CDA's
// or a FHIR document's narrative, section by section, as plain text (never
// HTML, nothing fetched). Errors wrap [vault.ErrNoSuchSource] or
// [vault.ErrNoOriginal]; a source with no narrative gives "".
func (s *Session) SourceText(id string) (string, error) {
	v, err := s.vault()
	if err != nil {
		return "", err
	}
	src, err := v.Source(id)
	if err != nil {
		return "", locked(err)
	}
	type piece struct{ ref, title, text string }
	var compositions [][]byte
	var pieces []piece
	texts := map[string]string{}
	rs, err := v.SourceResources(src.ID)
	if err != nil {
		return "", locked(err)
	}
	for _, r := range rs {
		switch r.Type {
		case "Composition":
			compositions = append(compositions, r.JSON)
		case "DocumentReference":
			if t := NarrativeText(r.JSON); t != "" {
				var head struct {
					Description string `json:"description"`
				}
				json.Unmarshal(r.JSON, &head)
				key := r.Type + "/" + r.ID
				texts[key] = t
				pieces = append(pieces, piece{key, head.Description, t})
			}
		}
	}
	// The document in its own order; then, by title, the texts no section lists.
	used := map[string]bool{}
	var text []string
	for _, c := range compositions {
		t := documentText(c, func(ref string) string { return texts[ref] }, used)
		if t == "" {
			t = NarrativeText(c)
		}
		if t != "" {
			text = append(text, t)
		}
	}
	slices.SortStableFunc(pieces, func(a, b piece) int {
		return cmp.Or(strings.Compare(a.title, b.title), strings.Compare(a.text, b.text))
	})
	for _, p := range pieces {
		if !used[p.ref] {
			text = append(text, p.text)
		}
	}
	return strings.Join(text, "\n\n"), nil
}

// OpenOriginal streams a source's original file, byte for byte as it was
// imported (for "Save a copy…"). Errors wrap [vault.ErrNoSuchSource] or
// [vault.ErrNoOriginal].
func (s *Session) OpenOriginal(id string) (io.ReadCloser, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	rc, err := v.OpenOriginal(id)
	return rc, locked(err)
}
