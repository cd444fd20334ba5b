package record_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

func TestNewSelfReported_RoundTrip(t *testing.T) {
	d := record.MustDate("2025-06-01")
	for _, tc := range []struct {
		in       record.SelfReport
		resource string
		check    func(e record.Entry) bool
	}{
		{record.SelfReport{Kind: record.KindCondition, Title: "Migraine", Date: d, Note: "worse in spring"}, "Condition",
			func(e record.Entry) bool { return e.Status == "active" && e.Note == "worse in spring" }},
		{record.SelfReport{Kind: record.KindMedication, Title: "Ibuprofen", Date: d, Value: "200", Unit: "mg"}, "MedicationStatement",
			func(e record.Entry) bool { return e.Dosage == "200 mg" && e.Status == "active" }},
		{record.SelfReport{Kind: record.KindAllergy, Title: "Cats"}, "AllergyIntolerance",
			func(e record.Entry) bool { return e.Status == "active" }},
		{record.SelfReport{Kind: record.KindImmunization, Title: "Tetanus booster", Date: d}, "Immunization",
			func(e record.Entry) bool { return e.Status == "completed" }},
		{record.SelfReport{Kind: record.KindVital, Title: "Blood pressure (home)", Date: d, Value: "128/82", Unit: "mm[Hg]"}, "Observation",
			func(e record.Entry) bool { return e.Value == "128/82 mm[Hg]" && e.Category == "vital-signs" }},
		{record.SelfReport{Kind: record.KindLab, Title: "Glucose (meter)", Date: d, Value: "5.4", Unit: "mmol/L"}, "Observation",
			func(e record.Entry) bool { return e.Value == "5.4" && e.Unit == "mmol/L" }},
		{record.SelfReport{Kind: record.KindProcedure, Title: "Wisdom teeth removed", Date: record.MustDate("2009")}, "Procedure",
			func(e record.Entry) bool { return e.Date.String() == "2009" }},
		{record.SelfReport{Kind: record.KindEncounter, Title: "Physiotherapy", Date: d}, "Encounter",
			func(e record.Entry) bool { return true }},
		{record.SelfReport{Kind: record.KindDocument, Title: "Notes for Dr. Lee", Date: d, Note: "Ask about sleep"}, "DocumentReference",
			func(e record.Entry) bool { return e.Note == "Ask about sleep" }},
		{record.SelfReport{Kind: record.KindOther, Title: "Steps per day", Value: "8000"}, "Observation",
			func(e record.Entry) bool { return e.Value == "8000" }},
	} {
		t.Run(string(tc.in.Kind), func(t *testing.T) {
			r, err := record.NewSelfReported(tc.in, "res-1", "person-1")
			if err != nil {
				t.Fatal(err)
			}
			if r.Type != tc.resource || r.ID != "res-1" || !record.IsSelfReported(r) || !json.Valid(r.JSON) {
				t.Fatalf("resource %s/%s self-reported=%v: %s", r.Type, r.ID, record.IsSelfReported(r), r.JSON)
			}
			e, ok, err := record.Project(r, nil)
			if err != nil || !ok {
				t.Fatalf("Project: %v %v", ok, err)
			}
			if e.Kind != tc.in.Kind || e.Title != tc.in.Title || e.Date.String() != tc.in.Date.String() || !tc.check(e) {
				t.Errorf("entry %+v does not give back %+v", e, tc.in)
			}
		})
	}
	for _, bad := range []record.SelfReport{{Kind: record.KindClaim, Title: "Bill"}, {Kind: record.KindLab, Title: "  "}} {
		if _, err := record.NewSelfReported(bad, "x", "p"); !errors.Is(err, record.ErrNotSelfReportable) {
			t.Errorf("%+v: %v, want ErrNotSelfReportable", bad, err)
		}
	}
	imported := res(t, `{"resourceType":"Condition","id":"c","code":{"text":"x"}}`)
	if record.IsSelfReported(imported) {
		t.Error("an imported resource reads as self-reported")
	}
}
