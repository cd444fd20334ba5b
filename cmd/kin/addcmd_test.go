package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// TestKin_AddByHand adds a blood pressure, a medicine, an allergy and a
// weight through the built binary, reads them back with list, show and a
// visit summary, and checks that impossible values are refused with the
// flag to fix, before any passphrase is asked, and store nothing.
func TestKin_AddByHand(t *testing.T) {
	path, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ann Lee", "--birth-date", "1961-04-02")

	var bp entryRow
	jsonOut(t, mustKin(t, env, "--json", "add", "--kind", "vital", "--title", "Blood pressure", "--value", "128/82", "--unit", "mmHg", "--date", "2024-11-30"), &bp)
	if bp.Kind != record.KindVital || bp.Value != "128/82" || bp.Unit != "mmHg" || len(bp.Components) != 2 || bp.Entry.Code(record.SystemLOINC) != "85354-9" {
		t.Errorf("blood pressure %+v", bp.Entry)
	}
	var shown struct {
		FHIR []json.RawMessage `json:"fhir"`
	}
	jsonOut(t, mustKin(t, env, "--json", "show", bp.ID), &shown)
	var compact bytes.Buffer
	if len(shown.FHIR) != 1 || json.Compact(&compact, shown.FHIR[0]) != nil ||
		!strings.Contains(compact.String(), `"8480-6"`) || !strings.Contains(compact.String(), `"code":"mm[Hg]"`) {
		t.Errorf("the reading's FHIR: %s", shown.FHIR)
	}

	r := mustKin(t, env, "add", "--kind", "medication", "--title", "Metformin", "--dose", "500 mg", "--how", "by mouth, twice a day with food",
		"--reason", "Type 2 diabetes", "--date", "2024-03")
	if !strings.HasPrefix(r.stderr, `added medication "Metformin" (`) {
		t.Errorf("add medication said %q", r.stderr)
	}
	mustKin(t, env, "add", "--kind", "allergy", "--title", "Penicillin", "--reaction", "hives", "--reaction", "swelling of the face",
		"--severity", "severe", "--category", "medication")
	mustKin(t, env, "add", "--kind", "vital", "--vital", "weight", "--value", "160", "--unit", "lbs")

	var meds []entryRow
	jsonOut(t, mustKin(t, env, "--json", "list", "--kind", "medication"), &meds)
	if len(meds) != 1 || meds[0].Dosage != "500 mg by mouth, twice a day, with food" || meds[0].Reason != "Type 2 diabetes" || meds[0].Date.String() != "2024-03" {
		t.Errorf("medications %+v", meds)
	}
	show := mustKin(t, env, "show", meds[0].ID).stdout
	for _, want := range []string{"dosage:", "500 mg by mouth, twice a day, with food", "reason:", "Type 2 diabetes"} {
		if !strings.Contains(show, want) {
			t.Errorf("show does not say %q:\n%s", want, show)
		}
	}
	var allergies []entryRow
	jsonOut(t, mustKin(t, env, "--json", "list", "--kind", "allergy"), &allergies)
	if len(allergies) != 1 || strings.Join(allergies[0].Reactions, ", ") != "hives, swelling of the face" || allergies[0].Severity != "severe" {
		t.Errorf("allergies %+v", allergies)
	}
	var vitals []entryRow
	jsonOut(t, mustKin(t, env, "--json", "list", "--kind", "vital"), &vitals)
	if len(vitals) != 2 || vitals[0].Title != "Weight" || vitals[0].ValueText() != "160 lb" || vitals[0].Date.IsZero() {
		t.Errorf("vitals %+v", vitals)
	}

	// Impossible or unclear values: exit 2, the flag and what to do, nothing stored.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "vital", "--title", "Weight", "--value", "7000", "--unit", "kg"}, "kin: --value: A weight of 7000 kg is not possible: check the number and the unit."},
		{[]string{"--kind", "vital", "--vital", "temperature", "--value", "60", "--unit", "C"}, "kin: --value: A temperature of 60 °C is not possible: check the number and the unit."},
		{[]string{"--kind", "vital", "--title", "Weight", "--value", "72"}, "kin: --unit: Choose the unit of the weight: kg or lb."},
		{[]string{"--kind", "vital", "--title", "BP", "--value", "82/128", "--unit", "mmHg"}, "kin: --diastolic: The lower number (128) must be less than the upper one (82): check the reading."},
		{[]string{"--kind", "medication", "--title", "Metformin", "--dose", "500"}, "kin: --dose-unit: Choose the dose's unit, such as mg or tablets."},
		{[]string{"--kind", "allergy", "--title", "Cats", "--severity", "severe"}, "kin: --reaction: Say what the reaction is"},
		{[]string{"--kind", "vital", "--title", "Weight", "--value", "70", "--unit", "kg", "--dose", "5"}, "kin: --dose: Vital signs have no dose: leave it empty."},
		{[]string{"--kind", "medication", "--dose", "ten"}, "kin: --title: Type the medicine's name, such as Lisinopril.\nkin: --dose: Type the dose as a number"},
		{[]string{"--kind", "lab"}, "kin: --title: Type the test's name, such as Cholesterol."},
		{[]string{"--kind", "claim", "--title", "Bill"}, "kin: --kind: claims come from your insurer's files and cannot be entered by hand"},
	} {
		args := append([]string{"add"}, tc.args...)
		// No passphrase: a refused entry fails before the vault is opened.
		r := kin(t, []string{"KINFOLIO_VAULT=" + path}, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("kin %s: exit %d\n%s\nwant %q", strings.Join(args, " "), r.code, r.stderr, tc.want)
		}
		if r.stdout != "" {
			t.Errorf("a refused entry printed to stdout: %q", r.stdout)
		}
	}
	var all []entryRow
	jsonOut(t, mustKin(t, env, "--json", "list"), &all)
	if len(all) != 4 {
		t.Errorf("%d entries after the refused ones, want the 4 added", len(all))
	}

	// The visit summary prints them as entered.
	if p, err := exec.LookPath("pdftotext"); err == nil {
		out := filepath.Join(t.TempDir(), "summary.pdf")
		mustKin(t, env, "export", "pdf", "--out", out)
		text, err := exec.Command(p, "-raw", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(text)), " ")
		for _, want := range []string{"Metformin", "500 mg by mouth, twice a day, with food", "Penicillin", "hives, swelling of the face", "128/82", "160"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the visit summary does not print %q:\n%s", want, flat)
			}
		}
	}

	// No known allergies, for a second person.
	mustKin(t, env, "profiles", "add", "Sam Lee")
	var nka entryRow
	jsonOut(t, mustKin(t, env, "--json", "add", "--profile", "Sam Lee", "--kind", "allergy", "--no-known-allergies"), &nka)
	if nka.Title != "No known allergies" || nka.Entry.Code(record.SystemSNOMED) != "716186003" || nka.Date.IsZero() {
		t.Errorf("no known allergies %+v", nka.Entry)
	}
	if r := kin(t, env, "add", "--profile", "Sam Lee", "--kind", "allergy", "--no-known-allergies", "--title", "Latex"); r.code != exitUsage ||
		!strings.Contains(r.stderr, "--no-known-allergies: You said there are no known allergies") {
		t.Errorf("none known and one named: exit %d %s", r.code, r.stderr)
	}
}

// TestKin_AddFlagsAreTheFormFields: every field a form or app.NewEntry has
// is a flag of kin add, and kin help add says how each kind is entered.
func TestKin_AddFlagsAreTheFormFields(t *testing.T) {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	commands["add"].Flags(fs)
	for _, name := range app.EntryFieldNames() {
		if fs.Lookup(name) == nil {
			t.Errorf("kin add has no --%s", name)
		}
	}
	h := kin(t, nil, "help", "add").stdout
	for _, want := range []string{"--systolic 128 --diastolic 82", "--no-known-allergies", "--reaction", "weight (kg or lb)", "--how"} {
		if !strings.Contains(h, want) {
			t.Errorf("kin help add does not mention %q:\n%s", want, h)
		}
	}
}
