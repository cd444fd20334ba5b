package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
)

const xdmSample = "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip"

// TestImportReport_FourFiles: a package, two clinics' documents of one
// patient and a file that names no one, imported while someone else is on
// screen: the report says what each gave and left out, asks whose the
// fourth is, and shows the person the records went to.
func TestImportReport_FourFiles(t *testing.T) {
	s := imported(t, alberto)
	al := personNamed(t, s, "Alberto Atencio")
	res, err := s.Import(context.Background(), []string{xdmSample, larsonMeditech, larsonMcKesson, appleMinimal}, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep := s.ImportReport(res, al.ID)
	if rep.Title != "Imported 3 of 4 files" {
		t.Errorf("title %q", rep.Title)
	}
	if want := "Added 181 things for Rebecca Jones Larson and John Doe from 4 files. 1 file needs you to say whose it is."; rep.Headline != want {
		t.Errorf("headline %q\nwant     %q", rep.Headline, want)
	}
	if len(rep.Files) != 4 {
		t.Fatalf("%d files", len(rep.Files))
	}
	xdm, mck, apple := rep.Files[0], rep.Files[2], rep.Files[3]
	if len(xdm.NotRecords) != 4 || !strings.Contains(xdm.NotRecords[0].Why, "not a health record") || len(xdm.Parts) != 1 {
		t.Errorf("the XDM package: %+v", xdm)
	}
	if !slices.Contains(xdm.Sentences, "It is about John Doe, not Alberto Atencio, so it was filed under John Doe.") {
		t.Errorf("the XDM package's sentences do not say whose it is: %q", xdm.Sentences)
	}
	if len(mck.Unread) != 2 || mck.Unread[0].Where == "" || mck.Unread[0].Detail == "" ||
		!slices.Contains(mck.Numbers, app.Number{Label: "Differ between sources", N: 2}) {
		t.Errorf("larson-rn.xml: %+v", mck)
	}
	if want := "What could not be read: a planned test, visit or treatment that does not say what is planned (2 times)."; !slices.Contains(mck.Sentences, want) {
		t.Errorf("larson-rn.xml's sentences %q lack %q", mck.Sentences, want)
	}
	if !apple.Failed || apple.Sentence == "" || apple.Detail == "" {
		t.Errorf("the Apple export: %+v", apple)
	}
	if len(rep.Asks) != 1 {
		t.Fatalf("asks %+v", rep.Asks)
	}
	ask := rep.Asks[0]
	if ask.Kind != app.NamesNoOne || ask.File != "export_minimal.xml" || ask.Text != "export_minimal.xml names no patient. Whose is it?" ||
		ask.NameGiven() != "born 2 Feb 1990" || len(ask.People) != 3 {
		t.Errorf("ask %+v", ask)
	}
	if len(rep.People) != 2 || rep.People[0].Name != "Rebecca Jones Larson" || rep.People[0].Added != 128 || !rep.People[0].New {
		t.Errorf("people %+v", rep.People)
	}
	larson := personNamed(t, s, "Rebecca Jones Larson")
	if rep.Show != larson.ID || rep.ShowText != "Showing Rebecca Jones Larson, whose records these are (not Alberto Atencio's)." {
		t.Errorf("show %q %q", rep.Show, rep.ShowText)
	}

	// Answered: the file goes to Alberto, and the report of both imports
	// tells the answer's result in the question's place.
	more, err := s.Import(context.Background(), []string{ask.Path}, app.ImportOptions{Person: al.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep = s.ImportReport(append(res, more...), al.ID)
	if len(rep.Asks) != 0 || rep.Failed != 0 || rep.Title != "Imported 4 files" || len(rep.Files) != 4 {
		t.Errorf("after the answer: %q, %d failed, asks %+v", rep.Title, rep.Failed, rep.Asks)
	}
	if f := rep.Files[3]; f.Failed || f.Person != "Alberto Atencio" {
		t.Errorf("the answered file: %+v", f)
	}
	if rep.Show != "" {
		t.Errorf("Alberto, on screen, got records; the window should stay, not show %q", rep.Show)
	}
}

// TestImportReport_SomeoneElse: a file imported for a person it clearly is
// not about is to be imported again without a choice, and then goes to
// the person it names.
func TestImportReport_SomeoneElse(t *testing.T) {
	s := imported(t, alberto)
	al := personNamed(t, s, "Alberto Atencio")
	res, err := s.Import(context.Background(), []string{larsonMeditech}, app.ImportOptions{Person: al.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep := s.ImportReport(res, al.ID)
	if !slices.Equal(rep.Refiles, []string{larsonMeditech}) || len(rep.Asks) != 0 {
		t.Fatalf("refiles %q asks %+v", rep.Refiles, rep.Asks)
	}
	if !strings.Contains(strings.Join(rep.Files[0].Sentences, " "), "not Alberto Atencio") {
		t.Errorf("the sentences do not say whose it is not: %q", rep.Files[0].Sentences)
	}
	again, err := s.Import(context.Background(), rep.Refiles, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep = s.ImportReport(append(res, again...), al.ID)
	if rep.Failed != 0 || len(rep.Refiles) != 0 || rep.Files[0].Person != "Rebecca Jones Larson" || rep.Show == "" {
		t.Errorf("refiled: %+v", rep)
	}
}

// TestImportReport_Again: importing a file twice is reported as nothing new.
func TestImportReport_Again(t *testing.T) {
	s := imported(t, larsonMeditech)
	res, err := s.Import(context.Background(), []string{larsonMeditech}, app.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep := s.ImportReport(res, personNamed(t, s, "Rebecca Jones Larson").ID)
	if rep.Title != "Nothing new" || !rep.Files[0].Before || rep.Show != "" ||
		rep.Headline != "Nothing new in Test1_LarsonDSSample1.xml: everything in it was here already." {
		t.Errorf("%q %q %+v", rep.Title, rep.Headline, rep.Files[0])
	}
}
