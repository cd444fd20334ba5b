package record_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

func res(t *testing.T, js string) record.Resource {
	t.Helper()
	r, err := record.ParseResource([]byte(js))
	if err != nil {
		t.Fatalf("%v in %s", err, js)
	}
	return r
}

// supportingResources resolves the references used in the projection tests.
func supportingResolver(t *testing.T) record.Resolver {
	byRef := map[string]record.Resource{}
	for _, js := range []string{
		`{"resourceType":"Practitioner","id":"dr","name":[{"family":"Osler","given":["William"],"prefix":["Dr."]}]}`,
		`{"resourceType":"Organization","id":"clinic","name":"Valley Clinic"}`,
		`{"resourceType":"Location","id":"ward","name":"Ward 3"}`,
		`{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076","display":"lisinopril 10 MG Oral Tablet"}]}}`,
		`{"resourceType":"Condition","id":"htn","code":{"text":"High blood pressure"}}`,
		`{"resourceType":"Device","id":"pm","type":{"text":"Cardiac pacemaker"},"udiCarrier":[{"deviceIdentifier":"0881"}]}`,
	} {
		r := res(t, js)
		byRef[r.Ref()] = r
	}
	return func(ref string) (record.Resource, bool) { r, ok := byRef[ref]; return r, ok }
}

// TestProject_Types projects one resource of each type Kinfolio reads and
// checks the fields a user sees.
func TestProject_Types(t *testing.T) {
	resolve := supportingResolver(t)
	for _, tc := range []struct {
		name string
		json string
		want record.Entry
	}{
		{"condition", `{"resourceType":"Condition","id":"c1","clinicalStatus":{"coding":[{"code":"active"}]},
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}]},
			"onsetDateTime":"2015-06","asserter":{"reference":"Practitioner/dr"}}`,
			record.Entry{Kind: record.KindCondition, Title: "Diabetes mellitus type 2", Date: record.MustDate("2015-06"), Status: "active", Performer: "Dr. William Osler"}},
		{"condition refuted wins over clinical status", `{"resourceType":"Condition","id":"c2","clinicalStatus":{"coding":[{"code":"active"}]},
			"verificationStatus":{"coding":[{"code":"refuted"}]},"code":{"text":"Asthma"},"recordedDate":"2020-01-02"}`,
			record.Entry{Kind: record.KindCondition, Title: "Asthma", Date: record.MustDate("2020-01-02"), Status: "refuted"}},
		{"medication request by reference", `{"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order",
			"medicationReference":{"reference":"Medication/med"},"authoredOn":"2024-03-01",
			"reasonReference":[{"reference":"Condition/htn"}],
			"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}],"route":{"text":"Oral"},"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}]}`,
			record.Entry{Kind: record.KindMedication, Title: "lisinopril 10 MG Oral Tablet", Date: record.MustDate("2024-03-01"), Status: "active", Category: "order",
				Dosage: "1 tablet, oral, once a day", Reason: "High blood pressure"}},
		{"medication statement", `{"resourceType":"MedicationStatement","id":"m2","status":"active",
			"medicationCodeableConcept":{"text":"Vitamin D 1000 IU"},"effectivePeriod":{"start":"2022","end":"2023-06"},"dosage":[{"text":"once daily"}]}`,
			record.Entry{Kind: record.KindMedication, Title: "Vitamin D 1000 IU", Date: record.MustDate("2022"), End: record.MustDate("2023-06"), Status: "active", Category: "statement", Dosage: "once daily"}},
		{"medication dispense", `{"resourceType":"MedicationDispense","id":"m3","status":"completed",
			"medicationCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"00093-7180","display":"Lisinopril 10mg"}]},
			"quantity":{"value":30,"unit":"tablet"},"whenHandedOver":"2024-04-02","performer":[{"actor":{"reference":"Organization/clinic"}}]}`,
			record.Entry{Kind: record.KindMedication, Title: "Lisinopril 10mg", Date: record.MustDate("2024-04-02"), Status: "completed", Category: "fill", Value: "30", Unit: "tablet", Place: "Valley Clinic"}},
		{"allergy", `{"resourceType":"AllergyIntolerance","id":"a1","clinicalStatus":{"coding":[{"code":"active"}]},"criticality":"high",
			"code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7980","display":"Penicillin G"}]},
			"reaction":[{"manifestation":[{"text":"Hives"},{"coding":[{"display":"Wheezing"}]}],"severity":"severe"}],"recordedDate":"2019"}`,
			record.Entry{Kind: record.KindAllergy, Title: "Penicillin G", Date: record.MustDate("2019"), Status: "active", Severity: "high", Reactions: []string{"Hives", "Wheezing"}}},
		{"immunization", `{"resourceType":"Immunization","id":"i1","status":"completed",
			"vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140","display":"Influenza, seasonal"}]},
			"occurrenceDateTime":"2023-10-12","location":{"reference":"Location/ward"},"protocolApplied":[{"doseNumberPositiveInt":2}]}`,
			record.Entry{Kind: record.KindImmunization, Title: "Influenza, seasonal", Date: record.MustDate("2023-10-12"), Status: "completed", Place: "Ward 3", Value: "dose 2"}},
		{"lab with range and flag", `{"resourceType":"Observation","id":"o1","status":"final",
			"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
			"code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
			"effectiveDateTime":"2024-02-01","valueQuantity":{"value":7.20,"unit":"%"},
			"interpretation":[{"coding":[{"code":"H"}]}],"referenceRange":[{"low":{"value":4},"high":{"value":5.6}}]}`,
			record.Entry{Kind: record.KindLab, Title: "Hemoglobin A1c", Date: record.MustDate("2024-02-01"), Status: "final", Category: "laboratory",
				Value: "7.20", Unit: "%", Interpretation: "H", Range: &record.RefRange{Low: ptr(4.0), High: ptr(5.6)}}},
		{"blood pressure panel", `{"resourceType":"Observation","id":"o2","status":"final",
			"code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel"}]},"effectiveDateTime":"2024-02-01T09:00:00Z",
			"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic"}]},"valueQuantity":{"value":128,"unit":"mm[Hg]"}},
			{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic"}]},"valueQuantity":{"value":82,"unit":"mm[Hg]"}}]}`,
			record.Entry{Kind: record.KindVital, Title: "Blood pressure panel", Date: record.MustDate("2024-02-01T09:00:00Z"), Status: "final", Category: "vital-signs", Value: "128/82", Unit: "mm[Hg]"}},
		{"smoking status", `{"resourceType":"Observation","id":"o3","status":"final",
			"category":[{"coding":[{"code":"social-history"}]}],"code":{"text":"Tobacco smoking status"},
			"effectiveDateTime":"2020","valueCodeableConcept":{"coding":[{"display":"Never smoker"}]}}`,
			record.Entry{Kind: record.KindOther, Title: "Tobacco smoking status", Date: record.MustDate("2020"), Status: "final", Category: "social-history", Value: "Never smoker"}},
		{"uncategorized numeric result is a lab", `{"resourceType":"Observation","id":"o4","status":"final","code":{"text":"Potassium"},
			"valueQuantity":{"value":4.1,"unit":"mmol/L"},"referenceRange":[{"text":"3.5-5.0"}]}`,
			record.Entry{Kind: record.KindLab, Title: "Potassium", Status: "final", Value: "4.1", Unit: "mmol/L", Range: &record.RefRange{Text: "3.5-5.0"}}},
		{"lab report", `{"resourceType":"DiagnosticReport","id":"d1","status":"final","code":{"text":"Lipid panel"},
			"effectiveDateTime":"2024-02-01","result":[{"reference":"Observation/o1"},{"reference":"Observation/o5"}],"conclusion":"Borderline LDL"}`,
			record.Entry{Kind: record.KindLab, Title: "Lipid panel", Date: record.MustDate("2024-02-01"), Status: "final", Category: "report", Value: "2 results", Note: "Borderline LDL"}},
		{"imaging report", `{"resourceType":"DiagnosticReport","id":"d2","status":"final","category":[{"coding":[{"code":"RAD"}]}],
			"code":{"text":"Chest X-ray"},"issued":"2021-05-05T10:00:00Z"}`,
			record.Entry{Kind: record.KindDocument, Title: "Chest X-ray", Date: record.MustDate("2021-05-05T10:00:00Z"), Status: "final", Category: "imaging"}},
		{"procedure with side", `{"resourceType":"Procedure","id":"p1","status":"completed","code":{"text":"Knee replacement"},
			"bodySite":[{"text":"left knee"}],"performedPeriod":{"start":"2018-09-01","end":"2018-09-03"},"location":{"reference":"Location/ward"}}`,
			record.Entry{Kind: record.KindProcedure, Title: "Knee replacement (left knee)", Date: record.MustDate("2018-09-01"), End: record.MustDate("2018-09-03"), Status: "completed", Place: "Ward 3"}},
		{"encounter without type", `{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"IMP"},
			"period":{"start":"2018-09-01"},"serviceProvider":{"reference":"Organization/clinic"},"participant":[{"individual":{"reference":"Practitioner/dr"}}]}`,
			record.Entry{Kind: record.KindEncounter, Title: "Hospital stay", Date: record.MustDate("2018-09-01"), Status: "finished", Category: "IMP", Place: "Valley Clinic", Performer: "Dr. William Osler"}},
		{"document reference", `{"resourceType":"DocumentReference","id":"doc","status":"current","type":{"text":"Discharge summary"},
			"date":"2018-09-03T12:00:00Z","custodian":{"reference":"Organization/clinic"},"content":[{"attachment":{"contentType":"application/pdf"}}]}`,
			record.Entry{Kind: record.KindDocument, Title: "Discharge summary", Date: record.MustDate("2018-09-03T12:00:00Z"), Status: "current", Category: "application/pdf", Place: "Valley Clinic"}},
		{"composition", `{"resourceType":"Composition","id":"comp","status":"final","title":"Patient Summary","date":"2021-05-03",
			"section":[{"title":"Allergies"},{"title":"Problems"}]}`,
			record.Entry{Kind: record.KindDocument, Title: "Patient Summary", Date: record.MustDate("2021-05-03"), Status: "final", Category: "composition", Value: "2 sections"}},
		{"care plan", `{"resourceType":"CarePlan","id":"cp","status":"active","intent":"plan","category":[{"text":"Diabetes self management plan"}],
			"period":{"start":"2020-01-01"},"activity":[{"detail":{"code":{"text":"Diabetic diet"},"status":"in-progress"}}]}`,
			record.Entry{Kind: record.KindOther, Title: "Diabetes self management plan", Date: record.MustDate("2020-01-01"), Status: "active", Category: "care-plan", Note: "Diabetic diet"}},
		{"goal", `{"resourceType":"Goal","id":"g","lifecycleStatus":"active","description":{"text":"HbA1c below 7%"},
			"target":[{"measure":{"text":"HbA1c"},"detailQuantity":{"comparator":"<","value":7,"unit":"%"},"dueDate":"2025-01-01"}]}`,
			record.Entry{Kind: record.KindOther, Title: "HbA1c below 7%", Status: "active", Category: "goal", Value: "<7", Unit: "%", End: record.MustDate("2025-01-01")}},
		{"family history", `{"resourceType":"FamilyMemberHistory","id":"f","status":"completed","relationship":{"text":"Father"},
			"condition":[{"code":{"text":"Heart attack"}},{"code":{"text":"Diabetes"}}]}`,
			record.Entry{Kind: record.KindOther, Title: "Father: Heart attack, Diabetes", Status: "completed", Category: "family-history"}},
		{"device", `{"resourceType":"Device","id":"dv","status":"active","type":{"text":"Insulin pump"},"manufacturer":"Acme"}`,
			record.Entry{Kind: record.KindOther, Title: "Insulin pump", Status: "active", Category: "device", Performer: "Acme"}},
		{"device use", `{"resourceType":"DeviceUseStatement","id":"du","status":"active","device":{"reference":"Device/pm"},"timingDateTime":"2019-02-02"}`,
			record.Entry{Kind: record.KindOther, Title: "Cardiac pacemaker", Date: record.MustDate("2019-02-02"), Status: "active", Category: "device", Value: "0881"}},
		{"explanation of benefit", `{"resourceType":"ExplanationOfBenefit","id":"eob","status":"active",
			"type":{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/eob-type","code":"CARRIER"}]},
			"billablePeriod":{"start":"2017-08-01","end":"2017-08-01"},"provider":{"reference":"Organization/clinic"},
			"diagnosis":[{"diagnosisCodeableConcept":{"coding":[{"code":"I10","display":"Essential hypertension"}]}}],
			"total":[{"category":{"coding":[{"code":"submitted"}]},"amount":{"value":120.5,"currency":"USD"}}]}`,
			record.Entry{Kind: record.KindClaim, Title: "Doctor's bill", Date: record.MustDate("2017-08-01"), End: record.MustDate("2017-08-01"), Status: "active", Category: "carrier",
				Place: "Valley Clinic", Reason: "Essential hypertension", Value: "120.5", Unit: "USD"}},
		{"coverage", `{"resourceType":"Coverage","id":"cov","status":"active","type":{"text":"Medicare Part A"},"period":{"start":"2010-01-01"}}`,
			record.Entry{Kind: record.KindClaim, Title: "Insurance: Medicare Part A", Date: record.MustDate("2010-01-01"), Status: "active", Category: "coverage"}},
		{"unknown type stays visible", `{"resourceType":"ServiceRequest","id":"sr","status":"active","code":{"text":"Referral to cardiology"},"authoredOn":"2024-01-05"}`,
			record.Entry{Kind: record.KindOther, Title: "Referral to cardiology", Date: record.MustDate("2024-01-05"), Status: "active", Category: "service request"}},
		{"placeholder display is no title", `{"resourceType":"Observation","id":"o9","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
			"code":{"coding":[{"system":"http://loinc.org","code":"5767-9","display":"null"}]},"valueString":"CLEAR"}`,
			record.Entry{Kind: record.KindLab, Title: "Unnamed result", Status: "final", Category: "laboratory", Value: "CLEAR"}},
		{"no title at all", `{"resourceType":"MedicationStatement","id":"m9","status":"active"}`,
			record.Entry{Kind: record.KindMedication, Title: "Unnamed medication", Status: "active", Category: "statement"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok, err := record.Project(res(t, tc.json), resolve)
			if err != nil || !ok {
				t.Fatalf("Project: ok=%v err=%v", ok, err)
			}
			e.Codes, e.Components, e.Resources = nil, nil, nil
			if diff := entryDiff(e, tc.want); diff != "" {
				t.Errorf("entry differs:\n%s", diff)
			}
		})
	}
}

func ptr(f float64) *float64 { return &f }

// entryDiff names the fields in which two entries differ.
func entryDiff(got, want record.Entry) string {
	var b strings.Builder
	check := func(field, g, w string) {
		if g != w {
			b.WriteString("  " + field + ": got " + quote(g) + ", want " + quote(w) + "\n")
		}
	}
	check("kind", string(got.Kind), string(want.Kind))
	check("title", got.Title, want.Title)
	check("date", got.Date.String(), want.Date.String())
	check("end", got.End.String(), want.End.String())
	check("status", got.Status, want.Status)
	check("category", got.Category, want.Category)
	check("value", got.Value, want.Value)
	check("unit", got.Unit, want.Unit)
	check("interpretation", got.Interpretation, want.Interpretation)
	check("range", got.Range.String(), want.Range.String())
	check("dosage", got.Dosage, want.Dosage)
	check("reason", got.Reason, want.Reason)
	check("reactions", strings.Join(got.Reactions, ";"), strings.Join(want.Reactions, ";"))
	check("severity", got.Severity, want.Severity)
	check("place", got.Place, want.Place)
	check("performer", got.Performer, want.Performer)
	check("note", got.Note, want.Note)
	return b.String()
}

func quote(s string) string { return "\"" + s + "\"" }

func TestProject_SupportingHaveNoEntry(t *testing.T) {
	for _, typ := range []string{"Patient", "Practitioner", "Organization", "Location", "Medication", "PractitionerRole", "RelatedPerson", "Binary"} {
		_, ok, err := record.Project(res(t, `{"resourceType":"`+typ+`","id":"x"}`), nil)
		if ok || err != nil {
			t.Errorf("%s: ok=%v err=%v, want no entry", typ, ok, err)
		}
	}
}

func TestProject_ContainedMedication(t *testing.T) {
	r := res(t, `{"resourceType":"MedicationRequest","id":"m","status":"active",
		"contained":[{"resourceType":"Medication","id":"med1","code":{"text":"Amoxicillin 500 mg capsule"}}],
		"medicationReference":{"reference":"#med1"}}`)
	e, _, err := record.Project(r, nil)
	if err != nil || e.Title != "Amoxicillin 500 mg capsule" {
		t.Errorf("title %q, %v", e.Title, err)
	}
}

func TestParseResource_Errors(t *testing.T) {
	for _, bad := range []string{``, `[]`, `{"id":"x"}`, `{"resourceType":""}`, `not json`} {
		if _, err := record.ParseResource([]byte(bad)); !errors.Is(err, record.ErrNotResource) {
			t.Errorf("ParseResource(%q) = %v, want ErrNotResource", bad, err)
		}
	}
	r := res(t, `{"resourceType":"Patient","id":"p"}`)
	if _, err := record.Decode[record.Condition](r); !errors.Is(err, record.ErrWrongType) {
		t.Errorf("decoding a Patient as a Condition: %v", err)
	}
	p, err := record.Decode[record.Patient](r)
	if err != nil || p.ID != "p" {
		t.Errorf("Decode[Patient] = %+v, %v", p, err)
	}
}

func TestCanonicalSystem(t *testing.T) {
	for in, want := range map[string]string{
		"2.16.840.1.113883.6.1":          record.SystemLOINC,
		"urn:oid:2.16.840.1.113883.6.96": record.SystemSNOMED,
		"http://snomed.info/sct":         record.SystemSNOMED,
		"urn:oid:2.16.840.1.113883.6.88": record.SystemRxNorm,
		"urn:oid:1.2.3":                  "urn:oid:1.2.3",
		"":                               "",
	} {
		if got := record.CanonicalSystem(in); got != want {
			t.Errorf("CanonicalSystem(%q) = %q, want %q", in, got, want)
		}
	}
}
