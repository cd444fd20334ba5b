package record

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Summary is what a visit summary and the dashboard show of one person,
// selected from all their entries by [Summarize].
type Summary struct {
	// From and To span the dates of the person's entries (records dated From–To).
	From, To Date
	// Problems are active conditions, newest onset first, one per problem.
	Problems []Entry
	// PastProblems are resolved or inactive conditions, newest first.
	PastProblems []Entry
	// Medications are current medications, one per drug, newest first.
	// Orders and statements of one drug are one row; pharmacy fills are not
	// listed here.
	Medications []Entry
	// Allergies says whether allergies are recorded, known to be none, or unknown.
	Allergies AllergyList
	// Immunizations holds the latest dose of each vaccine, newest first.
	Immunizations []Entry
	// Vitals are vital-sign series (blood pressure, weight, ...) in a fixed clinical order.
	Vitals []Series
	// Labs are lab results grouped by test and unit, abnormal latest values
	// first, then by how recent the latest result is.
	Labs []Series
	// Encounters are the most recent visits, newest first (at most [RecentVisits]).
	Encounters []Entry
	// Procedures are procedures, newest first.
	Procedures []Entry
	// Devices are implanted or used devices.
	Devices []Entry
	// Conflicts are entries flagged as disagreeing with another source.
	Conflicts []Entry
	// NoneKnown records, per kind, that a source states there is none
	// ("No known medications", "No current problems"), with the date of the
	// latest such statement. Such statements are not listed as entries.
	// Allergies have their own [AllergyList.State].
	NoneKnown map[Kind]Date
}

// RecentVisits caps [Summary.Encounters].
const RecentVisits = 10

// AllergyState keeps apart the three situations a printout must never confuse.
type AllergyState int

// The allergy states.
const (
	// NoAllergyInformation: nothing about allergies is recorded.
	NoAllergyInformation AllergyState = iota
	// NoKnownAllergies: a source states the person has no known allergies.
	NoKnownAllergies
	// AllergiesRecorded: there is a list of allergies.
	AllergiesRecorded
)

// AllergyList is the allergy section of a summary.
type AllergyList struct {
	State AllergyState
	// Entries are the allergies, most critical first (AllergiesRecorded).
	Entries []Entry
	// ConfirmedOn is the date of the "no known allergies" statement, if dated.
	ConfirmedOn Date
}

// Series is one test's or vital sign's results over time, in one unit.
type Series struct {
	Title string
	// Code is the test's code (LOINC where known).
	Code Coding
	Unit string
	// Points are the results, oldest first. They point into the entries
	// the summary was made from: read them, never change them.
	Points []*Entry
}

// Latest returns the newest result of the series.
func (s *Series) Latest() *Entry { return s.Points[len(s.Points)-1] }

// noKnownAllergyCodes are SNOMED CT and IPS codes that state an absence of allergies.
var noKnownAllergyCodes = map[string]bool{
	"716186003": true, "409137002": true, "428607008": true, "429625007": true,
	"1003774007": true, "1003776009": true, "no-known-allergies": true, "no-allergy-info": false,
}

// isNoKnownAllergy reports whether an allergy entry states "no known allergies".
func isNoKnownAllergy(e *Entry) bool {
	for _, c := range e.Codes {
		if known, ok := noKnownAllergyCodes[c.Code]; ok {
			return known
		}
	}
	t := NormalizeText(e.Title)
	return strings.HasPrefix(t, "no known") && strings.Contains(t, "allerg") || t == "nka" || t == "nkda"
}

// noneKnownCodes are SNOMED CT and IPS codes stating that a person has no
// problems, medications, procedures or immunizations.
var noneKnownCodes = map[string]bool{
	"160245001": true, "787481004": true, "no-known-problems": true, "no-known-medications": true,
	"no-known-procedures": true, "no-known-immunizations": true, "no-known-devices": true,
}

// isNoneKnown reports whether an entry states the absence of its kind.
func isNoneKnown(e *Entry) bool {
	for _, c := range e.Codes {
		if noneKnownCodes[c.Code] {
			return true
		}
	}
	t := NormalizeText(e.Title)
	return strings.HasPrefix(t, "no known ") || strings.HasPrefix(t, "no current ")
}

// isNoInformation reports an entry that states the absence of information
// (IPS "no-allergy-info", "no-problem-info", "no-medication-info", ...).
func isNoInformation(e *Entry) bool {
	for _, c := range e.Codes {
		if SameSystem(c.System, SystemAbsentIPS) {
			return true
		}
		switch c.Code {
		case "no-allergy-info", "no-problem-info", "no-medication-info", "no-immunization-info", "no-known-problems", "no-known-medications", "no-procedure-info":
			return true
		}
	}
	return false
}

func removedStatus(s string) bool {
	if s == "" {
		return false
	}
	for _, gone := range [...]string{"entered-in-error", "refuted", "cancelled", "not-done", "rejected"} {
		if strings.EqualFold(s, gone) {
			return true
		}
	}
	return false
}

// Summarize selects a person's summary from their entries as of now. The
// series' points point into entries.
func Summarize(entries []Entry, now time.Time) Summary {
	return SummarizeRefs(Refs(entries), now)
}

// Refs returns pointers to each of entries, in order.
func Refs(entries []Entry) []*Entry {
	out := make([]*Entry, len(entries))
	for i := range entries {
		out[i] = &entries[i]
	}
	return out
}

// SummarizeRefs is [Summarize] over entries shared with their owner (a
// vault's, read only): nothing is copied but the few entries the summary's
// lists hold, so a person with 50,000 entries is summarized without
// copying them. Newest-first input (as a vault gives it) is the fast case.
func SummarizeRefs(entries []*Entry, now time.Time) Summary {
	var s Summary
	var nka []Entry
	probs := map[string]int{}
	meds := map[string]int{}
	imms := map[string]int{}
	series := map[string]*Series{}
	points := map[string][]int{} // series key → indices into entries
	var seriesOrder []string
	keys := seriesKeys{}
	for i, e := range entries {
		if !e.Date.IsZero() {
			if s.From.IsZero() || e.Date.Before(s.From) {
				s.From = e.Date
			}
			if s.To.IsZero() || s.To.Before(e.Date) {
				s.To = e.Date
			}
		}
		if e.Conflict {
			s.Conflicts = append(s.Conflicts, *e)
		}
		if removedStatus(e.Status) {
			continue
		}
		if e.Kind != KindAllergy && e.Kind != KindLab && e.Kind != KindVital && isNoneKnown(e) {
			if s.NoneKnown == nil {
				s.NoneKnown = map[Kind]Date{}
			}
			if d, ok := s.NoneKnown[e.Kind]; !ok || d.Before(e.Date) {
				s.NoneKnown[e.Kind] = e.Date
			}
			continue
		}
		switch e.Kind {
		case KindCondition:
			if isNoInformation(e) {
				continue
			}
			if conditionActive(e, now) {
				keepNewest(&s.Problems, probs, conceptKey(e), *e)
			} else {
				s.PastProblems = append(s.PastProblems, *e)
			}
		case KindMedication:
			if e.Category == "fill" || isNoInformation(e) || !medicationActive(e, now) {
				continue
			}
			keepNewest(&s.Medications, meds, conceptKey(e), *e)
		case KindAllergy:
			// "No known allergies" first: IPS writes it in the same code
			// system as "no information".
			if isNoKnownAllergy(e) {
				nka = append(nka, *e)
				continue
			}
			if isNoInformation(e) {
				continue
			}
			switch strings.ToLower(e.Status) {
			case "resolved", "inactive":
				continue
			}
			s.Allergies.Entries = append(s.Allergies.Entries, *e)
		case KindImmunization:
			if isNoInformation(e) {
				continue
			}
			keepNewest(&s.Immunizations, imms, conceptKey(e), *e)
		case KindLab, KindVital:
			if _, isNum := e.Numeric(); strings.TrimSpace(e.Value) == "" || e.Category == "report" || (!isNum && e.Kind == KindVital && !strings.Contains(e.Value, "/")) {
				continue
			}
			key := keys.of(e)
			sr, ok := series[key]
			if !ok {
				sr = &Series{Title: e.Title, Unit: e.Unit}
				if len(e.Codes) > 0 {
					sr.Code = e.Codes[0]
					if l := e.Code(SystemLOINC); l != "" {
						sr.Code = Coding{System: SystemLOINC, Code: l}
					}
				}
				series[key] = sr
				seriesOrder = append(seriesOrder, key)
			}
			points[key] = append(points[key], i)
		case KindEncounter:
			s.Encounters = append(s.Encounters, *e)
		case KindProcedure:
			s.Procedures = append(s.Procedures, *e)
		case KindOther:
			if e.Category == "device" {
				s.Devices = append(s.Devices, *e)
			}
		}
	}

	switch {
	case len(s.Allergies.Entries) > 0:
		s.Allergies.State = AllergiesRecorded
		slices.SortStableFunc(s.Allergies.Entries, func(a, b Entry) int {
			return cmp.Or(cmp.Compare(criticalityRank(b.Severity), criticalityRank(a.Severity)), strings.Compare(a.Title, b.Title))
		})
	case len(nka) > 0:
		s.Allergies.State = NoKnownAllergies
		for _, e := range nka {
			if s.Allergies.ConfirmedOn.Before(e.Date) {
				s.Allergies.ConfirmedOn = e.Date
			}
		}
	}

	newestFirst := func(list []Entry) {
		slices.SortStableFunc(list, func(a, b Entry) int { return compareDates(b.Date, a.Date) })
	}
	newestFirst(s.Problems)
	newestFirst(s.PastProblems)
	newestFirst(s.Medications)
	newestFirst(s.Immunizations)
	newestFirst(s.Encounters)
	newestFirst(s.Procedures)
	newestFirst(s.Devices)
	if len(s.Encounters) > RecentVisits {
		s.Encounters = s.Encounters[:RecentVisits]
	}

	for _, key := range seriesOrder {
		sr := series[key]
		// Sort indices, not entries: a long series is thousands of results.
		sr.Points = oldestFirst(entries, points[key])
		sr.Title = sr.Latest().Title
		if sr.Points[0].Kind == KindVital {
			s.Vitals = append(s.Vitals, *sr)
		} else {
			s.Labs = append(s.Labs, *sr)
		}
	}
	slices.SortStableFunc(s.Vitals, func(a, b Series) int {
		return cmp.Or(cmp.Compare(vitalRank(a.Code.Code), vitalRank(b.Code.Code)), strings.Compare(a.Title, b.Title),
			strings.Compare(a.Unit, b.Unit))
	})
	slices.SortStableFunc(s.Labs, func(a, b Series) int {
		aa, ba := a.Latest().Abnormal(), b.Latest().Abnormal()
		if aa != ba {
			if aa {
				return -1
			}
			return 1
		}
		return cmp.Or(compareDates(b.Latest().Date, a.Latest().Date), strings.Compare(a.Title, b.Title),
			strings.Compare(a.Unit, b.Unit))
	})
	return s
}

// keepNewest keeps one entry per concept in list, the newest.
func keepNewest(list *[]Entry, index map[string]int, key string, e Entry) {
	if i, ok := index[key]; ok {
		if (*list)[i].Date.Before(e.Date) {
			(*list)[i] = e
		}
		return
	}
	index[key] = len(*list)
	*list = append(*list, e)
}

func compareDates(a, b Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

func conditionActive(e *Entry, now time.Time) bool {
	switch strings.ToLower(e.Status) {
	case "active", "recurrence", "relapse":
		return true
	case "":
		return e.End.IsZero() || e.End.T.After(now)
	}
	return false
}

func medicationActive(e *Entry, now time.Time) bool {
	switch strings.ToLower(e.Status) {
	case "active", "intended", "on-hold", "draft":
	case "", "unknown":
	default:
		return false
	}
	return e.End.IsZero() || e.End.T.After(now)
}

func criticalityRank(s string) int {
	switch strings.ToLower(s) {
	case "high", "severe", "fatal":
		return 3
	case "moderate":
		return 2
	case "low", "mild":
		return 1
	}
	return 0
}

// vitalOrder is the order clinicians read vital signs in.
var vitalOrder = []string{
	"85354-9", "8480-6", "8462-4", "8867-4", "40443-4", "9279-1", "8310-5", "59408-5", "2708-6",
	"29463-7", "3141-9", "8302-2", "39156-5", "9843-4", "8287-5", "72514-3",
}

func vitalRank(loinc string) int {
	if i := slices.Index(vitalOrder, loinc); i >= 0 {
		return i
	}
	return len(vitalOrder)
}

// seriesKeys names the series an entry belongs to (its kind, concept and
// unit), remembering the name per spelling of code, title and unit: a
// long series is thousands of entries that spell them alike.
type seriesKeys map[seriesSpelling]string

// seriesSpelling is what a series name is made from, as written, for an
// entry of at most two codes.
type seriesSpelling struct {
	kind                     Kind
	title, unit              string
	codes                    int
	sys0, code0, sys1, code1 string
}

func (k seriesKeys) of(e *Entry) string {
	name := func() string { return string(e.Kind) + "|" + conceptKey(e) + "|" + UnitKey(e.Unit) }
	if len(e.Codes) > 2 {
		return name()
	}
	sp := seriesSpelling{kind: e.Kind, title: e.Title, unit: e.Unit, codes: len(e.Codes)}
	if len(e.Codes) > 0 {
		sp.sys0, sp.code0 = e.Codes[0].System, e.Codes[0].Code
	}
	if len(e.Codes) > 1 {
		sp.sys1, sp.code1 = e.Codes[1].System, e.Codes[1].Code
	}
	if n, ok := k[sp]; ok {
		return n
	}
	n := name()
	k[sp] = n
	return n
}

// oldestFirst returns the entries at idx (indices into entries, in input
// order) sorted oldest first, entries of one date in input order. Input
// that is newest first already is reversed date by date, without a sort.
func oldestFirst(entries []*Entry, idx []int) []*Entry {
	out := make([]*Entry, 0, len(idx))
	// One pass: is it newest first, and where does each date's run start?
	runs := make([]int, 1, 16)
	for j := 1; j < len(idx); j++ {
		c := compareDates(entries[idx[j-1]].Date, entries[idx[j]].Date)
		if c < 0 {
			slices.SortStableFunc(idx, func(a, b int) int { return compareDates(entries[a].Date, entries[b].Date) })
			for _, i := range idx {
				out = append(out, entries[i])
			}
			return out
		}
		if c > 0 {
			runs = append(runs, j)
		}
	}
	end := len(idx)
	for r := len(runs) - 1; r >= 0; r-- {
		for _, i := range idx[runs[r]:end] {
			out = append(out, entries[i])
		}
		end = runs[r]
	}
	return out
}
