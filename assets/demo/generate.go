//go:build ignore

// generate.go writes the demo record: a made-up family's health records as
// two clinics would export them. Every name, date and value here is
// invented. Run it from this folder with
//
//	go run generate.go
//
// It writes the same bytes every time (no clock, no randomness beyond a
// fixed seed), so the demo vault's files keep their hashes.
//
// The family: Ann Lee (born 1981) has type 2 diabetes, high blood pressure
// and high cholesterol, followed at Valley Clinic for five years (a FHIR R4
// document Bundle with quarterly labs and vitals); she spent a night at
// Riverside Hospital's emergency department in June 2026 (a C-CDA R2.1
// CCD). Her son Sam Lee (born 2017) has asthma and a peanut allergy, seen at
// Lakeside Pediatrics (FHIR R4) and once at Riverside's emergency
// department (C-CDA). The two documents of each person share facts that
// merge (the same allergy, problems, a lab result, a vaccine) and Ann's
// disagree on one: the metformin dose.
package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"strings"
)

func main() {
	// records/ are the files the demo imports, in the order of their names.
	write("records/1-ann-lee-valley-clinic.json", jsonBytes(annValley()))
	write("records/2-ann-lee-riverside-hospital.xml", annRiverside())
	write("records/3-sam-lee-lakeside-pediatrics.json", jsonBytes(samLakeside()))
	write("records/4-sam-lee-riverside-hospital.xml", samRiverside())
	write("entered-by-hand.json", jsonBytes(byHand()))
}

func write(name string, b []byte) {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func jsonBytes(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// ---- a tiny deterministic random source ----

type rng uint64

func (r *rng) float() float64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return float64(uint64(*r)>>11) / float64(1<<53)
}

// jitter returns v plus noise of up to ±spread.
func (r *rng) jitter(v, spread float64) float64 { return v + (r.float()*2-1)*spread }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// ---- FHIR building ----

type obj = map[string]any

const (
	loinc  = "http://loinc.org"
	snomed = "http://snomed.info/sct"
	rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
	cvx    = "http://hl7.org/fhir/sid/cvx"
	ucum   = "http://unitsofmeasure.org"
)

func concept(system, code, display string) obj {
	return obj{"coding": []obj{{"system": system, "code": code, "display": display}}, "text": display}
}

// plainNames are the names clinics' systems give tests on the patient's
// side (the coding keeps LOINC's long name).
var plainNames = map[string]string{
	"4548-4": "Hemoglobin A1c", "1558-6": "Fasting glucose", "2345-7": "Glucose", "13457-7": "LDL cholesterol",
	"2085-9": "HDL cholesterol", "2093-3": "Total cholesterol", "2571-8": "Triglycerides", "2160-0": "Creatinine",
	"62238-1": "eGFR", "2823-3": "Potassium", "718-7": "Hemoglobin", "9318-7": "Urine albumin/creatinine ratio",
	"5671-3": "Lead, blood", "59408-5": "Oxygen saturation", "8310-5": "Body temperature", "85354-9": "Blood pressure",
	"29463-7": "Body weight", "8302-2": "Body height", "39156-5": "Body mass index", "8867-4": "Heart rate",
	"8480-6": "Systolic blood pressure", "8462-4": "Diastolic blood pressure",
}

// plainUnits are units as the clinics print them; the UCUM code stays in
// the quantity's code.
var plainUnits = map[string]string{
	"mm[Hg]": "mmHg", "Cel": "°C", "/min": "beats/min", "mL/min/{1.73_m2}": "mL/min/1.73 m²", "kg/m2": "kg/m²", "ug/dL": "µg/dL",
}

// loincConcept is a test's code with its plain name as the text.
func loincConcept(code, display string) obj {
	c := concept(loinc, code, display)
	if n := plainNames[code]; n != "" {
		c["text"] = n
	}
	return c
}

// quantity is a value in a unit, written as the clinic prints it.
func quantity(v float64, ucumCode string) obj {
	u := ucumCode
	if p := plainUnits[ucumCode]; p != "" {
		u = p
	}
	return obj{"value": v, "unit": u, "system": ucum, "code": ucumCode}
}

func ref(r string) obj { return obj{"reference": r} }

type bundle struct {
	base    string
	entries []obj
	n       int
}

func (b *bundle) add(r obj) string {
	typ := r["resourceType"].(string)
	id, _ := r["id"].(string)
	if id == "" {
		b.n++
		id = fmt.Sprintf("%s-%d", strings.ToLower(typ), b.n)
		r["id"] = id
	}
	b.entries = append(b.entries, obj{"fullUrl": b.base + typ + "/" + id, "resource": r})
	return typ + "/" + id
}

// clinic is the FHIR side of one practice.
type clinic struct {
	*bundle
	patient, org, doctor string
}

func newClinic(base, orgID, orgName, city, drID, drGiven, drFamily string, patient obj) *clinic {
	c := &clinic{bundle: &bundle{base: base}}
	c.org = c.add(obj{"resourceType": "Organization", "id": orgID, "name": orgName,
		"address": []obj{{"city": city, "state": "OR", "country": "US"}}})
	c.doctor = c.add(obj{"resourceType": "Practitioner", "id": drID,
		"name": []obj{{"family": drFamily, "given": []string{drGiven}, "prefix": []string{"Dr."}}}})
	c.patient = c.add(patient)
	return c
}

func patient(id, given, family, gender, birth, mrn, system string) obj {
	return obj{"resourceType": "Patient", "id": id,
		"identifier": []obj{{"system": system, "value": mrn}},
		"name":       []obj{{"use": "official", "family": family, "given": []string{given}}},
		"gender":     gender, "birthDate": birth,
		"address": []obj{{"line": []string{"14 Alder Lane"}, "city": "Portland", "state": "OR", "postalCode": "97201", "country": "US"}},
		"telecom": []obj{{"system": "phone", "value": "503-555-0142", "use": "home"}},
	}
}

func (c *clinic) condition(code, display, onset, status string, abatement string) {
	r := obj{"resourceType": "Condition",
		"clinicalStatus":     concept("http://terminology.hl7.org/CodeSystem/condition-clinical", status, strings.ToUpper(status[:1])+status[1:]),
		"verificationStatus": concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
		"category":           []obj{concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")},
		"code":               concept(snomed, code, display), "subject": ref(c.patient), "onsetDateTime": onset, "recordedDate": onset,
		"recorder": ref(c.doctor)}
	if abatement != "" {
		r["abatementDateTime"] = abatement
	}
	c.add(r)
}

func (c *clinic) medication(code, display, authored, status, dosage string, reason string) {
	r := obj{"resourceType": "MedicationRequest", "status": status, "intent": "order",
		"medicationCodeableConcept": concept(rxnorm, code, display), "subject": ref(c.patient),
		"authoredOn": authored, "requester": ref(c.doctor),
		"dosageInstruction": []obj{{"text": dosage}}}
	if reason != "" {
		r["reasonCode"] = []obj{{"text": reason}}
	}
	c.add(r)
}

// allergy adds an AllergyIntolerance; its severity is the reaction's (a
// criticality would read as the severity and differ from the hospital's).
func (c *clinic) allergy(system, code, display, recorded, reactionCode, reaction, severity string) {
	c.add(obj{"resourceType": "AllergyIntolerance",
		"clinicalStatus":     concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"),
		"verificationStatus": concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", "Confirmed"),
		"type":               "allergy", "code": concept(system, code, display),
		"patient": ref(c.patient), "recordedDate": recorded,
		"reaction": []obj{{"manifestation": []obj{concept(snomed, reactionCode, reaction)}, "severity": severity}}})
}

func (c *clinic) immunization(code, display, date string) {
	c.add(obj{"resourceType": "Immunization", "status": "completed", "vaccineCode": concept(cvx, code, display),
		"patient": ref(c.patient), "occurrenceDateTime": date, "primarySource": true,
		"performer": []obj{{"actor": ref(c.org)}}})
}

func (c *clinic) encounter(code, display, start, end, reason string) string {
	r := obj{"resourceType": "Encounter", "status": "finished",
		"class": obj{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
		"type":  []obj{concept(snomed, code, display)}, "subject": ref(c.patient),
		"participant":     []obj{{"individual": ref(c.doctor)}},
		"period":          obj{"start": start, "end": end},
		"serviceProvider": ref(c.org)}
	if reason != "" {
		r["reasonCode"] = []obj{{"text": reason}}
	}
	return c.add(r)
}

// lab is one test: its code, unit and reference range (low or high may be
// NaN when the range has one end).
type lab struct {
	code, display, unit string
	low, high           float64
	places              int
}

func (c *clinic) observation(category string, l lab, date string, v float64, enc string) {
	v = round(v, l.places)
	r := obj{"resourceType": "Observation", "status": "final",
		"category": []obj{concept("http://terminology.hl7.org/CodeSystem/observation-category", category, map[string]string{"laboratory": "Laboratory", "vital-signs": "Vital Signs"}[category])},
		"code":     loincConcept(l.code, l.display), "subject": ref(c.patient), "effectiveDateTime": date, "issued": date + "T16:00:00Z",
		"valueQuantity": quantity(v, l.unit)}
	if enc != "" {
		r["encounter"] = ref(enc)
	}
	if category == "laboratory" {
		r["performer"] = []obj{ref(c.org)}
	}
	rr := obj{}
	if !math.IsNaN(l.low) {
		rr["low"] = quantity(l.low, l.unit)
	}
	if !math.IsNaN(l.high) {
		rr["high"] = quantity(l.high, l.unit)
	}
	if len(rr) > 0 {
		r["referenceRange"] = []obj{rr}
		flag := ""
		switch {
		case !math.IsNaN(l.high) && v > l.high:
			flag = "H"
		case !math.IsNaN(l.low) && v < l.low:
			flag = "L"
		}
		if flag != "" {
			r["interpretation"] = []obj{concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag, map[string]string{"H": "High", "L": "Low"}[flag])}
		}
	}
	c.add(r)
}

func (c *clinic) bloodPressure(date string, sys, dia float64, enc string) {
	r := obj{"resourceType": "Observation", "status": "final",
		"category": []obj{concept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")},
		"code":     loincConcept("85354-9", "Blood pressure panel with all children optional"),
		"subject":  ref(c.patient), "effectiveDateTime": date,
		"component": []obj{
			{"code": loincConcept("8480-6", "Systolic blood pressure"), "valueQuantity": quantity(math.Round(sys), "mm[Hg]")},
			{"code": loincConcept("8462-4", "Diastolic blood pressure"), "valueQuantity": quantity(math.Round(dia), "mm[Hg]")},
		}}
	if enc != "" {
		r["encounter"] = ref(enc)
	}
	c.add(r)
}

// document wraps the clinic's resources as a FHIR document Bundle whose
// Composition names the clinic, so the app shows "Valley Clinic" as the source.
func (c *clinic) document(id, title, date string) obj {
	comp := obj{"resourceType": "Composition", "id": "summary", "status": "final",
		"type":    concept(loinc, "34133-9", "Summary of episode note"),
		"subject": ref(c.patient), "date": date, "author": []obj{ref(c.doctor)}, "title": title,
		"custodian": ref(c.org)}
	entries := append([]obj{{"fullUrl": c.base + "Composition/summary", "resource": comp}}, c.entries...)
	return obj{"resourceType": "Bundle", "id": id, "type": "document",
		"identifier": obj{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:" + id},
		"timestamp":  date + "T17:00:00Z", "entry": entries}
}

var (
	hba1c     = lab{"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.0, 5.6, 1}
	glucose   = lab{"1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 99, 0}
	ldl       = lab{"13457-7", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation", "mg/dL", math.NaN(), 100, 0}
	hdl       = lab{"2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", 40, math.NaN(), 0}
	chol      = lab{"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", math.NaN(), 200, 0}
	trig      = lab{"2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", math.NaN(), 150, 0}
	creat     = lab{"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.5, 1.1, 2}
	egfr      = lab{"62238-1", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)", "mL/min/{1.73_m2}", 60, math.NaN(), 0}
	potassium = lab{"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 5.1, 1}
	hgb       = lab{"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 12.0, 15.5, 1}
	uacr      = lab{"9318-7", "Albumin/Creatinine [Mass Ratio] in Urine", "mg/g", math.NaN(), 30, 0}
	lead      = lab{"5671-3", "Lead [Mass/volume] in Blood", "ug/dL", math.NaN(), 3.5, 1}

	weight = lab{"29463-7", "Body weight", "kg", math.NaN(), math.NaN(), 1}
	height = lab{"8302-2", "Body height", "cm", math.NaN(), math.NaN(), 1}
	bmi    = lab{"39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", math.NaN(), math.NaN(), 1}
	pulse  = lab{"8867-4", "Heart rate", "/min", math.NaN(), math.NaN(), 0}
	spo2   = lab{"59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", 95, math.NaN(), 0}
	temp   = lab{"8310-5", "Body temperature", "Cel", math.NaN(), math.NaN(), 1}
)

// ---- Ann Lee at Valley Clinic ----

// annVisits are Ann's quarterly visits at Valley Clinic, with her HbA1c
// on each: high when diabetes was found, better on metformin, a bad spell
// in spring 2026 that sent her to the emergency department, then better.
var annVisits = []struct {
	date  string
	a1c   float64
	sys   float64
	wt    float64
	lipid bool
}{
	{"2022-02-15", 8.4, 148, 91.2, true}, {"2022-05-20", 7.9, 144, 90.1, false}, {"2022-08-23", 7.5, 141, 89.0, true},
	{"2022-11-15", 7.2, 138, 88.4, false}, {"2023-02-14", 7.0, 136, 87.9, true}, {"2023-05-16", 6.9, 134, 87.0, false},
	{"2023-08-22", 6.8, 132, 86.2, true}, {"2023-11-14", 6.9, 131, 86.8, false}, {"2024-02-20", 7.1, 133, 87.5, true},
	{"2024-05-21", 6.9, 130, 86.9, false}, {"2024-08-20", 6.7, 128, 85.8, true}, {"2024-11-19", 6.8, 129, 85.5, false},
	{"2025-02-18", 6.9, 131, 86.0, true}, {"2025-05-20", 7.0, 132, 86.4, false}, {"2025-08-19", 7.0, 133, 86.9, true},
	{"2025-11-18", 7.2, 135, 87.6, false}, {"2026-02-17", 7.4, 138, 88.3, true}, {"2026-05-19", 7.8, 142, 88.9, false},
	{"2026-08-18", 7.3, 134, 87.8, true}, {"2026-11-17", 7.0, 129, 86.9, false},
}

func annPatient(system string) obj {
	return patient("ann-lee", "Ann", "Lee", "female", "1981-04-12", "VC-204417", system)
}

func annValley() obj {
	c := newClinic("https://fhir.valley-clinic.example/", "valley-clinic", "Valley Clinic", "Portland",
		"dr-gonzalez", "Maria", "Gonzalez", annPatient("https://valley-clinic.example/mrn"))
	c.condition("59621000", "Essential hypertension", "2019-08-14", "active", "")
	c.condition("44054006", "Type 2 diabetes mellitus", "2021-03-09", "active", "")
	c.condition("55822004", "Hyperlipidemia", "2022-02-15", "active", "")
	c.condition("36971009", "Sinusitis", "2023-01-06", "resolved", "2023-01-20")
	c.medication("314076", "lisinopril 10 MG Oral Tablet", "2019-08-14", "active", "10 mg by mouth once a day", "Essential hypertension")
	c.medication("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet", "2021-03-09", "active",
		"500 mg by mouth twice a day with meals", "Type 2 diabetes mellitus")
	c.medication("617310", "atorvastatin 20 MG Oral Tablet", "2022-02-15", "active", "20 mg by mouth at bedtime", "Hyperlipidemia")
	c.medication("308460", "azithromycin 250 MG Oral Tablet", "2023-01-06", "completed", "2 tablets on day 1, then 1 tablet a day for 4 days", "Sinusitis")
	c.allergy(rxnorm, "70618", "Penicillin", "2009-05-02", "247472004", "Hives", "moderate")
	c.allergy(snomed, "111088007", "Latex", "2015-10-12", "271807003", "Skin rash", "mild")
	c.immunization("115", "Tdap", "2020-09-01")
	c.immunization("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", "2021-04-10")
	c.immunization("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", "2021-05-01")
	for y := 2021; y <= 2026; y++ {
		c.immunization("140", "Influenza, seasonal, injectable, preservative free", fmt.Sprintf("%d-10-%02d", y, 5+y%7))
	}
	r := rng(1981)
	for i, v := range annVisits {
		enc := c.encounter("185349003", "Encounter for check up", v.date+"T09:00:00-08:00", v.date+"T09:30:00-08:00", "Diabetes follow-up")
		c.observation("laboratory", hba1c, v.date, v.a1c, enc)
		c.observation("laboratory", glucose, v.date, 18*v.a1c+r.jitter(0, 8), enc)
		c.bloodPressure(v.date, v.sys, r.jitter(v.sys*0.6, 3), enc)
		c.observation("vital-signs", weight, v.date, v.wt, enc)
		c.observation("vital-signs", bmi, v.date, v.wt/(1.65*1.65), enc)
		c.observation("vital-signs", pulse, v.date, r.jitter(76, 6), enc)
		if i == 0 {
			c.observation("vital-signs", height, v.date, 165.0, enc)
		}
		if v.lipid {
			statin := float64(min(i, 4)) // atorvastatin from the first visit, full effect within a year
			c.observation("laboratory", chol, v.date, r.jitter(246-12*statin, 6), enc)
			c.observation("laboratory", ldl, v.date, r.jitter(162-14*statin, 5), enc)
			c.observation("laboratory", hdl, v.date, r.jitter(44, 3), enc)
			c.observation("laboratory", trig, v.date, r.jitter(210-12*statin, 15), enc)
		}
		if strings.Contains(v.date, "-02-") || strings.Contains(v.date, "-08-") {
			c.observation("laboratory", creat, v.date, r.jitter(0.82, 0.06), enc)
			c.observation("laboratory", egfr, v.date, r.jitter(88, 4), enc)
			c.observation("laboratory", potassium, v.date, r.jitter(4.3, 0.3), enc)
		}
		if strings.Contains(v.date, "-02-") {
			c.observation("laboratory", hgb, v.date, r.jitter(13.4, 0.5), enc)
			c.observation("laboratory", uacr, v.date, r.jitter(18+float64(i), 3), enc)
		}
	}
	return c.document("4f7c2a8e-1b6d-4e0a-9c3f-2d5e8a1b7c40", "Valley Clinic health summary", "2026-11-17")
}

// ---- Sam Lee at Lakeside Pediatrics ----

func samPatient(system string) obj {
	return patient("sam-lee", "Sam", "Lee", "male", "2017-06-03", "LP-55821", system)
}

func samLakeside() obj {
	c := newClinic("https://fhir.lakeside-peds.example/", "lakeside-pediatrics", "Lakeside Pediatrics", "Portland",
		"dr-okafor", "James", "Okafor", samPatient("https://lakeside-peds.example/mrn"))
	c.condition("195967001", "Asthma", "2021-10-02", "active", "")
	c.condition("65363002", "Otitis media", "2022-01-24", "resolved", "2022-02-07")
	c.medication("745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", "2021-10-02", "active",
		"2 puffs every 4 hours as needed for wheezing", "Asthma")
	c.medication("895994", "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler", "2023-09-15", "active",
		"1 puff twice a day; rinse mouth after", "Asthma")
	c.medication("308182", "amoxicillin 250 MG/5ML Oral Suspension", "2022-01-24", "completed", "5 mL by mouth twice a day for 10 days", "Otitis media")
	c.allergy(snomed, "256349002", "Peanut", "2019-03-11", "39579001", "Anaphylaxis", "severe")
	// The childhood schedule.
	shots := []struct{ code, name, date string }{
		{"08", "Hep B, adolescent or pediatric", "2017-06-04"}, {"08", "Hep B, adolescent or pediatric", "2017-08-07"},
		{"20", "DTaP", "2017-08-07"}, {"10", "IPV", "2017-08-07"}, {"20", "DTaP", "2017-10-09"}, {"10", "IPV", "2017-10-09"},
		{"20", "DTaP", "2017-12-11"}, {"08", "Hep B, adolescent or pediatric", "2017-12-11"}, {"10", "IPV", "2017-12-11"},
		{"03", "MMR", "2018-06-11"}, {"21", "varicella", "2018-06-11"}, {"20", "DTaP", "2018-09-10"},
		{"20", "DTaP", "2021-06-07"}, {"10", "IPV", "2021-06-07"}, {"03", "MMR", "2021-06-07"}, {"21", "varicella", "2021-06-07"},
	}
	for _, s := range shots {
		c.immunization(s.code, s.name, s.date)
	}
	for y := 2018; y <= 2026; y++ {
		c.immunization("150", "Influenza, injectable, quadrivalent, preservative free", fmt.Sprintf("%d-10-%02d", y, 10+y%9))
	}
	// Well-child visits: growing up along the 60th centile.
	r := rng(2017)
	for y := 2018; y <= 2026; y++ {
		age := float64(y-2017) + 0.05
		date := fmt.Sprintf("%d-06-%02d", y, 5+y%10)
		enc := c.encounter("410620009", "Well child visit", date+"T10:00:00-07:00", date+"T10:40:00-07:00", "")
		h := 76 + 22*math.Log1p(age)*1.9 - 6
		if age > 1 {
			h = 86 + 6.6*(age-1)
		}
		w := 10.2 + 2.3*(age-1)
		c.observation("vital-signs", height, date, r.jitter(h, 0.6), enc)
		c.observation("vital-signs", weight, date, r.jitter(w, 0.3), enc)
		c.observation("vital-signs", bmi, date, w/((h/100)*(h/100)), enc)
		c.observation("vital-signs", pulse, date, r.jitter(112-4*age, 5), enc)
		if y == 2019 {
			c.observation("laboratory", lead, date, 1.2, enc)
			c.observation("laboratory", hgb, date, 12.1, enc)
		}
	}
	c.encounter("390906007", "Follow-up encounter", "2021-10-02T15:00:00-07:00", "2021-10-02T15:30:00-07:00", "Wheezing")
	c.encounter("390906007", "Follow-up encounter", "2023-09-15T15:00:00-07:00", "2023-09-15T15:30:00-07:00", "Asthma review")
	c.encounter("390906007", "Follow-up encounter", "2024-03-14T11:00:00-07:00", "2024-03-14T11:20:00-07:00", "After the emergency visit")
	return c.document("9a1e3c5b-7d2f-4b8a-8e6c-0f4d2b9a6e13", "Lakeside Pediatrics visit history", "2026-06-12")
}

// ---- C-CDA building ----

// ccd is a C-CDA R2.1 Continuity of Care Document under construction.
type ccd struct {
	b        strings.Builder
	n        int
	idRoot   string
	sections []string
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *ccd) id() string {
	d.n++
	return fmt.Sprintf(`<id root="%s" extension="%d"/>`, d.idRoot, d.n)
}

func cd(code, system, systemName, display string) string {
	return fmt.Sprintf(`code="%s" codeSystem="%s" codeSystemName="%s" displayName="%s"`, code, system, systemName, esc(display))
}

const (
	oidSNOMED = "2.16.840.1.113883.6.96"
	oidLOINC  = "2.16.840.1.113883.6.1"
	oidRxNorm = "2.16.840.1.113883.6.88"
	oidCVX    = "2.16.840.1.113883.12.292"
	oidCPT    = "2.16.840.1.113883.6.12"
)

// section adds a section with its narrative table and entries.
func (d *ccd) section(templ, code, title string, head []string, rows [][]string, entries []string) {
	var s strings.Builder
	fmt.Fprintf(&s, `<component><section><templateId root="%s" extension="2015-08-01"/><templateId root="%s"/>`, templ, templ)
	fmt.Fprintf(&s, `<code code="%s" codeSystem="%s" codeSystemName="LOINC"/><title>%s</title><text>`, code, oidLOINC, esc(title))
	if len(rows) == 0 {
		s.WriteString(`<paragraph>None recorded.</paragraph>`)
	} else {
		s.WriteString(`<table border="1" width="100%"><thead><tr>`)
		for _, h := range head {
			fmt.Fprintf(&s, `<th>%s</th>`, esc(h))
		}
		s.WriteString(`</tr></thead><tbody>`)
		for _, r := range rows {
			s.WriteString(`<tr>`)
			for _, c := range r {
				fmt.Fprintf(&s, `<td>%s</td>`, esc(c))
			}
			s.WriteString(`</tr>`)
		}
		s.WriteString(`</tbody></table>`)
	}
	s.WriteString(`</text>`)
	for _, e := range entries {
		s.WriteString(`<entry typeCode="DRIV">`)
		s.WriteString(e)
		s.WriteString(`</entry>`)
	}
	s.WriteString(`</section></component>`)
	d.sections = append(d.sections, s.String())
}

// narrative adds a section of text only (discharge instructions).
func (d *ccd) narrative(templ, code, title string, paragraphs ...string) {
	var s strings.Builder
	fmt.Fprintf(&s, `<component><section><templateId root="%s"/><code code="%s" codeSystem="%s" codeSystemName="LOINC"/><title>%s</title><text>`, templ, code, oidLOINC, esc(title))
	for _, p := range paragraphs {
		fmt.Fprintf(&s, `<paragraph>%s</paragraph>`, esc(p))
	}
	s.WriteString(`</text></section></component>`)
	d.sections = append(d.sections, s.String())
}

func ts(date string) string { return strings.ReplaceAll(date, "-", "") }

func (d *ccd) problem(code, display, onset, status string) string {
	act := "active"
	if status != "active" {
		act = "completed"
	}
	statusCode := map[string]string{"active": "55561003", "resolved": "413322009"}[status]
	statusName := map[string]string{"active": "Active", "resolved": "Resolved"}[status]
	return fmt.Sprintf(`<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3" extension="2015-08-01"/>%s`+
		`<code code="CONC" codeSystem="2.16.840.1.113883.5.6" displayName="Concern"/><statusCode code="%s"/><effectiveTime><low value="%s"/></effectiveTime>`+
		`<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4" extension="2015-08-01"/>%s`+
		`<code code="55607006" codeSystem="%s" displayName="Problem"/><statusCode code="completed"/><effectiveTime><low value="%s"/></effectiveTime>`+
		`<value xsi:type="CD" %s/>`+
		`<entryRelationship typeCode="REFR"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.6"/>`+
		`<code code="33999-4" codeSystem="%s" displayName="Status"/><statusCode code="completed"/><value xsi:type="CD" %s/></observation></entryRelationship>`+
		`</observation></entryRelationship></act>`,
		d.id(), act, ts(onset), d.id(), oidSNOMED, ts(onset), cd(code, oidSNOMED, "SNOMED CT", display),
		oidLOINC, cd(statusCode, oidSNOMED, "SNOMED CT", statusName))
}

func (d *ccd) medication(code, display, start, end string, dose float64, unit, route, routeName string, periodHours int) string {
	high := ""
	if end != "" {
		high = fmt.Sprintf(`<high value="%s"/>`, ts(end))
	} else {
		high = `<high nullFlavor="UNK"/>`
	}
	status := "active"
	if end != "" {
		status = "completed"
	}
	return fmt.Sprintf(`<substanceAdministration classCode="SBADM" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16" extension="2014-06-09"/>%s`+
		`<statusCode code="%s"/><effectiveTime xsi:type="IVL_TS"><low value="%s"/>%s</effectiveTime>`+
		`<effectiveTime xsi:type="PIVL_TS" institutionSpecified="true" operator="A"><period value="%d" unit="h"/></effectiveTime>`+
		`<routeCode code="%s" codeSystem="2.16.840.1.113883.3.26.1.1" codeSystemName="NCI Thesaurus" displayName="%s"/>`+
		`<doseQuantity value="%g" unit="%s"/>`+
		`<consumable><manufacturedProduct classCode="MANU"><templateId root="2.16.840.1.113883.10.20.22.4.23" extension="2014-06-09"/>`+
		`<manufacturedMaterial><code %s/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>`,
		d.id(), status, ts(start), high, periodHours, route, routeName, dose, unit, cd(code, oidRxNorm, "RxNorm", display))
}

func (d *ccd) allergy(substSystem, substSystemName, code, display, onset, reactionCode, reaction, sevCode, severity string) string {
	return fmt.Sprintf(`<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30" extension="2015-08-01"/>%s`+
		`<code code="CONC" codeSystem="2.16.840.1.113883.5.6"/><statusCode code="active"/><effectiveTime><low value="%s"/></effectiveTime>`+
		`<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.7" extension="2014-06-09"/>%s`+
		`<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/><effectiveTime><low value="%s"/></effectiveTime>`+
		`<value xsi:type="CD" code="419511003" codeSystem="%s" codeSystemName="SNOMED CT" displayName="Propensity to adverse reactions to drug"/>`+
		`<participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT"><code %s/></playingEntity></participantRole></participant>`+
		`<entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.9" extension="2014-06-09"/>%s`+
		`<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/><value xsi:type="CD" %s/>`+
		`<entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.8" extension="2014-06-09"/>`+
		`<code code="SEV" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/><value xsi:type="CD" %s/></observation></entryRelationship>`+
		`</observation></entryRelationship></observation></entryRelationship></act>`,
		d.id(), ts(onset), d.id(), ts(onset), oidSNOMED, cd(code, substSystem, substSystemName, display), d.id(),
		cd(reactionCode, oidSNOMED, "SNOMED CT", reaction), cd(sevCode, oidSNOMED, "SNOMED CT", severity))
}

// result is one result observation (template 4.2 for labs, 4.27 for vitals).
func (d *ccd) result(templ string, l lab, date string, v float64) string {
	v = round(v, l.places)
	interp, rng := "N", ""
	switch {
	case !math.IsNaN(l.high) && v > l.high:
		interp = "H"
	case !math.IsNaN(l.low) && v < l.low:
		interp = "L"
	}
	if !math.IsNaN(l.low) || !math.IsNaN(l.high) {
		lo, hi := `<low nullFlavor="NINF"/>`, `<high nullFlavor="PINF"/>`
		if !math.IsNaN(l.low) {
			lo = fmt.Sprintf(`<low value="%g" unit="%s"/>`, l.low, esc(l.unit))
		}
		if !math.IsNaN(l.high) {
			hi = fmt.Sprintf(`<high value="%g" unit="%s"/>`, l.high, esc(l.unit))
		}
		rng = fmt.Sprintf(`<referenceRange><observationRange><value xsi:type="IVL_PQ">%s%s</value></observationRange></referenceRange>`, lo, hi)
	}
	return fmt.Sprintf(`<component><observation classCode="OBS" moodCode="EVN"><templateId root="%s" extension="2015-08-01"/>%s`+
		`<code %s/><statusCode code="completed"/><effectiveTime value="%s"/><value xsi:type="PQ" value="%g" unit="%s"/>`+
		`<interpretationCode code="%s" codeSystem="2.16.840.1.113883.5.83"/>%s</observation></component>`,
		templ, d.id(), cd(l.code, oidLOINC, "LOINC", plainName(l)), ts(date), v, esc(l.unit), interp, rng)
}

func (d *ccd) organizer(templ, code, display, date string, components ...string) string {
	return fmt.Sprintf(`<organizer classCode="CLUSTER" moodCode="EVN"><templateId root="%s" extension="2015-08-01"/>%s`+
		`<code %s/><statusCode code="completed"/><effectiveTime value="%s"/>%s</organizer>`,
		templ, d.id(), cd(code, oidLOINC, "LOINC", display), ts(date), strings.Join(components, ""))
}

func (d *ccd) immunization(code, display, date string) string {
	return fmt.Sprintf(`<substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="false"><templateId root="2.16.840.1.113883.10.20.22.4.52" extension="2015-08-01"/>%s`+
		`<statusCode code="completed"/><effectiveTime value="%s"/><consumable><manufacturedProduct classCode="MANU"><templateId root="2.16.840.1.113883.10.20.22.4.54" extension="2014-06-09"/>`+
		`<manufacturedMaterial><code %s/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>`,
		d.id(), ts(date), cd(code, oidCVX, "CVX", display))
}

func (d *ccd) encounter(code, display, start, end, place string) string {
	return fmt.Sprintf(`<encounter classCode="ENC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.49" extension="2015-08-01"/>%s`+
		`<code %s/><effectiveTime><low value="%s"/><high value="%s"/></effectiveTime>`+
		`<participant typeCode="LOC"><participantRole classCode="SDLOC"><templateId root="2.16.840.1.113883.10.20.22.4.32"/>`+
		`<code code="1108-0" codeSystem="2.16.840.1.113883.6.259" displayName="Emergency Department"/><playingEntity classCode="PLC"><name>%s</name></playingEntity></participantRole></participant></encounter>`,
		d.id(), cd(code, oidCPT, "CPT", display), start, end, esc(place))
}

func (d *ccd) procedure(code, display, date string) string {
	return fmt.Sprintf(`<procedure classCode="PROC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.14" extension="2014-06-09"/>%s`+
		`<code %s/><statusCode code="completed"/><effectiveTime value="%s"/></procedure>`,
		d.id(), cd(code, oidSNOMED, "SNOMED CT", display), ts(date))
}

// plainName is a test's name as a hospital's summary prints it.
func plainName(l lab) string {
	if n := plainNames[l.code]; n != "" {
		return n
	}
	return l.display
}

type person struct{ given, family, gender, birth, mrn string }

// document renders the whole ClinicalDocument.
func (d *ccd) document(docID, title, date string, p person, author string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!-- A made-up record for Kinfolio's demo: every name, date and value is invented. -->` + "\n")
	b.WriteString(`<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">`)
	b.WriteString(`<realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>`)
	b.WriteString(`<templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/><templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>`)
	fmt.Fprintf(&b, `<id root="%s" extension="%s"/>`, d.idRoot, docID)
	fmt.Fprintf(&b, `<code code="34133-9" codeSystem="%s" codeSystemName="LOINC" displayName="Summarization of Episode Note"/>`, oidLOINC)
	fmt.Fprintf(&b, `<title>%s</title><effectiveTime value="%s120000-0700"/>`, esc(title), ts(date))
	b.WriteString(`<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="en-US"/>`)
	g := map[string]string{"female": "F", "male": "M"}[p.gender]
	fmt.Fprintf(&b, `<recordTarget><patientRole><id root="2.16.840.1.113883.19.5.99999.2" extension="%s"/>`, p.mrn)
	b.WriteString(`<addr use="HP"><streetAddressLine>14 Alder Lane</streetAddressLine><city>Portland</city><state>OR</state><postalCode>97201</postalCode><country>US</country></addr>`)
	b.WriteString(`<telecom value="tel:+1(503)555-0142" use="HP"/>`)
	fmt.Fprintf(&b, `<patient><name use="L"><given>%s</given><family>%s</family></name>`, esc(p.given), esc(p.family))
	fmt.Fprintf(&b, `<administrativeGenderCode code="%s" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="%s"/>`, g, ts(p.birth))
	b.WriteString(`<languageCommunication><languageCode code="en"/></languageCommunication></patient></patientRole></recordTarget>`)
	fmt.Fprintf(&b, `<author><time value="%s120000-0700"/><assignedAuthor><id root="2.16.840.1.113883.4.6" extension="1912345678"/>`, ts(date))
	fmt.Fprintf(&b, `<assignedPerson><name><prefix>Dr.</prefix><given>Priya</given><family>Raman</family></name></assignedPerson>`)
	fmt.Fprintf(&b, `<representedOrganization><name>%s</name></representedOrganization></assignedAuthor></author>`, esc(author))
	fmt.Fprintf(&b, `<custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.19.5.99999.1"/><name>%s</name>`, esc(author))
	b.WriteString(`<telecom value="tel:+1(503)555-0100" use="WP"/><addr><streetAddressLine>900 River Road</streetAddressLine><city>Portland</city><state>OR</state><postalCode>97205</postalCode><country>US</country></addr>`)
	b.WriteString(`</representedCustodianOrganization></assignedCustodian></custodian>`)
	b.WriteString(`<component><structuredBody>`)
	for _, s := range d.sections {
		b.WriteString("\n")
		b.WriteString(s)
	}
	b.WriteString("\n</structuredBody></component></ClinicalDocument>\n")
	return b.Bytes()
}

// ---- Ann Lee at Riverside Hospital ----

func annRiverside() []byte {
	d := &ccd{idRoot: "2.16.840.1.113883.19.5.99999.7"}
	d.section("2.16.840.1.113883.10.20.22.2.6.1", "48765-2", "Allergies and Adverse Reactions",
		[]string{"Substance", "Reaction", "Severity", "Status"},
		[][]string{{"Penicillin", "Hives", "Moderate", "Active"}},
		[]string{d.allergy(oidRxNorm, "RxNorm", "70618", "Penicillin", "2009-05-02", "247472004", "Hives", "6736007", "Moderate")})
	d.section("2.16.840.1.113883.10.20.22.2.1.1", "10160-0", "Medications",
		[]string{"Medication", "Directions", "Start", "Status"},
		[][]string{
			{"Metformin ER 500 mg tablet", "Take 1000 mg by mouth once a day with the evening meal", "9 Mar 2021", "Active"},
			{"Lisinopril 10 mg tablet", "10 mg by mouth once a day", "14 Aug 2019", "Active"},
		},
		[]string{
			d.medication("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet", "2021-03-09", "", 1000, "mg", "C38288", "Oral", 24),
			d.medication("314076", "lisinopril 10 MG Oral Tablet", "2019-08-14", "", 10, "mg", "C38288", "Oral", 24),
		})
	d.section("2.16.840.1.113883.10.20.22.2.5.1", "11450-4", "Problems",
		[]string{"Problem", "Onset", "Status"},
		[][]string{{"Type 2 diabetes mellitus", "9 Mar 2021", "Active"}, {"Essential hypertension", "14 Aug 2019", "Active"}, {"Hyperglycemia", "12 Jun 2026", "Resolved"}},
		[]string{
			d.problem("44054006", "Type 2 diabetes mellitus", "2021-03-09", "active"),
			d.problem("59621000", "Essential hypertension", "2019-08-14", "active"),
			d.problem("80394007", "Hyperglycemia", "2026-06-12", "resolved"),
		})
	ed := "2026-06-12"
	d.section("2.16.840.1.113883.10.20.22.2.3.1", "30954-2", "Results",
		[]string{"Test", "Result", "Range", "Date"},
		[][]string{
			{"Hemoglobin A1c", "7.8 %", "4.0-5.6 %", "19 May 2026 (Valley Clinic)"},
			{"Glucose", "312 mg/dL", "70-140 mg/dL", "12 Jun 2026"},
			{"Potassium", "4.6 mmol/L", "3.5-5.1 mmol/L", "12 Jun 2026"},
			{"Creatinine", "0.94 mg/dL", "0.5-1.1 mg/dL", "12 Jun 2026"},
		},
		[]string{
			// The A1c Valley Clinic sent along: the same result, so it merges.
			d.organizer("2.16.840.1.113883.10.20.22.4.1", "4548-4", "Hemoglobin A1c", "2026-05-19",
				d.result("2.16.840.1.113883.10.20.22.4.2", hba1c, "2026-05-19", 7.8)),
			d.organizer("2.16.840.1.113883.10.20.22.4.1", "24323-8", "Comprehensive metabolic panel", ed,
				d.result("2.16.840.1.113883.10.20.22.4.2", lab{"2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 140, 0}, ed, 312),
				d.result("2.16.840.1.113883.10.20.22.4.2", potassium, ed, 4.6),
				d.result("2.16.840.1.113883.10.20.22.4.2", creat, ed, 0.94)),
		})
	d.section("2.16.840.1.113883.10.20.22.2.4.1", "8716-3", "Vital Signs",
		[]string{"Date", "Blood pressure", "Heart rate", "Temperature", "Oxygen"},
		[][]string{{"12 Jun 2026", "158/96 mmHg", "102 /min", "37.2 °C", "97 %"}},
		[]string{d.organizer("2.16.840.1.113883.10.20.22.4.26", "46680005", "Vital signs", ed,
			d.result("2.16.840.1.113883.10.20.22.4.27", lab{"8480-6", "Systolic blood pressure", "mm[Hg]", math.NaN(), math.NaN(), 0}, ed, 158),
			d.result("2.16.840.1.113883.10.20.22.4.27", lab{"8462-4", "Diastolic blood pressure", "mm[Hg]", math.NaN(), math.NaN(), 0}, ed, 96),
			d.result("2.16.840.1.113883.10.20.22.4.27", pulse, ed, 102),
			d.result("2.16.840.1.113883.10.20.22.4.27", temp, ed, 37.2),
			d.result("2.16.840.1.113883.10.20.22.4.27", spo2, ed, 97))})
	d.section("2.16.840.1.113883.10.20.22.2.2.1", "11369-6", "Immunizations",
		[]string{"Vaccine", "Date"}, [][]string{{"Tdap", "1 Sep 2020"}},
		[]string{d.immunization("115", "Tdap", "2020-09-01")})
	d.section("2.16.840.1.113883.10.20.22.2.7.1", "47519-4", "Procedures",
		[]string{"Procedure", "Date"}, [][]string{{"Electrocardiogram", "12 Jun 2026"}},
		[]string{d.procedure("29303009", "Electrocardiographic procedure", ed)})
	d.section("2.16.840.1.113883.10.20.22.2.22.1", "46240-8", "Encounters",
		[]string{"Visit", "Date", "Where"}, [][]string{{"Emergency department visit", "12-13 Jun 2026", "Riverside Hospital Emergency Department"}},
		[]string{d.encounter("99284", "Emergency department visit", "20260612213000-0700", "20260613061500-0700", "Riverside Hospital Emergency Department")})
	d.narrative("2.16.840.1.113883.10.20.22.2.41", "8653-8", "Hospital Discharge Instructions",
		"You came to the emergency department with high blood sugar (312 mg/dL), thirst and tiredness. Fluids brought it down overnight; your heart tracing (ECG) was normal.",
		"Take metformin ER 1000 mg once a day with your evening meal instead of 500 mg twice a day. Keep taking lisinopril 10 mg once a day.",
		"Check your blood sugar before breakfast each day and write it down. See Dr. Gonzalez at Valley Clinic within one week.",
		"Come back at once for vomiting, confusion, or blood sugar over 300 mg/dL twice in a row.")
	return d.document("RH-ED-2026-06-13-0412", "Riverside Hospital emergency visit summary", "2026-06-13",
		person{"Ann", "Lee", "female", "1981-04-12", "RH-883102"}, "Riverside Hospital")
}

// ---- Sam Lee at Riverside Hospital ----

func samRiverside() []byte {
	d := &ccd{idRoot: "2.16.840.1.113883.19.5.99999.7"}
	ed := "2024-03-08"
	d.section("2.16.840.1.113883.10.20.22.2.6.1", "48765-2", "Allergies and Adverse Reactions",
		[]string{"Substance", "Reaction", "Severity", "Status"},
		[][]string{{"Peanut", "Anaphylaxis", "Severe", "Active"}},
		[]string{d.allergy(oidSNOMED, "SNOMED CT", "256349002", "Peanut", "2019-03-11", "39579001", "Anaphylaxis", "24484000", "Severe")})
	d.section("2.16.840.1.113883.10.20.22.2.1.1", "10160-0", "Medications",
		[]string{"Medication", "Directions", "Start", "Status"},
		[][]string{
			{"Albuterol inhaler", "2 puffs every 4 hours as needed", "2 Oct 2021", "Active"},
			{"Prednisolone 15 mg/5 mL", "10 mL by mouth once a day for 5 days", "8 Mar 2024", "Completed"},
		},
		[]string{
			d.medication("745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", "2021-10-02", "", 2, "{puff}", "C38216", "Inhalation", 4),
			d.medication("312617", "prednisoLONE 3 MG/ML Oral Solution", ed, "2024-03-12", 10, "mL", "C38288", "Oral", 24),
		})
	d.section("2.16.840.1.113883.10.20.22.2.5.1", "11450-4", "Problems",
		[]string{"Problem", "Onset", "Status"},
		[][]string{{"Asthma", "2 Oct 2021", "Active"}, {"Asthma attack", "8 Mar 2024", "Resolved"}},
		[]string{
			d.problem("195967001", "Asthma", "2021-10-02", "active"),
			d.problem("708038006", "Acute exacerbation of asthma", ed, "resolved"),
		})
	d.section("2.16.840.1.113883.10.20.22.2.4.1", "8716-3", "Vital Signs",
		[]string{"Date", "Heart rate", "Temperature", "Oxygen", "Weight"},
		[][]string{{"8 Mar 2024", "128 /min", "37.6 °C", "91 %", "24.1 kg"}},
		[]string{d.organizer("2.16.840.1.113883.10.20.22.4.26", "46680005", "Vital signs", ed,
			d.result("2.16.840.1.113883.10.20.22.4.27", pulse, ed, 128),
			d.result("2.16.840.1.113883.10.20.22.4.27", temp, ed, 37.6),
			d.result("2.16.840.1.113883.10.20.22.4.27", spo2, ed, 91),
			d.result("2.16.840.1.113883.10.20.22.4.27", weight, ed, 24.1))})
	d.section("2.16.840.1.113883.10.20.22.2.2.1", "11369-6", "Immunizations",
		[]string{"Vaccine", "Date"}, [][]string{{"Influenza, injectable, quadrivalent", "17 Oct 2023"}},
		[]string{d.immunization("150", "Influenza, injectable, quadrivalent, preservative free", "2023-10-17")})
	d.section("2.16.840.1.113883.10.20.22.2.7.1", "47519-4", "Procedures",
		[]string{"Procedure", "Date"}, [][]string{{"Nebulizer treatment", "8 Mar 2024"}},
		[]string{d.procedure("56251003", "Nebulizer therapy", ed)})
	d.section("2.16.840.1.113883.10.20.22.2.22.1", "46240-8", "Encounters",
		[]string{"Visit", "Date", "Where"}, [][]string{{"Emergency department visit", "8 Mar 2024", "Riverside Hospital Emergency Department"}},
		[]string{d.encounter("99283", "Emergency department visit", "20240308184500-0800", "20240308231000-0800", "Riverside Hospital Emergency Department")})
	d.narrative("2.16.840.1.113883.10.20.22.2.41", "8653-8", "Hospital Discharge Instructions",
		"Sam came in with wheezing and a cough after a cold. He had three nebulizer treatments and one dose of prednisolone; his oxygen came up from 91% to 97%.",
		"Give prednisolone 10 mL by mouth once a day for 4 more days. Use the albuterol inhaler, 2 puffs every 4 hours, for the next 2 days, then as needed.",
		"See Dr. Okafor at Lakeside Pediatrics within a week. Come back at once if he struggles to breathe, cannot speak in full sentences, or his lips look blue.")
	return d.document("RH-ED-2024-03-08-1187", "Riverside Hospital emergency visit summary", "2024-03-08",
		person{"Sam", "Lee", "male", "2017-06-03", "RH-990247"}, "Riverside Hospital")
}

// ---- entered by hand ----

// byHand are the entries the family typed in themselves, as app.NewEntry
// takes them.
func byHand() []obj {
	return []obj{
		{"person": "Ann Lee", "kind": "vital", "title": "Blood pressure", "date": "2026-11-24", "value": "126/80", "unit": "mm[Hg]", "note": "Home monitor, morning"},
		{"person": "Ann Lee", "kind": "vital", "title": "Blood pressure", "date": "2026-11-28", "value": "131/83", "unit": "mm[Hg]", "note": "Home monitor, evening"},
		{"person": "Ann Lee", "kind": "lab", "title": "Fasting blood sugar (finger stick)", "date": "2026-11-29", "value": "118", "unit": "mg/dL"},
		{"person": "Ann Lee", "kind": "medication", "title": "Vitamin D3 1000 IU", "date": "2025-01", "value": "1 capsule", "unit": "a day", "note": "Bought at the pharmacy"},
		{"person": "Ann Lee", "kind": "document", "title": "Questions for Dr. Gonzalez", "date": "2026-11-30",
			"note": "Is the metformin dose 500 mg twice a day or 1000 mg once a day now? The hospital and the clinic lists differ.\nShould I keep checking my sugar every morning?"},
		{"person": "Sam Lee", "kind": "allergy", "title": "Cats", "date": "2025-09", "note": "Sneezing and itchy eyes at his friend's house"},
		{"person": "Sam Lee", "kind": "vital", "title": "Peak flow", "date": "2026-11-20", "value": "240", "unit": "L/min", "note": "Best of three"},
	}
}
