package app_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// TestPrint: the dialog's printouts, with its options, read back with the
// person's name; a summary of chosen sections leaves the others out.
func TestPrint(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	dir := t.TempDir()
	text := func(path string) string {
		t.Helper()
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			t.Skip("pdftotext is not installed")
		}
		out, err := exec.Command(bin, "-raw", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", path, err)
		}
		return string(out)
	}
	for _, c := range app.ExportChoices() {
		if !c.PDF {
			continue
		}
		path := filepath.Join(dir, s.ExportFileName(c.Kind))
		w, err := s.Print(larson.ID, app.PrintRequest{Kind: c.Kind, Paper: app.PaperA4, LargePrint: true}, path)
		if err != nil {
			t.Fatalf("%s: %v", c.Label, err)
		}
		if w.Path != path || w.PersonName != "Rebecca Jones Larson" || w.Bytes == 0 {
			t.Errorf("%s: wrote %+v", c.Label, w)
		}
		if got := text(path); !strings.Contains(got, "Rebecca Jones Larson") {
			t.Errorf("%s: the PDF does not name the person:\n%.300s", c.Label, got)
		}
	}
	if got := s.ExportFileName(app.ExportVisitSummary); got != "visit-summary-2026-12-01.pdf" {
		t.Errorf("file name %q", got)
	}
	// Only medications (and the alerts, always), since 2010, with a reason.
	path := filepath.Join(dir, "meds.pdf")
	_, err := s.Print(larson.ID, app.PrintRequest{Sections: []string{"medications"}, Since: record.MustDate("2010-01-01"),
		Reason: "Knee pain when climbing stairs.", Paper: app.PaperLetter}, path)
	if err != nil {
		t.Fatal(err)
	}
	got := text(path)
	for _, want := range []string{"Knee pain when climbing stairs.", "Current medications", "Alerts and allergies"} {
		if !strings.Contains(got, want) {
			t.Errorf("the chosen summary lacks %q", want)
		}
	}
	if strings.Contains(got, "Active problems") || strings.Contains(got, "Immunizations") {
		t.Errorf("the chosen summary prints sections not chosen:\n%.600s", got)
	}
	if _, err := s.Print(larson.ID, app.PrintRequest{Sections: []string{"nonsense"}}, path); !errors.Is(err, app.ErrBadInput) {
		t.Errorf("a section that is not one: %v", err)
	}
	if _, err := s.Print(larson.ID, app.PrintRequest{Paper: "Legal"}, path); !errors.Is(err, app.ErrBadInput) {
		t.Errorf("a paper that is not one: %v", err)
	}
}

// TestPrint_NeverOverTheVault: a printout aimed at the vault file is
// refused and the vault is untouched.
func TestPrint_NeverOverTheVault(t *testing.T) {
	s := imported(t, larsonMeditech)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	before, _ := os.ReadFile(s.Path())
	if _, err := s.Print(larson.ID, app.PrintRequest{}, s.Path()); !errors.Is(err, app.ErrOverVault) {
		t.Fatalf("printing over the vault: %v", err)
	}
	if after, _ := os.ReadFile(s.Path()); string(after) != string(before) {
		t.Error("the vault file changed")
	}
	if sec := app.SummarySections(); len(sec) != 10 || sec[0].Label != "Alerts and allergies" || !sec[0].Always {
		t.Errorf("sections %+v", sec)
	}
}
