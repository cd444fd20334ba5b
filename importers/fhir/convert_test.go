package fhir_test

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestConvert reads small STU3 and DSTU2 files and checks the R4 elements
// the conversion writes (and that what R4 has no place for stays).
func TestConvert(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		version string
		want    map[string]any // top-level elements of the first resource, as JSON
		gone    []string       // elements that must no longer be there
	}{
		{"DSTU2 MedicationOrder", `{"resourceType":"MedicationOrder","id":"m","status":"active","patient":{"reference":"Patient/p"},
			"prescriber":{"reference":"Practitioner/d"},"dateWritten":"2010-01-02","note":"with food","dateEnded":"2011-01-01",
			"dosageInstruction":[{"text":"1 tab","doseQuantity":{"value":1,"unit":"tab"},"additionalInstructions":{"text":"with water"}}]}`, "DSTU2",
			map[string]any{"resourceType": "MedicationRequest", "intent": "order", "subject": map[string]any{"reference": "Patient/p"},
				"requester": map[string]any{"reference": "Practitioner/d"}, "authoredOn": "2010-01-02", "dateEnded": "2011-01-01",
				"note":              []any{map[string]any{"text": "with food"}},
				"dosageInstruction": []any{map[string]any{"text": "1 tab", "doseAndRate": []any{map[string]any{"doseQuantity": map[string]any{"value": 1.0, "unit": "tab"}}}, "additionalInstruction": []any{map[string]any{"text": "with water"}}}}},
			[]string{"patient", "prescriber", "dateWritten"}},
		{"DSTU2 Condition", `{"resourceType":"Condition","id":"c","patient":{"reference":"Patient/p"},"code":{"text":"Asthma"},
			"clinicalStatus":"active","verificationStatus":"confirmed","dateRecorded":"2012-05-06","category":{"text":"Diagnosis"}}`, "DSTU2",
			map[string]any{"subject": map[string]any{"reference": "Patient/p"}, "recordedDate": "2012-05-06",
				"clinicalStatus":     map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}}},
				"verificationStatus": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}}},
				"category":           []any{map[string]any{"text": "Diagnosis"}}},
			[]string{"patient", "dateRecorded"}},
		{"DSTU2 AllergyIntolerance", `{"resourceType":"AllergyIntolerance","id":"a","patient":{"reference":"Patient/p"},"substance":{"text":"Penicillin"},
			"status":"confirmed","criticality":"CRITH","category":"medication"}`, "DSTU2",
			map[string]any{"code": map[string]any{"text": "Penicillin"}, "criticality": "high", "category": []any{"medication"},
				"clinicalStatus":     map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}}},
				"verificationStatus": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed"}}}},
			[]string{"substance", "status"}},
		{"DSTU2 Immunization", `{"resourceType":"Immunization","id":"i","patient":{"reference":"Patient/p"},"vaccineCode":{"text":"Flu"},
			"date":"2015-10-01","wasNotGiven":"false","reported":false,"performer":{"reference":"Practitioner/n"},
			"vaccinationProtocol":[{"doseSequence":2,"targetDisease":{"text":"Influenza"}}]}`, "DSTU2",
			map[string]any{"occurrenceDateTime": "2015-10-01", "status": "completed", "primarySource": true,
				"performer":       []any{map[string]any{"function": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v2-0443", "code": "AP", "display": "Administering Provider"}}}, "actor": map[string]any{"reference": "Practitioner/n"}}},
				"protocolApplied": []any{map[string]any{"doseNumberPositiveInt": 2.0, "targetDisease": []any{map[string]any{"text": "Influenza"}}}}},
			[]string{"date", "wasNotGiven", "reported", "vaccinationProtocol"}},
		{"DSTU2 Encounter", `{"resourceType":"Encounter","id":"e","status":"finished","class":"outpatient","patient":{"reference":"Patient/p"},"reason":[{"text":"Check-up"}]}`, "DSTU2",
			map[string]any{"class": map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
				"subject": map[string]any{"reference": "Patient/p"}, "reasonCode": []any{map[string]any{"text": "Check-up"}}},
			[]string{"patient", "reason"}},
		{"DSTU2 Goal", `{"resourceType":"Goal","id":"g","subject":{"reference":"Patient/p"},"description":"Lose weight","status":"in-progress"}`, "DSTU2",
			map[string]any{"description": map[string]any{"text": "Lose weight"}, "lifecycleStatus": "active",
				"achievementStatus": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": "in-progress"}}}},
			[]string{"status"}},
		{"STU3 Condition", `{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"},"clinicalStatus":"resolved","assertedDate":"2001-02-03","context":{"reference":"Encounter/e"}}`, "STU3",
			map[string]any{"recordedDate": "2001-02-03", "encounter": map[string]any{"reference": "Encounter/e"},
				"clinicalStatus": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}}}},
			[]string{"assertedDate", "context"}},
		{"STU3 MedicationRequest", `{"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order","subject":{"reference":"Patient/p"},
			"requester":{"agent":{"reference":"Practitioner/d"}},"context":{"reference":"Encounter/e"},"dosageInstruction":[{"doseQuantity":{"value":5,"unit":"mL"}}]}`, "STU3",
			map[string]any{"requester": map[string]any{"reference": "Practitioner/d"}, "encounter": map[string]any{"reference": "Encounter/e"},
				"dosageInstruction": []any{map[string]any{"doseAndRate": []any{map[string]any{"doseQuantity": map[string]any{"value": 5.0, "unit": "mL"}}}}}},
			[]string{"context"}},
		{"STU3 MedicationStatement", `{"resourceType":"MedicationStatement","id":"s","status":"completed","taken":"n","subject":{"reference":"Patient/p"},"context":{"reference":"Encounter/e"},"medicationCodeableConcept":{"text":"Aspirin"}}`, "STU3",
			map[string]any{"status": "not-taken", "context": map[string]any{"reference": "Encounter/e"}},
			[]string{"taken"}},
		{"STU3 ExplanationOfBenefit", `{"resourceType":"ExplanationOfBenefit","id":"x","status":"active","type":{"text":"Pharmacy"},"patient":{"reference":"Patient/p"},
			"information":[{"sequence":1,"category":{"text":"days supply"}}],"insurance":{"coverage":{"reference":"Coverage/c"}},
			"item":[{"sequence":1,"service":{"text":"Drug"},"careTeamLinkId":[1]}],"totalCost":{"value":12.5,"currency":"USD"}}`, "STU3",
			map[string]any{"use": "claim", "supportingInfo": []any{map[string]any{"sequence": 1.0, "category": map[string]any{"text": "days supply"}}},
				"insurance": []any{map[string]any{"focal": true, "coverage": map[string]any{"reference": "Coverage/c"}}},
				"item":      []any{map[string]any{"sequence": 1.0, "productOrService": map[string]any{"text": "Drug"}, "careTeamSequence": []any{1.0}}},
				"total":     []any{map[string]any{"category": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": "submitted"}}}, "amount": map[string]any{"value": 12.5, "currency": "USD"}}}},
			[]string{"information", "totalCost"}},
		{"STU3 Coverage", `{"resourceType":"Coverage","id":"cv","status":"active","beneficiary":{"reference":"Patient/p"},"grouping":{"group":"G1","groupDisplay":"Medicare Part A","plan":"P"}}`, "STU3",
			map[string]any{"class": []any{
				map[string]any{"type": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}}}, "value": "G1", "name": "Medicare Part A"},
				map[string]any{"type": map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}}}, "value": "P"}}},
			[]string{"grouping"}},
		{"STU3 Binary", `{"resourceType":"Binary","id":"b","contentType":"text/plain","content":"aGk="}`, "STU3",
			map[string]any{"data": "aGk="}, []string{"content"}},
		{"R4 stays as it is", `{"resourceType":"Condition","id":"c","clinicalStatus":{"coding":[{"code":"active"}]},"subject":{"reference":"Patient/p"},"recordedDate":"2020"}`, "R4",
			map[string]any{"clinicalStatus": map[string]any{"coding": []any{map[string]any{"code": "active"}}}, "recordedDate": "2020"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := read(t, "c.json", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if b.Report.Version != tc.version {
				t.Errorf("version %s, want %s", b.Report.Version, tc.version)
			}
			res := b.Patients[0].Resources
			if len(res) != 1 {
				t.Fatalf("%d resources", len(res))
			}
			var got map[string]any
			if err := json.Unmarshal(res[0].JSON, &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range tc.want {
				if !reflect.DeepEqual(got[k], want) {
					g, _ := json.Marshal(got[k])
					w, _ := json.Marshal(want)
					t.Errorf("%s = %s, want %s", k, g, w)
				}
			}
			for _, k := range tc.gone {
				if _, ok := got[k]; ok {
					t.Errorf("%s is still there", k)
				}
			}
		})
	}
}
