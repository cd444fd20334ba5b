package record_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func titles(es []record.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSummarize_Selection(t *testing.T) {
	d := record.MustDate
	lisinopril := code(record.SystemRxNorm, "314076")
	a1c := code(record.SystemLOINC, "4548-4")
	entries := []record.Entry{
		{Kind: record.KindCondition, Title: "Hypertension", Status: "active", Date: d("2010")},
		{Kind: record.KindCondition, Title: "Diabetes", Status: "active", Date: d("2015")},
		{Kind: record.KindCondition, Title: "Broken arm", Status: "resolved", Date: d("2001")},
		{Kind: record.KindCondition, Title: "Asthma", Status: "entered-in-error"},
		{Kind: record.KindMedication, Title: "Lisinopril 10 mg", Codes: lisinopril, Status: "active", Date: d("2020-01-01"), Category: "order"},
		{Kind: record.KindMedication, Title: "lisinopril", Codes: lisinopril, Status: "active", Date: d("2024-03-01"), Category: "statement"},
		{Kind: record.KindMedication, Title: "Lisinopril fill", Codes: lisinopril, Status: "completed", Date: d("2024-04-01"), Category: "fill"},
		{Kind: record.KindMedication, Title: "Amoxicillin", Status: "completed", Date: d("2023-01-01")},
		{Kind: record.KindMedication, Title: "Prednisone", Status: "active", Date: d("2020-01-01"), End: d("2020-02-01")},
		{Kind: record.KindAllergy, Title: "Peanuts", Status: "active", Severity: "low"},
		{Kind: record.KindAllergy, Title: "Penicillin", Status: "active", Severity: "high"},
		{Kind: record.KindAllergy, Title: "Latex", Status: "resolved"},
		{Kind: record.KindImmunization, Title: "Flu", Codes: code(record.SystemCVX, "140"), Date: d("2022-10-01"), Status: "completed"},
		{Kind: record.KindImmunization, Title: "Flu", Codes: code(record.SystemCVX, "140"), Date: d("2023-10-01"), Status: "completed"},
		{Kind: record.KindImmunization, Title: "Tetanus", Date: d("2019-05-05"), Status: "completed"},
		{Kind: record.KindLab, Title: "HbA1c", Codes: a1c, Date: d("2023-01-01"), Value: "6.9", Unit: "%"},
		{Kind: record.KindLab, Title: "HbA1c", Codes: a1c, Date: d("2024-01-01"), Value: "7.4", Unit: "%", Interpretation: "H"},
		{Kind: record.KindLab, Title: "Glucose", Codes: code(record.SystemLOINC, "2345-7"), Date: d("2025-01-01"), Value: "95", Unit: "mg/dL"},
		{Kind: record.KindLab, Title: "Glucose", Codes: code(record.SystemLOINC, "2345-7"), Date: d("2025-02-01"), Value: "5.3", Unit: "mmol/L"},
		{Kind: record.KindLab, Title: "Lipid panel", Category: "report", Value: "4 results", Date: d("2024-01-01")},
		{Kind: record.KindVital, Title: "Body weight", Codes: code(record.SystemLOINC, "29463-7"), Date: d("2024-01-01"), Value: "80", Unit: "kg"},
		{Kind: record.KindVital, Title: "Blood pressure", Codes: code(record.SystemLOINC, "85354-9"), Date: d("2024-01-01"), Value: "128/82", Unit: "mm[Hg]"},
		{Kind: record.KindEncounter, Title: "Visit 1", Date: d("2024-01-01")},
		{Kind: record.KindEncounter, Title: "Visit 2", Date: d("2025-01-01")},
		{Kind: record.KindProcedure, Title: "Appendectomy", Date: d("2015-05-05")},
		{Kind: record.KindOther, Category: "device", Title: "Pacemaker", Date: d("2019-01-01")},
		{Kind: record.KindCondition, Title: "Gout", Status: "active", Date: d("2018"), Conflict: true},
	}
	s := record.Summarize(entries, today)

	check := func(what string, got, want []string) {
		t.Helper()
		if !sameStrings(got, want) {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	check("problems", titles(s.Problems), []string{"Gout", "Diabetes", "Hypertension"})
	check("past problems", titles(s.PastProblems), []string{"Broken arm"})
	// One row per drug, the newest statement; no fill, nothing stopped or ended.
	check("medications", titles(s.Medications), []string{"lisinopril"})
	if s.Allergies.State != record.AllergiesRecorded {
		t.Errorf("allergy state %v", s.Allergies.State)
	}
	check("allergies, most critical first", titles(s.Allergies.Entries), []string{"Penicillin", "Peanuts"})
	check("immunizations, latest dose each", titles(s.Immunizations), []string{"Flu", "Tetanus"})
	if s.Immunizations[0].Date.String() != "2023-10-01" {
		t.Errorf("latest flu dose %s", s.Immunizations[0].Date)
	}
	// Labs: abnormal latest first; units never mixed in one series; panels left out.
	var labs []string
	for _, sr := range s.Labs {
		labs = append(labs, sr.Title+" ["+sr.Unit+"]")
	}
	check("labs", labs, []string{"HbA1c [%]", "Glucose [mmol/L]", "Glucose [mg/dL]"})
	if n := len(s.Labs[0].Points); n != 2 || s.Labs[0].Latest().Value != "7.4" {
		t.Errorf("HbA1c series: %d points, latest %q", n, s.Labs[0].Latest().Value)
	}
	var vitals []string
	for _, sr := range s.Vitals {
		vitals = append(vitals, sr.Title)
	}
	check("vitals in clinical order", vitals, []string{"Blood pressure", "Body weight"})
	check("visits", titles(s.Encounters), []string{"Visit 2", "Visit 1"})
	check("devices", titles(s.Devices), []string{"Pacemaker"})
	check("conflicts", titles(s.Conflicts), []string{"Gout"})
	if s.From.String() != "2001" || s.To.String() != "2025-02-01" {
		t.Errorf("span %s–%s", s.From, s.To)
	}
}

func TestSummarize_AllergyStates(t *testing.T) {
	d := record.MustDate
	for _, tc := range []struct {
		name    string
		entries []record.Entry
		want    record.AllergyState
	}{
		{"nothing recorded", nil, record.NoAllergyInformation},
		{"IPS no information", []record.Entry{{Kind: record.KindAllergy, Title: "No information about allergies",
			Codes: code(record.SystemAbsentIPS, "no-allergy-info")}}, record.NoAllergyInformation},
		{"no known allergies", []record.Entry{{Kind: record.KindAllergy, Title: "No known allergy", Date: d("2024-12-10"),
			Codes: code(record.SystemSNOMED, "716186003")}}, record.NoKnownAllergies},
		{"IPS no known allergies", []record.Entry{{Kind: record.KindAllergy, Title: "No known allergies",
			Codes: code(record.SystemAbsentIPS, "no-known-allergies")}}, record.NoKnownAllergies},
		{"NKDA in words", []record.Entry{{Kind: record.KindAllergy, Title: "No Known Drug Allergies"}}, record.NoKnownAllergies},
		{"a real allergy wins", []record.Entry{{Kind: record.KindAllergy, Title: "No known allergy"}, {Kind: record.KindAllergy, Title: "Sulfa", Status: "active"}}, record.AllergiesRecorded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := record.Summarize(tc.entries, today)
			if s.Allergies.State != tc.want {
				t.Errorf("state %v, want %v", s.Allergies.State, tc.want)
			}
		})
	}
}

// TestSummarize_Corpus summarizes real exports and checks what a doctor
// reading the summary would.
func TestSummarize_Corpus(t *testing.T) {
	eu := record.Summarize(readBundle(t, "testdata/corpus/ips/eu-connectathon/EU_Giorgio_Cangioli_03.json").entries(t), today)
	if len(eu.Problems) != 7 || len(eu.Medications) != 12 || eu.Allergies.State != record.AllergiesRecorded {
		t.Errorf("EU IPS: %d problems, %d medications, allergy state %v; want 7, 12, recorded", len(eu.Problems), len(eu.Medications), eu.Allergies.State)
	}

	au := record.Summarize(readBundle(t, "testdata/corpus/ips/au-sparked/Bundle-aups-noknownx.json").entries(t), today)
	if au.Allergies.State != record.NoKnownAllergies || au.Allergies.ConfirmedOn.String() != "2024-12-10" {
		t.Errorf("AU no-known IPS: allergy state %v confirmed %s", au.Allergies.State, au.Allergies.ConfirmedOn)
	}
	if len(au.Problems) != 0 || len(au.Medications) != 0 {
		t.Errorf("'no known' statements listed as facts: problems %q, medications %q", titles(au.Problems), titles(au.Medications))
	}
	if _, ok := au.NoneKnown[record.KindMedication]; !ok {
		t.Error("'No known current medicines' not recorded as none known")
	}
	if _, ok := au.NoneKnown[record.KindCondition]; !ok {
		t.Error("'No current problems' not recorded as none known")
	}

	nz := record.Summarize(readBundle(t, "testdata/corpus/ips/nz-connectathon/NZ_Peter_Jordan_AAA1234.json").entries(t), today)
	if nz.Allergies.State != record.NoAllergyInformation || len(nz.Problems) != 0 || len(nz.Medications) != 0 {
		t.Errorf("NZ IPS with 'no information' sections: allergies %v, problems %q, medications %q", nz.Allergies.State, titles(nz.Problems), titles(nz.Medications))
	}
	if len(nz.Immunizations) != 1 || nz.Immunizations[0].Value != "dose 2" {
		t.Errorf("NZ immunizations: %+v", titles(nz.Immunizations))
	}

	syn := record.Summarize(readBundle(t, corpusFiles[0]).entries(t), today)
	if len(syn.Labs) == 0 || len(syn.Vitals) == 0 || len(syn.Encounters) == 0 {
		t.Errorf("Synthea: %d lab series, %d vital series, %d visits", len(syn.Labs), len(syn.Vitals), len(syn.Encounters))
	}
	for _, sr := range append(syn.Labs, syn.Vitals...) {
		for _, p := range sr.Points {
			if p.Unit != sr.Unit {
				t.Errorf("series %s mixes units %q and %q", sr.Title, sr.Unit, p.Unit)
			}
		}
	}
}

// TestSummarize_OrderOfInput: a person's series are the same whether the
// entries come newest first (as a vault gives them, the fast path),
// oldest first or shuffled: oldest first, results of one date in the
// order given.
func TestSummarize_OrderOfInput(t *testing.T) {
	es := readBundle(t, corpusFiles[0]).entries(t)
	// Newest first, ties by id, as the vault's order is.
	slices.SortStableFunc(es, func(a, b record.Entry) int {
		if c := b.Date.T.Compare(a.Date.T); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	pointIDs := func(s record.Summary) map[string][]string {
		out := map[string][]string{}
		for _, sr := range slices.Concat(s.Vitals, s.Labs) {
			for _, p := range sr.Points {
				out[sr.Title+"|"+sr.Unit] = append(out[sr.Title+"|"+sr.Unit], p.ID)
			}
		}
		return out
	}
	newest := pointIDs(record.Summarize(es, today))
	if len(newest) < 5 {
		t.Fatalf("only %d series in %s", len(newest), corpusFiles[0])
	}
	// The slow path, one date's results kept in the order given: sort
	// stably oldest first, which keeps ties in id order.
	oldest := slices.Clone(es)
	slices.SortStableFunc(oldest, func(a, b record.Entry) int { return a.Date.T.Compare(b.Date.T) })
	for key, ids := range pointIDs(record.Summarize(oldest, today)) {
		if !slices.Equal(ids, newest[key]) {
			t.Errorf("%s: oldest-first input gives %v, newest-first %v", key, ids, newest[key])
		}
	}
	for key, ids := range newest {
		for i := 1; i < len(ids); i++ {
			if ids[i-1] == ids[i] {
				t.Errorf("%s: a point twice", key)
			}
		}
	}
}

// TestSummarize_ResultsOfOneDate: results of one test at one time keep
// the order they were given, from newest-first input as from any other.
func TestSummarize_ResultsOfOneDate(t *testing.T) {
	glucose := func(id, day string) record.Entry {
		d, err := record.ParseDate(day)
		if err != nil {
			t.Fatal(err)
		}
		return record.Entry{ID: id, Kind: record.KindLab, Title: "Glucose", Value: "5.1", Unit: "mmol/L", Date: d,
			Codes: []record.Coding{{System: record.SystemLOINC, Code: "15074-8"}}}
	}
	for _, tc := range []struct {
		name string
		in   []record.Entry
		want string
	}{
		{"newest first", []record.Entry{glucose("c", "2024-03-02"), glucose("d", "2024-03-02"), glucose("a", "2024-03-01"), glucose("b", "2024-03-01")}, "a b c d"},
		{"oldest first", []record.Entry{glucose("a", "2024-03-01"), glucose("b", "2024-03-01"), glucose("c", "2024-03-02"), glucose("d", "2024-03-02")}, "a b c d"},
		{"mixed", []record.Entry{glucose("c", "2024-03-02"), glucose("a", "2024-03-01"), glucose("d", "2024-03-02"), glucose("b", "2024-03-01")}, "a b c d"},
		{"one date", []record.Entry{glucose("b", "2024-03-01"), glucose("a", "2024-03-01")}, "b a"},
	} {
		s := record.Summarize(tc.in, today)
		if len(s.Labs) != 1 {
			t.Fatalf("%s: %d series", tc.name, len(s.Labs))
		}
		var got []string
		for _, p := range s.Labs[0].Points {
			got = append(got, p.ID)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: points %v, want %s", tc.name, got, tc.want)
		}
	}
}

// TestSummarize_OneSeriesWhateverTheUnitsSpelling: a blood pressure typed
// by hand in "mmHg" and one imported in UCUM's "mm[Hg]" are one series.
func TestSummarize_OneSeriesWhateverTheUnitsSpelling(t *testing.T) {
	bp := func(id, day, value, unit string) record.Entry {
		d, _ := record.ParseDate(day)
		return record.Entry{ID: id, Kind: record.KindVital, Title: "Blood pressure", Value: value, Unit: unit, Date: d,
			Codes: []record.Coding{{System: record.SystemLOINC, Code: "85354-9"}}}
	}
	s := record.Summarize([]record.Entry{bp("a", "2026-11-28", "131/83", "mmHg"), bp("b", "2026-06-12", "158/96", "mm[Hg]")}, today)
	if len(s.Vitals) != 1 || len(s.Vitals[0].Points) != 2 {
		t.Fatalf("%d series for one blood pressure in two spellings of its unit", len(s.Vitals))
	}
	if got := s.Vitals[0].Latest().Value; got != "131/83" {
		t.Errorf("latest %q", got)
	}
}
