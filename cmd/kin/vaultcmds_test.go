package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

const testPassphrase = "correct horse battery staple"

// newVault runs kin init for a vault in a temporary folder (low work
// factor) and returns its path and the environment that unlocks it.
func newVault(t *testing.T) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "family.kinfolio")
	env := []string{"KINFOLIO_PASSPHRASE=" + testPassphrase, "KINFOLIO_VAULT=" + path}
	r := kin(t, env, "init", "--work-factor", "10")
	if r.code != 0 {
		t.Fatalf("kin init: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "below 17") {
		t.Errorf("a low work factor gives no warning: %q", r.stderr)
	}
	return path, env
}

// mustKin runs kin and fails the test unless it exits 0.
func mustKin(t *testing.T, env []string, args ...string) result {
	t.Helper()
	r := kin(t, env, args...)
	if r.code != 0 {
		t.Fatalf("kin %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// jsonOut decodes the one JSON document kin printed.
func jsonOut(t *testing.T, r result, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document on stdout:\n%s", r.stdout)
	}
}

// importAsthma stores a small FHIR file in the vault through the Go API
// (kin import is tested with the importers): Ana Rivera with asthma.
func importAsthma(t *testing.T, path string) {
	t.Helper()
	v, err := vault.Open(path, vault.Passphrase(testPassphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	patient, _ := record.ParseResource([]byte(`{"resourceType":"Patient","id":"p1","name":[{"family":"Rivera","given":["Ana"]}],"birthDate":"1980-02-14"}`))
	cond, _ := record.ParseResource([]byte(`{"resourceType":"Condition","id":"c1","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2015-06-01"}`))
	p, _ := record.Decode[record.Patient](patient)
	b := &record.Batch{Source: record.Source{File: "clinic.json", Format: "fhir-r4"}, Original: append(patient.JSON, cond.JSON...),
		Patients: []record.PatientRecords{{Patient: &patient, Person: record.PersonFromPatient(p), Resources: []record.Resource{cond}}}}
	if _, err := v.Import(context.Background(), b, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestKin_VaultLifecycle(t *testing.T) {
	path, env := newVault(t)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" { // Windows: no modes
		t.Fatalf("vault file: %v %v", fi, err)
	}
	if r := kin(t, env, "init", "--work-factor", "10"); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("init over a vault: exit %d %q", r.code, r.stderr)
	}

	// People.
	mustKin(t, env, "profiles", "add", "Sam Rivera", "--birth-date", "2012-09-30")
	importAsthma(t, path)
	var people []struct {
		ID, Name  string
		BirthDate string `json:"birth_date"`
		Entries   int
	}
	jsonOut(t, mustKin(t, env, "profiles", "list", "--json"), &people)
	if len(people) != 2 || people[0].Name != "Ana Rivera" || people[0].Entries != 1 || people[1].BirthDate != "2012-09-30" {
		t.Fatalf("profiles %+v", people)
	}
	mustKin(t, env, "profiles", "rename", "sam rivera", "Samuel Rivera")
	if r := kin(t, env, "profiles", "rename", "Nobody", "X"); r.code != exitUsage {
		t.Errorf("renaming nobody: exit %d", r.code)
	}

	// Entries by hand: with two people, --profile is required.
	if r := kin(t, env, "add", "--kind", "vital", "--title", "Weight", "--value", "41", "--unit", "kg"); r.code != exitUsage || !strings.Contains(r.stderr, "--profile") {
		t.Errorf("add without --profile: exit %d %q", r.code, r.stderr)
	}
	var added record.Entry
	jsonOut(t, mustKin(t, env, "--json", "add", "--profile", "Samuel Rivera", "--kind", "vital", "--title", "Weight",
		"--value", "41", "--unit", "kg", "--date", "2024-03-01"), &added)
	if added.Kind != record.KindVital || added.Value != "41" || added.Unit != "kg" || added.Date.String() != "2024-03-01" {
		t.Errorf("added %+v", added)
	}
	for _, bad := range [][]string{
		{"add", "--profile", "Ana Rivera", "--kind", "gadget", "--title", "x"},
		{"add", "--profile", "Ana Rivera", "--kind", "lab"},
		{"add", "--profile", "Ana Rivera", "--kind", "lab", "--title", "x", "--date", "yesterday"},
		{"add", "--profile", "Ana Rivera", "--kind", "claim", "--title", "x"},
		{"list", "--kind", "gadget"},
		{"list", "--profile", "Nobody"},
	} {
		if r := kin(t, env, bad...); r.code != exitUsage {
			t.Errorf("kin %v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}

	// list, with the contract's fields.
	var list []map[string]any
	jsonOut(t, mustKin(t, env, "list", "--json"), &list)
	if len(list) != 2 || list[0]["title"] != "Weight" || list[1]["title"] != "Asthma" {
		t.Fatalf("list %v", list)
	}
	for _, field := range []string{"id", "profile", "kind", "title", "date", "status", "value", "unit", "codes", "sources", "conflict"} {
		if _, ok := list[1][field]; !ok {
			t.Errorf("list item has no %q", field)
		}
	}
	if codes := list[1]["codes"].([]any); len(codes) != 1 || codes[0].(map[string]any)["code"] != "195967001" {
		t.Errorf("codes %v", list[1]["codes"])
	}
	jsonOut(t, mustKin(t, env, "list", "--json", "--profile", "Ana Rivera", "--kind", "condition,allergy", "--since", "2015-01-01", "--until", "2015-06-01"), &list)
	if len(list) != 1 || list[0]["title"] != "Asthma" {
		t.Errorf("filtered list %v", list)
	}
	if r := mustKin(t, env, "list"); !strings.Contains(r.stdout, "Asthma") || !strings.Contains(r.stdout, "41 kg") {
		t.Errorf("list for people:\n%s", r.stdout)
	}

	// search and show.
	jsonOut(t, mustKin(t, env, "search", "--json", "asthma"), &list)
	if len(list) != 1 {
		t.Fatalf("search: %v", list)
	}
	id := list[0]["id"].(string)
	var shown struct {
		Title       string
		FHIR        []map[string]any        `json:"fhir"`
		SourceFiles []struct{ File string } `json:"source_files"`
	}
	jsonOut(t, mustKin(t, env, "show", "--json", id), &shown)
	if shown.Title != "Asthma" || len(shown.FHIR) != 1 || shown.FHIR[0]["resourceType"] != "Condition" || shown.SourceFiles[0].File != "clinic.json" {
		t.Errorf("show %+v", shown)
	}
	if r := mustKin(t, env, "show", id[:20]); !strings.Contains(r.stdout, "Asthma") || !strings.Contains(r.stdout, "195967001") || !strings.Contains(r.stdout, "clinic.json") {
		t.Errorf("show for people:\n%s", r.stdout)
	}
	if r := kin(t, env, "show", "0000000000"); r.code != exitUsage {
		t.Errorf("show unknown: exit %d", r.code)
	}
	if r := mustKin(t, env, "search", "zzzz"); r.stdout != "" {
		t.Errorf("search without hits printed %q", r.stdout)
	}

	// sources, and removing one.
	var srcs []map[string]any
	jsonOut(t, mustKin(t, env, "sources", "--json", "--profile", "Ana Rivera"), &srcs)
	if len(srcs) != 1 || srcs[0]["file"] != "clinic.json" || srcs[0]["format"] != "fhir-r4" || srcs[0]["entries"].(float64) != 1 {
		t.Fatalf("sources %v", srcs)
	}
	for _, field := range []string{"id", "profile", "file", "format", "imported_at", "author", "entries"} {
		if _, ok := srcs[0][field]; !ok {
			t.Errorf("source has no %q", field)
		}
	}
	mustKin(t, env, "sources", "remove", srcs[0]["id"].(string))
	jsonOut(t, mustKin(t, env, "list", "--json", "--profile", "Ana Rivera"), &list)
	if len(list) != 0 {
		t.Errorf("entries left after removing their source: %v", list)
	}
	mustKin(t, env, "profiles", "remove", "Ana Rivera")

	// verify and log.
	var rep map[string]float64
	jsonOut(t, mustKin(t, env, "verify", "--json"), &rep)
	if rep["damaged"] != 0 || rep["profiles"] != 1 || rep["entries"] != 1 || rep["sources"] != 1 || rep["values"] < 5 {
		t.Errorf("verify %v", rep)
	}
	var log []vault.AuditEvent
	jsonOut(t, mustKin(t, env, "log", "--json"), &log)
	var actions []string
	for _, ev := range log {
		actions = append(actions, string(ev.Action))
	}
	want := "create profile-add import profile-rename entry-add remove-source profile-remove"
	if strings.Join(actions, " ") != want {
		t.Errorf("log %v, want %s", actions, want)
	}
}

func TestKin_ExitCodes(t *testing.T) {
	path, env := newVault(t)
	wrong := []string{"KINFOLIO_PASSPHRASE=wrong", "KINFOLIO_VAULT=" + path}
	if r := kin(t, wrong, "list"); r.code != exitWrongKey || !strings.Contains(r.stderr, "That passphrase does not open this vault") || strings.Count(r.stderr, path) != 1 {
		t.Errorf("wrong passphrase: exit %d %q", r.code, r.stderr)
	}
	other := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(other, []byte("not a vault\n"), 0o600)
	if r := kin(t, env, "--vault", other, "list"); r.code != exitNotVault || strings.Count(r.stderr, "notes.txt") != 1 || strings.Count(r.stderr, "not a Kinfolio vault") != 1 {
		t.Errorf("not a vault: exit %d %q", r.code, r.stderr)
	}
	if r := kin(t, env, "--vault", filepath.Join(t.TempDir(), "missing"), "list"); r.code != exitFailed || !strings.Contains(r.stderr, "kin init") {
		t.Errorf("missing vault: exit %d %q", r.code, r.stderr)
	}

	// In use: this process holds the vault; kin answers within 2 s.
	v, err := vault.Open(path, vault.Passphrase(testPassphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := kin(t, env, "list")
	v.Close()
	if r.code != exitInUse || time.Since(start) > 2*time.Second {
		t.Errorf("in use: exit %d after %v: %q", r.code, time.Since(start), r.stderr)
	}

	// Damaged: a sealed value altered on disk.
	raw, _ := os.ReadFile(path)
	used := len(raw)
	for i := 2 * 4096; i < used; i++ {
		raw[i] ^= 0x55
	}
	damaged := filepath.Join(t.TempDir(), "damaged.kinfolio")
	os.WriteFile(damaged, raw, 0o600)
	if r := kin(t, env, "--vault", damaged, "verify"); r.code != exitDamaged {
		t.Errorf("damaged: exit %d %q", r.code, r.stderr)
	}
}

func TestKin_Keys(t *testing.T) {
	path, env := newVault(t)
	dir := t.TempDir()
	mustKin(t, env, "profiles", "add", "Ana")
	mustKin(t, env, "add", "--kind", "allergy", "--title", "Penicillin")

	// A recovery key written to a file unlocks the vault.
	keyFile := filepath.Join(dir, "recovery.txt")
	mustKin(t, env, "recovery-key", "--out", keyFile)
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Fatalf("recovery key file: %v %v", fi, err)
	}
	if r := kin(t, env, "recovery-key", "--out", keyFile); r.code != exitFailed {
		t.Errorf("recovery key over an existing file: exit %d", r.code)
	}
	noPass := []string{"KINFOLIO_VAULT=" + path}
	if r := mustKin(t, noPass, "--identity", keyFile, "list"); !strings.Contains(r.stdout, "Penicillin") {
		t.Errorf("list with the recovery key:\n%s", r.stdout)
	}
	// Printed once, as JSON.
	var printed struct{ Recipient, Identity string }
	jsonOut(t, mustKin(t, env, "recovery-key", "--json"), &printed)
	if !strings.HasPrefix(printed.Identity, "AGE-SECRET-KEY-1") || !strings.HasPrefix(printed.Recipient, "age1") {
		t.Errorf("printed recovery key %+v", printed)
	}

	// A caregiver's key: added, unlocks, removed, fails.
	carer, _ := age.GenerateX25519Identity()
	carerFile := filepath.Join(dir, "carer.txt")
	os.WriteFile(carerFile, []byte(carer.String()+"\n"), 0o600)
	if r := kin(t, env, "recipients", "add", "age1bogus"); r.code != exitUsage {
		t.Errorf("bogus recipient: exit %d", r.code)
	}
	mustKin(t, env, "recipients", "add", carer.Recipient().String(), "--name", "Grandma's laptop")
	var rs []vault.Recipient
	jsonOut(t, mustKin(t, env, "recipients", "list", "--json"), &rs)
	if len(rs) != 3 || rs[2].Name != "Grandma's laptop" {
		t.Errorf("recipients %+v", rs)
	}
	mustKin(t, noPass, "--identity", carerFile, "list")
	if r := kin(t, noPass, "--identity", carerFile, "recipients", "remove", carer.Recipient().String()); r.code != exitUsage {
		t.Errorf("removing a key when unlocked with an identity: exit %d %q", r.code, r.stderr)
	}
	mustKin(t, env, "recipients", "remove", carer.Recipient().String())
	if r := kin(t, noPass, "--identity", carerFile, "list"); r.code != exitWrongKey {
		t.Errorf("removed caregiver key: exit %d %q", r.code, r.stderr)
	}
	mustKin(t, noPass, "--identity", keyFile, "verify")
	if r := kin(t, noPass, "--identity", filepath.Join(dir, "nope"), "list"); r.code != exitUsage {
		t.Errorf("missing identity file: exit %d", r.code)
	}

	// passwd, from a file; the recovery key can reset it too.
	newPass := filepath.Join(dir, "new")
	os.WriteFile(newPass, []byte("a brand new passphrase\n"), 0o600)
	mustKin(t, env, "passwd", "--new-passphrase-file", newPass)
	if r := kin(t, env, "list"); r.code != exitWrongKey {
		t.Errorf("old passphrase after passwd: exit %d", r.code)
	}
	mustKin(t, []string{"KINFOLIO_VAULT=" + path}, "--passphrase-file", newPass, "list")
	reset := []string{"KINFOLIO_VAULT=" + path, "KINFOLIO_NEW_PASSPHRASE=reset by recovery"}
	mustKin(t, reset, "--identity", keyFile, "passwd")
	mustKin(t, []string{"KINFOLIO_VAULT=" + path, "KINFOLIO_PASSPHRASE=reset by recovery"}, "list")
	if r := kin(t, []string{"KINFOLIO_VAULT=" + path, "KINFOLIO_PASSPHRASE=reset by recovery"}, "passwd"); r.code != exitUsage {
		t.Errorf("passwd with no new passphrase and no terminal: exit %d %q", r.code, r.stderr)
	}
}
