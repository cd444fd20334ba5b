package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
)

// The import tests drive the window the way a person does, on real vaults
// and the corpus files: files dropped on the window go through
// App.Dropped, the window's drop handler (Fyne's test window ignores
// SetOnDropped, so the tests call it), which every other way in (the
// chooser, the command line, "Open files…") ends in too.

const appleMinimal = "testdata/corpus/apple-health/healthkit-to-sqlite-fixtures/export_minimal.xml"

const xdmSample = "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip"

// uris are the corpus files as a file manager drops them: file URIs of
// their absolute paths.
func uris(t *testing.T, paths ...string) []fyne.URI {
	t.Helper()
	var out []fyne.URI
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, storage.NewFileURI(abs))
	}
	return out
}

// vaultWith makes a vault holding the given people and files, and locks it.
func vaultWith(t *testing.T, people []string, files ...string) string {
	t.Helper()
	path := newVault(t, people...)
	if len(files) == 0 {
		return path
	}
	s, err := app.Open(path, app.Passphrase("correct horse battery staple"), apptest.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	res, err := s.Import(context.Background(), files, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Failed() {
			t.Fatal(r.Err)
		}
	}
	return path
}

// wantWords is wantText for sentences a label may wrap over several
// lines: the words are compared, not the line breaks.
func (r *run) wantWords(want ...string) {
	r.t.Helper()
	text := strings.Join(strings.Fields(r.text()), " ")
	for _, w := range want {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			r.t.Errorf("the window does not say %q; it says:\n%s", w, r.text())
		}
	}
}

// opened starts the window on the vault at path and unlocks it.
func opened(t *testing.T, path string) *run {
	t.Helper()
	r := start(t, path)
	r.unlock("correct horse battery staple")
	r.wantScreen("frame")
	return r
}

// TestImport_DropFiles: three files dropped on a person's empty record go
// to the people they name; the window shows the person they went to and
// the report, sentences first, with what was left out folded away.
func TestImport_DropFiles(t *testing.T) {
	r := opened(t, newVault(t, "Ann Lee"))
	r.wantWords("Drop files or folders anywhere on this window", "Open files…", "Try the demo")
	var progress []app.Progress
	r.k.work.progressHook = func(p app.Progress) { progress = append(progress, p) }
	r.k.Dropped(fyne.NewPos(400, 300), uris(t, larsonMeditech, larsonMcKesson, alberto))

	rep := r.k.work.report
	if rep == nil {
		t.Fatalf("no report; the window says:\n%s", r.text())
	}
	r.wantWords("Imported 3 files",
		"Added 199 things for Rebecca Jones Larson and Alberto Atencio from 3 files.",
		"Showing Rebecca Jones Larson, whose records these are (not Ann Lee's).",
		"Added 71 things for Rebecca Jones Larson from Test1_LarsonDSSample1.xml",
		"The item that could not be read: a goal that does not say what the goal is.",
		"It is about Rebecca Jones Larson, not Ann Lee, so it was filed under Rebecca Jones Larson.",
		"Show what was left out (1)", "Details", "Differ between sources")
	if r.k.frame.person.Name != "Rebecca Jones Larson" || !strings.HasSuffix(r.k.win.Title(), "Rebecca Jones Larson") {
		t.Errorf("the window shows %q (%q), want the person the records went to", r.k.frame.person.Name, r.k.win.Title())
	}
	if r.k.work.run != nil || r.k.frame.status.Visible() {
		t.Error("the progress is still on show after the import")
	}
	if len(progress) < 6 || progress[0].Text != "Reading Test1_LarsonDSSample1.xml… 1 of 3 files" {
		t.Errorf("progress %+v", progress)
	}
	people, _ := r.k.session.People()
	if len(people) != 3 {
		t.Errorf("people %+v", people)
	}
	// Escape closes the report.
	r.key(fyne.KeyEscape)
	r.noText("Imported 3 files")
	// Dropping the same files again changes nothing, and says so.
	r.k.dismissOverlays()
	r.k.Dropped(fyne.NewPos(0, 0), uris(t, larsonMeditech))
	r.wantWords("Nothing new", "Test1_LarsonDSSample1.xml was imported before; nothing changed.")
}

// TestImport_CancelLeavesTheVaultAsItWas: Cancel at the third of three
// files takes back the two finished: the people, the files and each
// person's entries are as they were.
func TestImport_CancelLeavesTheVaultAsItWas(t *testing.T) {
	r := opened(t, vaultWith(t, nil, larsonMeditech))
	s := r.k.session
	before, _ := s.People()
	srcBefore, _ := s.Sources("")
	r.k.work.progressHook = func(p app.Progress) {
		if p.Index == 3 && r.k.work.run != nil && !r.k.work.run.cancelled {
			r.wantWords("Reading export_minimal.xml… 3 of 3 files", "Cancel")
			test.Tap(r.k.work.run.panel.cancel)
		}
	}
	r.k.Dropped(fyne.Position{}, uris(t, larsonMcKesson, alberto, appleMinimal))
	r.wantWords("Import cancelled", "the vault is as it was before")
	after, _ := s.People()
	srcAfter, _ := s.Sources("")
	if len(after) != len(before) || after[0].Entries != before[0].Entries || len(srcAfter) != len(srcBefore) {
		t.Errorf("after the cancel: people %+v, sources %d; before: %+v, %d", after, len(srcAfter), before, len(srcBefore))
	}
	if r.k.work.report != nil {
		t.Error("a cancelled import showed a report")
	}
}

// TestImport_WhoseIsIt_ChosenPerson: a file that names no one is asked
// about, with the people and what the file gives; the answer files it
// under that person only.
func TestImport_WhoseIsIt_ChosenPerson(t *testing.T) {
	r := opened(t, newVault(t, "Ann Lee", "Sam Lee"))
	r.k.Dropped(fyne.Position{}, uris(t, appleMinimal))
	a := r.k.work.asking
	if a == nil {
		t.Fatalf("no question; the window says:\n%s", r.text())
	}
	r.wantWords("Whose is it?", "export_minimal.xml names no patient. Whose is it?", "The file gives: born 2 Feb 1990.",
		"Ann Lee", "Sam Lee", "Someone new", "Waiting for you to say whose export_minimal.xml is")
	if !a.ok.Disabled() {
		t.Error("Import is enabled before anyone is chosen")
	}
	a.choice.SetSelected("Sam Lee")
	test.Tap(a.ok)
	r.wantWords("Imported 1 file", "for Sam Lee from export_minimal.xml")
	sam, _ := r.k.session.Person("Sam Lee")
	ann, _ := r.k.session.Person("Ann Lee")
	if sam.Entries == 0 || ann.Entries != 0 {
		t.Errorf("Sam has %d entries, Ann %d", sam.Entries, ann.Entries)
	}
}

// TestImport_WhoseIsIt_SomeoneNew: "Someone new" adds the person,
// prefilled with the birth date the file gives, and files it under them;
// "Not now" leaves the file out, and the report offers the question again.
func TestImport_WhoseIsIt_SomeoneNew(t *testing.T) {
	r := opened(t, newVault(t, "Ann Lee", "Sam Lee"))
	r.k.Dropped(fyne.Position{}, uris(t, appleMinimal))
	test.Tap(r.k.work.asking.notNow)
	r.wantWords("Whose records are these?", "Nothing was imported from export_minimal.xml", "Say whose it is…")
	r.tap("Say whose it is…")
	a := r.k.work.asking
	a.choice.SetSelected("Someone new")
	if a.birth.Text != "1990-02-02" || a.name.Text != "" {
		t.Errorf("Someone new is prefilled with %q, %q", a.name.Text, a.birth.Text)
	}
	test.Tap(a.ok)
	r.wantWords("A person needs a name.") // no name: the form says so and stays
	typeInto(a.name, "Mia Lee")
	test.Tap(a.ok)
	mia, err := r.k.session.Person("Mia Lee")
	if err != nil || mia.Entries == 0 || mia.BirthText != "2 Feb 1990" {
		t.Fatalf("Mia Lee: %+v, %v", mia, err)
	}
	r.wantWords("for Mia Lee from export_minimal.xml")
	if r.k.frame.person.ID != mia.ID {
		t.Errorf("the window shows %s, not Mia Lee, whose records these are", r.k.frame.person.Name)
	}
}

// TestImport_SomeoneElseFiledUnderThem: a file imported for a person it
// clearly is not about (an answer given for the wrong file) is said to be,
// and filed under the person it names.
func TestImport_SomeoneElseFiledUnderThem(t *testing.T) {
	r := opened(t, vaultWith(t, nil, alberto))
	al, _ := r.k.session.Person("Alberto Atencio")
	path, _ := filepath.Abs(larsonMeditech)
	run := r.k.newImportRun([]string{path})
	run.step([]string{path}, al.ID)
	r.wantWords("Test1_LarsonDSSample1.xml is about Rebecca Jones Larson (born 1 May 1970), not Alberto Atencio. It will be filed under the person it names.",
		"Showing Rebecca Jones Larson")
	larson, err := r.k.session.Person("Rebecca Jones Larson")
	if err != nil || larson.Entries == 0 {
		t.Fatalf("Rebecca Jones Larson: %+v %v", larson, err)
	}
	if al2, _ := r.k.session.Person(al.ID); al2.Entries != al.Entries {
		t.Errorf("Alberto went from %d to %d entries", al.Entries, al2.Entries)
	}
}

// TestImport_DroppedWhileLocked: files dropped on the unlock screen wait
// for the vault, then import.
func TestImport_DroppedWhileLocked(t *testing.T) {
	r := start(t, newVault(t, "Ann Lee"))
	r.k.Dropped(fyne.Position{}, uris(t, larsonMeditech))
	r.wantWords("Once you unlock, Kinfolio imports Test1_LarsonDSSample1.xml.")
	r.unlock("correct horse battery staple")
	r.wantWords("Imported 1 file", "Added 71 things for Rebecca Jones Larson")
}

// TestImport_CommandLine: files named on the command line import once the
// vault is unlocked.
func TestImport_CommandLine(t *testing.T) {
	path := newVault(t, "Ann Lee")
	t.Setenv("HOME", filepath.Dir(path))
	a := test.NewTempApp(t)
	abs, _ := filepath.Abs(alberto)
	k := New(a, &Options{VaultPath: path, Session: apptest.Options(), Clock: apptest.NewClock(apptest.Now), Import: []string{abs}})
	k.win.Resize(testWindowSize)
	t.Cleanup(func() { k.lockSession(); k.win.Close() })
	r := &run{t: t, k: k}
	r.wantWords("Once you unlock, Kinfolio imports Alberto_Atencio")
	r.unlock("correct horse battery staple")
	r.wantWords("Imported 1 file", "for Alberto Atencio")
}

// TestImport_Chooser: the window's own chooser picks two files (one by
// its tick, one typed) and imports them; Ctrl+O opens it.
func TestImport_Chooser(t *testing.T) {
	r := opened(t, newVault(t))
	if it := r.menuItem("Import…"); it.Shortcut == nil {
		t.Error("Import… has no shortcut")
	}
	r.menuItem("Import…").Action()
	c := r.k.work.chooser
	if c == nil {
		t.Fatal("no chooser")
	}
	dir, _ := filepath.Abs("testdata/corpus/ccda/onc-meditech-magic")
	typeInto(&c.where.Entry, dir)
	c.where.OnSubmitted(c.where.Text)
	i := slices.IndexFunc(c.items, func(it app.FolderItem) bool { return it.Name == "Test1_LarsonDSSample1.xml" })
	if i < 0 {
		t.Fatalf("the chooser lists %+v", c.items)
	}
	c.list.Select(i)
	other, _ := filepath.Abs(alberto)
	typeInto(&c.where.Entry, other)
	c.where.OnSubmitted(c.where.Text)
	r.wantWords("2 chosen: Test1_LarsonDSSample1.xml, Alberto_Atencio")
	test.Tap(c.ok)
	r.wantWords("Imported 2 files")
	if srcs, _ := r.k.session.Sources(""); len(srcs) != 2 {
		t.Errorf("%d sources", len(srcs))
	}

	// By keyboard: the path field has the focus; a file's path and Enter
	// ticks it, Enter again imports it.
	r.k.dismissOverlays()
	r.menuItem("Import…").Action()
	c = r.k.work.chooser
	if r.k.win.Canvas().Focused() != c.where {
		t.Error("the chooser's path field does not have the focus")
	}
	// The folder shown is selected: typing a path replaces it.
	if c.where.Text == "" || c.where.SelectedText() != c.where.Text {
		t.Errorf("the path field shows %q with %q selected", c.where.Text, c.where.SelectedText())
	}
	test.Type(c.where, "/no/such/place.xml")
	if c.where.Text != "/no/such/place.xml" {
		t.Errorf("typing a path gave %q", c.where.Text)
	}
	c.where.OnSubmitted(c.where.Text)
	r.wantWords("There is no file or folder at /no/such/place.xml")
	mck, _ := filepath.Abs(larsonMcKesson)
	typeInto(&c.where.Entry, mck)
	c.where.OnSubmitted(c.where.Text)
	r.wantWords("1 chosen: larson-rn.xml")
	c.where.OnSubmitted(c.where.Text)
	r.wantWords("Imported 1 file", "from larson-rn.xml")
}

// TestSources_RemoveAndSaveACopy: the Sources page removes a file after a
// confirmation that says what goes and what stays, and saves a copy of an
// original byte for byte, never over a file.
func TestSources_RemoveAndSaveACopy(t *testing.T) {
	r := opened(t, vaultWith(t, nil, larsonMeditech, larsonMcKesson))
	s := r.k.session
	larson, _ := s.Person("Rebecca Jones Larson")
	r.k.Navigate(Route{Person: larson.ID, Section: app.SectionSources})
	srcs, _ := s.Sources(larson.ID)
	first := srcs[0]
	plan, _ := s.PlanSourceRemoval(first.ID)
	if plan.Kept == 0 || plan.Entries == 0 {
		t.Fatalf("plan %+v: the test wants entries that go and that stay", plan)
	}

	dir := t.TempDir()
	r.k.saveOriginalTo(first, dir)
	want, _ := os.ReadFile(map[string]string{"larson-rn.xml": larsonMcKesson, "Test1_LarsonDSSample1.xml": larsonMeditech}[first.File])
	got, err := os.ReadFile(filepath.Join(dir, first.File))
	if err != nil || string(got) != string(want) {
		t.Fatalf("the copy differs from the imported file (%v)", err)
	}
	r.wantWords("Saved a copy of "+first.File+", exactly as it was imported.", "Open", "Show in folder")
	r.tap("Show in folder")
	if r.k.work.revealed != dir {
		t.Errorf("Show in folder opened %q, want %q", r.k.work.revealed, dir)
	}
	r.k.dismissOverlays()
	r.k.saveOriginalTo(first, dir)
	r.wantWords("A file of that name was there already, so the copy has a new name; nothing was replaced.")
	r.k.dismissOverlays()

	var remove *widget.Button
	for _, o := range r.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == "Remove…" {
			remove = b
			break
		}
	}
	if remove == nil {
		t.Fatalf("no Remove… button; the window says:\n%s", r.text())
	}
	test.Tap(remove)
	r.wantWords("Remove "+first.File+"?", plan.Question)
	if !strings.Contains(plan.Question, "that other files also state will stay") {
		t.Errorf("the question does not say what stays: %q", plan.Question)
	}
	r.tap("Remove")
	r.wantWords("Removed", "Removed "+first.File)
	left, _ := s.Sources(larson.ID)
	if len(left) != 1 || left[0].ID == first.ID {
		t.Errorf("sources left %+v", left)
	}
}
