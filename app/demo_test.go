package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// demo makes a demo vault in a temporary folder; it is locked when the test ends.
func demo(t *testing.T) (*app.Session, *app.Demo) {
	t.Helper()
	s, d, err := app.CreateDemo(filepath.Join(t.TempDir(), app.DemoFile), apptest.Options())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Lock() })
	return s, d
}

func TestCreateDemo_TheFamily(t *testing.T) {
	s, d := demo(t)
	if !regexp.MustCompile(`^demo(-[a-z]{4}){3}$`).MatchString(d.Passphrase) {
		t.Errorf("demo passphrase %q", d.Passphrase)
	}
	if !s.Demo() {
		t.Error("the demo session does not say it is a demo")
	}
	var names []string
	for _, p := range d.People {
		names = append(names, p.Label())
	}
	if want := []string{"Ann Lee, 45", "Sam Lee, 9"}; !slices.Equal(names, want) {
		t.Fatalf("demo people %q, want %q", names, want)
	}
	ann, sam := d.People[0].ID, d.People[1].ID

	// Two providers each, in two formats, with the one conflict: metformin's dose.
	for _, who := range []string{ann, sam} {
		srcs, err := s.Sources(who)
		if err != nil {
			t.Fatal(err)
		}
		formats := map[string]bool{}
		for _, src := range srcs {
			formats[string(src.Format)] = true
		}
		if !formats["fhir-r4"] || !formats["ccda"] || len(srcs) != 2 {
			t.Errorf("person %s: sources in formats %v, want a fhir-r4 and a ccda file", who, formats)
		}
	}
	rail, err := s.Rail(ann)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range rail.Sections {
		if it.Section == app.SectionSources && it.Count != 2 {
			t.Errorf("Ann's rail counts %d sources, want her 2 files (entries typed by hand are not files)", it.Count)
		}
	}
	// Removing Sam takes his two files (and what he typed in, which is no file).
	plan, err := s.PlanRemoval(sam)
	if err != nil || plan.Sources != 2 || plan.Shared != 0 || !strings.Contains(plan.Question, "2 imported files") {
		t.Errorf("PlanRemoval(Sam) = %+v, %v", plan, err)
	}
	dash, err := s.Dashboard(ann)
	if err != nil {
		t.Fatal(err)
	}
	var conflicted []string
	for _, m := range dash.Medications {
		if m.Conflict {
			conflicted = append(conflicted, m.Title)
		}
	}
	if len(conflicted) == 0 || !strings.Contains(strings.ToLower(strings.Join(conflicted, " ")), "metformin") {
		t.Errorf("Ann's conflicting medications %q, want metformin", conflicted)
	}
	if dash.Allergies.State != record.AllergiesRecorded || len(dash.Allergies.Rows) != 2 {
		t.Errorf("Ann's allergy card: %+v", dash.Allergies)
	}
	// Penicillin merged: seen in both providers' files.
	for _, r := range dash.Allergies.Rows {
		if r.Title == "Penicillin" && len(r.Badges) != 2 {
			t.Errorf("Penicillin badges %+v, want Valley Clinic and Riverside Hospital", r.Badges)
		}
	}
	// A lab series long enough to draw.
	tests, err := s.TrendTests(ann)
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, tt := range tests {
		longest = max(longest, tt.Count)
	}
	if longest < 20 {
		t.Errorf("Ann's longest series has %d results, want 20 or more", longest)
	}
	// What the family typed in themselves.
	rows, err := s.List(ann, app.SectionMedications)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rows, func(r app.Row) bool { return r.SelfReported && strings.Contains(r.Title, "Vitamin D3") }) {
		t.Error("Ann's vitamin D, entered by hand, is not among her medications")
	}
}

func TestCreateDemo_PeekShowsThePassphrase(t *testing.T) {
	s, d := demo(t)
	s.Lock()
	info, err := app.Peek(d.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Demo || info.DemoPassphrase != d.Passphrase {
		t.Errorf("Peek = %+v, want the demo mark and %q", info, d.Passphrase)
	}
	s2, err := app.Open(d.Path, app.Passphrase(info.DemoPassphrase), apptest.Options())
	if err != nil {
		t.Fatalf("the passphrase Peek shows does not open the demo: %v", err)
	}
	s2.Lock()
	if _, _, err := app.CreateDemo(d.Path, apptest.Options()); !errors.Is(err, vault.ErrExists) {
		t.Errorf("CreateDemo over a file: %v, want ErrExists", err)
	}
}

func TestPeek_OrdinaryVaultsAndNone(t *testing.T) {
	s := newSession(t)
	s.Lock()
	info, err := app.Peek(s.Path(), nil)
	if err != nil || info.Demo || info.DemoPassphrase != "" {
		t.Errorf("Peek of an ordinary vault = %+v, %v", info, err)
	}
	if s.Demo() {
		t.Error("an ordinary (locked) session says it is a demo")
	}
	_, err = app.Peek(filepath.Join(t.TempDir(), "none.kinfolio"), nil)
	if !errors.Is(err, app.ErrNoVault) {
		t.Errorf("Peek of nothing: %v, want ErrNoVault", err)
	}
	text := filepath.Join(t.TempDir(), "letter.txt")
	os.WriteFile(text, []byte(strings.Repeat("Dear doctor,\n", 800)), 0o600)
	_, err = app.Peek(text, nil)
	if !errors.Is(err, vault.ErrNotVault) || !strings.Contains(app.Sentence(err), "not a Kinfolio vault") {
		t.Errorf("Peek of a letter: %v (%q)", err, app.Sentence(err))
	}
}

func TestParseBirthDate(t *testing.T) {
	s := newSession(t)
	for _, tc := range []struct {
		in, want, problem string
	}{
		{"", "", ""},
		{"1981-04-12", "1981-04-12", ""},
		{" 1981 ", "1981", ""},
		{"12/04/1981", "", `"12/04/1981" is not a date`},
		{"2030-01-01", "", "is in the future"},
	} {
		d, err := s.ParseBirthDate(tc.in)
		field, problem := app.InputProblem(err)
		switch {
		case tc.problem == "" && (err != nil || d.String() != tc.want):
			t.Errorf("ParseBirthDate(%q) = %q, %v; want %q", tc.in, d.String(), err, tc.want)
		case tc.problem != "" && (field != "birth date" || !strings.Contains(problem, tc.problem)):
			t.Errorf("ParseBirthDate(%q): problem %q: %q, want birth date: …%s…", tc.in, field, problem, tc.problem)
		}
	}
	if f, p := app.InputProblem(vault.ErrInUse); f != "" || p != app.Sentence(vault.ErrInUse) {
		t.Errorf("InputProblem of another error = %q, %q", f, p)
	}
}
