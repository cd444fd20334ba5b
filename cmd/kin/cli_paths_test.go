package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImport_FileURI: a file handed over as a file: URI (what file managers
// copy and browsers show), percent-encoded, imports like its path; a web
// address is refused before anything is imported, saying what to do.
func TestImport_FileURI(t *testing.T) {
	_, env := newVault(t)
	src, err := os.ReadFile("testdata/corpus/ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "My Records (2024)")
	os.Mkdir(dir, 0o700)
	file := filepath.Join(dir, "Larson clinic.xml")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	if !strings.Contains(uri, "%20") {
		t.Fatalf("test URI %s is not percent-encoded", uri)
	}
	r := mustKin(t, env, "import", "--json", uri)
	var reports []struct {
		File  string         `json:"file"`
		Added map[string]int `json:"added"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &reports); err != nil || len(reports) != 1 {
		t.Fatalf("import report: %v\n%s", err, r.stdout)
	}
	if reports[0].File != "Larson clinic.xml" || len(reports[0].Added) == 0 {
		t.Errorf("report %+v: want the file's name and what it added", reports[0])
	}
	// The same file by its path is the same source: nothing new.
	if r := mustKin(t, env, "import", "--json", file); !strings.Contains(r.stdout, `"already_imported": true`) {
		t.Errorf("importing by path after by URI:\n%s", r.stdout)
	}

	r = kin(t, env, "import", file, "https://portal.example.org/record.xml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "download it first") {
		t.Errorf("web address: exit %d, %q; want 2 and what to do", r.code, r.stderr)
	}
}
