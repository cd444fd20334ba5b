package record_test

import (
	"slices"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

func code(system, c string) []record.Coding { return []record.Coding{{System: system, Code: c}} }

// TestMerge_Kinds covers, for each kind, the same fact from two sources
// (merged, seen in both), the same key with different content (conflict,
// both kept) and a different fact (its own key).
func TestMerge_Kinds(t *testing.T) {
	d := record.MustDate
	for _, tc := range []struct {
		kind     string
		a        record.Entry
		same     record.Entry // same fact, as another source writes it
		conflict record.Entry // same key, different content
		other    record.Entry // a different fact
	}{
		{"lab",
			record.Entry{Kind: record.KindLab, Title: "Hemoglobin A1c/Hemoglobin.total in Blood", Codes: code(record.SystemLOINC, "4548-4"), Date: d("2024-02-01T09:00:00Z"), Value: "7.20", Unit: "%", Interpretation: "H"},
			record.Entry{Kind: record.KindLab, Title: "HbA1c", Codes: code("urn:oid:2.16.840.1.113883.6.1", "4548-4"), Date: d("2024-02-01T09:00:00Z"), Value: "7.2", Unit: "%"},
			record.Entry{Kind: record.KindLab, Title: "HbA1c", Codes: code(record.SystemLOINC, "4548-4"), Date: d("2024-02-01T09:00:00Z"), Value: "7.2", Unit: "%", Interpretation: "N"},
			record.Entry{Kind: record.KindLab, Title: "HbA1c", Codes: code(record.SystemLOINC, "4548-4"), Date: d("2024-02-01T09:00:00Z"), Value: "6.8", Unit: "%"}},
		{"vital",
			record.Entry{Kind: record.KindVital, Title: "Body weight", Codes: code(record.SystemLOINC, "29463-7"), Date: d("2024-02-01"), Value: "81.5", Unit: "kg", Interpretation: "N"},
			record.Entry{Kind: record.KindVital, Title: "Weight", Codes: code(record.SystemLOINC, "29463-7"), Date: d("2024-02-01"), Value: "81.50", Unit: "kg"},
			record.Entry{Kind: record.KindVital, Title: "Weight", Codes: code(record.SystemLOINC, "29463-7"), Date: d("2024-02-01"), Value: "81.5", Unit: "kg", Interpretation: "H"},
			record.Entry{Kind: record.KindVital, Title: "Weight", Codes: code(record.SystemLOINC, "29463-7"), Date: d("2024-02-01"), Value: "180", Unit: "[lb_av]"}},
		{"medication",
			record.Entry{Kind: record.KindMedication, Title: "Lisinopril 10 MG Oral Tablet", Codes: code(record.SystemRxNorm, "314076"), Date: d("2024-03-01"), Status: "active", Dosage: "1 tablet daily"},
			record.Entry{Kind: record.KindMedication, Title: "lisinopril 10mg tab", Codes: code(record.SystemRxNorm, "314076"), Date: d("2024-03-01T10:00:00-05:00"), Status: "active"},
			record.Entry{Kind: record.KindMedication, Title: "lisinopril", Codes: code(record.SystemRxNorm, "314076"), Date: d("2024-03-01"), Status: "active", Dosage: "2 tablets daily"},
			record.Entry{Kind: record.KindMedication, Title: "Lisinopril 10 MG Oral Tablet", Codes: code(record.SystemRxNorm, "314076"), Date: d("2023-01-01"), Status: "active"}},
		{"medication by name",
			record.Entry{Kind: record.KindMedication, Title: "Vitamin D3 1000 IU", Date: d("2022"), Dosage: "1 capsule daily"},
			record.Entry{Kind: record.KindMedication, Title: "VITAMIN D3 1000 IU", Date: d("2022")},
			record.Entry{Kind: record.KindMedication, Title: "vitamin d3 1000 iu", Date: d("2022"), Status: "active", Dosage: "2 capsules daily"},
			record.Entry{Kind: record.KindMedication, Title: "Vitamin D3 2000 IU", Date: d("2022")}},
		{"condition",
			record.Entry{Kind: record.KindCondition, Title: "Essential hypertension", Codes: code(record.SystemSNOMED, "59621000"), Status: "active", Date: d("2010")},
			record.Entry{Kind: record.KindCondition, Title: "Hypertension", Codes: code("2.16.840.1.113883.6.96", "59621000"), Status: "active", Date: d("2010-05-02")},
			record.Entry{Kind: record.KindCondition, Title: "Hypertension", Codes: code(record.SystemSNOMED, "59621000"), Status: "resolved"},
			record.Entry{Kind: record.KindCondition, Title: "Diabetes", Codes: code(record.SystemSNOMED, "44054006"), Status: "active"}},
		{"allergy",
			record.Entry{Kind: record.KindAllergy, Title: "Penicillin G", Codes: code(record.SystemRxNorm, "7980"), Status: "active", Severity: "high", Reactions: []string{"Hives"}},
			record.Entry{Kind: record.KindAllergy, Title: "PENICILLIN", Codes: code(record.SystemRxNorm, "7980"), Status: "active", Reactions: []string{"hives"}},
			record.Entry{Kind: record.KindAllergy, Title: "Penicillin", Codes: code(record.SystemRxNorm, "7980"), Status: "active", Severity: "low"},
			record.Entry{Kind: record.KindAllergy, Title: "Peanuts", Codes: code(record.SystemSNOMED, "91935009"), Status: "active"}},
		{"immunization",
			record.Entry{Kind: record.KindImmunization, Title: "Influenza, seasonal, injectable", Codes: code(record.SystemCVX, "140"), Date: d("2023-10-12"), Status: "completed"},
			record.Entry{Kind: record.KindImmunization, Title: "Flu shot", Codes: code("urn:oid:2.16.840.1.113883.12.292", "140"), Date: d("2023-10-12T14:00:00Z"), Status: "completed"},
			record.Entry{Kind: record.KindImmunization, Title: "Flu shot", Codes: code(record.SystemCVX, "140"), Date: d("2023-10-12"), Status: "not-done"},
			record.Entry{Kind: record.KindImmunization, Title: "Flu shot", Codes: code(record.SystemCVX, "140"), Date: d("2022-10-01"), Status: "completed"}},
		{"procedure",
			record.Entry{Kind: record.KindProcedure, Title: "Appendectomy", Codes: code(record.SystemSNOMED, "80146002"), Date: d("2015-05-05"), Status: "completed"},
			record.Entry{Kind: record.KindProcedure, Title: "Appendectomy (procedure)", Codes: code(record.SystemSNOMED, "80146002"), Date: d("2015-05-05T08:00:00Z")},
			record.Entry{Kind: record.KindProcedure, Title: "Appendectomy", Codes: code(record.SystemSNOMED, "80146002"), Date: d("2015-05-05"), Status: "not-done"},
			record.Entry{Kind: record.KindProcedure, Title: "Colonoscopy", Codes: code(record.SystemSNOMED, "73761001"), Date: d("2015-05-05"), Status: "completed"}},
		{"encounter",
			record.Entry{Kind: record.KindEncounter, Title: "Office visit", Date: d("2024-01-10T09:00:00Z"), Place: "Valley Clinic", Status: "finished"},
			record.Entry{Kind: record.KindEncounter, Title: "office visit", Date: d("2024-01-10"), Place: "VALLEY CLINIC"},
			record.Entry{Kind: record.KindEncounter, Title: "Office visit", Date: d("2024-01-10"), Place: "Valley Clinic", Status: "cancelled"},
			record.Entry{Kind: record.KindEncounter, Title: "Office visit", Date: d("2024-01-10"), Place: "Hill Hospital"}},
		{"claim",
			record.Entry{Kind: record.KindClaim, Title: "Doctor's bill", Category: "carrier", Date: d("2017-08-01"), Place: "Valley Clinic", Value: "120.50", Status: "active"},
			record.Entry{Kind: record.KindClaim, Title: "Doctor's bill", Category: "carrier", Date: d("2017-08-01"), Place: "Valley Clinic", Value: "120.5"},
			record.Entry{Kind: record.KindClaim, Title: "Doctor's bill", Category: "carrier", Date: d("2017-08-01"), Place: "Valley Clinic", Value: "120.5", Status: "cancelled"},
			record.Entry{Kind: record.KindClaim, Title: "Doctor's bill", Category: "carrier", Date: d("2017-08-01"), Place: "Valley Clinic", Value: "99"}},
		{"pharmacy claim",
			record.Entry{Kind: record.KindClaim, Title: "Pharmacy claim", Category: "pde", Date: d("2017-08-01"), Value: "12", Codes: code(record.SystemNDC, "00093-7180"), Status: "active"},
			record.Entry{Kind: record.KindClaim, Title: "Pharmacy claim", Category: "pde", Date: d("2017-08-01"), Value: "12.00", Codes: code("urn:oid:2.16.840.1.113883.6.69", "00093-7180")},
			record.Entry{Kind: record.KindClaim, Title: "Pharmacy claim", Category: "pde", Date: d("2017-08-01"), Value: "12", Codes: code(record.SystemNDC, "00093-7180"), Status: "cancelled"},
			// another drug on the same day for the same amount
			record.Entry{Kind: record.KindClaim, Title: "Pharmacy claim", Category: "pde", Date: d("2017-08-01"), Value: "12", Codes: code(record.SystemNDC, "00378-1800")}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			a := tc.a
			a.Sources = []string{"A"}
			a.Resources = []record.ResourceRef{{Source: "A", Type: "X", ID: "1"}}
			key := record.MergeKey(&a)
			for name, e := range map[string]record.Entry{"same": tc.same, "conflict": tc.conflict} {
				if record.MergeKey(&e) != key {
					t.Errorf("%s: key %q, want %q", name, record.MergeKey(&e), key)
				}
			}
			if record.MergeKey(&tc.other) == key {
				t.Errorf("a different fact has the same key %q", key)
			}

			// Same fact: merged into the held entry, which lists both sources.
			held := a
			same := tc.same
			same.Sources = []string{"B"}
			same.Resources = []record.ResourceRef{{Source: "B", Type: "X", ID: "9"}}
			out, i := record.Merge([]*record.Entry{&held}, &same)
			if out != record.Merged || i != 0 {
				t.Fatalf("same fact: %v %d, want merged", out, i)
			}
			if !slices.Equal(held.Sources, []string{"A", "B"}) || len(held.Resources) != 2 || held.Conflict {
				t.Errorf("merged entry: sources %v, resources %v, conflict %v", held.Sources, held.Resources, held.Conflict)
			}
			if held.Title != a.Title {
				t.Errorf("merging changed the title to %q", held.Title)
			}
			// Merging the same source again adds nothing.
			if out, _ := record.Merge([]*record.Entry{&held}, &same); out != record.Merged || len(held.Sources) != 2 {
				t.Errorf("re-merge: %v, sources %v", out, held.Sources)
			}

			// Same key, different content: a conflict, both flagged.
			held2 := a
			conflict := tc.conflict
			out, i = record.Merge([]*record.Entry{&held2}, &conflict)
			if out != record.Conflict || i != -1 || !held2.Conflict || !conflict.Conflict {
				t.Errorf("conflict: %v %d, held flagged %v, incoming flagged %v", out, i, held2.Conflict, conflict.Conflict)
			}
			if ok, diff := record.Agrees(&a, &tc.conflict); ok || len(diff) == 0 {
				t.Errorf("Agrees(a, conflict) = %v %v", ok, diff)
			}

			// Nothing held: added.
			if out, i := record.Merge(nil, &tc.other); out != record.Added || i != -1 {
				t.Errorf("nothing held: %v %d", out, i)
			}
		})
	}
}

// TestMerge_CorpusTwice: the same export imported from two sources merges
// every entry and flags nothing.
func TestMerge_CorpusTwice(t *testing.T) {
	b := readBundle(t, corpusFiles[0])
	byKey := map[string][]*record.Entry{}
	first := b.entries(t)
	for i := range first {
		first[i].Sources = []string{"first"}
		k := record.MergeKey(&first[i])
		byKey[k] = append(byKey[k], &first[i])
	}
	merged, conflicts := 0, 0
	for _, e := range b.entries(t) {
		e.Sources = []string{"second"}
		switch out, _ := record.Merge(byKey[record.MergeKey(&e)], &e); out {
		case record.Merged:
			merged++
		case record.Conflict:
			conflicts++
		}
	}
	if merged != len(first) || conflicts != 0 {
		t.Errorf("re-reading the same export: %d merged of %d, %d conflicts", merged, len(first), conflicts)
	}
}

func TestAgrees_DoseWording(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		agree bool
	}{
		{"1 tablet (10 mg) by mouth daily", "10mg once a day", true},
		{"Take one tablet daily", "1 tab PO QD", true},
		{"1 tablet daily", "2 tablets daily", false},
		{"10 mg daily", "20 mg daily", false},
		{"500 mg twice a day", "500 MG 2 times a day", true},
		{"0.5 ml subcutaneous weekly", "0.5 mL SC every week", true},
		{"1,000 units daily", "1000 IU daily", true},
		{"2.5 mg", "25 mg", false},
	} {
		a := record.Entry{Kind: record.KindMedication, Title: "x", Dosage: tc.a}
		b := record.Entry{Kind: record.KindMedication, Title: "x", Dosage: tc.b}
		if ok, diff := record.Agrees(&a, &b); ok != tc.agree {
			t.Errorf("Agrees(%q, %q) = %v %v, want %v", tc.a, tc.b, ok, diff, tc.agree)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"  Lisinopril 10 MG  Oral-Tablet ": "lisinopril 10 mg oral tablet",
		"Müller, José":                     "muller jose",
		"mg/dL":                            "mg/dl",
		"7.2 %":                            "7.2 %",
		"Dr. Smith":                        "dr smith",
	} {
		if got := record.NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMerge_Conflicts: when two entries with one merge key differ, it
// matters where they come from. Two sources that disagree are a conflict,
// flagged on both; one document that lists both states two facts; two "no
// known X" statements say the same whatever status they give.
func TestMerge_Conflicts(t *testing.T) {
	d := record.MustDate
	penicillin := func(status, severity string, sources ...string) record.Entry {
		return record.Entry{Kind: record.KindAllergy, Title: "Penicillin", Codes: code(record.SystemRxNorm, "7980"),
			Status: status, Severity: severity, Sources: sources}
	}
	pneumonia := func(onset, status string, sources ...string) record.Entry {
		return record.Entry{Kind: record.KindCondition, Title: "Pneumonia", Codes: code(record.SystemSNOMED, "233604007"),
			Date: d(onset), Status: status, Sources: sources}
	}
	nka := func(status string, sources ...string) record.Entry {
		return record.Entry{Kind: record.KindAllergy, Title: "No known allergy", Codes: code(record.SystemSNOMED, "716186003"),
			Status: status, Sources: sources}
	}
	noMeds := func(status string, sources ...string) record.Entry {
		return record.Entry{Kind: record.KindMedication, Title: "No known medications", Status: status, Sources: sources}
	}
	for _, tc := range []struct {
		name     string
		held     []record.Entry
		in       record.Entry
		want     record.Outcome
		wantIdx  int
		flagged  []bool // held entries' Conflict after the merge
		inFlag   bool
		differs  []record.Difference // Differences(held[0], in)
		inAgrees bool
	}{
		{"two sources disagree on severity",
			[]record.Entry{penicillin("active", "high", "clinic")}, penicillin("active", "low", "hospital"),
			record.Conflict, -1, []bool{true}, true,
			[]record.Difference{{Field: "severity", A: "high", B: "low"}}, false},
		{"one document lists both: two facts",
			[]record.Entry{penicillin("active", "high", "clinic")}, penicillin("active", "low", "clinic"),
			record.Added, -1, []bool{false}, false,
			[]record.Difference{{Field: "severity", A: "high", B: "low"}}, false},
		{"two episodes in one document, then a third source",
			[]record.Entry{pneumonia("1997-01", "resolved", "gp"), pneumonia("1999-03", "resolved", "gp")},
			pneumonia("2013-06-16", "active", "hospital"),
			record.Conflict, -1, []bool{true, true}, true,
			[]record.Difference{{Field: "status", A: "resolved", B: "active"}, {Field: "onset date", A: "Jan 1997", B: "16 Jun 2013"}}, false},
		{"a merged source joins two entries it disagreed between",
			// The gp and the hospital disagree; a summary that gave the
			// hospital's episode (merged into it) also gives the gp's: one
			// document states both, so they are two episodes.
			[]record.Entry{pneumonia("1997-01", "resolved", "gp"), {Kind: record.KindCondition, Title: "Pneumonia",
				Codes: code(record.SystemSNOMED, "233604007"), Date: d("2013-06-16"), Status: "active", Sources: []string{"hospital", "summary"}, Conflict: true}},
			pneumonia("1997-01-20", "resolved", "summary"),
			record.Merged, 0, []bool{false, false}, false, nil, true},
		{"no known allergy, active and inactive",
			[]record.Entry{nka("active", "clinic")}, nka("inactive", "hospital"),
			record.Merged, 0, []bool{false}, false, nil, true},
		{"no known medications, active and completed",
			[]record.Entry{noMeds("active", "clinic")}, noMeds("completed", "hospital"),
			record.Merged, 0, []bool{false}, false, nil, true},
		{"two refuted problems ('no known problems' in C-CDA) on other days",
			[]record.Entry{pneumonia("2017-02-27", "refuted", "clinic")}, pneumonia("2017-05-04", "refuted", "hospital"),
			record.Merged, 0, []bool{false}, false, nil, true},
		{"refuted in one source, active in another",
			[]record.Entry{pneumonia("2017-02-27", "refuted", "clinic")}, pneumonia("2017-02-27", "active", "hospital"),
			record.Conflict, -1, []bool{true}, true, []record.Difference{{Field: "status", A: "refuted", B: "active"}}, false},
		{"same fact, less said",
			[]record.Entry{penicillin("active", "high", "clinic")}, penicillin("", "", "hospital"),
			record.Merged, 0, []bool{false}, false, nil, true},
		{"a conflict stays when a third source agrees with one side",
			[]record.Entry{{Kind: record.KindAllergy, Title: "Penicillin", Codes: code(record.SystemRxNorm, "7980"), Status: "active", Severity: "high", Sources: []string{"clinic"}, Conflict: true},
				{Kind: record.KindAllergy, Title: "Penicillin", Codes: code(record.SystemRxNorm, "7980"), Status: "active", Severity: "low", Sources: []string{"hospital"}, Conflict: true}},
			penicillin("active", "high", "pharmacy"),
			record.Merged, 0, []bool{true, true}, false, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var held []*record.Entry
			for i := range tc.held {
				e := tc.held[i]
				e.Sources = slices.Clone(e.Sources)
				held = append(held, &e)
			}
			first := *held[0]
			in := tc.in
			if diff := record.Differences(&first, &in); !slices.Equal(diff, tc.differs) {
				t.Errorf("Differences = %+v, want %+v", diff, tc.differs)
			}
			if ok, _ := record.Agrees(&first, &in); ok != tc.inAgrees {
				t.Errorf("Agrees = %v, want %v", ok, tc.inAgrees)
			}
			out, idx := record.Merge(held, &in)
			if out != tc.want || idx != tc.wantIdx {
				t.Errorf("Merge = %v %d, want %v %d", out, idx, tc.want, tc.wantIdx)
			}
			for i, h := range held {
				if h.Conflict != tc.flagged[i] {
					t.Errorf("held[%d] (%s, %v) flagged %v, want %v", i, h.Date.Human(), h.Sources, h.Conflict, tc.flagged[i])
				}
			}
			if out != record.Merged && in.Conflict != tc.inFlag {
				t.Errorf("incoming flagged %v, want %v", in.Conflict, tc.inFlag)
			}
			// MarkConflicts over the group as it stands agrees with Merge.
			group := slices.Clone(held)
			if out != record.Merged {
				group = append(group, &in)
			}
			if record.MarkConflicts(group) {
				t.Errorf("MarkConflicts changed flags Merge had set")
			}
		})
	}
}

func TestInterpretationText(t *testing.T) {
	for flag, want := range map[string]string{"H": "high", "ll": "critically low", "N": "normal", "LX": "below the low threshold", "": "", "Q": "Q"} {
		if got := record.InterpretationText(flag); got != want {
			t.Errorf("InterpretationText(%q) = %q, want %q", flag, got, want)
		}
	}
}

func TestCategoryLabel(t *testing.T) {
	for _, tc := range []struct {
		kind     record.Kind
		category string
		want     string
	}{
		{record.KindDocument, "text/plain; charset=utf-8", "text"},
		{record.KindDocument, "application/pdf", "PDF"},
		{record.KindDocument, "application/x-foo", "FOO file"},
		{record.KindDocument, "composition", "clinical document"},
		{record.KindCondition, "problem-list-item", "problem list"},
		{record.KindVital, "vital-signs", "vital signs"},
		{record.KindEncounter, "AMB", "outpatient visit"},
		{record.KindOther, "some-new-thing", "some new thing"},
		{record.KindLab, "", ""},
	} {
		if got := record.CategoryLabel(tc.kind, tc.category); got != tc.want {
			t.Errorf("CategoryLabel(%s, %q) = %q, want %q", tc.kind, tc.category, got, tc.want)
		}
	}
}
