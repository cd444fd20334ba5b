package app_test

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// The corpus files the tests import (see testdata/corpus/README.md).
const (
	larsonMeditech = "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml"
	larsonMcKesson = "testdata/corpus/ccda/onc-mckesson-paragon/larson-rn.xml"
	alberto        = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
	appleMinimal   = "testdata/corpus/apple-health/healthkit-to-sqlite-fixtures/export_minimal.xml"
)

// testNow is the tests' clock: a fixed day, so ages and "days ago" hold.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func testOptions() *app.Options {
	return &app.Options{WorkFactor: vaulttest.WorkFactor, Now: func() time.Time { return testNow },
		Run: func(work func()) { work() }}
}

// newSession creates a vault in a temporary folder and returns it open; it
// is locked when the test ends.
func newSession(t testing.TB) *app.Session {
	t.Helper()
	s, err := app.Create(filepath.Join(t.TempDir(), "vault.kinfolio"), vaulttest.Passphrase, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Lock() })
	return s
}

// imported returns a session holding the given corpus files.
func imported(t testing.TB, paths ...string) *app.Session {
	t.Helper()
	s := newSession(t)
	res, err := s.Import(context.Background(), paths, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Failed() {
			t.Fatalf("%s: %v", r.File, r.Err)
		}
	}
	return s
}

func personNamed(t testing.TB, s *app.Session, name string) app.Person {
	t.Helper()
	p, err := s.Person(name)
	if err != nil {
		t.Fatalf("Person(%q): %v", name, err)
	}
	return p
}

func TestOpen_WrongPassphraseThenRight(t *testing.T) {
	s := newSession(t)
	path := s.Path()
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	_, err := app.Open(path, app.Passphrase("not it"), testOptions())
	if !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	if got := app.Sentence(err); !strings.Contains(got, "does not open this vault") {
		t.Errorf("sentence for a wrong passphrase: %q", got)
	}
	s2, err := app.Open(path, app.Passphrase(vaulttest.Passphrase), testOptions())
	if err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
	s2.Lock()
}

func TestOpen_RecoveryKeyFile(t *testing.T) {
	s := newSession(t)
	key, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "recovery.txt")
	os.WriteFile(keyFile, []byte("# my recovery key\n"+key+"\n"), 0o600)
	notKey := filepath.Join(dir, "notes.txt")
	os.WriteFile(notKey, []byte("shopping list\n"), 0o600)
	path := s.Path()
	s.Lock()

	for _, tc := range []struct {
		name   string
		secret app.Secret
		want   error
	}{
		{"a file that holds no key", app.IdentityFile(notKey), app.ErrBadKeyFile},
		{"a key file that is not there", app.IdentityFile(filepath.Join(dir, "gone.txt")), app.ErrBadKeyFile},
		{"the recovery key file", app.IdentityFile(keyFile), nil},
		{"the recovery key pasted", app.IdentityText(key), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := app.Open(path, tc.secret, testOptions())
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if s != nil {
				s.Lock()
			}
		})
	}
}

func TestOpen_NoVaultThere(t *testing.T) {
	_, err := app.Open(filepath.Join(t.TempDir(), "none.kinfolio"), app.Passphrase("x"), testOptions())
	if !errors.Is(err, app.ErrNoVault) {
		t.Fatalf("got %v", err)
	}
}

func TestCreate_NeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(path, []byte("mine"), 0o600)
	_, err := app.Create(path, "a passphrase", testOptions())
	if !errors.Is(err, vault.ErrExists) {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Fatal("the file was changed")
	}
}

// TestLocked_EveryCallSaysSo: a locked session answers every call with
// ErrLocked (which is also vault.ErrClosed), never with nil data.
func TestLocked_EveryCallSaysSo(t *testing.T) {
	s := imported(t, larsonMeditech)
	person := personNamed(t, s, "Rebecca Jones Larson")
	rows, err := s.List(person.ID, app.SectionProblems)
	if err != nil || len(rows) == 0 {
		t.Fatalf("before locking: %d rows, %v", len(rows), err)
	}
	var changes []app.Change
	s.Subscribe(func(c app.Change) { changes = append(changes, c) })
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	if !s.Locked() {
		t.Fatal("Locked() is false after Lock")
	}
	if len(changes) != 1 || changes[0].Kind != app.ChangeLocked {
		t.Errorf("subscribers heard %v, want one ChangeLocked", changes)
	}
	calls := map[string]func() error{
		"People":    func() error { _, err := s.People(); return err },
		"Person":    func() error { _, err := s.Person(person.ID); return err },
		"Dashboard": func() error { _, err := s.Dashboard(person.ID); return err },
		"List":      func() error { _, err := s.List(person.ID, app.SectionProblems); return err },
		"Timeline":  func() error { _, err := s.Timeline(person.ID, app.TimelineFilter{}); return err },
		"Search":    func() error { _, _, err := s.Search("", "anemia", 0); return err },
		"Detail":    func() error { _, err := s.Detail(rows[0].ID); return err },
		"Sources":   func() error { _, err := s.Sources(""); return err },
		"Trend":     func() error { _, err := s.TrendTests(person.ID); return err },
		"Rail":      func() error { _, err := s.Rail(person.ID); return err },
		"AddPerson": func() error { _, err := s.AddPerson(app.PersonDetails{Name: "Sam"}); return err },
		"AddEntry": func() error {
			_, err := s.AddEntry(person.ID, app.NewEntry{Kind: record.KindAllergy, Title: "Latex"})
			return err
		},
		"Import": func() error {
			_, err := s.Import(context.Background(), []string{larsonMcKesson}, app.ImportOptions{})
			return err
		},
		"Keys": func() error { _, err := s.Keys(); return err },
		"Log":  func() error { _, err := s.Log(app.LogFilter{}); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, app.ErrLocked) || !errors.Is(err, vault.ErrClosed) {
			t.Errorf("%s on a locked session: %v, want ErrLocked", name, err)
		}
	}
	if err := s.Lock(); err != nil {
		t.Errorf("locking twice: %v", err)
	}
}

func TestSubscribe_ToldAfterEveryWrite(t *testing.T) {
	s := newSession(t)
	var got []app.Change
	stop := s.Subscribe(func(c app.Change) { got = append(got, c) })
	before := s.Revision()
	p, err := s.AddPerson(app.PersonDetails{Name: "Ann Lee", BirthDate: record.MustDate("1980-02-14")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEntry(p.ID, app.NewEntry{Kind: record.KindAllergy, Title: "Latex", Note: "rash"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), []string{larsonMeditech}, app.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	kinds := []app.ChangeKind{}
	for _, c := range got {
		kinds = append(kinds, c.Kind)
	}
	want := []app.ChangeKind{app.ChangePeople, app.ChangeRecords, app.ChangeRecords}
	if !slices.Equal(kinds, want) {
		t.Fatalf("changes %v, want %v", kinds, want)
	}
	if s.Revision() != before+3 || got[2].Revision != s.Revision() {
		t.Errorf("revision %d after 3 writes from %d; last change said %d", s.Revision(), before, got[2].Revision)
	}
	// Importing the same file again changes nothing, so nobody is told.
	if _, err := s.Import(context.Background(), []string{larsonMeditech}, app.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	stop()
	s.AddPerson(app.PersonDetails{Name: "Sam Lee"})
	if len(got) != 3 {
		t.Errorf("%d changes heard; a re-import and a write after unsubscribing must not be heard", len(got))
	}
}

func TestImport_CancelledLeavesNothing(t *testing.T) {
	s := newSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := s.Import(ctx, []string{larsonMeditech, alberto}, app.ImportOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if len(res) != 0 {
		t.Errorf("%d results from a cancelled import", len(res))
	}
	if ps, _ := s.People(); len(ps) != 0 {
		t.Errorf("a cancelled import left people: %v", ps)
	}
	if srcs, _ := s.Sources(""); len(srcs) != 0 {
		t.Errorf("a cancelled import left sources: %v", srcs)
	}
}

func TestImport_ProgressAndReport(t *testing.T) {
	s := newSession(t)
	var progress []string
	res, err := s.Import(context.Background(), []string{larsonMeditech, alberto, appleMinimal},
		app.ImportOptions{Progress: func(p app.Progress) { progress = append(progress, p.Text) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(progress, "Reading Test1_LarsonDSSample1.xml… 1 of 3 files") {
		t.Errorf("progress: %q", progress)
	}
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	if !strings.HasPrefix(res[0].Summary, "Added ") || !strings.Contains(res[0].Summary, "for Rebecca Jones Larson") ||
		!strings.Contains(res[0].Summary, "2 allergies") {
		t.Errorf("summary: %q", res[0].Summary)
	}
	if !slices.Equal(res[1].NewPeople, []string{"Alberto Atencio"}) {
		t.Errorf("new people: %v", res[1].NewPeople)
	}
	// The Apple export names no one, and two people are in the vault.
	if !res[2].Failed() || !strings.Contains(res[2].Sentence, "does not say whose") {
		t.Errorf("apple export with two people: %+v", res[2])
	}
}

func TestDashboard_WhatAPersonChecks(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson, alberto)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	d, err := s.Dashboard(larson.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allergies.State != record.AllergiesRecorded {
		t.Fatalf("allergy state %v", d.Allergies.State)
	}
	var allergies []string
	for _, r := range d.Allergies.Rows {
		allergies = append(allergies, strings.ToLower(r.Title))
	}
	if !slices.Contains(allergies, "penicillin g") || !slices.Contains(allergies, "ampicillin") {
		t.Errorf("allergies %v", allergies)
	}
	if !slices.ContainsFunc(d.Medications, func(r app.Row) bool { return strings.Contains(r.Title, "Levothyroxine") }) {
		t.Errorf("medications lack levothyroxine: %v", titles(d.Medications))
	}
	if !slices.ContainsFunc(d.Problems, func(r app.Row) bool { return strings.Contains(r.Title, "Essential hypertension") }) {
		t.Errorf("problems lack hypertension: %v", titles(d.Problems))
	}
	bp := tile(d.Vitals, "Blood pressure")
	if bp == nil || bp.Value != "145/88 mmHg" || bp.DateText != "8 May 2017" || len(bp.Spark) != bp.Count || bp.Spark[len(bp.Spark)-1] != 145 {
		t.Errorf("latest blood pressure: %+v", bp)
	}
	if d.Sources.Providers != 2 || d.Sources.Text != "From 2 providers; last import today" {
		t.Errorf("sources card: %+v", d.Sources)
	}
	for _, r := range d.Results {
		if len(r.Spark) == 0 {
			t.Errorf("result tile %q has no numbers to draw", r.Title)
		}
	}

	alb := personNamed(t, s, "Alberto Atencio")
	d, err = s.Dashboard(alb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allergies.State != record.NoAllergyInformation || d.Allergies.Text != "No allergy information recorded" {
		t.Errorf("Alberto's allergies: %+v", d.Allergies)
	}
	if w := tile(d.Vitals, "Body Weight"); w == nil || w.Value != "61.4 kg" || len(w.Spark) != 4 {
		t.Errorf("Alberto's weight: %+v", w)
	}
}

func tile(ts []app.Tile, title string) *app.Tile {
	for i := range ts {
		if strings.EqualFold(ts[i].Title, title) {
			return &ts[i]
		}
	}
	return nil
}

func titles(rows []app.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Title)
	}
	return out
}

func TestDetail_SeenInTwoSources(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	rows, err := s.List(larson.ID, app.SectionProblems)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(r app.Row) bool { return r.Title == "Essential hypertension" })
	if i < 0 {
		t.Fatalf("no hypertension among %v", titles(rows))
	}
	if len(rows[i].Badges) != 2 {
		t.Errorf("badges %v, want both providers", rows[i].Badges)
	}
	d, err := s.Detail(rows[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.SeenText != "Seen in 2 sources" || len(d.Seen) < 2 {
		t.Errorf("seen: %q %+v", d.SeenText, d.Seen)
	}
	var files []string
	for _, st := range d.Seen {
		files = append(files, st.File)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if !slices.Equal(files, []string{"Test1_LarsonDSSample1.xml", "larson-rn.xml"}) {
		t.Errorf("files %v", files)
	}
	if !slices.ContainsFunc(d.Codes, func(c app.Code) bool { return c.SystemName == "SNOMED CT" && c.Code == "59621000" }) {
		t.Errorf("codes %+v", d.Codes)
	}
	if d.Editable || d.ReadOnlyText == "" {
		t.Errorf("an imported entry must be read-only and say so: %+v", d)
	}
}

func TestTimeline_GroupedByDayNewestFirst(t *testing.T) {
	s := imported(t, alberto)
	p := personNamed(t, s, "Alberto Atencio")
	tl, err := s.Timeline(p.ID, app.TimelineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	first := tl.Item(0)
	if !first.Header || !strings.HasPrefix(first.Heading, "Mon 11 Mar 2019") {
		t.Errorf("first item %+v", first)
	}
	page := tl.Page(0, 200)
	var last time.Time
	entries := 0
	for _, it := range page {
		if it.Header {
			continue
		}
		entries++
		if !last.IsZero() && it.Row.Date.T.After(last) {
			t.Fatalf("%s after %s: not newest first", it.Row.DateText, last)
		}
		last = it.Row.Date.T
	}
	if entries != tl.Total || tl.Total != 71 {
		t.Errorf("%d entries on the page, %d in all; want 71", entries, tl.Total)
	}
	if len(tl.Years) == 0 || tl.Years[0].Year != 2019 || tl.Years[0].Index != 0 {
		t.Errorf("years %+v", tl.Years)
	}
	labs, err := s.Timeline(p.ID, app.TimelineFilter{Kinds: []record.Kind{record.KindImmunization}})
	if err != nil {
		t.Fatal(err)
	}
	if labs.Total != 7 {
		t.Errorf("%d immunizations on a filtered timeline, want 7", labs.Total)
	}
	for _, it := range labs.Page(0, labs.Len()) {
		if !it.Header && it.Row.Kind != record.KindImmunization {
			t.Errorf("filtered timeline shows a %s", it.Row.Kind)
		}
	}
}

func TestTrend_BloodPressureHasTwoLines(t *testing.T) {
	s := imported(t, alberto)
	p := personNamed(t, s, "Alberto Atencio")
	tests, err := s.TrendTests(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 || tests[0].Group != app.GroupVitals {
		t.Fatalf("tests %+v", tests)
	}
	i := slices.IndexFunc(tests, func(tt app.TrendTest) bool { return tt.Title == "Blood Pressure" })
	if i < 0 {
		t.Fatalf("no blood pressure among %+v", tests)
	}
	tr, err := s.Trend(p.ID, tests[i].Key)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Lines) != 2 || tr.Lines[0].Name != "Systolic" || len(tr.Lines[0].Points) != 4 || len(tr.Lines[1].Points) != 4 {
		t.Fatalf("lines %+v", tr.Lines)
	}
	pt := tr.Lines[0].Points[3]
	if pt.DateText != "11 Mar 2019" || !strings.Contains(pt.Label, "11 Mar 2019") || pt.Value < 100 {
		t.Errorf("latest point %+v", pt)
	}
	if !tr.From.Before(tr.To) {
		t.Errorf("time axis %v–%v", tr.From, tr.To)
	}
	if _, err := s.Trend(p.ID, "lab|nothing"); !errors.Is(err, app.ErrBadInput) {
		t.Errorf("unknown series: %v", err)
	}
}

func TestSearch_NamesWhoseEntry(t *testing.T) {
	s := imported(t, larsonMeditech, alberto)
	rows, total, err := s.Search("", "epilepsy", 0)
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || rows[0].PersonName != "Alberto Atencio" {
		t.Fatalf("%d results: %+v", total, rows)
	}
	rows, total, _ = s.Search("Rebecca Jones Larson", "epilepsy", 0)
	if total != 0 || len(rows) != 0 {
		t.Errorf("Larson's search found Alberto's epilepsy: %v", rows)
	}
	rows, total, _ = s.Search("", "hyper", 1)
	if len(rows) != 1 || total < 1 {
		t.Errorf("limit 1: %d rows of %d", len(rows), total)
	}
}

func TestEntries_AddEditDeleteByHand(t *testing.T) {
	s := imported(t, larsonMeditech)
	p := personNamed(t, s, "Rebecca Jones Larson")
	for _, tc := range []struct {
		name string
		in   app.NewEntry
		want error
	}{
		{"no title", app.NewEntry{Kind: record.KindAllergy}, app.ErrBadInput},
		{"bad date", app.NewEntry{Kind: record.KindVital, Title: "Weight", Value: "70", Unit: "kg", Date: "last tuesday"}, app.ErrBadInput},
		{"unit without value", app.NewEntry{Kind: record.KindVital, Title: "Weight", Unit: "kg"}, app.ErrBadInput},
		{"a claim", app.NewEntry{Kind: record.KindClaim, Title: "Bill"}, record.ErrNotSelfReportable},
		{"unknown kind", app.NewEntry{Kind: "mood", Title: "Happy"}, app.ErrBadInput},
	} {
		if _, err := s.AddEntry(p.ID, tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	row, err := s.AddEntry(p.ID, app.NewEntry{Kind: record.KindVital, Title: "Weight", Value: "70", Unit: "kg", Date: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	if !row.SelfReported || row.Detail != "70 kg" || len(row.Badges) != 1 || row.Badges[0].Key != "P" {
		t.Errorf("row %+v", row)
	}
	row, err = s.EditEntry(row.ID, app.NewEntry{Kind: record.KindVital, Title: "Weight", Value: "71", Unit: "kg", Date: "2026-11-30"})
	if err != nil || row.Detail != "71 kg" {
		t.Fatalf("edit: %+v %v", row, err)
	}
	if d, _ := s.Detail(row.ID); !d.Editable || d.SeenText != "Entered by you" {
		t.Errorf("detail of an own entry: %+v", d)
	}
	if err := s.DeleteEntry(row.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Detail(row.ID); !errors.Is(err, vault.ErrNoSuchEntry) {
		t.Errorf("deleted entry: %v", err)
	}
	imp, _ := s.List(p.ID, app.SectionProblems)
	if _, err := s.EditEntry(imp[0].ID, app.NewEntry{Kind: record.KindCondition, Title: "x"}); !errors.Is(err, vault.ErrNotSelfReported) {
		t.Errorf("editing an imported entry: %v", err)
	}
}

func TestPeople_RemoveSaysWhatIsLost(t *testing.T) {
	s := imported(t, larsonMeditech, alberto)
	p := personNamed(t, s, "Alberto Atencio")
	plan, err := s.PlanRemoval(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Entries != 71 || plan.Sources != 1 ||
		plan.Question != "Remove Alberto Atencio and their 71 entries from 1 imported file? This cannot be undone; make a backup first if you may want them back." {
		t.Errorf("plan %+v", plan)
	}
	if err := s.RemovePerson(p.ID); err != nil {
		t.Fatal(err)
	}
	ps, _ := s.People()
	if len(ps) != 1 || ps[0].Name != "Rebecca Jones Larson" {
		t.Errorf("people after removal: %v", ps)
	}
	if rows, _, _ := s.Search("", "epilepsy", 0); len(rows) != 0 {
		t.Errorf("Alberto's entries stayed: %v", rows)
	}
}

func TestSources_RemoveKeepsWhatOthersState(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	srcs, err := s.Sources("")
	if err != nil || len(srcs) != 2 {
		t.Fatalf("%v %v", srcs, err)
	}
	i := slices.IndexFunc(srcs, func(r app.SourceRow) bool { return r.File == "larson-rn.xml" })
	plan, err := s.PlanSourceRemoval(srcs[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Entries == 0 || plan.Kept == 0 || !strings.Contains(plan.Question, "that other files also state will stay") {
		t.Errorf("plan %+v", plan)
	}
	rep, err := s.RemoveSource(srcs[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != plan.Entries || rep.Kept != plan.Kept {
		t.Errorf("removed %+v, planned %+v", rep, plan)
	}
	text, err := s.SourceText(srcs[1-i].ID)
	if err != nil || !strings.Contains(text, "# ") {
		t.Errorf("document text: %v %.200q", err, text)
	}
}

func TestDetail_ConflictSideBySide(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	rows, err := s.List(larson.ID, app.SectionAllergies)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(r app.Row) bool { return r.Conflict })
	if i < 0 {
		t.Fatalf("no allergy differs between the two vendors: %+v", rows)
	}
	d, err := s.Detail(rows[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Differs) != 1 || len(d.Differences[0]) == 0 || d.DiffersText == "" {
		t.Fatalf("differs %+v %+v", d.Differs, d.Differences)
	}
	df := d.Differences[0][0]
	if df.Field != "severity" || df.This == df.Other {
		t.Errorf("difference %+v, want the severity with both values", df)
	}
	if !strings.EqualFold(d.Differs[0].Title, d.Title) || d.Differs[0].Badges[0].Key == d.Badges[0].Key {
		t.Errorf("the other side %+v should be the same allergy from the other provider", d.Differs[0])
	}
}

// TestPeople_RemoveSomeoneImportedInAZip: a person whose records came in a
// package is removed with the package.
func TestPeople_RemoveSomeoneImportedInAZip(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "downloads.zip")
	f, _ := os.Create(zipPath)
	zw := zip.NewWriter(f)
	for _, p := range []string{larsonMeditech, larsonMcKesson} {
		w, _ := zw.Create(filepath.Base(p))
		data, _ := os.ReadFile(p)
		w.Write(data)
	}
	zw.Close()
	f.Close()
	s := imported(t, zipPath, alberto)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	plan, err := s.PlanRemoval(larson.ID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Sources != 1 || plan.Shared != 0 || plan.Entries == 0 {
		t.Fatalf("plan %+v: want the one zip", plan)
	}
	if err := s.RemovePerson(larson.ID); err != nil {
		t.Fatal(err)
	}
	if srcs, _ := s.Sources(""); len(srcs) != 1 || srcs[0].File != filepath.Base(alberto) {
		t.Errorf("sources left: %+v", srcs)
	}
}

// TestImport_WhoseIsIt: a file that names no one, in a vault of two
// people, comes back as a question; answering it imports the file.
func TestImport_WhoseIsIt(t *testing.T) {
	s := imported(t, larsonMeditech, alberto)
	res, err := s.Import(context.Background(), []string{appleMinimal}, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if !r.Failed() || len(r.Questions) != 1 {
		t.Fatalf("result %+v", r)
	}
	q := r.Questions[0]
	if q.Kind != app.NamesNoOne || q.Text != "export_minimal.xml names no patient. Whose is it?" || q.Names != "" {
		t.Errorf("question %+v", q)
	}
	// The answer files it under that person; the export's birth date
	// (1990) is not Sam's, and the report says so.
	p, err := s.AddPerson(app.PersonDetails{Name: "Sam Lee", BirthDate: record.MustDate("1991-02-02")})
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.Import(context.Background(), []string{appleMinimal}, app.ImportOptions{Person: p.ID})
	if err != nil || res[0].Failed() || res[0].Report.Profile != "Sam Lee" {
		t.Fatalf("answered: %v %+v", err, res[0])
	}
	if !slices.ContainsFunc(res[0].Report.Warnings, func(w string) bool { return strings.Contains(w, "birth") }) {
		t.Errorf("no warning that the birth date differs: %q", res[0].Report.Warnings)
	}
}

// TestImport_ProgressNeverGoesBack: the progress bar of a run of files
// only moves forward, starts each file with its reading and ends full.
func TestImport_ProgressNeverGoesBack(t *testing.T) {
	s := newSession(t)
	var got []app.Progress
	_, err := s.Import(context.Background(), []string{larsonMeditech, alberto, larsonMcKesson},
		app.ImportOptions{Progress: func(p app.Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	last := 0.0
	for _, p := range got {
		if p.Fraction < last || p.Fraction > 1 {
			t.Fatalf("progress went from %.3f to %.3f (%s)", last, p.Fraction, p.Text)
		}
		last = p.Fraction
	}
	if last != 1 {
		t.Errorf("the last progress is %.3f, want 1", last)
	}
	if got[0].Stage != "reading" || got[0].Fraction != 0 {
		t.Errorf("first progress %+v", got[0])
	}
}

// TestImport_CancelledPartWay: a run cancelled at its third file keeps the
// two finished (each its own transaction) and says so; UndoImport then
// takes them back, leaving the vault as it was: the people, the files and
// each person's entries, merged ones included.
func TestImport_CancelledPartWay(t *testing.T) {
	s := imported(t, larsonMeditech)
	before, _ := s.People()
	srcsBefore, _ := s.Sources("")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := s.Import(ctx, []string{larsonMcKesson, alberto, appleMinimal}, app.ImportOptions{Progress: func(p app.Progress) {
		if p.Index == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if len(res) != 2 || res[0].Source == "" || res[1].Source == "" || !slices.Equal(res[1].NewPeople, []string{"Alberto Atencio"}) {
		t.Fatalf("the files finished before the cancel: %+v", res)
	}
	if err := s.UndoImport(res); err != nil {
		t.Fatal(err)
	}
	after, _ := s.People()
	if len(after) != len(before) || after[0].Name != before[0].Name || after[0].Entries != before[0].Entries {
		t.Errorf("people after the undo %+v, before %+v", after, before)
	}
	srcsAfter, _ := s.Sources("")
	if len(srcsAfter) != len(srcsBefore) || srcsAfter[0].ID != srcsBefore[0].ID || srcsAfter[0].Entries != srcsBefore[0].Entries {
		t.Errorf("sources after the undo %+v, before %+v", srcsAfter, srcsBefore)
	}
	// A file imported before the run, imported again in it, stays.
	res, err = s.Import(context.Background(), []string{larsonMeditech}, app.ImportOptions{})
	if err != nil || !res[0].Report.AlreadyImported || res[0].Source != "" {
		t.Fatalf("%v %+v", err, res)
	}
	if err := s.UndoImport(res); err != nil {
		t.Fatal(err)
	}
	if srcs, _ := s.Sources(""); len(srcs) != 1 {
		t.Errorf("undoing a run that changed nothing removed a file: %+v", srcs)
	}
}
