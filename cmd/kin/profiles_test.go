package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKinProfiles_ContactsOnTheCard: emergency contacts and a language
// given to kin profiles print on the emergency card.
func TestKinProfiles_ContactsOnTheCard(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ann Lee", "--birth-date", "1981-04-12",
		"--contact", "Jo Lee, mother, 555 0100", "--language", "Spanish")
	mustKin(t, env, "profiles", "edit", "Ann Lee", "--sex", "female",
		"--contact", "Jo Lee, mother, 555 0100", "--contact", "Sam Park, neighbour, +1 (555) 0199")
	r := mustKin(t, env, "--json", "profiles", "list")
	var ps []profileJSON
	if err := json.Unmarshal([]byte(r.stdout), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || len(ps[0].Contacts) != 2 || ps[0].Contacts[1].Phone != "+1 (555) 0199" ||
		ps[0].Contacts[1].Relation != "neighbour" || ps[0].Language != "Spanish" || ps[0].Sex != "female" {
		t.Fatalf("profiles %+v", ps)
	}
	for _, bad := range [][]string{
		{"profiles", "edit", "Ann Lee", "--contact", "Jo Lee"},
		{"profiles", "edit", "Ann Lee", "--sex", "sometimes"},
		{"profiles", "edit", "Isabella", "--language", "French"},
	} {
		if r := kin(t, env, bad...); r.code != exitUsage || strings.Contains(r.stderr, "usage:") && !strings.Contains(r.stderr, "kin:") {
			t.Errorf("%v: exit %d %q", bad, r.code, r.stderr)
		}
	}
	card := filepath.Join(t.TempDir(), "card.pdf")
	mustKin(t, env, "export", "pdf", "--kind", "card", "--out", card)
	out, err := exec.Command("pdftotext", "-layout", card, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Jo Lee", "555 0100", "Sam Park", "Spanish"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card does not print %q:\n%s", want, text)
		}
	}
	mustKin(t, env, "profiles", "edit", "Ann Lee", "--no-contacts")
	r = mustKin(t, env, "--json", "profiles", "list")
	if strings.Contains(r.stdout, "Jo Lee") {
		t.Errorf("--no-contacts kept them: %s", r.stdout)
	}
}
