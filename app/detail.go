package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// EntryDetail is everything the detail pane shows of one entry, in the
// order a person asks: the facts first, then where it was seen, then codes.
type EntryDetail struct {
	Row
	// Facts are labelled values, what a person asks first: for a result its
	// value, range and flag; for a medication its dose, how taken, since,
	// prescriber. Only facts the records state.
	Facts []Fact
	// Note is free text attached to the entry.
	Note string
	// Seen are the sources that state the entry, each with its own wording
	// and date; SeenText says "Seen in 3 sources" (or "From Valley Clinic").
	Seen     []Statement
	SeenText string
	// Codes are the entry's codes with their systems' names, for a
	// "Details" expander.
	Codes []Code
	// Narrative is a document's text (never HTML).
	Narrative string
	// Differs lists the entries from other sources that say something
	// different about the same fact; Differences[i] are the fields on which
	// Differs[i] disagrees with this entry. DiffersText says so in words.
	Differs     []Row
	Differences [][]Difference
	DiffersText string
	// TrendKey opens the chart of this test or vital sign ("" when none).
	TrendKey string
	// Editable is true for entries the person entered themselves; imported
	// entries are read-only and ReadOnlyText says so.
	Editable     bool
	ReadOnlyText string
}

// Difference is one field on which two sources disagree.
type Difference struct {
	// Field names it in words ("severity", "status").
	Field string
	// This is this entry's value; Other the other entry's.
	This, Other string
}

// Fact is one labelled value of a detail.
type Fact struct {
	Label string
	Value string
}

// Statement is one source's own wording of an entry.
type Statement struct {
	Badge  Badge
	Source string // the provider's name, or "Entered by you"
	// File is the imported file's name and Imported when ("3 Mar 2025").
	File     string
	Imported string
	// Title, Value and Date are as this source states them.
	Title string
	Value string
	Date  string
	// SourceID and Resource locate the stored resource (the first, when
	// the file states it more than once).
	SourceID string
	Resource record.ResourceRef
	// Times is how many times this file states the entry in these words
	// (2 when a document lists a problem in two of its sections).
	Times int
}

// Code is one code of an entry.
type Code struct {
	System     string // as written ("http://snomed.info/sct")
	SystemName string // as people say it ("SNOMED CT")
	Code       string
	Display    string
}

// Detail returns one entry's detail. id may be a unique prefix of at least
// six characters. Errors wrap [vault.ErrNoSuchEntry] or [vault.ErrDamaged].
func (s *Session) Detail(id string) (*EntryDetail, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	e, resources, err := v.Entry(id)
	if err != nil {
		return nil, locked(err)
	}
	p, err := v.Profile(e.Profile)
	if err != nil {
		return nil, locked(err)
	}
	keys := s.keysFor(v, p.ID)
	d := &EntryDetail{Row: rowOf(&e, keys, p.Name), Facts: factsOf(&e), Note: strings.TrimSpace(e.Note)}
	for _, c := range e.Codes {
		if c.Code == "" && c.Display == "" {
			continue
		}
		d.Codes = append(d.Codes, Code{System: c.System, SystemName: SystemName(c.System), Code: c.Code, Display: c.Display})
	}

	for i, ref := range e.Resources {
		st := Statement{SourceID: ref.Source, Resource: ref, Title: e.Title, Value: ValueText(&e), Date: DateText(e.Date)}
		if b, ok := keys.bySource[ref.Source]; ok {
			st.Badge, st.Source = b, b.Name
		}
		if src, err := v.Source(ref.Source); err == nil {
			st.File = src.File
			st.Imported = record.DateOf(src.ImportedAt).Human()
			if st.Source == "" {
				st.Source = src.File
			}
		}
		if i < len(resources) {
			if own, ok, err := record.Project(resources[i], nil); err == nil && ok {
				st.Title, st.Value, st.Date = own.Title, ValueText(&own), DateText(own.Date)
			}
			if e.Kind == record.KindDocument && d.Narrative == "" {
				if resources[i].Type == "Composition" {
					d.Narrative = documentText(resources[i].JSON, s.entryTextOf(v, p.ID, ref.Source), nil)
				}
				if d.Narrative == "" {
					d.Narrative = NarrativeText(resources[i].JSON)
				}
			}
		}
		st.Times = 1
		if j := slices.IndexFunc(d.Seen, func(o Statement) bool {
			return o.SourceID == st.SourceID && o.Title == st.Title && o.Value == st.Value && o.Date == st.Date
		}); j >= 0 {
			d.Seen[j].Times++
			continue
		}
		d.Seen = append(d.Seen, st)
	}
	sources := map[string]bool{}
	providers := map[string]bool{}
	for _, st := range d.Seen {
		sources[st.SourceID] = true
		providers[st.Source] = true
	}
	switch {
	case len(sources) > 1 && len(providers) > 1:
		d.SeenText = fmt.Sprintf("Seen in %d sources", len(sources))
	case len(sources) > 1:
		d.SeenText = fmt.Sprintf("Seen in %d files from %s", len(sources), d.Seen[0].Source)
	case len(d.Seen) > 0 && d.Seen[0].Badge.SelfReported:
		d.SeenText = "Entered by you"
	case len(d.Seen) > 0:
		d.SeenText = "From " + d.Seen[0].Source
	}

	conflicts, err := v.Conflicts(e.ID)
	if err != nil {
		return nil, locked(err)
	}
	for _, c := range conflicts {
		other := rowOf(&c.Other, keys, p.Name)
		d.Differs = append(d.Differs, other)
		var fields []Difference
		for _, df := range c.Differences {
			fields = append(fields, Difference{Field: df.Field, This: df.A, Other: df.B})
		}
		d.Differences = append(d.Differences, fields)
	}
	if len(d.Differs) > 0 {
		d.DiffersText = "Differs between sources: " + Plural(len(d.Differs), "other entry says", "other entries say") +
			" something different about this. Both are kept; ask your care team which is right."
	}
	if e.Kind == record.KindLab || e.Kind == record.KindVital {
		sum := record.Summarize([]record.Entry{e}, s.now())
		for _, sr := range slices.Concat(sum.Labs, sum.Vitals) {
			d.TrendKey = SeriesKey(&sr)
		}
	}
	d.Editable = d.SelfReported
	if !d.Editable {
		d.ReadOnlyText = "Imported from a file, so it cannot be changed here. Entries you add yourself can be edited."
	}
	return d, nil
}

// factsOf lists what a person asks first about an entry, by kind.
func factsOf(e *record.Entry) []Fact {
	var fs []Fact
	add := func(label, value string) {
		if value = strings.TrimSpace(value); value != "" {
			fs = append(fs, Fact{label, value})
		}
	}
	date := func(label string, d record.Date) {
		if !d.IsZero() {
			add(label, d.Human())
		}
	}
	switch e.Kind {
	case record.KindLab, record.KindVital:
		v := ValueText(e)
		if f := FlagText(e.Interpretation); f != "" {
			v += "  " + f + " (" + record.InterpretationText(e.Interpretation) + ")"
		}
		add("Result", v)
		if exact := RoundedFrom(e); exact != "" {
			add("As recorded", exact)
		}
		for _, c := range e.Components {
			add(c.Title, withUnit(strings.TrimSpace(c.Value), c.Unit))
		}
		if r := e.Range.String(); r != "" {
			add("Normal range", strings.TrimSpace(r+" "+unitIfNumeric(e)))
		}
		date("Date", e.Date)
		add("Status", StatusText(e))
		add("Lab", e.Place)
		add("Ordered by", e.Performer)
	case record.KindMedication:
		add("Dose and how taken", e.Dosage)
		add("For", strings.TrimPrefix(e.Reason, "For: "))
		date("Since", e.Date)
		date("Until", e.End)
		add("Status", StatusText(e))
		add("Prescriber", e.Performer)
		add("Pharmacy", e.Place)
	case record.KindAllergy:
		add("Reaction", strings.Join(e.Reactions, ", "))
		add("Severity", e.Severity)
		add("Status", StatusText(e))
		date("Since", e.Date)
		add("Recorded by", e.Performer)
	case record.KindCondition:
		date("Since", e.Date)
		date("Resolved", e.End)
		add("Status", StatusText(e))
		add("Severity", e.Severity)
		add("Recorded by", e.Performer)
	case record.KindEncounter:
		date("Date", e.Date)
		date("Until", e.End)
		add("Where", e.Place)
		add("Seen by", e.Performer)
		add("Reason", strings.TrimPrefix(e.Reason, "For: "))
		add("Status", StatusText(e))
	case record.KindClaim:
		date("Date", e.Date)
		add("Amount", strings.TrimSpace(e.Value+" "+e.Unit))
		add("Provider", e.Place)
		add("Status", StatusText(e))
	default:
		add("Value", ValueText(e))
		date("Date", e.Date)
		date("Until", e.End)
		add("Where", e.Place)
		add("By", e.Performer)
		add("Reason", strings.TrimPrefix(e.Reason, "For: "))
		add("Status", StatusText(e))
	}
	return fs
}

func unitIfNumeric(e *record.Entry) string {
	if e.Range != nil && (e.Range.Low != nil || e.Range.High != nil) {
		return record.UnitText(e.Unit)
	}
	return ""
}
