package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"filippo.io/age"
)

// listRow is what list and search print for each entry in --json.
type listRow struct {
	ID          string `json:"id"`
	Profile     string `json:"profile"`
	ProfileName string `json:"profile_name"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Conflict    bool   `json:"conflict"`
}

// TestKin_WhoseEntry: in a family vault every row of list, search and
// sources names its person, and show says whose entry it is; in a vault of
// one person (or with --profile) a first line does.
func TestKin_WhoseEntry(t *testing.T) {
	path, env := newVault(t)
	importAsthma(t, path) // Ana Rivera
	mustKin(t, env, "import", larsonA)
	mustKin(t, env, "profiles", "add", "Sam Rivera")
	mustKin(t, env, "add", "--profile", "Sam Rivera", "--kind", "vital", "--title", "Weight", "--value", "41", "--unit", "kg", "--date", "2024-03-01")

	var rows []listRow
	jsonOut(t, mustKin(t, env, "list", "--json"), &rows)
	names := map[string]bool{}
	for _, r := range rows {
		if r.ProfileName == "" || r.Profile == "" {
			t.Fatalf("a row without its person: %+v", r)
		}
		names[r.ProfileName] = true
	}
	if !names["Ana Rivera"] || !names["Sam Rivera"] || !names["Rebecca Jones Larson"] {
		t.Errorf("people in list --json: %v", names)
	}
	text := mustKin(t, env, "list").stdout
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.Contains(line, "Ana Rivera") && !strings.Contains(line, "Sam Rivera") && !strings.Contains(line, "Rebecca Jones Larson") {
			t.Errorf("a row of a family vault's list names no one: %q", line)
		}
	}
	one := mustKin(t, env, "list", "--profile", "Sam Rivera")
	if strings.TrimSpace(one.stderr) != "Sam Rivera: 1 entry" || strings.Count(one.stdout, "\n") != 1 || strings.Contains(one.stdout, "Sam Rivera") {
		t.Errorf("list --profile: stderr %q, stdout %q", one.stderr, one.stdout)
	}

	// A search that finds nothing says so, not that the vault is empty.
	if r := mustKin(t, env, "search", "no-such-word-anywhere"); r.stdout != "" || strings.TrimSpace(r.stderr) != `no entries match "no-such-word-anywhere"` {
		t.Errorf("a search finding nothing: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	// A note typed by hand: --kind note is a document.
	mustKin(t, env, "add", "--profile", "Sam Rivera", "--kind", "note", "--note", "Peanut reaction at school, 2024")
	if r := mustKin(t, env, "search", "--profile", "Sam Rivera", "peanut"); !strings.Contains(r.stdout, "document") {
		t.Errorf("a note added with --kind note: %q %q", r.stdout, r.stderr)
	}

	jsonOut(t, mustKin(t, env, "search", "--json", "asthma"), &rows)
	if len(rows) != 1 || rows[0].ProfileName != "Ana Rivera" {
		t.Errorf("search --json: %+v", rows)
	}
	if r := mustKin(t, env, "search", "asthma"); !strings.Contains(r.stdout, "Ana Rivera") {
		t.Errorf("search names no one:\n%s", r.stdout)
	}
	if r := mustKin(t, env, "show", rows[0].ID); !strings.Contains(r.stdout, "person:        Ana Rivera") {
		t.Errorf("show does not say whose entry it is:\n%s", r.stdout)
	}
	var shown struct {
		ProfileName string `json:"profile_name"`
	}
	jsonOut(t, mustKin(t, env, "show", "--json", rows[0].ID), &shown)
	if shown.ProfileName != "Ana Rivera" {
		t.Errorf("show --json profile_name %q", shown.ProfileName)
	}

	var srcs []struct {
		File        string `json:"file"`
		ProfileName string `json:"profile_name"`
	}
	jsonOut(t, mustKin(t, env, "sources", "--json"), &srcs)
	for _, s := range srcs {
		if s.ProfileName == "" {
			t.Errorf("source %s names no one", s.File)
		}
	}
	if r := mustKin(t, env, "sources"); !strings.Contains(r.stdout, "Rebecca Jones Larson") || !strings.Contains(r.stdout, "Ana Rivera") {
		t.Errorf("sources names no one:\n%s", r.stdout)
	}

	// Nothing found: nothing on stdout, a sentence on stderr.
	for _, args := range [][]string{{"search", "zzzz"}, {"list", "--kind", "claim"}, {"list", "--profile", "Sam Rivera", "--kind", "lab"}} {
		r := mustKin(t, env, args...)
		if r.stdout != "" || !strings.Contains(r.stderr, "no entries") {
			t.Errorf("kin %v: stdout %q, stderr %q", args, r.stdout, r.stderr)
		}
	}
}

// TestKin_ConflictExplained: two vendors' documents of one patient disagree
// on an allergy's severity; show names the field, both values and both
// files. One document alone holds no conflict; removing the other file
// ends the conflict.
func TestKin_ConflictExplained(t *testing.T) {
	_, env := newVault(t)
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", larsonA), &reps)
	if reps[0].Conflicts != 0 {
		t.Errorf("one document alone: %d conflicts", reps[0].Conflicts)
	}
	var rows []listRow
	jsonOut(t, mustKin(t, env, "list", "--json"), &rows)
	for _, r := range rows {
		if r.Conflict {
			t.Errorf("one document: %s %q is flagged", r.Kind, r.Title)
		}
	}

	jsonOut(t, mustKin(t, env, "import", "--json", larsonB), &reps)
	if reps[0].Conflicts == 0 {
		t.Fatalf("the second vendor's document: no conflicts")
	}
	jsonOut(t, mustKin(t, env, "list", "--json", "--kind", "allergy"), &rows)
	var penicillin *listRow
	for i, r := range rows {
		if r.Conflict && strings.EqualFold(r.Title, "Penicillin G") && penicillin == nil {
			penicillin = &rows[i]
		}
	}
	if penicillin == nil {
		t.Fatalf("no conflict on penicillin: %+v", rows)
	}
	show := mustKin(t, env, "show", penicillin.ID).stdout
	for _, want := range []string{"conflict:", "severity", "moderate", "high", "Test1_LarsonDSSample1.xml", "larson-rn.xml", "this entry", "the other entry"} {
		if !strings.Contains(show, want) {
			t.Errorf("show of a conflict does not say %q:\n%s", want, show)
		}
	}
	var shown struct {
		Conflicts []struct {
			Other  string `json:"other"`
			Fields []struct {
				Field, This, Other string
			} `json:"fields"`
			Sources      []struct{ File string } `json:"sources"`
			OtherSources []struct{ File string } `json:"other_sources"`
		} `json:"conflicts"`
	}
	jsonOut(t, mustKin(t, env, "show", "--json", penicillin.ID), &shown)
	if len(shown.Conflicts) != 1 || len(shown.Conflicts[0].Fields) != 1 || shown.Conflicts[0].Fields[0].Field != "severity" ||
		len(shown.Conflicts[0].Sources) != 1 || len(shown.Conflicts[0].OtherSources) != 1 ||
		shown.Conflicts[0].Sources[0].File == shown.Conflicts[0].OtherSources[0].File {
		t.Fatalf("show --json conflicts: %+v", shown.Conflicts)
	}
	other := shown.Conflicts[0].Other
	if r := mustKin(t, env, "show", other); !strings.Contains(r.stdout, penicillin.ID) {
		t.Errorf("the other side does not point back:\n%s", r.stdout)
	}

	// Remove the file of the side that is not the vendor's first.
	var srcs []struct{ ID, File string }
	jsonOut(t, mustKin(t, env, "sources", "--json"), &srcs)
	for _, s := range srcs {
		if s.File == "larson-rn.xml" {
			mustKin(t, env, "sources", "remove", s.ID)
		}
	}
	jsonOut(t, mustKin(t, env, "list", "--json"), &rows)
	for _, r := range rows {
		if r.Conflict {
			t.Errorf("after removing the other file: %s %q still flagged", r.Kind, r.Title)
		}
	}
	for _, id := range []string{penicillin.ID, other} {
		if r := kin(t, env, "show", id); strings.Contains(r.stdout, "conflict") {
			t.Errorf("show after removing the other file still tells of a conflict:\n%s", r.stdout)
		}
	}
}

// TestKin_Messages: what a person reads in the small cases.
func TestKin_Messages(t *testing.T) {
	_, env := newVault(t)
	dir := t.TempDir()

	// A small file that is not a vault (bbolt alone says "too small").
	readme := filepath.Join(dir, "README.md")
	os.WriteFile(readme, []byte(strings.Repeat("# Kinfolio\nA family's health records.\n", 140)), 0o600)
	if r := kin(t, env, "--vault", readme, "list"); r.code != exitNotVault || !strings.Contains(r.stderr, "not a Kinfolio vault") || strings.Contains(r.stderr, "damaged") {
		t.Errorf("--vault README.md: exit %d %q", r.code, r.stderr)
	}

	// A 300-character title: cut in the table, whole in show and --json.
	long := strings.Repeat("Very long self-reported note title ", 9)[:300]
	mustKin(t, env, "profiles", "add", "Ana Rivera")
	mustKin(t, env, "add", "--kind", "other", "--title", long)
	mustKin(t, env, "add", "--kind", "vital", "--title", "Weight", "--value", "61", "--unit", "kg")
	for _, line := range strings.Split(strings.TrimSpace(mustKin(t, env, "list").stdout), "\n") {
		if n := utf8.RuneCountInString(line); n > 160 {
			t.Errorf("a row %d characters wide: %q", n, line)
		}
	}
	var rows []listRow
	jsonOut(t, mustKin(t, env, "list", "--json", "--kind", "other"), &rows)
	if len(rows) != 1 || rows[0].Title != long {
		t.Fatalf("list --json cut the title: %+v", rows)
	}
	if r := mustKin(t, env, "show", rows[0].ID); !strings.Contains(r.stdout, long) {
		t.Errorf("show cut the title:\n%s", r.stdout)
	}

	// A document's media type is no category.
	mustKin(t, env, "import", larsonA)
	var docs []listRow
	jsonOut(t, mustKin(t, env, "list", "--json", "--kind", "document"), &docs)
	if len(docs) == 0 {
		t.Fatal("no documents")
	}
	if r := mustKin(t, env, "show", docs[0].ID); strings.Contains(r.stdout, "text/plain") || !strings.Contains(r.stdout, "file type:") {
		t.Errorf("show of a document:\n%s", r.stdout)
	}

	// kin --json help is JSON.
	var help struct {
		Commands []struct {
			Name  string `json:"name"`
			Flags []struct{ Name string }
		} `json:"commands"`
		ExitCodes []struct{ Code int } `json:"exit_codes"`
	}
	jsonOut(t, mustKin(t, nil, "--json", "help"), &help)
	if len(help.Commands) != len(commands) || len(help.ExitCodes) != 7 {
		t.Errorf("help --json: %d commands (want %d), %d exit codes", len(help.Commands), len(commands), len(help.ExitCodes))
	}
	var one struct {
		Name  string `json:"name"`
		Flags []struct{ Name string }
	}
	jsonOut(t, mustKin(t, nil, "help", "list", "--json"), &one)
	if one.Name != "list" || len(one.Flags) != 4 {
		t.Errorf("help list --json: %+v", one)
	}

	// verify --profile counts that person's records.
	var whole, ana, larson map[string]float64
	jsonOut(t, mustKin(t, env, "verify", "--json"), &whole)
	jsonOut(t, mustKin(t, env, "verify", "--json", "--profile", "Ana Rivera"), &ana)
	jsonOut(t, mustKin(t, env, "verify", "--json", "--profile", "Rebecca Jones Larson"), &larson)
	// Ana's two entries by hand are two sources of one resource each.
	if ana["profiles"] != 1 || ana["entries"] != 2 || ana["sources"] != 2 || ana["resources"] != 2 ||
		larson["profiles"] != 1 || larson["sources"] != 1 || larson["chunks"] != 1 || ana["chunks"] != 0 ||
		larson["entries"]+ana["entries"] != whole["entries"] || larson["resources"]+ana["resources"] != whole["resources"] ||
		ana["values"]+larson["values"] >= whole["values"] || ana["values"] < 9 {
		t.Errorf("verify: whole %v\nAna %v\nLarson %v", whole, ana, larson)
	}
	if r := mustKin(t, env, "verify", "--profile", "Ana Rivera"); !strings.HasPrefix(r.stdout, "Ana Rivera: ") || !strings.Contains(r.stdout, "2 entries") {
		t.Errorf("verify --profile for people:\n%s", r.stdout)
	}
}

// TestKin_RecipientAddedTwice: adding a key again without --name keeps its
// name and says so.
func TestKin_RecipientAddedTwice(t *testing.T) {
	_, env := newVault(t)
	carer, _ := age.GenerateX25519Identity()
	key := carer.Recipient().String()
	mustKin(t, env, "recipients", "add", key, "--name", "Grandma's laptop")
	r := mustKin(t, env, "recipients", "add", key)
	if !strings.Contains(r.stderr, "already opens the vault") {
		t.Errorf("adding a key twice: %q", r.stderr)
	}
	var rs []struct{ Key, Name string }
	jsonOut(t, mustKin(t, env, "recipients", "list", "--json"), &rs)
	if len(rs) != 1 || rs[0].Name != "Grandma's laptop" {
		t.Errorf("recipients after adding a key twice: %+v", rs)
	}
	mustKin(t, env, "recipients", "add", key, "--name", "Grandma's tablet")
	jsonOut(t, mustKin(t, env, "recipients", "list", "--json"), &rs)
	if len(rs) != 1 || rs[0].Name != "Grandma's tablet" {
		t.Errorf("renaming a key: %+v", rs)
	}
}

// TestKin_WeakPassphrase: init and passwd accept a weak passphrase but
// say so, with a suggestion; a strong one passes without a word.
func TestKin_WeakPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.kinfolio")
	r := mustKin(t, []string{"KINFOLIO_PASSPHRASE=a", "KINFOLIO_VAULT=" + path}, "init", "--work-factor", "10")
	if !strings.Contains(r.stderr, "passphrase is weak") || !strings.Contains(r.stderr, "four or more random words") {
		t.Errorf("init with %q: %q", "a", r.stderr)
	}
	var out struct {
		Strength string `json:"passphrase_strength"`
	}
	r = mustKin(t, []string{"KINFOLIO_PASSPHRASE=a", "KINFOLIO_VAULT=" + path, "KINFOLIO_NEW_PASSPHRASE=abacus zoom mutable"}, "passwd", "--json")
	jsonOut(t, r, &out)
	if out.Strength != "fair" || !strings.Contains(r.stderr, "fair") {
		t.Errorf("passwd to three words: %q, stderr %q", out.Strength, r.stderr)
	}
	r = mustKin(t, []string{"KINFOLIO_PASSPHRASE=abacus zoom mutable", "KINFOLIO_VAULT=" + path, "KINFOLIO_NEW_PASSPHRASE=abacus zoom mutable flagstone"}, "passwd")
	if strings.Contains(r.stderr, "weak") || strings.Contains(r.stderr, "fair") {
		t.Errorf("passwd to four words: %q", r.stderr)
	}
}
