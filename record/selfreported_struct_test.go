package record_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// fhirOf decodes a resource's JSON for assertions on its FHIR shape.
func fhirOf(t *testing.T, r record.Resource) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.JSON, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// at walks a decoded JSON value: at(m, "dosage", 0, "route", "coding", 0, "code").
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// TestNewSelfReported_Structured builds each structured kind, checks the
// FHIR a clinician's system reads, the entry a person reads, and that
// SelfReportOf gives back what was entered.
func TestNewSelfReported_Structured(t *testing.T) {
	since := record.MustDate("2024-01-15")
	for _, tc := range []struct {
		name string
		in   record.SelfReport
		// back is what SelfReportOf gives, when it differs from in (defaults filled, units coded).
		back  *record.SelfReport
		fhir  map[string]any // path (dot-separated, numbers index arrays) → value
		entry func(e record.Entry) string
	}{
		{name: "medication with dose, route and frequency",
			in: record.SelfReport{Kind: record.KindMedication, Title: "Lisinopril", Date: since, Value: "10", Unit: "mg",
				Route: "oral", Frequency: "once-a-day", Reason: "High blood pressure", Instructions: "in the morning with water"},
			fhir: map[string]any{"resourceType": "MedicationStatement", "status": "active", "effectiveDateTime": "2024-01-15",
				"dosage.0.text": "10 mg by mouth, once a day, in the morning with water",
				"dosage.0.doseAndRate.0.doseQuantity.value":  10.0,
				"dosage.0.doseAndRate.0.doseQuantity.system": "http://unitsofmeasure.org",
				"dosage.0.doseAndRate.0.doseQuantity.code":   "mg",
				"dosage.0.route.coding.0.system":             "http://snomed.info/sct",
				"dosage.0.route.coding.0.code":               "26643006",
				"dosage.0.timing.repeat.frequency":           1.0,
				"dosage.0.timing.repeat.periodUnit":          "d",
				"dosage.0.timing.code.coding.0.code":         "QD",
				"dosage.0.patientInstruction":                "in the morning with water",
				"reasonCode.0.text":                          "High blood pressure"},
			entry: func(e record.Entry) string {
				if e.Dosage != "10 mg by mouth, once a day, in the morning with water" || e.Reason != "High blood pressure" || e.Status != "active" {
					return "dosage " + e.Dosage + " / " + e.Reason
				}
				return ""
			}},
		{name: "tablets twice a day as needed, stopped",
			in: record.SelfReport{Kind: record.KindMedication, Title: "Ibuprofen 200 mg", Date: record.MustDate("2023"), End: record.MustDate("2023-06"),
				Status: "stopped", Value: "2", Unit: "{tablet}", Route: "oral", Frequency: "twice-a-day", AsNeeded: true},
			fhir: map[string]any{"status": "stopped", "effectivePeriod.start": "2023", "effectivePeriod.end": "2023-06",
				"dosage.0.text": "2 tablets by mouth, twice a day, as needed", "dosage.0.asNeededBoolean": true,
				"dosage.0.doseAndRate.0.doseQuantity.unit": "tablets", "dosage.0.doseAndRate.0.doseQuantity.code": "{tablet}",
				"dosage.0.timing.code.coding.0.system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation",
				"dosage.0.timing.code.coding.0.code":   "BID", "dosage.0.timing.repeat.frequency": 2.0},
			entry: func(e record.Entry) string {
				if e.Dosage != "2 tablets by mouth, twice a day, as needed" || e.End.String() != "2023-06" || e.Date.String() != "2023" {
					return e.Dosage
				}
				return ""
			}},
		{name: "medication in words of its own",
			in: record.SelfReport{Kind: record.KindMedication, Title: "Movicol", Value: "1", Unit: "sachet", Route: "dissolved in water", Frequency: "when constipated"},
			fhir: map[string]any{"dosage.0.text": "1 sachet dissolved in water, when constipated", "dosage.0.route.text": "dissolved in water",
				"dosage.0.doseAndRate.0.doseQuantity.unit": "sachet", "dosage.0.timing.code.text": "when constipated"},
			entry: func(e record.Entry) string {
				if e.Dosage != "1 sachet dissolved in water, when constipated" {
					return e.Dosage
				}
				return ""
			}},
		{name: "allergy with reactions and severity",
			in: record.SelfReport{Kind: record.KindAllergy, Title: "Penicillin", Date: record.MustDate("2010"), Category: "medication",
				Reactions: []string{"Hives", "swelling of the lips"}, Severity: "severe", Note: "as a child"},
			back: &record.SelfReport{Kind: record.KindAllergy, Title: "Penicillin", Date: record.MustDate("2010"), Category: "medication", Status: "active",
				Reactions: []string{"Hives", "swelling of the lips"}, Severity: "severe", Note: "as a child"},
			fhir: map[string]any{"resourceType": "AllergyIntolerance", "clinicalStatus.coding.0.code": "active", "category.0": "medication",
				"code.text": "Penicillin", "onsetDateTime": "2010", "reaction.0.severity": "severe",
				"reaction.0.manifestation.0.text": "Hives", "reaction.0.manifestation.0.coding.0.code": "126485001",
				"reaction.0.manifestation.1.text": "swelling of the lips", "reaction.0.manifestation.1.coding.0.code": "41291007"},
			entry: func(e record.Entry) string {
				if !slices.Equal(e.Reactions, []string{"Hives", "swelling of the lips"}) || e.Severity != "severe" || e.Category != "medication" {
					return strings.Join(e.Reactions, ",") + " " + e.Severity
				}
				return ""
			}},
		{name: "no known allergies",
			in:   record.SelfReport{Kind: record.KindAllergy, NoKnownAllergies: true, Date: record.MustDate("2026-11-30")},
			back: &record.SelfReport{Kind: record.KindAllergy, Title: "No known allergies", NoKnownAllergies: true, Date: record.MustDate("2026-11-30")},
			fhir: map[string]any{"code.coding.0.system": "http://snomed.info/sct", "code.coding.0.code": "716186003",
				"code.text": "No known allergies", "verificationStatus.coding.0.code": "confirmed", "recordedDate": "2026-11-30"},
			entry: func(e record.Entry) string {
				if e.Title != "No known allergies" || e.Date.String() != "2026-11-30" {
					return e.Title
				}
				return ""
			}},
		{name: "resolved condition",
			in:   record.SelfReport{Kind: record.KindCondition, Title: "Frozen shoulder", Date: record.MustDate("2021-03"), End: record.MustDate("2022"), Status: "resolved"},
			fhir: map[string]any{"resourceType": "Condition", "clinicalStatus.coding.0.code": "resolved", "onsetDateTime": "2021-03", "abatementDateTime": "2022"},
			entry: func(e record.Entry) string {
				if e.Status != "resolved" || e.End.String() != "2022" {
					return e.Status
				}
				return ""
			}},
		{name: "active condition",
			in:   record.SelfReport{Kind: record.KindCondition, Title: "Asthma", Date: record.MustDate("1999")},
			back: &record.SelfReport{Kind: record.KindCondition, Title: "Asthma", Date: record.MustDate("1999"), Status: "active"},
			fhir: map[string]any{"clinicalStatus.coding.0.code": "active"},
			entry: func(e record.Entry) string {
				if e.Status != "active" {
					return e.Status
				}
				return ""
			}},
		{name: "blood pressure as one reading",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "blood-pressure", Date: since, Systolic: "128", Diastolic: "82"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "blood-pressure", Title: "Blood pressure", Date: since, Systolic: "128", Diastolic: "82", Unit: "mm[Hg]"},
			fhir: map[string]any{"code.coding.0.code": "85354-9", "category.0.coding.0.code": "vital-signs",
				"component.0.code.coding.0.code": "8480-6", "component.0.valueQuantity.value": 128.0, "component.0.valueQuantity.code": "mm[Hg]",
				"component.0.valueQuantity.unit": "mmHg", "component.1.code.coding.0.code": "8462-4", "component.1.valueQuantity.value": 82.0},
			entry: func(e record.Entry) string {
				if e.Kind != record.KindVital || e.ValueText() != "128/82 mmHg" || len(e.Components) != 2 || e.Code(record.SystemLOINC) != "85354-9" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "blood pressure typed as 128/82",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "blood-pressure", Title: "Blood pressure (home)", Date: since, Value: "128/82", Unit: "mmHg"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "blood-pressure", Title: "Blood pressure (home)", Date: since, Systolic: "128", Diastolic: "82", Unit: "mm[Hg]"},
			fhir: map[string]any{"code.text": "Blood pressure (home)", "component.1.valueQuantity.value": 82.0},
			entry: func(e record.Entry) string {
				if e.ValueText() != "128/82 mmHg" || e.Title != "Blood pressure (home)" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "weight in pounds",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "weight", Date: since, Value: "154.5", Unit: "lbs"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "weight", Title: "Weight", Date: since, Value: "154.5", Unit: "[lb_av]"},
			fhir: map[string]any{"code.coding.0.code": "29463-7", "valueQuantity.code": "[lb_av]", "valueQuantity.unit": "lb", "valueQuantity.value": 154.5},
			entry: func(e record.Entry) string {
				if e.ValueText() != "154.5 lb" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "temperature",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "temperature", Date: since, Value: "38,2", Unit: "Cel"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "temperature", Title: "Temperature", Date: since, Value: "38.2", Unit: "Cel"},
			fhir: map[string]any{"code.coding.0.code": "8310-5", "valueQuantity.unit": "°C", "valueQuantity.value": 38.2},
			entry: func(e record.Entry) string {
				if e.ValueText() != "38.2 °C" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "glucose in mmol/L has its own LOINC code",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "glucose", Title: "Glucose before breakfast", Date: since, Value: "5.4", Unit: "mmol/L"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "glucose", Title: "Glucose before breakfast", Date: since, Value: "5.4", Unit: "mmol/L"},
			fhir: map[string]any{"code.coding.0.code": "15074-8", "valueQuantity.code": "mmol/L"},
			entry: func(e record.Entry) string {
				if e.ValueText() != "5.4 mmol/L" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "heart rate's one unit is the default",
			in:   record.SelfReport{Kind: record.KindVital, Vital: "heart-rate", Date: since, Value: "64"},
			back: &record.SelfReport{Kind: record.KindVital, Vital: "heart-rate", Title: "Heart rate", Date: since, Value: "64", Unit: "/min"},
			fhir: map[string]any{"code.coding.0.code": "8867-4", "valueQuantity.code": "/min", "valueQuantity.unit": "beats/min"},
			entry: func(e record.Entry) string {
				if e.ValueText() != "64 beats/min" {
					return e.ValueText()
				}
				return ""
			}},
		{name: "note titled by its first line",
			in:   record.SelfReport{Kind: record.KindDocument, Date: since, Note: "Questions for Dr. Lee\nSleep, the new tablets."},
			back: &record.SelfReport{Kind: record.KindDocument, Title: "Questions for Dr. Lee", Date: since, Note: "Questions for Dr. Lee\nSleep, the new tablets."},
			fhir: map[string]any{"resourceType": "DocumentReference", "description": "Questions for Dr. Lee"},
			entry: func(e record.Entry) string {
				if e.Note != "Questions for Dr. Lee\nSleep, the new tablets." {
					return e.Note
				}
				return ""
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := record.NewSelfReported(tc.in, "res-1", "person-1")
			if err != nil {
				t.Fatal(err)
			}
			m := fhirOf(t, r)
			for path, want := range tc.fhir {
				var p []any
				for _, part := range strings.Split(path, ".") {
					if n := strings.TrimLeft(part, "0123456789"); n == "" {
						var i int
						json.Unmarshal([]byte(part), &i)
						p = append(p, i)
					} else {
						p = append(p, part)
					}
				}
				if got := at(m, p...); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v\n%s", path, got, want, r.JSON)
				}
			}
			if at(m, "subject", "reference") != "Patient/person-1" && at(m, "patient", "reference") != "Patient/person-1" {
				t.Errorf("no patient reference: %s", r.JSON)
			}
			e, ok, err := record.Project(r, nil)
			if err != nil || !ok {
				t.Fatalf("Project: %v %v", ok, err)
			}
			if e.Kind != tc.in.Kind {
				t.Errorf("kind %s", e.Kind)
			}
			if msg := tc.entry(e); msg != "" {
				t.Errorf("entry %q: %+v", msg, e)
			}
			back, err := record.SelfReportOf(r)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.in
			if tc.back != nil {
				want = *tc.back
			}
			if want.Kind == record.KindMedication && want.Status == "" {
				want.Status = "active"
			}
			if !reflect.DeepEqual(back, want) {
				t.Errorf("SelfReportOf:\n got %+v\nwant %+v", back, want)
			}
		})
	}
}

func TestNewSelfReported_Refused(t *testing.T) {
	for _, s := range []record.SelfReport{
		{Kind: record.KindClaim, Title: "Bill"},
		{Kind: record.KindLab, Title: "  "},
		{Kind: record.KindVital, Vital: "mood", Value: "5"},
		{Kind: record.KindVital, Vital: "weight", Value: "70", Unit: "stone"},
		{Kind: record.KindVital, Vital: "weight", Value: "70"},
		{Kind: record.KindVital, Vital: "weight", Value: "heavy", Unit: "kg"},
		{Kind: record.KindVital, Vital: "blood-pressure", Systolic: "128"},
		{Kind: record.KindCondition, Vital: "weight", Title: "x"},
		{Kind: record.KindCondition, Title: "Asthma", End: record.MustDate("2020")},
		{Kind: record.KindCondition, Title: "Asthma", Status: "cured"},
		{Kind: record.KindMedication, Title: "Aspirin", Status: "taking"},
		{Kind: record.KindAllergy, Title: "Cats", Severity: "severe"},
		{Kind: record.KindAllergy, Title: "Cats", Reactions: []string{"Sneezing"}, Severity: "awful"},
		{Kind: record.KindAllergy, Title: "Cats", Category: "pets"},
		{Kind: record.KindAllergy, NoKnownAllergies: true, Reactions: []string{"Rash"}},
		{Kind: record.KindMedication, NoKnownAllergies: true, Title: "x"},
		{Kind: record.KindDocument},
	} {
		if _, err := record.NewSelfReported(s, "x", "p"); !errors.Is(err, record.ErrNotSelfReportable) {
			t.Errorf("%+v: %v, want ErrNotSelfReportable", s, err)
		}
	}
	if _, err := record.SelfReportOf(res(t, `{"resourceType":"Condition","id":"c","code":{"text":"x"}}`)); !errors.Is(err, record.ErrNotSelfReportable) {
		t.Errorf("SelfReportOf an imported resource: %v", err)
	}
}

// TestSelfReportOf_OlderEntries: entries made before doses and readings
// were structured read back as what they hold.
func TestSelfReportOf_OlderEntries(t *testing.T) {
	r := res(t, `{"resourceType":"MedicationStatement","id":"m","meta":{"tag":[{"system":"https://kinfolio.io/fhir/tags","code":"self-reported"}]},
		"status":"active","medicationCodeableConcept":{"text":"Carbamazepine"},"dosage":[{"text":"200 mg"}]}`)
	s, err := record.SelfReportOf(r)
	if err != nil || s.Value != "200" || s.Unit != "mg" || s.Title != "Carbamazepine" {
		t.Errorf("%+v %v", s, err)
	}
}

func TestParseHow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want record.HowTaken
	}{
		{"by mouth, twice a day", record.HowTaken{Route: "oral", Frequency: "twice-a-day"}},
		{"orally BID prn", record.HowTaken{Route: "oral", Frequency: "twice-a-day", AsNeeded: true}},
		{"Take by mouth once daily with food", record.HowTaken{Route: "oral", Frequency: "once-a-day", Rest: "with food"}},
		{"inhaled as needed; shake well", record.HowTaken{Route: "inhaled", AsNeeded: true, Rest: "shake well"}},
		{"at bedtime", record.HowTaken{Frequency: "at-bedtime"}},
		{"injected under the skin, once a week", record.HowTaken{Route: "subcutaneous", Frequency: "once-a-week"}},
		{"Apply to the skin 3 times a day", record.HowTaken{Route: "topical", Frequency: "three-times-a-day"}},
		{"when the pain is bad", record.HowTaken{Rest: "when the pain is bad"}},
		{"", record.HowTaken{}},
	} {
		if got := record.ParseHow(tc.in); got != tc.want {
			t.Errorf("ParseHow(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestVitalSignNamed(t *testing.T) {
	for title, want := range map[string]string{
		"Weight": "weight", "Body weight": "weight", "Blood pressure (home)": "blood-pressure", "BP": "blood-pressure",
		"Pulse": "heart-rate", "Pulse oximetry": "oxygen-saturation", "SpO2": "oxygen-saturation", "Blood sugar before breakfast": "glucose",
		"Temperature": "temperature", "Height": "height", "Breathing rate": "respiratory-rate",
		"Peak flow": "", "Steps": "", "Weightlifting log": "", "Heart rate variability": "", "Weight loss since June": "", "Weight goal": "",
		"Weight (morning)": "weight", "Temperature in the evening": "temperature",
	} {
		v, ok := record.VitalSignNamed(title)
		if got := v.Key; got != want || ok != (want != "") {
			t.Errorf("VitalSignNamed(%q) = %q, want %q", title, got, want)
		}
	}
}

// TestSelfReported_Summary: a hand-entered "no known allergies" is the
// summary's second allergy state, a hand-entered blood pressure is the
// first vital sign, and a medication with an end in the past is not current.
func TestSelfReported_Summary(t *testing.T) {
	var es []record.Entry
	for _, s := range []record.SelfReport{
		{Kind: record.KindAllergy, NoKnownAllergies: true, Date: record.MustDate("2026-11-02")},
		{Kind: record.KindVital, Vital: "weight", Value: "70", Unit: "kg", Date: record.MustDate("2026-11-02")},
		{Kind: record.KindVital, Vital: "blood-pressure", Systolic: "128", Diastolic: "82", Date: record.MustDate("2026-11-01")},
		{Kind: record.KindMedication, Title: "Amoxicillin", Date: record.MustDate("2026-01-01"), End: record.MustDate("2026-01-10"), Status: "completed"},
		{Kind: record.KindMedication, Title: "Metformin", Value: "500", Unit: "mg", Frequency: "twice-a-day"},
	} {
		r, err := record.NewSelfReported(s, "r", "p")
		if err != nil {
			t.Fatal(err)
		}
		e, _, _ := record.Project(r, nil)
		es = append(es, e)
	}
	sum := record.Summarize(es, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if sum.Allergies.State != record.NoKnownAllergies || sum.Allergies.ConfirmedOn.String() != "2026-11-02" {
		t.Errorf("allergies %+v", sum.Allergies)
	}
	if len(sum.Vitals) != 2 || sum.Vitals[0].Code.Code != "85354-9" || sum.Vitals[0].Latest().ValueText() != "128/82 mmHg" {
		t.Errorf("vitals %+v", sum.Vitals)
	}
	if len(sum.Medications) != 1 || sum.Medications[0].Title != "Metformin" || sum.Medications[0].Dosage != "500 mg, twice a day" {
		t.Errorf("medications %+v", sum.Medications)
	}
}

// FuzzNewSelfReported: whatever is typed, a hand entry is either refused
// or valid JSON that projects and reads back without error.
func FuzzNewSelfReported(f *testing.F) {
	f.Add("medication", "Lisinopril", "10", "mg", "oral", "twice-a-day", "with food", "", "", "Hives")
	f.Add("vital", "Blood pressure", "128/82", "mmHg", "", "", "", "blood-pressure", "", "")
	f.Add("vital", "", "72,5", "lbs", "", "", "", "weight", "", "")
	f.Add("allergy", "Penicillin", "", "", "", "", "", "", "severe", "swelling of the face")
	f.Add("document", "", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, kind, title, value, unit, route, freq, instr, vital, severity, reaction string) {
		s := record.SelfReport{Kind: record.Kind(kind), Title: title, Value: value, Unit: unit, Route: route, Frequency: freq,
			Instructions: instr, Vital: vital, Severity: severity, Reactions: []string{reaction}, Note: instr,
			Systolic: value, Diastolic: unit}
		r, err := record.NewSelfReported(s, "id", "p")
		if err != nil {
			if !errors.Is(err, record.ErrNotSelfReportable) {
				t.Fatalf("error %v is not ErrNotSelfReportable", err)
			}
			return
		}
		if !json.Valid(r.JSON) {
			t.Fatalf("invalid JSON: %s", r.JSON)
		}
		if _, ok, err := record.Project(r, nil); err != nil || !ok {
			t.Fatalf("Project: %v %v", ok, err)
		}
		if _, err := record.SelfReportOf(r); err != nil {
			t.Fatalf("SelfReportOf: %v", err)
		}
		record.ParseHow(instr + ", " + route + " " + freq)
	})
}
