package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// openAddEntry unlocks a vault with Ann Lee and opens Add entry with its
// menu item, checking the shortcut is Ctrl+N.
func openAddEntry(t *testing.T) *run {
	t.Helper()
	r := start(t, newVault(t, "Ann Lee"))
	r.unlock(testPassphrase)
	r.wantScreen("frame")
	r.pressAddEntry()
	return r
}

func (r *run) pressAddEntry() {
	r.t.Helper()
	item := r.menuItem("Add entry…")
	if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyN || sc.Modifier != fyne.KeyModifierShortcutDefault {
		r.t.Errorf("Add entry's shortcut %#v, want Ctrl+N", item.Shortcut)
	}
	item.Action()
	r.wantText("Add entry", "For Ann Lee.", "Medicines and allergies", "Vital signs", "Blood pressure", "Weight", "Note")
}

// rows lists a section's entries as the vault has them.
func (r *run) rows(sec app.Section) []app.Row {
	r.t.Helper()
	rows, err := r.k.Session().List(r.k.frame.person.ID, sec)
	if err != nil {
		r.t.Fatal(err)
	}
	return rows
}

// detailButton finds a button of the detail pane on show.
func (r *run) detailButton(label string) *widget.Button {
	r.t.Helper()
	return r.button(label)
}

func TestEntryForm_BloodPressureAddedEditedDeleted(t *testing.T) {
	r := openAddEntry(t)
	r.tap("Blood pressure")
	r.wantText("Add a blood pressure reading", "Both numbers of one reading", "Upper number (systolic)",
		"Lower number (diastolic)", "mmHg", "When")
	// The first field has the focus.
	if f, ok := r.k.win.Canvas().Focused().(*keyEntry); !ok || f.PlaceHolder != "e.g. 128" {
		t.Fatalf("the focus is on %v, want the upper number", r.k.win.Canvas().Focused())
	}

	// The numbers the wrong way round: app's sentence under the field, nothing saved.
	typeInto(r.entry("e.g. 128"), "82")
	typeInto(r.entry("e.g. 82"), "128")
	r.tap("Save")
	r.wantText("Add a blood pressure reading")
	if rows := r.rows(app.SectionResults); len(rows) != 0 {
		t.Fatalf("a reading was saved with the numbers the wrong way round: %+v", rows)
	}
	text := r.text()
	if !strings.Contains(strings.Join(strings.Fields(text), " "), "upper") {
		t.Errorf("no sentence says what is wrong with the numbers:\n%s", text)
	}
	// A date in the future is refused too, under its field.
	typeInto(r.entry("e.g. 2024-03-01, 2024-03 or 2024"), "2027-01-05")
	r.wantText("is after today: write when it happened.")

	// Put right, the sentences go as it is typed; Enter in a field saves.
	typeInto(r.entry("e.g. 128"), "128")
	typeInto(r.entry("e.g. 82"), "82")
	date := r.entry("e.g. 2024-03-01, 2024-03 or 2024")
	typeInto(date, "2026-11-30T08:30")
	r.noText("is after today")
	date.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.noDialog()

	rows := r.rows(app.SectionResults)
	if len(rows) != 1 || rows[0].Title != "Blood pressure" || !strings.Contains(rows[0].Detail, "128/82") {
		t.Fatalf("the vault holds %+v, want one blood pressure of 128/82", rows)
	}
	id := rows[0].ID
	// The window shows it: Results & vitals, on the new entry.
	if got := r.k.frame.route; got.Section != app.SectionResults {
		t.Errorf("after saving the window shows %+v, want Results & vitals", got)
	}
	r.wantText("Blood pressure", "128/82", "Entered by you.", "Edit", "Delete")

	// Edit: the form holds what was typed; a change is saved to the same entry.
	test.Tap(r.detailButton("Edit"))
	r.wantText("Edit blood pressure reading", "Entered by you for Ann Lee.")
	if got := r.entry("e.g. 128").Text; got != "128" {
		t.Errorf("the upper number reads %q, want 128", got)
	}
	if got := r.entry("e.g. 2024-03-01, 2024-03 or 2024").Text; got != "2026-11-30T08:30" {
		t.Errorf("the date reads %q", got)
	}
	typeInto(r.entry("e.g. 82"), "85")
	r.tap("Save changes")
	r.noDialog()
	rows = r.rows(app.SectionResults)
	if len(rows) != 1 || rows[0].ID != id || !strings.Contains(rows[0].Detail, "128/85") {
		t.Fatalf("after the edit the vault holds %+v, want entry %s at 128/85", rows, id)
	}
	r.wantText("128/85")

	// Delete asks, then deletes it.
	test.Tap(r.detailButton("Delete"))
	r.wantText("Delete this entry?", "which you entered for Ann Lee")
	r.tap("Yes")
	if rows := r.rows(app.SectionResults); len(rows) != 0 {
		t.Fatalf("after Delete the vault holds %+v", rows)
	}
	r.noText("128/85")

	r.menuItem("Audit log").Action()
	r.wantText("Added a vital sign by hand", "Edited a vital sign entered by hand", "Deleted a vital sign entered by hand")
}

func TestEntryForm_MedicineWithUnitsAndChoices(t *testing.T) {
	r := openAddEntry(t)
	// By keyboard: the first choice has the focus, Enter opens it.
	r.key(fyne.KeyReturn)
	r.wantText("Add a medicine", "Medicine", "Dose", "How taken", "How often", "Only when needed", "Since")
	typeInto(r.entry("e.g. Lisinopril 10 mg tablets"), "Lisinopril")
	typeInto(r.entry("e.g. 10"), "10")
	page := r.k.win.Canvas()
	// The dose's unit is chosen from a list.
	unit := findSelect(r, "Unit")
	if !containsString(unit.Options, "mg") || !containsString(unit.Options, "tablets") {
		t.Fatalf("the dose's units are %v", unit.Options)
	}
	unit.SetSelected("mg")
	// How taken: chosen from the field's list (Down opens it), or typed.
	r.choice("e.g. by mouth").pick("by mouth")
	typeInto(r.entry("e.g. twice a day"), "twice a day")
	typeInto(r.entry("e.g. 2024-03-01, 2024-03 or 2024"), "2024-03")
	// A dose nobody takes is refused as a typing mistake, under Dose.
	typeInto(r.entry("e.g. 10"), "100000")
	r.tap("Save")
	r.wantText("Add a medicine")
	if n := len(r.rows(app.SectionMedications)); n != 0 {
		t.Fatalf("a dose of 100000 mg was saved")
	}
	if f, ok := page.Focused().(*keyEntry); !ok || f.PlaceHolder != "e.g. 10" {
		t.Errorf("the focus is on %v, want the dose", page.Focused())
	}
	typeInto(r.entry("e.g. 10"), "10")
	r.tap("Save")
	r.noDialog()
	rows := r.rows(app.SectionMedications)
	if len(rows) != 1 {
		t.Fatalf("medications: %+v", rows)
	}
	n, err := r.k.Session().EntryInput(rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "Lisinopril" || n.Dose != "10" || n.DoseUnit != "mg" || n.Route != "oral" || n.Frequency != "twice-a-day" || n.Date != "2024-03" {
		t.Errorf("stored %+v", n)
	}
	r.wantText("Lisinopril", "10 mg", "by mouth")
}

func TestEntryForm_AllergyAndNote(t *testing.T) {
	r := openAddEntry(t)
	r.tap("Allergy")
	r.wantText("Add an allergy", "Allergic to", "Reaction", "How bad")
	typeInto(r.entry("e.g. Penicillin, peanuts, cats"), "Penicillin")
	react := r.choice("e.g. hives, swelling")
	react.pick("Hives")
	react.pick("Rash")
	react.pick("Hives") // once only
	if react.Text != "Hives, Rash" {
		t.Errorf("the reactions read %q", react.Text)
	}
	findSelect(r, "(Choose one)", "Severe (it needed urgent care)").SetSelected("Severe (it needed urgent care)")
	r.tap("Save")
	r.noDialog()
	rows := r.rows(app.SectionAllergies)
	if len(rows) != 1 || rows[0].Title != "Penicillin" {
		t.Fatalf("allergies: %+v", rows)
	}
	n, _ := r.k.Session().EntryInput(rows[0].ID)
	if strings.Join(n.Reactions, ",") != "Hives,Rash" || n.Severity != "severe" {
		t.Errorf("stored %+v", n)
	}

	// A note needs its text; Escape leaves the form without saving.
	r.pressAddEntry()
	r.tap("Note")
	r.wantText("Add a note")
	r.tap("Save")
	r.wantText("Add a note")
	if len(r.rows(app.SectionDocuments)) != 0 {
		t.Fatal("an empty note was saved")
	}
	r.key(fyne.KeyEscape)
	r.noDialog()
	r.pressAddEntry()
	r.tap("Note")
	typeInto(r.entry("e.g. Ask about the cough at my next visit"), "Ask about the cough.\nAnd the rash.")
	r.tap("Save")
	r.noDialog()
	if rows := r.rows(app.SectionDocuments); len(rows) != 1 || rows[0].Kind != record.KindDocument {
		t.Fatalf("documents: %+v", rows)
	}
}

func TestEntryForm_ForAnotherPerson(t *testing.T) {
	r := start(t, newVault(t, "Ann Lee", "Sam Lee"))
	r.unlock(testPassphrase)
	item := r.menuItem("Add entry…")
	item.Action()
	who := findSelect(r, "(Choose one)", "Sam Lee")
	if who.Selected == "" {
		t.Fatal("no person is chosen to begin with")
	}
	who.SetSelected("Sam Lee")
	r.tap("Weight")
	r.wantText("Add a weight", "For Sam Lee.")
	weight, _ := app.EntryForm("weight")
	typeInto(r.entry(weight.Fields[0].Hint), "31.5")
	r.tap("Save")
	r.noDialog()
	sam := personNamed(r, "Sam Lee")
	rows, _ := r.k.Session().List(sam.ID, app.SectionResults)
	if len(rows) != 1 || rows[0].PersonName != "Sam Lee" {
		t.Fatalf("Sam's results: %+v", rows)
	}
	if r.k.frame.person.ID != sam.ID {
		t.Error("the window does not show Sam, whose entry was added")
	}
}

func TestEntryForm_ImportedEntryIsReadOnly(t *testing.T) {
	r, d := openDemo(t)
	ann := d.People[0]
	rows, err := r.k.Session().List(ann.ID, app.SectionMedications)
	if err != nil {
		t.Fatal(err)
	}
	var imported app.Row
	for _, row := range rows {
		if len(row.Badges) > 0 && row.Badges[0].Key != "P" {
			imported = row
			break
		}
	}
	if imported.ID == "" {
		t.Fatal("the demo has no imported medication")
	}
	r.k.Navigate(Route{Person: ann.ID, Section: app.SectionMedications, Entry: imported.ID})
	r.wantText(imported.Title, "Imported from a file, so it cannot be changed here")
	for _, o := range r.objects() {
		if b := asButton(o); b != nil && (b.Text == "Edit" || b.Text == "Delete") {
			t.Errorf("an imported entry has a %q button", b.Text)
		}
	}
	// Asked directly, app refuses to give it to a form.
	if _, err := r.k.Session().EntryInput(imported.ID); err == nil {
		t.Error("EntryInput gave an imported entry to a form")
	}
}

// findSelect finds a visible choice by its placeholder, or by an option
// it offers.
func findSelect(r *run, placeholder string, option ...string) *widget.Select {
	r.t.Helper()
	for _, o := range r.objects() {
		s, ok := o.(*keySelect)
		if !ok || !s.Visible() {
			continue
		}
		if len(option) > 0 && containsString(s.Options, option[0]) || len(option) == 0 && s.PlaceHolder == placeholder {
			return &s.Select
		}
	}
	r.t.Fatalf("no choice %q %v on screen", placeholder, option)
	return nil
}

// choice finds a field that takes words typed or chosen, by its placeholder.
func (r *run) choice(placeholder string) *choiceEntry {
	r.t.Helper()
	for _, o := range r.objects() {
		if c, ok := o.(*choiceEntry); ok && c.Visible() && c.PlaceHolder == placeholder {
			return c
		}
	}
	r.t.Fatalf("no field %q with choices on screen", placeholder)
	return nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
