package app_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/export/pdf"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// TestCheckEntry_Refused: each input a person could type wrongly is refused
// with the field to mark and a sentence that says what to do.
func TestCheckEntry_Refused(t *testing.T) {
	med := func(n app.NewEntry) app.NewEntry {
		n.Kind = record.KindMedication
		if n.Title == "" {
			n.Title = "Lisinopril"
		}
		return n
	}
	vital := func(n app.NewEntry) app.NewEntry { n.Kind = record.KindVital; return n }
	allergy := func(n app.NewEntry) app.NewEntry { n.Kind = record.KindAllergy; return n }
	cond := func(n app.NewEntry) app.NewEntry {
		n.Kind = record.KindCondition
		if n.Title == "" {
			n.Title = "Asthma"
		}
		return n
	}
	for _, tc := range []struct {
		name  string
		in    app.NewEntry
		field string
		text  string
	}{
		// Medicines.
		{"medicine without a name", app.NewEntry{Kind: record.KindMedication}, "title", "Type the medicine's name, such as Lisinopril."},
		{"dose in words", med(app.NewEntry{Dose: "ten", DoseUnit: "mg"}), "dose", `Type the dose as a number, such as 10 or 0.5; put other words ("1 or 2") in the instructions.`},
		{"dose without unit", med(app.NewEntry{Dose: "10"}), "dose-unit", "Choose the dose's unit, such as mg or tablets."},
		{"unit without dose", med(app.NewEntry{DoseUnit: "mg"}), "dose", "Type how much you take each time, or clear the unit."},
		{"implausible dose", med(app.NewEntry{Dose: "5000", DoseUnit: "{tablet}"}), "dose", "5000 tablets at a time is not a likely dose: check the number and the unit."},
		{"implausible dose typed as one", med(app.NewEntry{Dose: "2000 g"}), "dose", "2000 g at a time is not a likely dose: check the number and the unit."},
		{"zero dose", med(app.NewEntry{Dose: "0", DoseUnit: "mg"}), "dose", "A dose is more than zero: check the number."},
		{"the dose twice", med(app.NewEntry{Dose: "10", DoseUnit: "mg", Value: "5"}), "value", "Give the dose once: as the dose, or as a value and unit."},
		{"taken now but ended", med(app.NewEntry{Until: "2026-01-10", Status: "active"}), "until", "You said you take it now, but this end date has passed: clear it, or say you have stopped."},
		{"ends before it starts", med(app.NewEntry{Date: "2026-05", Until: "2026-02"}), "until", "The end (Feb 2026) is before the start (May 2026): check both dates."},
		{"medicine status", med(app.NewEntry{Status: "sometimes"}), "status", "Say whether you take it now (active) or have stopped (stopped)."},
		{"date in the future", med(app.NewEntry{Date: "2027-01-01"}), "date", "1 Jan 2027 is after today: write when it happened."},
		{"date in words", med(app.NewEntry{Date: "last tuesday"}), "date", `"last tuesday" is not a date: write it as 2024-03-01, 2024-03 or 2024.`},
		{"severity of a medicine", med(app.NewEntry{Severity: "mild"}), "severity", "Medications have no severity: leave it empty."},
		// Allergies.
		{"allergy without a substance", allergy(app.NewEntry{}), "title", "Type what you are allergic to, such as Penicillin, peanuts or cats."},
		{"severity without reaction", allergy(app.NewEntry{Title: "Cats", Severity: "severe"}), "reaction", "Say what the reaction is (hives, swelling, trouble breathing...) so its severity describes something."},
		{"severity in other words", allergy(app.NewEntry{Title: "Cats", Reactions: []string{"Sneezing"}, Severity: "awful"}), "severity", "Choose how bad the reaction is: mild, moderate or severe."},
		{"allergy category", allergy(app.NewEntry{Title: "Cats", Category: "pets"}), "category", "Choose what it is: a medicine, a food, something around you (environment) or a vaccine or blood product (biologic)."},
		{"none known, and one named", allergy(app.NewEntry{NoKnownAllergies: true, Title: "Peanuts"}), "no-known-allergies", "You said there are no known allergies, and also described one: choose one of the two."},
		{"none known, with a reaction", allergy(app.NewEntry{NoKnownAllergies: true, Reactions: []string{"Rash"}}), "no-known-allergies", "You said there are no known allergies, and also described one: choose one of the two."},
		// Problems.
		{"active problem that ended", cond(app.NewEntry{Status: "active", Until: "2020"}), "until", "A problem you still have has no end date: clear it, or choose resolved."},
		{"problem status", cond(app.NewEntry{Status: "cured"}), "status", "Choose active (you still have it) or resolved (it has gone)."},
		{"resolved in the future", cond(app.NewEntry{Until: "2027"}), "until", "2027 is after today: write when it happened."},
		{"dose of a problem", cond(app.NewEntry{Dose: "10"}), "dose", "Problems have no dose: leave it empty."},
		{"problem without a name", app.NewEntry{Kind: record.KindCondition}, "title", "Type the problem's name, such as Asthma or High blood pressure."},
		// Vital signs.
		{"weight of 7000 kg", vital(app.NewEntry{Vital: "weight", Value: "7000", Unit: "kg"}), "value", "A weight of 7000 kg is not possible: check the number and the unit."},
		{"temperature of 60 °C", vital(app.NewEntry{Vital: "temperature", Value: "60", Unit: "Cel"}), "value", "A temperature of 60 °C is not possible: check the number and the unit."},
		{"temperature of 37 °F", vital(app.NewEntry{Vital: "temperature", Value: "37", Unit: "°F"}), "value", "A temperature of 37 °F is not possible: check the number and the unit."},
		{"weight without unit", vital(app.NewEntry{Vital: "weight", Value: "72"}), "unit", "Choose the unit of the weight: kg or lb."},
		{"weight in stones", vital(app.NewEntry{Vital: "weight", Value: "11", Unit: "stone"}), "unit", `Weight is recorded in kg or lb, not "stone": choose one of those.`},
		{"weight in words", vital(app.NewEntry{Vital: "weight", Value: "heavy", Unit: "kg"}), "value", `"heavy" is not a number: type the weight as a number, such as 72.5.`},
		{"weight without value", vital(app.NewEntry{Vital: "weight", Unit: "kg"}), "value", "Type the weight, such as 72.5."},
		{"weight known by its title", vital(app.NewEntry{Title: "Weight", Value: "7000", Unit: "kg"}), "value", "A weight of 7000 kg is not possible: check the number and the unit."},
		{"heart rate", vital(app.NewEntry{Vital: "heart-rate", Value: "400"}), "value", "A heart rate of 400 beats/min is not possible: check the number and the unit."},
		{"oxygen saturation", vital(app.NewEntry{Vital: "oxygen-saturation", Value: "120"}), "value", "An oxygen saturation of 120% is not possible: check the number and the unit."},
		{"glucose in the wrong unit", vital(app.NewEntry{Vital: "glucose", Value: "5.4", Unit: "mg/dL"}), "value", "A blood glucose of 5.4 mg/dL is not possible: check the number and the unit."},
		{"blood pressure without its lower number", vital(app.NewEntry{Vital: "blood-pressure", Systolic: "128"}), "diastolic", "Type the lower number (diastolic) of the reading, such as 82."},
		{"blood pressure upside down", vital(app.NewEntry{Vital: "blood-pressure", Systolic: "82", Diastolic: "128"}), "diastolic", "The lower number (128) must be less than the upper one (82): check the reading."},
		{"systolic of 400", vital(app.NewEntry{Vital: "blood-pressure", Systolic: "400", Diastolic: "82"}), "systolic", "An upper number (systolic) of 400 mmHg is not possible: check the reading."},
		{"blood pressure as one number", vital(app.NewEntry{Title: "Blood pressure", Value: "128"}), "value", "Type the blood pressure as its two numbers, upper over lower, such as 128/82."},
		{"blood pressure in kg", vital(app.NewEntry{Title: "BP", Value: "128/82", Unit: "kg"}), "unit", `Blood pressure is recorded in mmHg, not "kg": choose one of those.`},
		{"two numbers for a weight", vital(app.NewEntry{Title: "Weight", Value: "70", Unit: "kg", Systolic: "128"}), "systolic", "Upper and lower numbers are for a blood pressure; a weight is one number: type it as the value."},
		{"unknown vital sign", vital(app.NewEntry{Vital: "mood", Value: "5"}), "vital", `Kinfolio has no vital sign "mood": choose one of blood-pressure, weight, height, temperature, heart-rate, oxygen-saturation, respiratory-rate, glucose, or leave it empty and name the measurement in the title.`},
		{"other measurement: unit without value", vital(app.NewEntry{Title: "Peak flow", Unit: "L/min"}), "value", `Type the value the unit "L/min" belongs to, or clear the unit.`},
		{"other measurement without a name", vital(app.NewEntry{Value: "450"}), "title", "Type what was measured, such as Peak flow."},
		{"dose of a vital sign", vital(app.NewEntry{Vital: "weight", Value: "70", Unit: "kg", Dose: "10"}), "dose", "Vital signs have no dose: leave it empty."},
		// Notes and the rest.
		{"note without text", app.NewEntry{Kind: record.KindDocument, Title: "For Dr. Lee"}, "note", "Type the note's text."},
		{"note too long", app.NewEntry{Kind: record.KindDocument, Note: strings.Repeat("a", 60001)}, "note", "This note is 60001 characters long; keep it under 60000, or split it into several notes."},
		{"procedure without a name", app.NewEntry{Kind: record.KindProcedure}, "title", "Type what was done, such as Knee arthroscopy."},
		{"value of a procedure", app.NewEntry{Kind: record.KindProcedure, Title: "Knee arthroscopy", Value: "5"}, "value", "Procedures have no value: leave it empty."},
		{"unknown kind", app.NewEntry{Kind: "mood", Title: "Happy"}, "kind", "Choose what kind of entry it is: a problem, medication, allergy, vital sign, note or another kind."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := app.CheckEntry(tc.in, testNow)
			var ie *app.InputError
			if !errors.Is(err, app.ErrBadInput) || !errors.As(err, &ie) {
				t.Fatalf("got %v, want an InputError", err)
			}
			if ie.Fields[0].Field != tc.field || ie.Fields[0].Text != tc.text {
				t.Errorf("first problem %s: %q\n want %s: %q\n (all: %v)", ie.Fields[0].Field, ie.Fields[0].Text, tc.field, tc.text, ie)
			}
			if ie.Text(tc.field) != tc.text {
				t.Errorf("Text(%q) = %q", tc.field, ie.Text(tc.field))
			}
		})
	}

	// Every problem is named at once, in the form's order.
	err := app.CheckEntry(app.NewEntry{Kind: record.KindMedication, Date: "yesterday", Dose: "ten", DoseUnit: "mg"}, testNow)
	var ie *app.InputError
	if !errors.As(err, &ie) || len(ie.Fields) != 3 || ie.Fields[0].Field != "title" || ie.Fields[1].Field != "dose" || ie.Fields[2].Field != "date" {
		t.Errorf("several problems: %v", err)
	}
	if app.Sentence(err) != app.Sentence(app.ErrBadInput) {
		t.Errorf("several problems, one sentence: %q", app.Sentence(err))
	}
	if got := app.Sentence(app.CheckEntry(app.NewEntry{Kind: record.KindVital, Vital: "weight", Value: "7000", Unit: "kg"}, testNow)); got != "A weight of 7000 kg is not possible: check the number and the unit." {
		t.Errorf("one problem's sentence: %q", got)
	}
	// Claims are not entered by hand.
	if err := app.CheckEntry(app.NewEntry{Kind: record.KindClaim, Title: "Bill"}, testNow); !errors.Is(err, record.ErrNotSelfReportable) {
		t.Errorf("a claim: %v", err)
	}
	// A yes-or-no field takes yes or no.
	var n app.NewEntry
	if err := n.Set("as-needed", "perhaps"); !errors.As(err, &ie) || ie.Fields[0].Field != "as-needed" {
		t.Errorf("as-needed perhaps: %v", err)
	}
	if err := n.Set("colour", "red"); !errors.Is(err, app.ErrBadInput) {
		t.Errorf("an unknown field: %v", err)
	}
}

// TestCheckEntry_Accepted: what people type in many ways is read.
func TestCheckEntry_Accepted(t *testing.T) {
	for _, n := range []app.NewEntry{
		{Kind: record.KindVital, Title: "Weight", Value: "41", Unit: "kg"},
		{Kind: record.KindVital, Vital: "weight", Value: "160", Unit: "lbs"},
		{Kind: record.KindVital, Vital: "temperature", Value: "98,6", Unit: "F"},
		{Kind: record.KindVital, Title: "Blood pressure (home)", Value: "128/82", Unit: "mmHg", Date: "2026-11-30T07:45"},
		{Kind: record.KindVital, Title: "Pulse", Value: "64"},
		{Kind: record.KindVital, Title: "Peak flow", Value: "450", Unit: "L/min"},
		{Kind: record.KindMedication, Title: "Metformin", Dose: "500 mg", How: "by mouth, twice a day with food"},
		{Kind: record.KindMedication, Title: "Vitamin D", Value: "1000", Unit: "IU"},
		{Kind: record.KindMedication, Title: "Vitamin D3 1000 IU", Value: "1 capsule", Unit: "a day"},
		{Kind: record.KindMedication, Title: "Salbutamol", Value: "one", Unit: "puff"},
		{Kind: record.KindMedication, Title: "Ibuprofen", Dose: "2 tablets twice a day"},
		{Kind: record.KindMedication, Title: "Amoxicillin", Date: "2026-11-20", Until: "2026-11-27"},
		{Kind: record.KindMedication, Title: "Prednisolone", Until: "2026-12-20"},
		{Kind: record.KindAllergy, Title: "No known allergies"},
		{Kind: record.KindAllergy, Title: "Penicillin", Reactions: []string{"Hives"}, Severity: "Severe", Category: "medicine"},
		{Kind: record.KindCondition, Title: "Frozen shoulder", Until: "2024"},
		{Kind: record.KindDocument, Note: "Ask about sleep"},
		{Kind: record.KindImmunization, Title: "Tetanus booster", Date: "2019"},
	} {
		if err := app.CheckEntry(n, testNow); err != nil {
			t.Errorf("%+v: %v", n, err)
		}
	}
}

// TestEntryForms: every form's fields are fields of its kind, a new entry
// of the form filled with the hints' examples passes the checks, and each
// form is what edits its entries.
func TestEntryForms(t *testing.T) {
	forms := app.EntryForms()
	ids := map[string]bool{}
	for _, f := range forms {
		if ids[f.ID] || f.Label == "" || f.Heading == "" || f.EditHeading == "" || f.Group == "" || len(f.Fields) == 0 {
			t.Errorf("form %+v", f)
		}
		ids[f.ID] = true
		if got, ok := app.EntryForm(f.ID); !ok || got.ID != f.ID {
			t.Errorf("EntryForm(%q)", f.ID)
		}
		n := f.New()
		for _, fd := range f.Fields {
			if !slices.Contains(app.EntryFieldNames(), fd.Name) || fd.Label == "" {
				t.Errorf("%s: field %+v", f.ID, fd)
			}
			if fd.UnitField != "" && (len(fd.Units) == 0 || !slices.Contains(app.EntryFieldNames(), fd.UnitField)) {
				t.Errorf("%s: %s's units", f.ID, fd.Name)
			}
			if fd.Required {
				example, ok := strings.CutPrefix(fd.Hint, "e.g. ")
				if !ok {
					t.Fatalf("%s: required field %s has no example", f.ID, fd.Name)
				}
				if err := n.Set(fd.Name, example); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := app.CheckEntry(n, testNow); err != nil {
			t.Errorf("form %s filled with its examples: %v", f.ID, err)
		}
		if app.FormOf(n).ID != f.ID {
			t.Errorf("form %s: FormOf gives %s", f.ID, app.FormOf(n).ID)
		}
		// Each optional field is one the kind uses.
		for _, fd := range f.Fields {
			m := n
			value := "2024"
			switch fd.Input {
			case app.InputCheck:
				value = "yes"
			case app.InputChoice, app.InputList:
				value = fd.Choices[0].Value
			case app.InputNumber:
				value = strings.TrimPrefix(fd.Hint, "e.g. ")
			}
			m.Set(fd.Name, value)
			err := app.CheckEntry(m, testNow)
			var ie *app.InputError
			if errors.As(err, &ie) && strings.Contains(ie.Text(fd.Name), "leave it empty") {
				t.Errorf("form %s offers %s, which its kind does not use", f.ID, fd.Name)
			}
		}
	}
	for _, id := range []string{"medication", "allergy", "no-known-allergies", "condition", "blood-pressure", "weight", "height", "glucose", "temperature", "heart-rate", "note"} {
		if !ids[id] {
			t.Errorf("no form %q", id)
		}
	}
	bp, _ := app.EntryForm("blood-pressure")
	if sys, ok := bp.Field("systolic"); !ok || !sys.Required || sys.Units[0].Label != "mmHg" || sys.Units[0].Code != "mm[Hg]" {
		t.Errorf("blood pressure's systolic field: %+v", sys)
	}
	w, _ := app.EntryForm("weight")
	if v, _ := w.Field("value"); len(v.Units) != 2 || v.Units[1].Code != "[lb_av]" || v.Units[1].Max != 1100 || v.UnitField != "unit" {
		t.Errorf("weight's units: %+v", v.Units)
	}
	if w.New().Unit != "kg" {
		t.Errorf("a new weight is in %q", w.New().Unit)
	}
	for _, f := range forms {
		for _, fd := range f.Fields {
			for _, c := range fd.Choices {
				if fd.Input == app.InputList && strings.ContainsAny(c.Value, ",;") {
					t.Errorf("%s: the choice %q of a list holds a separator", f.ID, c.Value)
				}
			}
		}
	}
	m, _ := app.EntryForm("medication")
	if r, _ := m.Field("route"); !r.Open || r.Choices[0] != (app.Choice{Value: "oral", Label: "by mouth"}) {
		t.Errorf("medicine's routes: %+v", r.Choices)
	}
}

// addAll adds entries by hand for a person and returns their rows.
func addAll(t *testing.T, s *app.Session, person string, ns ...app.NewEntry) []app.Row {
	t.Helper()
	var rows []app.Row
	for _, n := range ns {
		row, err := s.AddEntry(person, n)
		if err != nil {
			t.Fatalf("%+v: %v", n, err)
		}
		rows = append(rows, row)
	}
	return rows
}

func fact(d *app.EntryDetail, label string) string {
	for _, f := range d.Facts {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

// TestEntries_RoundTrip adds one entry of each form by hand on a real vault
// and follows it through the detail, the dashboard, editing, the visit
// summary, a FHIR export and a backup restored into a new vault.
func TestEntries_RoundTrip(t *testing.T) {
	s := newSession(t)
	ann, err := s.AddPerson(app.PersonDetails{Name: "Ann Lee", BirthDate: record.MustDate("1961-04-02")})
	if err != nil {
		t.Fatal(err)
	}
	rows := addAll(t, s, ann.ID,
		app.NewEntry{Kind: record.KindMedication, Title: "Metformin", Dose: "500", DoseUnit: "mg", Route: "oral", Frequency: "twice-a-day",
			Instructions: "with food", Reason: "Type 2 diabetes", Date: "2024-03"},
		app.NewEntry{Kind: record.KindAllergy, Title: "Penicillin", Reactions: []string{"Hives", "Swelling of the face or throat"}, Severity: "severe", Category: "medication", Date: "1990"},
		app.NewEntry{Kind: record.KindCondition, Title: "Type 2 diabetes", Date: "2023"},
		app.NewEntry{Kind: record.KindVital, Vital: "blood-pressure", Systolic: "128", Diastolic: "82", Date: "2026-11-30T07:45"},
		app.NewEntry{Kind: record.KindVital, Vital: "weight", Value: "72.5", Unit: "kg", Date: "2026-11-30"},
		app.NewEntry{Kind: record.KindDocument, Note: "Questions for Dr. Osei\nIs the cough from the new tablets?"},
	)
	medRow, allergyRow, bpRow := rows[0], rows[1], rows[3]
	if medRow.Detail != "500 mg by mouth, twice a day, with food" || !medRow.SelfReported {
		t.Errorf("medicine row %+v", medRow)
	}
	if allergyRow.Detail != "Hives, Swelling of the face or throat · severe" {
		t.Errorf("allergy row %q", allergyRow.Detail)
	}
	if bpRow.Title != "Blood pressure" || bpRow.Detail != "128/82 mmHg" {
		t.Errorf("blood pressure row %+v", bpRow)
	}
	if rows[5].Title != "Questions for Dr. Osei" || rows[5].DateText != "1 Dec 2026" {
		t.Errorf("note row %+v", rows[5])
	}

	d, err := s.Detail(medRow.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fact(d, "Dose and how taken") != "500 mg by mouth, twice a day, with food" || fact(d, "For") != "Type 2 diabetes" ||
		fact(d, "Since") != "Mar 2024" || !d.Editable || d.SeenText != "Entered by you" {
		t.Errorf("medicine detail %+v", d.Facts)
	}
	d, _ = s.Detail(bpRow.ID)
	if fact(d, "Result") != "128/82 mmHg" || fact(d, "Systolic blood pressure") != "128 mmHg" || fact(d, "Diastolic blood pressure") != "82 mmHg" {
		t.Errorf("blood pressure detail %+v", d.Facts)
	}
	if !slices.ContainsFunc(d.Codes, func(c app.Code) bool { return c.SystemName == "LOINC" && c.Code == "85354-9" }) {
		t.Errorf("blood pressure codes %+v", d.Codes)
	}

	dash, err := s.Dashboard(ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(dash.Vitals) < 2 || dash.Vitals[0].Title != "Blood pressure" || dash.Vitals[0].Value != "128/82 mmHg" || dash.Vitals[0].DateText != "30 Nov 2026" {
		t.Errorf("latest vitals %+v", dash.Vitals)
	}
	if len(dash.Medications) != 1 || dash.Medications[0].Detail != "500 mg by mouth, twice a day, with food" {
		t.Errorf("medications card %+v", dash.Medications)
	}
	if dash.Allergies.State != record.AllergiesRecorded || len(dash.Allergies.Rows) != 1 || dash.Allergies.Rows[0].Title != "Penicillin" {
		t.Errorf("allergies card %+v", dash.Allergies)
	}
	if len(dash.Problems) != 1 || dash.Problems[0].Title != "Type 2 diabetes" {
		t.Errorf("problems card %+v", dash.Problems)
	}

	// Editing shows what was typed, and keeps the entry's id.
	in, err := s.EntryInput(medRow.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Dose != "500" || in.DoseUnit != "mg" || in.Route != "oral" || in.Frequency != "twice-a-day" || in.Instructions != "with food" ||
		in.Reason != "Type 2 diabetes" || in.Date != "2024-03" || in.Status != "" || app.FormOf(in).ID != "medication" {
		t.Errorf("medicine as typed %+v", in)
	}
	in.Dose, in.Frequency, in.Until = "1000", "once-a-day", "2026-11-01"
	in.Status = ""
	edited, err := s.EditEntry(medRow.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if edited.ID != medRow.ID || edited.Detail != "1000 mg by mouth, once a day, with food · stopped" {
		t.Errorf("edited medicine %+v", edited)
	}
	if dash, _ = s.Dashboard(ann.ID); len(dash.Medications) != 0 {
		t.Errorf("a medicine that ended is still current: %+v", dash.Medications)
	}
	in, _ = s.EntryInput(bpRow.ID)
	// The time of day comes back as it was typed, for the form to show.
	if in.Vital != "blood-pressure" || in.Systolic != "128" || in.Diastolic != "82" || in.Unit != "mm[Hg]" || in.Date != "2026-11-30T07:45" ||
		app.FormOf(in).ID != "blood-pressure" {
		t.Errorf("blood pressure as typed %+v", in)
	}
	in.Systolic = "400"
	if _, err := s.EditEntry(bpRow.ID, in); !errors.Is(err, app.ErrBadInput) {
		t.Errorf("an edit to an impossible reading: %v", err)
	}
	in.Systolic = "131"
	if row, err := s.EditEntry(bpRow.ID, in); err != nil || row.Detail != "131/82 mmHg" || row.ID != bpRow.ID {
		t.Errorf("edited reading %+v %v", row, err)
	}
	in, _ = s.EntryInput(allergyRow.ID)
	if !slices.Equal(in.Reactions, []string{"Hives", "Swelling of the face or throat"}) || in.Severity != "severe" || in.Category != "medication" {
		t.Errorf("allergy as typed %+v", in)
	}

	// The visit summary prints them.
	dir := t.TempDir()
	if p, err := exec.LookPath("pdftotext"); err == nil {
		path := filepath.Join(dir, "summary.pdf")
		if _, err := s.ExportPDF(ann.ID, pdf.KindSummary, pdf.Options{Paper: pdf.A4}, path); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(p, "-raw", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Penicillin", "Hives, Swelling of the face or throat", "severe", "131/82", "72.5", "Type 2 diabetes"} {
			if !strings.Contains(text, want) {
				t.Errorf("the visit summary does not print %q:\n%s", want, text)
			}
		}
	}

	// A FHIR export carries them, coded.
	fhirPath := filepath.Join(dir, "ann.json")
	if _, err := s.ExportFHIR(ann.ID, false, fhirPath); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(fhirPath)
	var bundle struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, e := range bundle.Entry {
		r, err := record.ParseResource(e.Resource)
		if err != nil || !record.IsSelfReported(r) {
			continue
		}
		sr, err := record.SelfReportOf(r)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case sr.Kind == record.KindMedication && sr.Route == "oral" && sr.Frequency == "once-a-day" && sr.Value == "1000":
			found["medicine"] = true
		case sr.Vital == "blood-pressure" && sr.Systolic == "131":
			found["blood pressure"] = true
		case sr.Kind == record.KindAllergy && sr.Severity == "severe":
			found["allergy"] = true
		}
	}
	if len(found) != 3 {
		t.Errorf("the FHIR export holds %v of the hand entries", found)
	}

	// A backup restored into a new vault keeps them, still editable.
	backupPath := filepath.Join(dir, "family.kinbackup")
	if _, err := s.Backup(backupPath, app.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "restored.kinfolio")
	if _, err := app.Restore(backupPath, app.Passphrase(vaulttest.Passphrase), target, vaulttest.Passphrase, testOptions()); err != nil {
		t.Fatal(err)
	}
	r, err := app.Open(target, app.Passphrase(vaulttest.Passphrase), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Lock()
	in, err = r.EntryInput(bpRow.ID)
	if err != nil || in.Systolic != "131" {
		t.Errorf("the restored reading %+v %v", in, err)
	}
	rdash, _ := r.Dashboard(ann.ID)
	if len(rdash.Vitals) == 0 || rdash.Vitals[0].Value != "131/82 mmHg" {
		t.Errorf("restored vitals %+v", rdash.Vitals)
	}
	if _, err := r.EditEntry(bpRow.ID, in); err != nil {
		t.Errorf("editing a restored entry: %v", err)
	}

	// Deleting takes it away.
	if err := s.DeleteEntry(bpRow.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EntryInput(bpRow.ID); !errors.Is(err, vault.ErrNoSuchEntry) {
		t.Errorf("a deleted entry: %v", err)
	}
}

// TestEntries_NoKnownAllergies: "no known allergies" entered by hand is the
// dashboard's second state, dated today when no date is given.
func TestEntries_NoKnownAllergies(t *testing.T) {
	s := newSession(t)
	sam, err := s.AddPerson(app.PersonDetails{Name: "Sam Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Dashboard(sam.ID); d.Allergies.State != record.NoAllergyInformation {
		t.Fatalf("allergies before: %+v", d.Allergies)
	}
	form, _ := app.EntryForm("no-known-allergies")
	row, err := s.AddEntry(sam.ID, form.New())
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.Dashboard(sam.ID)
	if d.Allergies.State != record.NoKnownAllergies || d.Allergies.Text != "No known allergies (Entered by you, 1 Dec 2026)" {
		t.Errorf("allergies card %+v", d.Allergies)
	}
	in, err := s.EntryInput(row.ID)
	if err != nil || !in.NoKnownAllergies || app.FormOf(in).ID != "no-known-allergies" {
		t.Errorf("as typed %+v %v", in, err)
	}
	// An allergy found later: the person replaces the statement.
	if _, err := s.EditEntry(row.ID, app.NewEntry{Kind: record.KindAllergy, Title: "Latex", Reactions: []string{"Rash"}}); err != nil {
		t.Fatal(err)
	}
	if d, _ = s.Dashboard(sam.ID); d.Allergies.State != record.AllergiesRecorded {
		t.Errorf("after the edit: %+v", d.Allergies)
	}
}

// TestEntries_ImportedAreReadOnly: an imported entry can neither be shown
// as a form nor edited nor deleted.
func TestEntries_ImportedAreReadOnly(t *testing.T) {
	s := imported(t, larsonMeditech)
	p := personNamed(t, s, "Rebecca Jones Larson")
	meds, _ := s.List(p.ID, app.SectionMedications)
	if len(meds) == 0 {
		t.Fatal("no medications")
	}
	id := meds[0].ID
	if _, err := s.EntryInput(id); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("EntryInput: %v", err)
	}
	if _, err := s.EditEntry(id, app.NewEntry{Kind: record.KindMedication, Title: "x"}); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("EditEntry: %v", err)
	}
	if err := s.DeleteEntry(id); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("DeleteEntry: %v", err)
	}
	if d, _ := s.Detail(id); d.Editable || d.ReadOnlyText == "" {
		t.Errorf("detail of an imported entry: editable %v %q", d.Editable, d.ReadOnlyText)
	}
}

// TestEntries_OlderEntriesEdit: entries added before doses and readings
// were structured open in their kind's form with their values in place.
func TestEntries_OlderEntriesEdit(t *testing.T) {
	s := newSession(t)
	p, err := s.AddPerson(app.PersonDetails{Name: "Ann Lee"})
	if err != nil {
		t.Fatal(err)
	}
	v := s.Vault()
	bp, err := v.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindVital, Title: "Blood pressure", Value: "128/82", Unit: "mm[Hg]", Date: record.MustDate("2024-05-01")})
	if err != nil {
		t.Fatal(err)
	}
	med, err := v.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindMedication, Title: "Carbamazepine", Value: "200", Unit: "mg"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.EntryInput(bp.ID)
	if err != nil || app.FormOf(in).ID != "blood-pressure" || in.Systolic != "128" || in.Diastolic != "82" || in.Value != "" {
		t.Fatalf("older reading %+v %v", in, err)
	}
	row, err := s.EditEntry(bp.ID, in)
	if err != nil || row.Detail != "128/82 mmHg" {
		t.Errorf("older reading saved again: %+v %v", row, err)
	}
	if in, _ := s.EntryInput(bp.ID); in.Vital != "blood-pressure" {
		t.Errorf("after saving, the reading is %+v", in)
	}
	in, err = s.EntryInput(med.ID)
	if err != nil || in.Dose != "200" || in.DoseUnit != "mg" || app.FormOf(in).ID != "medication" {
		t.Errorf("older medicine %+v %v", in, err)
	}
}
