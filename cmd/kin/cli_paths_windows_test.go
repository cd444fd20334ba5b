package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImport_WindowsPaths: on Windows a file may be named with forward
// slashes or a lower-case drive, and a folder typed in cmd.exe as
// "C:\My Records\" arrives as C:\My Records" (the backslash escaped the
// quote): each imports.
func TestImport_WindowsPaths(t *testing.T) {
	_, env := newVault(t)
	src, err := os.ReadFile(`testdata\corpus\ccda\onc-meditech-magic\Test1_LarsonDSSample1.xml`)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "My Records (2024)")
	os.Mkdir(dir, 0o700)
	file := filepath.Join(dir, "Larson clinic.xml")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	if filepath.VolumeName(file) == "" {
		t.Fatalf("temporary file %s has no drive letter", file)
	}

	slashed := strings.ToLower(file[:1]) + filepath.ToSlash(file[1:])
	r := mustKin(t, env, "import", "--json", slashed)
	if !strings.Contains(r.stdout, `"file": "Larson clinic.xml"`) || strings.Contains(r.stdout, `"already_imported": true`) {
		t.Errorf("import of %s:\n%s", slashed, r.stdout)
	}
	strayQuote := dir + `"`
	r = mustKin(t, env, "import", "--json", strayQuote)
	if !strings.Contains(r.stdout, `"file": "My Records (2024)"`) {
		t.Errorf("import of the folder %s:\n%s", strayQuote, r.stdout)
	}
}
