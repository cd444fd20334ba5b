package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// Badge is a source's key on a row: a letter per provider ("A" for
// Valley Clinic), "P" for what the person entered themselves. Letters are
// given per person in the order providers were first imported, so a
// provider keeps its letter on every screen.
type Badge struct {
	Key  string
	Name string
	// SelfReported marks the person's own entries ("P").
	SelfReported bool
}

// Row is one entry as a list, the timeline or a search shows it: every
// text already worded, so a screen only places it.
type Row struct {
	ID         string
	Person     string // the person's id
	PersonName string
	Kind       record.Kind
	// KindText names the kind in words ("lab result").
	KindText string
	Date     record.Date
	// DateText is "12 Mar 2024", "2019" when that is all we know, or "date unknown".
	DateText string
	Title    string
	// Detail is the one secondary fact: a dose, a value with its unit and
	// flag, a status in words, a place.
	Detail string
	// Flag is "▲ H", "▼ L" and the like for an abnormal value, else "".
	Flag     string
	Abnormal bool
	Badges   []Badge
	// Conflict marks an entry that differs between sources ("⚠").
	Conflict     bool
	SelfReported bool
}

// sourceKeys assigns the badges of one person's sources.
type sourceKeys struct {
	bySource map[string]Badge // source id → badge
	legend   []Badge          // in key order
	names    map[string]string
}

func (s *Session) keysFor(v *vault.Vault, person string) *sourceKeys {
	k, _ := cached(s, &s.cache.keys, person, func() (*sourceKeys, error) { return s.makeKeys(v, person), nil })
	return k
}

func (s *Session) makeKeys(v *vault.Vault, person string) *sourceKeys {
	srcs := s.sourcesOf(v, person) // newest first
	k := &sourceKeys{bySource: map[string]Badge{}, names: map[string]string{}}
	byName := map[string]Badge{}
	next := 0
	for i := len(srcs) - 1; i >= 0; i-- {
		src := srcs[i]
		if src.Format == record.SelfReported {
			b := Badge{Key: "P", Name: "Entered by you", SelfReported: true}
			k.bySource[src.ID] = b
			if _, ok := byName["\x00self"]; !ok {
				byName["\x00self"] = b
			}
			continue
		}
		name := export.SourceName(src.Source)
		norm := record.NormalizeText(name)
		b, ok := byName[norm]
		if !ok {
			b = Badge{Key: letterKey(next), Name: name}
			next++
			byName[norm] = b
			k.legend = append(k.legend, b)
		}
		k.bySource[src.ID] = b
	}
	if b, ok := byName["\x00self"]; ok {
		k.legend = append(k.legend, b)
	}
	return k
}

// keyLetters are the letters of providers' keys: P is the person's own.
const keyLetters = "ABCDEFGHIJKLMNOQRSTUVWXYZ"

// letterKey is A…Z without P, then AA, AB…
func letterKey(n int) string {
	const k = len(keyLetters)
	if n < k {
		return keyLetters[n : n+1]
	}
	return letterKey(n/k-1) + keyLetters[n%k:n%k+1]
}

func (k *sourceKeys) badges(ids []string) []Badge {
	var out []Badge
	for _, id := range ids {
		b, ok := k.bySource[id]
		if !ok {
			continue
		}
		if !slices.ContainsFunc(out, func(x Badge) bool { return x.Key == b.Key }) {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b Badge) int {
		if a.SelfReported != b.SelfReported {
			if a.SelfReported {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(len(a.Key), len(b.Key)), strings.Compare(a.Key, b.Key))
	})
	return out
}

// rowOf words one entry.
func rowOf(e *record.Entry, keys *sourceKeys, personName string) Row {
	r := Row{ID: e.ID, Person: e.Profile, PersonName: personName, Kind: e.Kind, KindText: KindName(e.Kind),
		Date: e.Date, DateText: DateText(e.Date), Title: e.Title, Abnormal: e.Abnormal(),
		Flag: FlagText(e.Interpretation), Conflict: e.Conflict}
	if r.Title == "" {
		r.Title = "Untitled " + KindName(e.Kind)
	}
	if keys != nil {
		r.Badges = keys.badges(e.Sources)
	}
	r.SelfReported = len(r.Badges) > 0 && !slices.ContainsFunc(r.Badges, func(b Badge) bool { return !b.SelfReported })
	r.Detail = detailOf(e)
	return r
}

// detailOf picks the one secondary fact a row shows.
func detailOf(e *record.Entry) string {
	switch e.Kind {
	case record.KindLab, record.KindVital:
		v := ValueText(e)
		if f := FlagText(e.Interpretation); f != "" && v != "" {
			v += " " + f
		}
		if v == "" {
			v = StatusText(e)
		}
		return v
	case record.KindMedication:
		parts := []string{}
		if e.Dosage != "" {
			parts = append(parts, e.Dosage)
		}
		if st := StatusText(e); st != "" && st != "active" {
			parts = append(parts, st)
		}
		return strings.Join(parts, " · ")
	case record.KindAllergy:
		parts := []string{}
		if len(e.Reactions) > 0 {
			parts = append(parts, strings.Join(e.Reactions, ", "))
		}
		if e.Severity != "" {
			parts = append(parts, strings.ToLower(e.Severity))
		}
		return strings.Join(parts, " · ")
	case record.KindEncounter, record.KindProcedure:
		parts := []string{}
		if e.Place != "" {
			parts = append(parts, e.Place)
		} else if e.Performer != "" {
			parts = append(parts, e.Performer)
		}
		if st := StatusText(e); st != "" {
			parts = append(parts, st)
		}
		return strings.Join(parts, " · ")
	case record.KindClaim:
		if e.Value != "" {
			return strings.TrimSpace(e.Value + " " + e.Unit)
		}
	}
	if st := StatusText(e); st != "" {
		return st
	}
	if v := ValueText(e); v != "" {
		return v
	}
	return e.Place
}

// Section is one of a person's sections in the rail.
type Section string

// The sections, in the rail's order. SectionSummary and SectionTimeline
// are views over everything; the others list kinds.
const (
	SectionSummary       Section = "summary"
	SectionTimeline      Section = "timeline"
	SectionProblems      Section = "problems"
	SectionMedications   Section = "medications"
	SectionAllergies     Section = "allergies"
	SectionResults       Section = "results"
	SectionImmunizations Section = "immunizations"
	SectionVisits        Section = "visits"
	SectionDocuments     Section = "documents"
	SectionClaims        Section = "claims"
	SectionOther         Section = "other"
	SectionSources       Section = "sources"
)

// Sections lists every section in the rail's order.
var Sections = []Section{SectionSummary, SectionTimeline, SectionProblems, SectionMedications, SectionAllergies,
	SectionResults, SectionImmunizations, SectionVisits, SectionDocuments, SectionClaims, SectionOther, SectionSources}

// Title is the section's name in the rail ("Results & vitals").
func (sec Section) Title() string {
	switch sec {
	case SectionSummary:
		return "Summary"
	case SectionTimeline:
		return "Timeline"
	case SectionProblems:
		return "Problems"
	case SectionMedications:
		return "Medications"
	case SectionAllergies:
		return "Allergies"
	case SectionResults:
		return "Results & vitals"
	case SectionImmunizations:
		return "Immunizations"
	case SectionVisits:
		return "Visits & procedures"
	case SectionDocuments:
		return "Documents"
	case SectionClaims:
		return "Claims & billing"
	case SectionOther:
		return "Other"
	case SectionSources:
		return "Sources"
	}
	return string(sec)
}

// Kinds are the entry kinds a section lists (none for summary, timeline, sources).
func (sec Section) Kinds() []record.Kind {
	switch sec {
	case SectionProblems:
		return []record.Kind{record.KindCondition}
	case SectionMedications:
		return []record.Kind{record.KindMedication}
	case SectionAllergies:
		return []record.Kind{record.KindAllergy}
	case SectionResults:
		return []record.Kind{record.KindLab, record.KindVital}
	case SectionImmunizations:
		return []record.Kind{record.KindImmunization}
	case SectionVisits:
		return []record.Kind{record.KindEncounter, record.KindProcedure}
	case SectionDocuments:
		return []record.Kind{record.KindDocument}
	case SectionClaims:
		return []record.Kind{record.KindClaim}
	case SectionOther:
		return []record.Kind{record.KindOther}
	}
	return nil
}

// SectionOf returns the section that lists kind k.
func SectionOf(k record.Kind) Section {
	for _, sec := range Sections {
		if slices.Contains(sec.Kinds(), k) {
			return sec
		}
	}
	return SectionOther
}

// Empty is what an empty section says: what it means and what to do.
func (sec Section) Empty() string {
	switch sec {
	case SectionSources:
		return "No files imported yet. Import a record from your clinic's patient portal, or add an entry yourself."
	case SectionSummary, SectionTimeline:
		return "Nothing recorded yet. Records appear here when you import a file from a patient portal, or add an entry with Add entry."
	case SectionAllergies:
		return "No allergy information recorded. Allergies appear when you import a record that lists them (or says there are none), or add one with Add entry."
	}
	return fmt.Sprintf("No %s recorded. They appear when you import a record that lists them, or add one with Add entry.",
		strings.ToLower(sec.Title()))
}

// Rail is the person's section list with counts.
type Rail struct {
	Person   Person
	Sections []RailItem
}

// RailItem is one section and how many entries it holds (-1 for views
// that count nothing).
type RailItem struct {
	Section Section
	Title   string
	Count   int
}

// Rail returns the sections of a person with their counts. "Other" is
// left out when the person has no such entries.
func (s *Session) Rail(person string) (Rail, error) {
	p, err := s.Person(person)
	if err != nil {
		return Rail{}, err
	}
	es, err := s.personEntries(p.ID)
	if err != nil {
		return Rail{}, err
	}
	counts := map[record.Kind]int{}
	for i := range es {
		counts[es[i].Kind]++
	}
	v, err := s.vault()
	if err != nil {
		return Rail{}, err
	}
	rail := Rail{Person: p}
	for _, sec := range Sections {
		n := -1
		switch sec {
		case SectionSummary, SectionTimeline:
		case SectionSources:
			// The files the Sources page lists: each package once, however
			// many of its parts are the person's; not what they entered.
			files := map[string]bool{}
			for _, src := range s.sourcesOf(v, p.ID) {
				switch {
				case src.Format == record.SelfReported:
				case src.Parent == "":
					files[src.ID] = true
				default:
					files[src.Parent] = true
				}
			}
			n = len(files)
		default:
			n = 0
			for _, k := range sec.Kinds() {
				n += counts[k]
			}
			if sec == SectionOther && n == 0 {
				continue
			}
		}
		rail.Sections = append(rail.Sections, RailItem{Section: sec, Title: sec.Title(), Count: n})
	}
	return rail, nil
}

// List returns a section's rows for a person, newest first. Errors wrap
// [vault.ErrNoSuchProfile].
func (s *Session) List(person string, sec Section) ([]Row, error) {
	v, p, es, err := s.loadPerson(person)
	if err != nil {
		return nil, err
	}
	kinds := sec.Kinds()
	keys := s.keysFor(v, p.ID)
	var rows []Row
	for i := range es {
		if slices.Contains(kinds, es[i].Kind) {
			rows = append(rows, rowOf(es[i], keys, p.Name))
		}
	}
	return rows, nil
}

func (s *Session) loadPerson(person string) (*vault.Vault, Person, []*record.Entry, error) {
	p, err := s.Person(person)
	if err != nil {
		return nil, Person{}, nil, err
	}
	es, err := s.personEntries(p.ID)
	if err != nil {
		return nil, Person{}, nil, err
	}
	v, err := s.vault()
	if err != nil {
		return nil, Person{}, nil, err
	}
	return v, p, es, nil
}

// Search returns a person's entries (everyone's when person is "") that
// match every word of query, newest first, at most limit rows (all when
// limit ≤ 0), and how many matched in all. An empty query matches nothing.
func (s *Session) Search(person, query string, limit int) (rows []Row, total int, err error) {
	v, err := s.vault()
	if err != nil {
		return nil, 0, err
	}
	pid := ""
	if person != "" {
		p, err := v.Profile(person)
		if err != nil {
			return nil, 0, locked(err)
		}
		pid = p.ID
	}
	es, total, err := v.SearchPage(pid, query, limit)
	if err != nil {
		return nil, 0, locked(err)
	}
	names := map[string]string{}
	keys := map[string]*sourceKeys{}
	for i := range es {
		e := &es[i]
		if _, ok := names[e.Profile]; !ok {
			if p, err := v.Profile(e.Profile); err == nil {
				names[e.Profile] = p.Name
			}
			keys[e.Profile] = s.keysFor(v, e.Profile)
		}
		rows = append(rows, rowOf(e, keys[e.Profile], names[e.Profile]))
	}
	return rows, total, nil
}

// Legend returns a person's source keys, in key order, "P" last: what a
// legend under a list or a printout says ("A = Valley Clinic").
func (s *Session) Legend(person string) ([]Badge, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	p, err := v.Profile(person)
	if err != nil {
		return nil, locked(err)
	}
	return s.keysFor(v, p.ID).legend, nil
}
