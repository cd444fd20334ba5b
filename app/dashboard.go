package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// Dashboard is a person's summary screen: the cards SCREENS.md lists, in
// their order, each already worded.
type Dashboard struct {
	Person Person
	// Allergies is pinned first and keeps the three states apart.
	Allergies AllergyCard
	// Medications are the active ones, merged across sources; a row with
	// Conflict set is shown with "⚠ sources differ".
	Medications []Row
	// MedicationsNote says "No known medications (Valley Clinic, 3 Mar
	// 2024)" when a source states there are none and none are listed.
	MedicationsNote string
	Problems        []Row
	ProblemsNote    string
	// Vitals are the latest blood pressure, weight, BMI, heart rate... each with its date.
	Vitals []Tile
	// Results are 4 to 8 tests, abnormal ones first, each with a sparkline.
	Results []Tile
	// Visits are the most recent visits, newest first.
	Visits []Row
	// Sources says "From 3 providers; last import 2 days ago".
	Sources SourcesCard
	// Conflicts counts entries that differ between sources; ConflictRows
	// are those entries, for a card that lists them (each opens its detail,
	// where the sources stand side by side).
	Conflicts    int
	ConflictRows []Row
	// Empty is true when the person has no entries at all: the screen
	// then teaches where records come from.
	Empty bool
}

// AllergyCard is the allergy card: one of the three states, never "No data".
type AllergyCard struct {
	State record.AllergyState
	// Text is the card's sentence for the two states without a list:
	// "No known allergies (Valley Clinic, 3 Mar 2024)" or "No allergy
	// information recorded".
	Text string
	// Rows are the allergies, most critical first (AllergiesRecorded).
	Rows []Row
}

// Tile is one vital sign or test on the dashboard: its latest value and a
// sparkline of its recent results.
type Tile struct {
	// Key opens the test's trend ([Session.Trend]).
	Key      string
	Title    string
	Value    string // "128/82 mmHg", "7.2 %"
	Flag     string
	Abnormal bool
	DateText string
	EntryID  string
	// Spark are the last results (at most 12), oldest first, for a sparkline.
	Spark []float64
	Count int
}

// SourcesCard sums up where the person's records came from.
type SourcesCard struct {
	Providers  int
	Files      int
	LastImport time.Time
	Text       string
	Legend     []Badge
}

// maxResultTiles bounds the dashboard's results card; sparkPoints its sparklines.
const (
	maxResultTiles = 8
	sparkPoints    = 12
)

// Dashboard returns a person's summary as of now. Errors wrap
// [vault.ErrNoSuchProfile] or [ErrLocked].
func (s *Session) Dashboard(person string) (*Dashboard, error) {
	v, p, es, err := s.loadPerson(person)
	if err != nil {
		return nil, err
	}
	keys := s.keysFor(v, p.ID)
	sum := s.personSummary(p.ID, es)
	d := &Dashboard{Person: p, Conflicts: len(sum.Conflicts), Empty: len(es) == 0}
	row := func(e *record.Entry) Row { return rowOf(e, keys, p.Name) }
	sourceOfStatement := func(kind record.Kind, on record.Date) string {
		for _, e := range es {
			if e.Kind == kind && e.Date.Equal(on) {
				if bs := keys.badges(e.Sources); len(bs) > 0 {
					return bs[0].Name
				}
			}
		}
		return ""
	}

	switch sum.Allergies.State {
	case record.AllergiesRecorded:
		for i := range sum.Allergies.Entries {
			d.Allergies.Rows = append(d.Allergies.Rows, row(&sum.Allergies.Entries[i]))
		}
	case record.NoKnownAllergies:
		d.Allergies.Text = noneKnownText("No known allergies", sourceOfStatement(record.KindAllergy, sum.Allergies.ConfirmedOn), sum.Allergies.ConfirmedOn)
	default:
		d.Allergies.Text = "No allergy information recorded"
	}
	d.Allergies.State = sum.Allergies.State

	for i := range sum.Medications {
		d.Medications = append(d.Medications, row(&sum.Medications[i]))
	}
	if on, ok := sum.NoneKnown[record.KindMedication]; ok && len(d.Medications) == 0 {
		d.MedicationsNote = noneKnownText("No known medications", sourceOfStatement(record.KindMedication, on), on)
	}
	for i := range sum.Problems {
		d.Problems = append(d.Problems, row(&sum.Problems[i]))
	}
	if on, ok := sum.NoneKnown[record.KindCondition]; ok && len(d.Problems) == 0 {
		d.ProblemsNote = noneKnownText("No known problems", sourceOfStatement(record.KindCondition, on), on)
	}
	for i := range sum.Vitals {
		d.Vitals = append(d.Vitals, tileOf(&sum.Vitals[i]))
	}
	for i := range sum.Labs {
		if len(d.Results) == maxResultTiles {
			break
		}
		if chartable(&sum.Labs[i]) { // a trend needs numbers; "Clear", "Yellow" stay in the list
			d.Results = append(d.Results, tileOf(&sum.Labs[i]))
		}
	}
	for i := range sum.Encounters {
		d.Visits = append(d.Visits, row(&sum.Encounters[i]))
	}
	for i := range sum.Conflicts {
		d.ConflictRows = append(d.ConflictRows, row(&sum.Conflicts[i]))
	}
	d.Sources = s.sourcesCard(keys, p.ID)
	return d, nil
}

func noneKnownText(what, source string, on record.Date) string {
	var parts []string
	if source != "" {
		parts = append(parts, source)
	}
	if !on.IsZero() {
		parts = append(parts, on.Human())
	}
	if len(parts) == 0 {
		return what
	}
	return what + " (" + strings.Join(parts, ", ") + ")"
}

// SeriesKey identifies a test or vital sign's series: kind, code and unit.
func SeriesKey(sr *record.Series) string {
	kind := record.KindLab
	if len(sr.Points) > 0 {
		kind = sr.Points[0].Kind
	}
	code := sr.Code.Code
	if code == "" {
		code = "text:" + record.NormalizeText(sr.Title)
	}
	return string(kind) + "|" + record.CanonicalSystem(sr.Code.System) + "|" + code + "|" + record.UnitKey(sr.Unit)
}

func tileOf(sr *record.Series) Tile {
	last := sr.Latest()
	t := Tile{Key: SeriesKey(sr), Title: sr.Title, Value: ValueText(last), Flag: FlagText(last.Interpretation),
		Abnormal: last.Abnormal(), DateText: DateText(last.Date), EntryID: last.ID, Count: len(sr.Points)}
	from := max(0, len(sr.Points)-sparkPoints)
	for i := from; i < len(sr.Points); i++ {
		// A blood pressure's line is its upper number, as on its chart.
		if vs, ok := pointValues(sr.Points[i]); ok {
			t.Spark = append(t.Spark, vs[0])
		}
	}
	return t
}

func (s *Session) sourcesCard(keys *sourceKeys, person string) SourcesCard {
	v, err := s.vault()
	if err != nil {
		return SourcesCard{}
	}
	c := SourcesCard{Legend: keys.legend}
	for _, b := range keys.legend {
		if !b.SelfReported {
			c.Providers++
		}
	}
	for _, src := range s.sourcesOf(v, person) {
		if src.Parent != "" || src.Format == record.SelfReported {
			continue
		}
		c.Files++
		if src.ImportedAt.After(c.LastImport) {
			c.LastImport = src.ImportedAt
		}
	}
	switch {
	case c.Files == 0:
		c.Text = "No files imported yet"
	default:
		c.Text = fmt.Sprintf("From %s; last import %s", Plural(c.Providers, "provider", ""), Ago(c.LastImport, s.now()))
	}
	return c
}
