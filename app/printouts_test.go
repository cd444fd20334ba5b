package app_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/export/pdf"
	"github.com/kinfolio/kinfolio/vault"
)

// ExportInput gives the exporters the person, every entry and resource,
// and the sources with the keys the screens show.
func TestExportInput(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson, alberto)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	in, err := s.ExportInput(larson.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Person.ID != larson.ID || !in.Now.Equal(testNow) {
		t.Errorf("the input is of %q at %v", in.Person.Name, in.Now)
	}
	if len(in.Entries) != larson.Entries || len(in.Entries) == 0 {
		t.Errorf("%d entries, the person has %d", len(in.Entries), larson.Entries)
	}
	for _, e := range in.Entries {
		if e.Profile != larson.ID {
			t.Fatalf("an entry of someone else (%s) is in the input", e.Profile)
		}
	}
	if len(in.Resources) < len(in.Entries)/2 {
		t.Errorf("%d resources for %d entries", len(in.Resources), len(in.Entries))
	}
	legend, err := s.Legend(larson.ID)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, b := range legend {
		keys[b.Key] = true
	}
	if len(in.Sources) != 2 {
		t.Fatalf("%d sources, want the two Larson documents", len(in.Sources))
	}
	for _, src := range in.Sources {
		if src.Key == "" || !keys[src.Key] || src.Name == "" {
			t.Errorf("source %s has key %q and name %q; the screens' keys are %v", src.File, src.Key, src.Name, legend)
		}
	}
	if _, err := s.ExportInput("Nobody Here"); !errors.Is(err, vault.ErrNoSuchProfile) {
		t.Errorf("ExportInput of no one: %v", err)
	}
}

// ExportPDF writes the whole PDF or nothing, and logs the export.
func TestExportPDF(t *testing.T) {
	s := imported(t, larsonMeditech, larsonMcKesson)
	larson := personNamed(t, s, "Rebecca Jones Larson")
	dir := t.TempDir()
	for _, k := range pdf.Kinds {
		path := filepath.Join(dir, string(k)+".pdf")
		n, err := s.ExportPDF(larson.ID, k, pdf.Options{Paper: pdf.A4}, path)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		b, err := os.ReadFile(path)
		if err != nil || int64(len(b)) != n || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
			t.Fatalf("%s: %d bytes written, %d read (%v)", k, n, len(b), err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" { // Windows: no modes
			t.Errorf("%s: the PDF is mode %v, want 0600 (it is a health record)", k, fi.Mode().Perm())
		}
		if p, err := exec.LookPath("pdftotext"); err == nil {
			out, err := exec.Command(p, "-raw", path, "-").Output()
			if err != nil || !strings.Contains(string(out), "Rebecca Jones Larson") {
				t.Errorf("%s: pdftotext does not read the name back (%v)", k, err)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("the folder holds %d files, want the 3 PDFs and no temporary ones", len(entries))
	}
	log, err := s.Log(app.LogFilter{Actions: []string{string(vault.ActionExport)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 3 || !strings.Contains(log[0].What, "(PDF) to") {
		t.Errorf("the audit log has %d exports: %+v", len(log), log)
	}
	// A folder that is not there: an error, and nothing written.
	if _, err := s.ExportPDF(larson.ID, pdf.KindSummary, pdf.Options{}, filepath.Join(dir, "missing", "x.pdf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("exporting into a missing folder: %v", err)
	}
	s.Lock()
	if _, err := s.ExportPDF(larson.ID, pdf.KindSummary, pdf.Options{}, filepath.Join(dir, "y.pdf")); !errors.Is(err, app.ErrLocked) {
		t.Errorf("exporting from a locked session: %v", err)
	}
}

func TestPaperForEnvironment(t *testing.T) {
	for env, want := range map[string]pdf.Paper{"LANG=en_US.UTF-8": pdf.Letter, "LANG=de_DE.UTF-8": pdf.A4,
		"LC_PAPER=en_GB.UTF-8 LANG=en_US.UTF-8": pdf.A4, "LC_ALL=fr_CA.UTF-8 LC_PAPER=de_DE": pdf.Letter, "": pdf.Letter} {
		vars := map[string]string{}
		for _, kv := range strings.Fields(env) {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		if got := app.PaperForEnvironment(func(k string) string { return vars[k] }); got != want {
			t.Errorf("%q: %v, want %v", env, got, want)
		}
	}
}
