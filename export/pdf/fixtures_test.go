package pdf

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// The people the tests print, built in code (the corpus tests in
// export/pdf/corpustest print people read from real files).

// now is the tests' Input.Now: every output is reproducible for it.
var now = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

func ptr(f float64) *float64 { return &f }

func day(s string) record.Date { return record.MustDate(s) }

func loinc(code, display string) []record.Coding {
	return []record.Coding{{System: record.SystemLOINC, Code: code, Display: display}}
}

func rxnorm(code string) []record.Coding {
	return []record.Coding{{System: record.SystemRxNorm, Code: code}}
}

// threeSources is a person whose records come from two clinics and her own
// entries, with a medication the clinics disagree on, abnormal results,
// a hospital stay, a pacemaker and emergency contacts.
func threeSources() export.Input {
	const a, b, p = "src-valley", "src-river", "src-self"
	in := export.Input{
		Now: now,
		Person: record.Profile{
			ID: "zoe", Name: "Zoë Ñúñez-Øster", BirthDate: day("1958-07-23"), Sex: "female",
			Contacts: []record.Contact{
				{Name: "Łukasz Øster", Relation: "husband", Phone: "+1 555 0100"},
				{Name: "Ана Петрова", Relation: "daughter", Phone: "+1 555 0101"},
				{Name: "Dr Σοφία Παπαδοπούλου", Relation: "family doctor", Phone: "+1 555 0199"},
			},
			Language: "Spanish",
		},
		Sources: []export.Source{
			{Source: record.Source{ID: p, Format: record.SelfReported, ImportedAt: time.Date(2025, 1, 5, 9, 0, 0, 0, time.UTC)}, Name: "Entered by you"},
			{Source: record.Source{ID: b, File: "riverside-export.json", Format: "fhir-r4", ImportedAt: time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC), Author: "Riverside Hospital"}, Name: "Riverside Hospital"},
			{Source: record.Source{ID: a, File: "valley-ccd.xml", Format: "ccda", ImportedAt: time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC), Author: "Valley Clinic", DocumentDate: day("2024-03-01")}, Name: "Valley Clinic"},
		},
	}
	n := 0
	add := func(e record.Entry, srcs ...string) {
		n++
		e.ID = fmt.Sprintf("e%03d", n)
		e.Profile = "zoe"
		e.Sources = srcs
		in.Entries = append(in.Entries, e)
	}
	// Allergies.
	add(record.Entry{Kind: record.KindAllergy, Title: "Penicillin", Status: "active", Reactions: []string{"Hives", "Anaphylaxis"}, Severity: "high", Date: day("1985")}, a, b)
	add(record.Entry{Kind: record.KindAllergy, Title: "Peanut", Status: "active", Reactions: []string{"Swelling of the lips"}, Category: "food"}, p)
	// Medications: lisinopril, the clinics disagree on the dose.
	add(record.Entry{Kind: record.KindMedication, Category: "statement", Title: "Lisinopril 10 MG Oral Tablet", Codes: rxnorm("314076"), Status: "active", Date: day("2024-03-01"), Dosage: "10 mg once daily", Reason: "High blood pressure", Conflict: true}, a)
	add(record.Entry{Kind: record.KindMedication, Category: "order", Title: "Lisinopril 20 MG Oral Tablet", Codes: rxnorm("314076"), Status: "active", Date: day("2024-03-01"), Dosage: "20 mg once daily", Reason: "High blood pressure", Performer: "Dr Raj Patel", Conflict: true}, b)
	add(record.Entry{Kind: record.KindMedication, Category: "order", Title: "Apixaban 5 MG Oral Tablet", Codes: rxnorm("1364445"), Status: "active", Date: day("2022-11-10"), Dosage: "5 mg twice daily", Reason: "Atrial fibrillation", Performer: "Dr Raj Patel"}, b)
	add(record.Entry{Kind: record.KindMedication, Category: "statement", Title: "Metformin 500 MG Oral Tablet", Codes: rxnorm("861007"), Status: "active", Date: day("2019-05-02"), Dosage: "500 mg twice daily with meals", Reason: "Type 2 diabetes"}, a, b)
	add(record.Entry{Kind: record.KindMedication, Category: "statement", Title: "Atorvastatin 40 MG Oral Tablet", Codes: rxnorm("617311"), Status: "active", Date: day("2021-02-14"), Dosage: "40 mg at night"}, a)
	add(record.Entry{Kind: record.KindMedication, Category: "statement", Title: "Vitamin D3 1000 IU (over the counter)", Status: "active", Date: day("2023-09"), Dosage: "1 capsule daily"}, p)
	add(record.Entry{Kind: record.KindMedication, Category: "statement", Title: "Amoxicillin 500 MG Oral Capsule", Status: "completed", Date: day("2023-01-04"), End: day("2023-01-11"), Dosage: "500 mg three times daily"}, a)
	add(record.Entry{Kind: record.KindMedication, Category: "fill", Title: "Apixaban 5 MG Oral Tablet", Status: "completed", Date: day("2024-05-01"), Value: "60", Unit: "tablet", Place: "Main Street Pharmacy"}, b)
	// Problems.
	add(record.Entry{Kind: record.KindCondition, Category: "problem-list-item", Title: "Type 2 diabetes mellitus", Codes: []record.Coding{{System: record.SystemSNOMED, Code: "44054006"}}, Status: "active", Date: day("2019-04"), Performer: "Dr Mei Chen"}, a, b)
	add(record.Entry{Kind: record.KindCondition, Category: "problem-list-item", Title: "Essential hypertension", Codes: []record.Coding{{System: record.SystemSNOMED, Code: "59621000"}}, Status: "active", Date: day("2015"), Performer: "Dr Mei Chen"}, a)
	add(record.Entry{Kind: record.KindCondition, Category: "problem-list-item", Title: "Atrial fibrillation", Codes: []record.Coding{{System: record.SystemSNOMED, Code: "49436004"}}, Status: "active", Date: day("2022-11-02"), Performer: "Dr Raj Patel"}, b)
	add(record.Entry{Kind: record.KindCondition, Title: "Appendicitis", Status: "resolved", Date: day("1979"), End: day("1979")}, a)
	add(record.Entry{Kind: record.KindCondition, Title: "Fracture of left wrist", Status: "resolved", Date: day("2008-02")}, p)
	// Labs: HbA1c over six years, rising; LDL; creatinine; potassium high.
	hba1c := []struct {
		d string
		v float64
	}{{"2019-04-02", 7.9}, {"2019-10-11", 7.1}, {"2020-06-20", 6.8}, {"2021-03-05", 6.9}, {"2022-01-15", 7.2}, {"2022-11-03", 7.4}, {"2023-06-30", 7.6}, {"2024-02-27", 8.1}}
	for i, h := range hba1c {
		src := a
		if i%3 == 2 {
			src = b
		}
		interp := "N"
		if h.v > 6.4 {
			interp = "H"
		}
		add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "Hemoglobin A1c", Codes: loinc("4548-4", "Hemoglobin A1c"), Status: "final", Date: day(h.d),
			Value: fmt.Sprintf("%.1f", h.v), Unit: "%", Range: &record.RefRange{Low: ptr(4), High: ptr(5.6)}, Interpretation: interp}, src)
	}
	for i, v := range []float64{142, 128, 118, 96, 88} {
		add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "LDL cholesterol", Codes: loinc("13457-7", "LDL"), Status: "final", Date: day(fmt.Sprintf("%d-05-10", 2020+i)),
			Value: fmt.Sprint(v), Unit: "mg/dL", Range: &record.RefRange{High: ptr(100)}, Interpretation: map[bool]string{true: "H", false: "N"}[v > 100]}, a)
	}
	for i, v := range []float64{0.9, 1.0, 1.1, 1.3} {
		rng := &record.RefRange{Low: ptr(0.5), High: ptr(1.1)}
		if i == 3 {
			rng = &record.RefRange{Low: ptr(0.6), High: ptr(1.2)}
		}
		add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "Creatinine", Codes: loinc("2160-0", "Creatinine"), Status: "final", Date: day(fmt.Sprintf("%d-08-01", 2021+i)),
			Value: fmt.Sprint(v), Unit: "mg/dL", Range: rng, Interpretation: map[bool]string{true: "H", false: "N"}[v > *rng.High]}, b)
	}
	add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "Potassium", Codes: loinc("2823-3", "Potassium"), Status: "final", Date: day("2024-02-27"),
		Value: "5.6", Unit: "mmol/L", Range: &record.RefRange{Low: ptr(3.5), High: ptr(5.1)}, Interpretation: "H"}, a)
	add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "Hemoglobin", Codes: loinc("718-7", "Hemoglobin"), Status: "final", Date: day("2024-02-27"),
		Value: "11.2", Unit: "g/dL", Range: &record.RefRange{Low: ptr(12), High: ptr(15.5)}, Interpretation: "L"}, a)
	add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "ABO and Rh group", Codes: loinc("882-1", "ABO and Rh group"), Status: "final", Date: day("2023-04-10"), Value: "A Rh+"}, b)
	add(record.Entry{Kind: record.KindLab, Category: "laboratory", Title: "Urine culture", Status: "final", Date: day("2023-01-03"), Value: "No growth"}, a)
	// Vitals.
	for i, bp := range []string{"148/92", "142/90", "136/86", "131/84", "138/88", "129/82"} {
		add(record.Entry{Kind: record.KindVital, Category: "vital-signs", Title: "Blood pressure", Codes: loinc("85354-9", "Blood pressure"), Status: "final",
			Date: record.DateOf(time.Date(2021, 1, 10, 0, 0, 0, 0, time.UTC).AddDate(0, 7*i, 0)), Value: bp, Unit: "mm[Hg]"}, a)
	}
	for i, w := range []float64{82.5, 81.0, 79.4, 78.8} {
		add(record.Entry{Kind: record.KindVital, Category: "vital-signs", Title: "Body weight", Codes: loinc("29463-7", "Body weight"), Status: "final",
			Date: day(fmt.Sprintf("%d-01-20", 2021+i)), Value: fmt.Sprint(w), Unit: "kg"}, a)
	}
	// Procedures, stays, visits.
	add(record.Entry{Kind: record.KindProcedure, Title: "Insertion of cardiac pacemaker", Status: "completed", Date: day("2023-04-12"), Place: "Riverside Hospital", Performer: "Dr Raj Patel"}, b)
	add(record.Entry{Kind: record.KindProcedure, Title: "Colonoscopy", Status: "completed", Date: day("2020-09-03"), Place: "Valley Clinic"}, a)
	add(record.Entry{Kind: record.KindProcedure, Title: "Appendectomy", Status: "completed", Date: day("1979")}, a)
	add(record.Entry{Kind: record.KindEncounter, Category: "IMP", Title: "Inpatient stay", Reason: "Symptomatic bradycardia", Status: "finished", Date: day("2023-04-10"), End: day("2023-04-14"), Place: "Riverside Hospital"}, b)
	add(record.Entry{Kind: record.KindEncounter, Category: "AMB", Title: "Office visit", Status: "finished", Date: day("2024-02-27"), Place: "Valley Clinic", Performer: "Dr Mei Chen"}, a)
	add(record.Entry{Kind: record.KindEncounter, Category: "AMB", Title: "Cardiology follow-up", Status: "finished", Date: day("2024-05-30"), Place: "Riverside Hospital", Performer: "Dr Raj Patel"}, b)
	// Device, immunizations, a document.
	add(record.Entry{Kind: record.KindOther, Category: "device", Title: "Cardiac pacemaker", Status: "active", Date: day("2023-04-12")}, b)
	for _, d := range []string{"2021-10-01", "2022-10-12", "2023-10-05", "2024-10-02"} {
		add(record.Entry{Kind: record.KindImmunization, Title: "Influenza vaccine, seasonal", Codes: []record.Coding{{System: record.SystemCVX, Code: "141"}}, Status: "completed", Date: day(d)}, a)
	}
	add(record.Entry{Kind: record.KindImmunization, Title: "Pneumococcal conjugate vaccine (PCV20)", Codes: []record.Coding{{System: record.SystemCVX, Code: "216"}}, Status: "completed", Date: day("2023-10-05")}, a)
	add(record.Entry{Kind: record.KindDocument, Category: "composition", Title: "Continuity of care document", Status: "final", Date: day("2024-03-01"), Performer: "Valley Clinic"}, a)
	add(record.Entry{Kind: record.KindOther, Category: "goal", Title: "Hemoglobin A1c total in Blood < 7.0", Status: "in-progress", Date: day("2024-02-27")}, a)
	add(record.Entry{Kind: record.KindOther, Category: "goal", Title: "Maintain blood pressure below 140/90 mmHg", Status: "in-progress", Date: day("2024-02-27")}, a)
	add(record.Entry{Kind: record.KindOther, Category: "social-history", Title: "Tobacco smoking status", Value: "Former smoker", Status: "final", Date: day("2024-02-27")}, a)
	return in
}

// child is a child with few entries: no known allergies, two vaccines, one
// visit, from one source.
func child() export.Input {
	const s = "src-peds"
	in := export.Input{
		Now:    now,
		Person: record.Profile{ID: "kid", Name: "Mia Kowalski", BirthDate: day("2021-09-30"), Sex: "female"},
		Sources: []export.Source{{Source: record.Source{ID: s, File: "peds.json", Format: "fhir-r4",
			ImportedAt: time.Date(2025, 2, 1, 12, 0, 0, 0, time.UTC), Author: "Sunny Pediatrics"}, Name: "Sunny Pediatrics"}},
		Entries: []record.Entry{
			{ID: "k1", Kind: record.KindAllergy, Title: "No known allergies", Codes: []record.Coding{{System: record.SystemSNOMED, Code: "716186003"}}, Status: "active", Date: day("2024-10-01"), Sources: []string{s}},
			{ID: "k2", Kind: record.KindImmunization, Title: "MMR vaccine", Codes: []record.Coding{{System: record.SystemCVX, Code: "03"}}, Status: "completed", Date: day("2022-10-03"), Sources: []string{s}},
			{ID: "k3", Kind: record.KindImmunization, Title: "DTaP vaccine", Codes: []record.Coding{{System: record.SystemCVX, Code: "20"}}, Status: "completed", Date: day("2022-01-04"), Sources: []string{s}},
			{ID: "k4", Kind: record.KindEncounter, Category: "AMB", Title: "Well-child visit", Status: "finished", Date: day("2024-10-01"), Place: "Sunny Pediatrics", Performer: "Dr Ola Nordmann", Sources: []string{s}},
			{ID: "k5", Kind: record.KindVital, Category: "vital-signs", Title: "Body weight", Codes: loinc("29463-7", "Body weight"), Value: "15.2", Unit: "kg", Status: "final", Date: day("2024-10-01"), Sources: []string{s}},
		},
	}
	return in
}

// bigPerson is a person with n entries over 25 years from 12 sources:
// labs and vitals most, then visits, claims, medications (most stopped),
// conditions, procedures, immunizations and documents.
func bigPerson(n int) export.Input {
	rng := rand.New(rand.NewPCG(7, 11))
	in := export.Input{Now: now, Person: record.Profile{ID: "big", Name: "Αλέξανδρος Ιωάννου-Смирнов", BirthDate: day("1950-02-11"), Sex: "male"}}
	var srcs []string
	for i := 0; i < 12; i++ {
		id := fmt.Sprintf("src-%02d", i)
		srcs = append(srcs, id)
		in.Sources = append(in.Sources, export.Source{Source: record.Source{ID: id, File: fmt.Sprintf("export-%02d.json", i), Format: "fhir-r4",
			ImportedAt: time.Date(2020+i/4, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC), Author: fmt.Sprintf("Clinic number %d", i+1)}, Name: fmt.Sprintf("Clinic number %d", i+1)})
	}
	tests := []struct {
		code, name, unit string
		lo, hi, mean     float64
	}{
		{"4548-4", "Hemoglobin A1c", "%", 4, 5.6, 6.8}, {"2345-7", "Glucose", "mg/dL", 70, 99, 120}, {"2093-3", "Cholesterol", "mg/dL", 0, 200, 190},
		{"13457-7", "LDL cholesterol", "mg/dL", 0, 100, 110}, {"2160-0", "Creatinine", "mg/dL", 0.7, 1.3, 1.2}, {"2823-3", "Potassium", "mmol/L", 3.5, 5.1, 4.4},
		{"718-7", "Hemoglobin", "g/dL", 13.5, 17.5, 14}, {"6690-2", "Leukocytes", "10*3/uL", 4, 11, 7}, {"777-3", "Platelets", "10*3/uL", 150, 400, 250},
		{"3016-3", "TSH", "m[IU]/L", 0.4, 4, 2}, {"2951-2", "Sodium", "mmol/L", 135, 145, 140}, {"1742-6", "ALT", "U/L", 7, 56, 30},
	}
	vitals := []struct {
		code, name, unit string
		mean, sd         float64
	}{{"8867-4", "Heart rate", "/min", 72, 8}, {"29463-7", "Body weight", "kg", 88, 3}, {"39156-5", "Body mass index", "kg/m2", 28, 1}}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	span := in.Now.Sub(start)
	at := func() record.Date {
		t := start.Add(time.Duration(rng.Int64N(int64(span))))
		return record.Date{T: t.Truncate(time.Minute), Precision: record.PrecisionTime, Zoned: true}
	}
	src := func() []string { return []string{srcs[rng.IntN(len(srcs))]} }
	for i := 0; len(in.Entries) < n; i++ {
		e := record.Entry{ID: fmt.Sprintf("big%05d", i), Profile: "big", Sources: src(), Status: "final"}
		switch r := rng.IntN(100); {
		case r < 55:
			t := tests[rng.IntN(len(tests))]
			v := t.mean * (1 + rng.NormFloat64()*0.12)
			e.Kind, e.Category, e.Title, e.Codes, e.Date, e.Unit = record.KindLab, "laboratory", t.name, loinc(t.code, t.name), at(), t.unit
			e.Value = fmt.Sprintf("%.*f", decimals(t.mean), v)
			e.Range = &record.RefRange{Low: ptr(t.lo), High: ptr(t.hi)}
			switch {
			case v > t.hi:
				e.Interpretation = "H"
			case v < t.lo:
				e.Interpretation = "L"
			default:
				e.Interpretation = "N"
			}
		case r < 70:
			if rng.IntN(3) == 0 {
				e.Kind, e.Category, e.Title, e.Codes, e.Date, e.Unit = record.KindVital, "vital-signs", "Blood pressure", loinc("85354-9", "Blood pressure"), at(), "mm[Hg]"
				e.Value = fmt.Sprintf("%d/%d", 120+rng.IntN(30), 75+rng.IntN(15))
				break
			}
			v := vitals[rng.IntN(len(vitals))]
			e.Kind, e.Category, e.Title, e.Codes, e.Date, e.Unit = record.KindVital, "vital-signs", v.name, loinc(v.code, v.name), at(), v.unit
			e.Value = fmt.Sprintf("%.1f", v.mean+rng.NormFloat64()*v.sd)
		case r < 80:
			e.Kind, e.Category, e.Title, e.Date, e.Status = record.KindEncounter, []string{"AMB", "AMB", "AMB", "EMER", "IMP"}[rng.IntN(5)], "Office visit", at(), "finished"
			e.Place, e.Performer = fmt.Sprintf("Clinic number %d", 1+rng.IntN(12)), fmt.Sprintf("Dr Example %d", 1+rng.IntN(20))
		case r < 90:
			e.Kind, e.Category, e.Title, e.Date, e.Status = record.KindClaim, "professional", "Doctor's bill", at(), "active"
			e.Value, e.Unit, e.Place = fmt.Sprintf("%.2f", 50+rng.Float64()*900), "USD", fmt.Sprintf("Clinic number %d", 1+rng.IntN(12))
		case r < 94:
			d := []string{"Lisinopril", "Metformin", "Atorvastatin", "Amlodipine", "Omeprazole", "Amoxicillin", "Prednisone", "Warfarin", "Levothyroxine", "Ibuprofen"}[rng.IntN(10)]
			e.Kind, e.Category, e.Title, e.Date = record.KindMedication, "order", d+" 10 MG Oral Tablet", at()
			e.Dosage = "1 tablet daily"
			e.Status = "stopped"
			if rng.IntN(8) == 0 {
				e.Status = "active"
			}
		case r < 96:
			c := []string{"Essential hypertension", "Type 2 diabetes mellitus", "Hyperlipidemia", "Acute bronchitis", "Sprain of ankle", "Otitis media", "Viral sinusitis"}[rng.IntN(7)]
			e.Kind, e.Title, e.Date = record.KindCondition, c, at()
			e.Status = []string{"active", "resolved", "resolved"}[rng.IntN(3)]
		case r < 97:
			e.Kind, e.Title, e.Date, e.Status = record.KindProcedure, []string{"Colonoscopy", "Knee X-ray", "Echocardiography", "Cataract surgery"}[rng.IntN(4)], at(), "completed"
		case r < 98:
			e.Kind, e.Title, e.Date, e.Status = record.KindImmunization, "Influenza vaccine, seasonal", at(), "completed"
			e.Codes = []record.Coding{{System: record.SystemCVX, Code: "141"}}
		default:
			e.Kind, e.Category, e.Title, e.Date = record.KindDocument, "composition", "Visit note", at()
		}
		in.Entries = append(in.Entries, e)
	}
	in.Entries[0] = record.Entry{ID: "bigallergy", Profile: "big", Kind: record.KindAllergy, Title: "Sulfonamide antibiotics", Reactions: []string{"Rash"}, Status: "active", Sources: []string{srcs[0]}}
	return in
}

func decimals(mean float64) int {
	switch {
	case mean >= 100:
		return 0
	case mean >= 10:
		return 1
	}
	return int(math.Max(1, 2-math.Floor(math.Log10(mean))))
}
