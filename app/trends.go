package app

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// TrendTest is one test or vital sign that can be charted, as the picker
// lists it.
type TrendTest struct {
	// Key identifies the series for [Session.Trend].
	Key   string
	Title string
	// Unit is the series' unit as people read it ("mmHg", not "mm[Hg]").
	Unit string
	// Group is "Vital signs", "Blood counts", "Chemistry", "Lipids",
	// "Diabetes" or "Other".
	Group string
	Count int
	// Latest is the latest value with its unit and flag; LatestDate its date.
	Latest     string
	LatestDate string
	Abnormal   bool
}

// The picker's groups, in order.
const (
	GroupVitals     = "Vital signs"
	GroupBloodCount = "Blood counts"
	GroupChemistry  = "Chemistry"
	GroupLipids     = "Lipids"
	GroupDiabetes   = "Diabetes"
	GroupOther      = "Other"
)

// TrendGroups lists the groups in the order the picker shows them.
var TrendGroups = []string{GroupVitals, GroupBloodCount, GroupChemistry, GroupLipids, GroupDiabetes, GroupOther}

// Trend is one chart: a test's results over time in one unit.
type Trend struct {
	TrendTest
	// Lines are the chart's lines: one for most tests; two for blood
	// pressure (systolic, diastolic).
	Lines []TrendLine
	// Band is the reference range to draw as a band (the latest result's),
	// nil when no result gives one; RangeVaries says results gave
	// different ranges ("range varies by lab").
	Band        *Band
	RangeVaries bool
	// From and To span the results' dates; Min and Max their values.
	From, To time.Time
	Min, Max float64
}

// TrendLine is one line of a chart.
type TrendLine struct {
	Name   string
	Points []TrendPoint
}

// TrendPoint is one result on a chart, with what hovering it shows.
type TrendPoint struct {
	Time  time.Time
	Value float64
	// Label is "7.2 % ▲ H · 12 Mar 2024 · Valley Clinic".
	Label string
	Text  string // the value with its unit
	// Short is this line's own value as shown, without unit ("131.5" of
	// a blood pressure's systolic line), for a label on the chart.
	Short    string
	DateText string
	Flag     string
	Abnormal bool
	Source   string
	EntryID  string
	// Range is the reference range this result was given ("70–99"), and
	// RangeChanged is true when it differs from the range of the previous
	// result that gave one: where a chart marks "range changed".
	Range        string
	RangeChanged bool
}

// Band is a reference range.
type Band struct {
	Low, High *float64
	Text      string
}

// TrendTests lists the tests and vital signs of a person that have results
// to chart: grouped as [TrendGroups] orders them, those with the most
// results first within a group.
func (s *Session) TrendTests(person string) ([]TrendTest, error) {
	_, p, es, err := s.loadPerson(person)
	if err != nil {
		return nil, err
	}
	sum := s.personSummary(p.ID, es)
	var out []TrendTest
	for _, sr := range slices.Concat(sum.Vitals, sum.Labs) {
		if !chartable(&sr) {
			continue
		}
		out = append(out, testOf(&sr))
	}
	slices.SortStableFunc(out, func(a, b TrendTest) int {
		return cmp.Or(cmp.Compare(slices.Index(TrendGroups, a.Group), slices.Index(TrendGroups, b.Group)),
			cmp.Compare(b.Count, a.Count), strings.Compare(a.Title, b.Title))
	})
	return out, nil
}

func chartable(sr *record.Series) bool {
	for _, e := range sr.Points {
		if _, ok := pointValues(e); ok {
			return true
		}
	}
	return false
}

func testOf(sr *record.Series) TrendTest {
	last := sr.Latest()
	latest := ValueText(last)
	if f := FlagText(last.Interpretation); f != "" {
		latest += " " + f
	}
	return TrendTest{Key: SeriesKey(sr), Title: sr.Title, Unit: record.UnitText(sr.Unit), Group: groupOf(sr), Count: len(sr.Points),
		Latest: latest, LatestDate: DateText(last.Date), Abnormal: last.Abnormal()}
}

// Trend returns the chart of one series of a person. Errors wrap
// [vault.ErrNoSuchProfile], or [ErrBadInput] for a key the person has no
// results for.
func (s *Session) Trend(person, key string) (*Trend, error) {
	v, p, es, err := s.loadPerson(person)
	if err != nil {
		return nil, err
	}
	sum := s.personSummary(p.ID, es)
	keys := s.keysFor(v, p.ID)
	for _, sr := range slices.Concat(sum.Vitals, sum.Labs) {
		if SeriesKey(&sr) == key {
			return trendOf(&sr, keys), nil
		}
	}
	return nil, fmt.Errorf("%w: no results for that test", ErrBadInput)
}

func trendOf(sr *record.Series, keys *sourceKeys) *Trend {
	t := &Trend{TrendTest: testOf(sr), Min: math.Inf(1), Max: math.Inf(-1)}
	bp := isBloodPressure(sr)
	names := []string{sr.Title}
	if bp {
		names = []string{"Systolic", "Diastolic"}
	}
	t.Lines = make([]TrendLine, len(names))
	for i, n := range names {
		t.Lines[i].Name = n
	}
	var ranges []string
	lastRange := ""
	for _, e := range sr.Points {
		vals, ok := pointValues(e)
		if !ok {
			continue
		}
		source := ""
		if bs := keys.badges(e.Sources); len(bs) > 0 {
			source = bs[0].Name
		}
		rng, changed := "", false
		if e.Range != nil && !bp {
			rng = e.Range.String()
			changed = lastRange != "" && rng != lastRange
			lastRange = rng
		}
		shorts := strings.Split(roundValue(strings.TrimSpace(e.Value)), "/")
		for li := range t.Lines {
			if li >= len(vals) {
				break
			}
			pt := TrendPoint{Time: e.Date.T, Value: vals[li], Text: ValueText(e), DateText: DateText(e.Date),
				Flag: FlagText(e.Interpretation), Abnormal: e.Abnormal(), Source: source, EntryID: e.ID,
				Range: rng, RangeChanged: changed}
			if li < len(shorts) && len(shorts) == len(vals) {
				pt.Short = shorts[li]
			}
			pt.Label = strings.Join(nonEmpty(strings.TrimSpace(pt.Text+" "+pt.Flag), pt.DateText, pt.Source), " · ")
			t.Lines[li].Points = append(t.Lines[li].Points, pt)
			t.Min, t.Max = math.Min(t.Min, vals[li]), math.Max(t.Max, vals[li])
			if t.From.IsZero() || e.Date.T.Before(t.From) {
				t.From = e.Date.T
			}
			if e.Date.T.After(t.To) {
				t.To = e.Date.T
			}
		}
		if e.Range != nil && !bp {
			r := e.Range.String()
			if len(ranges) == 0 || ranges[len(ranges)-1] != r {
				if !slices.Contains(ranges, r) {
					ranges = append(ranges, r)
				}
			}
			t.Band = &Band{Low: e.Range.Low, High: e.Range.High, Text: r}
		}
	}
	if t.Band != nil && t.Band.Low == nil && t.Band.High == nil {
		t.Band = nil
	}
	t.RangeVaries = len(ranges) > 1
	if math.IsInf(t.Min, 1) {
		t.Min, t.Max = 0, 0
	}
	return t
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pointValues are the numbers a result charts: one value, or systolic and
// diastolic for a blood pressure.
func pointValues(e *record.Entry) ([]float64, bool) {
	if f, ok := e.Numeric(); ok {
		return []float64{f}, true
	}
	if sys, dia, ok := strings.Cut(e.Value, "/"); ok {
		a, ok1 := (&record.Entry{Value: sys}).Numeric()
		b, ok2 := (&record.Entry{Value: dia}).Numeric()
		if ok1 && ok2 {
			return []float64{a, b}, true
		}
	}
	return nil, false
}

func isBloodPressure(sr *record.Series) bool {
	if sr.Code.Code == "85354-9" || sr.Code.Code == "55284-4" {
		return true
	}
	return len(sr.Points) > 0 && strings.Contains(sr.Latest().Value, "/")
}

// testGroups maps LOINC codes to the picker's groups.
var testGroups = map[string]string{
	// Blood counts.
	"6690-2": GroupBloodCount, "26464-8": GroupBloodCount, "789-8": GroupBloodCount, "718-7": GroupBloodCount,
	"4544-3": GroupBloodCount, "787-2": GroupBloodCount, "785-6": GroupBloodCount, "786-4": GroupBloodCount,
	"777-3": GroupBloodCount, "26515-7": GroupBloodCount, "788-0": GroupBloodCount, "21000-5": GroupBloodCount,
	"32623-1": GroupBloodCount, "770-8": GroupBloodCount, "736-9": GroupBloodCount, "5905-5": GroupBloodCount,
	"713-8": GroupBloodCount, "706-2": GroupBloodCount, "751-8": GroupBloodCount, "731-0": GroupBloodCount,
	// Chemistry.
	"2160-0": GroupChemistry, "38483-4": GroupChemistry, "3094-0": GroupChemistry, "6299-2": GroupChemistry,
	"2951-2": GroupChemistry, "2947-0": GroupChemistry, "2823-3": GroupChemistry, "6298-4": GroupChemistry,
	"2075-0": GroupChemistry, "2069-3": GroupChemistry, "2028-9": GroupChemistry, "20565-8": GroupChemistry,
	"17861-6": GroupChemistry, "49765-1": GroupChemistry, "33914-3": GroupChemistry, "48642-3": GroupChemistry,
	"48643-1": GroupChemistry, "62238-1": GroupChemistry, "98979-8": GroupChemistry, "1742-6": GroupChemistry,
	"1743-4": GroupChemistry, "1920-8": GroupChemistry, "30239-8": GroupChemistry, "6768-6": GroupChemistry,
	"1975-2": GroupChemistry, "42719-5": GroupChemistry, "2885-2": GroupChemistry, "1751-7": GroupChemistry,
	"3016-3": GroupChemistry, "3024-7": GroupChemistry, "2132-9": GroupChemistry, "14927-8": GroupChemistry,
	// Lipids.
	"2093-3": GroupLipids, "2571-8": GroupLipids, "2085-9": GroupLipids, "18262-6": GroupLipids,
	"13457-7": GroupLipids, "2089-1": GroupLipids, "9830-1": GroupLipids, "43396-1": GroupLipids,
	// Diabetes.
	"4548-4": GroupDiabetes, "17856-6": GroupDiabetes, "2339-0": GroupDiabetes, "2345-7": GroupDiabetes,
	"41653-7": GroupDiabetes, "1558-6": GroupDiabetes, "14749-6": GroupDiabetes, "15074-8": GroupDiabetes,
	"14771-0": GroupDiabetes, "59261-8": GroupDiabetes,
}

func groupOf(sr *record.Series) string {
	if len(sr.Points) > 0 && sr.Points[0].Kind == record.KindVital {
		return GroupVitals
	}
	if sr.Code.System == record.SystemLOINC || record.SameSystem(sr.Code.System, record.SystemLOINC) {
		if g, ok := testGroups[sr.Code.Code]; ok {
			return g
		}
	}
	for _, p := range sr.Points {
		if l := p.Code(record.SystemLOINC); l != "" {
			if g, ok := testGroups[l]; ok {
				return g
			}
		}
	}
	t := record.NormalizeText(sr.Title)
	switch {
	case containsAny(t, "hemoglobin a1c", "hba1c", "a1c", "glucose"):
		return GroupDiabetes
	case containsAny(t, "cholesterol", "triglycer", "ldl", "hdl", "lipid"):
		return GroupLipids
	case containsAny(t, "leukocyte", "erythrocyte", "hemoglobin", "hematocrit", "platelet", "wbc", "rbc", "mcv", "mch", "neutrophil", "lymphocyte"):
		return GroupBloodCount
	case containsAny(t, "creatinine", "sodium", "potassium", "chloride", "urea", "calcium", "carbon dioxide", "bicarbonate",
		"albumin", "protein", "bilirubin", "alanine", "aspartate", "phosphatase", "egfr", "glomerular"):
		return GroupChemistry
	}
	return GroupOther
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Since returns the trend of the results from `from` on: the same test,
// band and notes, its lines cut to those results, its span and range
// computed again (a chart's "last 5 years"). A zero from, or one before
// the first result, returns t itself.
func (t *Trend) Since(from time.Time) *Trend {
	if from.IsZero() || !from.After(t.From) {
		return t
	}
	out := *t
	out.Lines = make([]TrendLine, len(t.Lines))
	out.Min, out.Max = math.Inf(1), math.Inf(-1)
	out.From, out.To = time.Time{}, time.Time{}
	out.Count = 0
	for i, l := range t.Lines {
		out.Lines[i].Name = l.Name
		for _, p := range l.Points {
			if p.Time.Before(from) {
				continue
			}
			out.Lines[i].Points = append(out.Lines[i].Points, p)
			out.Min, out.Max = math.Min(out.Min, p.Value), math.Max(out.Max, p.Value)
			if out.From.IsZero() || p.Time.Before(out.From) {
				out.From = p.Time
			}
			if p.Time.After(out.To) {
				out.To = p.Time
			}
		}
		out.Count = max(out.Count, len(out.Lines[i].Points))
	}
	if math.IsInf(out.Min, 1) {
		out.Min, out.Max = 0, 0
	}
	return &out
}
