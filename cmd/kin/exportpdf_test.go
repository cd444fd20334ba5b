package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// kin export pdf, as a user runs it: import real files, print each
// printout, read it back.
func TestKin_ExportPDF(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "import", "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml",
		"testdata/corpus/ccda/onc-mckesson-paragon/larson-rn.xml")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"Rebecca Jones Larson", "Alerts and allergies", "Current medications", "Page 1 of"}},
		{[]string{"--kind", "card", "--paper", "a4"}, []string{"MEDICAL INFORMATION", "Print at 100% — do not fit to page"}},
		{[]string{"--kind", "full", "--large-print", "--since", "2010-01-01"}, []string{"Full health record", "Contents", "Appendix: sources"}},
		{[]string{"--sections", "medications,problems", "--reason", "Follow-up of my hip", "--referred-by", "Dr Ray"}, []string{"Follow-up of my hip", "Referred by: Dr Ray"}},
	} {
		out := filepath.Join(dir, "out.pdf")
		r := mustKin(t, env, append(append([]string{"export", "pdf"}, tc.args...), "--out", out)...)
		if !strings.Contains(r.stderr, "wrote "+out) {
			t.Errorf("kin export pdf %v says %q", tc.args, r.stderr)
		}
		if p, err := exec.LookPath("pdftotext"); err == nil {
			text, err := exec.Command(p, "-raw", out, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			flat := strings.Join(strings.Fields(string(text)), " ")
			for _, w := range tc.want {
				if !strings.Contains(flat, w) {
					t.Errorf("kin export pdf %v: the PDF lacks %q", tc.args, w)
				}
			}
		}
	}
	var js struct {
		File, Kind, Paper string
		ProfileName       string `json:"profile_name"`
		Bytes             int64
	}
	r := mustKin(t, env, "--json", "export", "pdf", "--kind", "card", "--strip", "--out", filepath.Join(dir, "card.pdf"))
	jsonOut(t, r, &js)
	if js.Bytes < 1000 || !strings.HasSuffix(js.File, "card.pdf") || js.Kind != "card" || js.ProfileName != "Rebecca Jones Larson" || js.Paper != "Letter" {
		t.Errorf("--json: %+v", js)
	}
	if log := mustKin(t, env, "log").stdout; strings.Count(log, "export") < 5 {
		t.Errorf("the audit log does not list the five exports:\n%s", log)
	}
	// Mistakes: exit 2 with a sentence, and no file.
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"export", "pdf"}, "--out FILE"},
		{[]string{"export", "pdf", "--kind", "poster", "--out", filepath.Join(dir, "x.pdf")}, "unknown printout"},
		{[]string{"export", "pdf", "--paper", "legal", "--out", filepath.Join(dir, "x.pdf")}, "not letter or a4"},
		{[]string{"export", "pdf", "--sections", "gossip", "--out", filepath.Join(dir, "x.pdf")}, "unknown section"},
		{[]string{"export", "pdf", "--profile", "Nobody", "--out", filepath.Join(dir, "x.pdf")}, "--profile"},
		{[]string{"export", "pdf", "--out", filepath.Join(dir, "no", "x.pdf")}, "there is no folder"},
	} {
		r := kin(t, env, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("kin %v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("a refused export wrote a file")
	}
	wrong := append([]string{}, env...)
	wrong[0] = "KINFOLIO_PASSPHRASE=wrong"
	if r := kin(t, wrong, "export", "pdf", "--out", filepath.Join(dir, "x.pdf")); r.code != exitWrongKey {
		t.Errorf("a wrong passphrase: exit %d, want 3", r.code)
	}
}

// With two people, kin export pdf needs --profile.
func TestKin_ExportPDF_NeedsProfile(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "import", "testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml",
		"testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json")
	out := filepath.Join(t.TempDir(), "s.pdf")
	if r := kin(t, env, "export", "pdf", "--out", out); r.code != exitUsage || !strings.Contains(r.stderr, "holds 2 people") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	mustKin(t, env, "export", "pdf", "--profile", "Alberto Atencio", "--out", out)
}
