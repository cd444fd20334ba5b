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
