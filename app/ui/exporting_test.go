package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// The export tests drive Print / Export as a person does (Ctrl+P's menu
// item, the choices, Save) on a real vault of corpus files, and read back
// what was written: the PDF with pdftotext, the FHIR file as JSON, the
// backup by restoring it through the window's restore dialog.

// exportFor opens a vault holding the Larson files, shows Rebecca Jones
// Larson and opens Print / Export, saving into a fresh folder.
func exportFor(t *testing.T) (*run, *exportDialog) {
	t.Helper()
	r := opened(t, vaultWith(t, nil, larsonMeditech, larsonMcKesson))
	larson, err := r.k.session.Person("Rebecca Jones Larson")
	if err != nil {
		t.Fatal(err)
	}
	r.k.Navigate(Route{Person: larson.ID, Section: app.SectionSummary})
	it := r.menuItem("Print / Export…")
	if it.Shortcut == nil {
		t.Error("Print / Export… has no shortcut (Ctrl+P)")
	}
	it.Action()
	e := r.k.work.export
	if e == nil {
		t.Fatalf("no Print / Export dialog; the window says:\n%s", r.text())
	}
	e.dir = t.TempDir()
	return r, e
}

// choose ticks what to make by its label.
func (e *exportDialog) chooseLabel(t *testing.T, label string) {
	t.Helper()
	for _, o := range e.kinds.Options {
		if strings.HasPrefix(o, label) {
			e.kinds.SetSelected(o)
			return
		}
	}
	t.Fatalf("Print / Export offers no %q: %q", label, e.kinds.Options)
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestExport_VisitSummaryPDF: a visit summary on A4 with the reason typed
// is written under the suggested name, reads back with the person's name
// and the reason, and Open and Show in folder open the file and its folder.
func TestExport_VisitSummaryPDF(t *testing.T) {
	r, e := exportFor(t)
	r.wantWords("Print / Export — Rebecca Jones Larson", "Visit summary", "Emergency card", "Full record",
		"Handover backup of Rebecca Jones Larson", "Reason for visit", "Leave out history before", "Large print")
	e.paper.SetSelected(app.PaperA4)
	typeInto(e.reason, "Kidney transplant follow-up")
	if !strings.HasSuffix(e.name.Text, ".pdf") || strings.Contains(e.name.Text, "Larson") {
		t.Errorf("suggested name %q: want a .pdf without the person's name", e.name.Text)
	}
	test.Tap(e.save)
	path := r.k.work.written
	if path == "" || filepath.Dir(path) != e.dir {
		t.Fatalf("nothing written in %s (%q); the window says:\n%s", e.dir, path, r.text())
	}
	r.wantWords("Saved the visit summary of Rebecca Jones Larson (A4 paper", "Open", "Show in folder")
	text := pdfText(t, path)
	for _, want := range []string{"Rebecca Jones Larson", "Kidney transplant follow-up"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q:\n%.600s", want, text)
		}
	}
	r.tap("Open")
	if r.k.work.revealed != path {
		t.Errorf("Open opened %q", r.k.work.revealed)
	}
	r.tap("Show in folder")
	if r.k.work.revealed != e.dir {
		t.Errorf("Show in folder opened %q", r.k.work.revealed)
	}

	// The same again never replaces the first: the second gets a new name.
	r.k.dismissOverlays()
	r.menuItem("Print / Export…").Action()
	e2 := r.k.work.export
	e2.dir = e.dir
	test.Tap(e2.save)
	if r.k.work.written == path || filepath.Dir(r.k.work.written) != e.dir {
		t.Errorf("the second export went to %q (first %q)", r.k.work.written, path)
	}
}

// TestExport_FullRecordSinceAndLargePrint: the full record leaves out
// history before the date given; a date in the future or not a date is
// said so under the form, and nothing is written.
func TestExport_FullRecordSinceAndLargePrint(t *testing.T) {
	r, e := exportFor(t)
	e.chooseLabel(t, "Full record")
	typeInto(e.since, "next tuesday")
	test.Tap(e.save)
	r.wantWords(`"next tuesday" is not a date`)
	if r.k.work.written != "" {
		t.Fatalf("a bad date wrote %s", r.k.work.written)
	}
	typeInto(e.since, "2017")
	e.large.SetChecked(true)
	test.Tap(e.save)
	if r.k.work.written == "" {
		t.Fatalf("nothing written; the window says:\n%s", r.text())
	}
	text := pdfText(t, r.k.work.written)
	if !strings.Contains(text, "Rebecca Jones Larson") {
		t.Errorf("the full record does not name the person:\n%.600s", text)
	}
}

// TestExport_FHIR: the FHIR record is a Bundle naming the person, and the
// dialog warns it is not encrypted.
func TestExport_FHIR(t *testing.T) {
	r, e := exportFor(t)
	e.chooseLabel(t, "FHIR record")
	r.wantWords("This file is not encrypted")
	test.Tap(e.save)
	b, err := os.ReadFile(r.k.work.written)
	if err != nil {
		t.Fatalf("%v; the window says:\n%s", err, r.text())
	}
	var bundle struct {
		ResourceType string            `json:"resourceType"`
		Entry        []json.RawMessage `json:"entry"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil || bundle.ResourceType != "Bundle" || len(bundle.Entry) < 10 {
		t.Fatalf("not a FHIR Bundle with the record: %v, %q, %d entries", err, bundle.ResourceType, len(bundle.Entry))
	}
	if !strings.Contains(string(b), "Larson") {
		t.Error("the FHIR record does not name the person")
	}
	r.wantWords("Saved the FHIR record", "It is not encrypted")
}

// TestExport_BackupRestored: a backup locked with its own passphrase is
// restored through File → Restore a backup… into a new vault, which opens
// with the same people, entries and files; the vault it came from is
// untouched.
func TestExport_BackupRestored(t *testing.T) {
	r, e := exportFor(t)
	s := r.k.session
	srcPath := s.Path()
	peopleBefore, _ := s.People()
	sourcesBefore, _ := s.Sources("")
	e.chooseLabel(t, "Backup of everyone")
	e.lock.SetSelected(lockOther)
	typeInto(e.pass, "walnut harbor tidy seven")
	typeInto(e.again, "walnut harbor tidy sever")
	test.Tap(e.save)
	r.wantWords("Type the backup's passphrase twice, the same both times")
	typeInto(e.again, "walnut harbor tidy seven")
	test.Tap(e.save)
	backup := r.k.work.written
	if !strings.HasSuffix(backup, ".age") {
		t.Fatalf("backup %q; the window says:\n%s", backup, r.text())
	}
	r.wantWords("Saved the backup", "The backup holds 1 person", "It opens with the passphrase it was locked with.", "Show in folder")
	for _, o := range r.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == "Open" {
			t.Error("a backup offers Open: nothing opens an encrypted backup")
		}
	}

	r.k.dismissOverlays()
	r.menuItem("Restore a backup…").Action()
	d := r.k.work.restore
	d.dir = t.TempDir()
	d.setBackup(backup)
	typeInto(d.secret, "the wrong one")
	typeInto(d.pass, "copper meadow quiet lantern")
	typeInto(d.again, "copper meadow quiet lantern")
	test.Tap(d.ok)
	if r.k.session.Path() != srcPath {
		t.Fatalf("a wrong passphrase restored to %s", r.k.session.Path())
	}
	if d.msg.text.Text == "" {
		t.Error("a wrong passphrase says nothing")
	}
	typeInto(d.secret, "walnut harbor tidy seven")
	test.Tap(d.ok)
	r.wantWords("Backup restored", "Restored 1 person,", "it is open now")
	ns := r.k.session
	if ns.Path() == srcPath || filepath.Dir(ns.Path()) != d.dir {
		t.Fatalf("the restored vault is %s", ns.Path())
	}
	people, _ := ns.People()
	sources, _ := ns.Sources("")
	if len(people) != len(peopleBefore) || people[0].Entries != peopleBefore[0].Entries || len(sources) != len(sourcesBefore) {
		t.Errorf("restored %+v (%d sources), backed up %+v (%d)", people, len(sources), peopleBefore, len(sourcesBefore))
	}
	if _, err := app.Open(srcPath, app.Passphrase("correct horse battery staple"), nil); err != nil {
		t.Errorf("the original vault no longer opens: %v", err)
	}
}

// TestExport_HandoverToAKey: a handover backup of one person locked to a
// pasted age key opens with that key's secret half, and holds that person
// only.
func TestExport_HandoverToAKey(t *testing.T) {
	r := opened(t, vaultWith(t, nil, larsonMeditech, alberto))
	al, _ := r.k.session.Person("Alberto Atencio")
	r.k.Navigate(Route{Person: al.ID, Section: app.SectionSummary})
	r.menuItem("Print / Export…").Action()
	e := r.k.work.export
	e.dir = t.TempDir()
	e.chooseLabel(t, "Handover backup of Alberto Atencio")
	e.lock.SetSelected(lockWithKey)
	test.Tap(e.save)
	r.wantWords("Tick a key, or paste one (it starts with age1)")
	id, _ := age.GenerateX25519Identity()
	typeInto(e.otherKeys, id.Recipient().String())
	test.Tap(e.save)
	r.wantWords("Alberto Atencio only", "It opens with the secret half of 1 key.")

	r.k.dismissOverlays()
	r.menuItem("Restore a backup…").Action()
	d := r.k.work.restore
	d.dir = t.TempDir()
	d.setBackup(r.k.work.written)
	d.opens.SetSelected(opensWithKey)
	typeInto(d.key, id.String())
	typeInto(d.pass, "copper meadow quiet lantern")
	typeInto(d.again, "copper meadow quiet lantern")
	test.Tap(d.ok)
	r.wantWords("Backup restored")
	people, _ := r.k.session.People()
	if len(people) != 1 || people[0].Name != "Alberto Atencio" {
		t.Errorf("the handover restored %+v", people)
	}
}
