package app_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
	"github.com/kinfolio/kinfolio/vault"
)

func TestRecoveryKey_FileOpensTheVault(t *testing.T) {
	s := newSession(t)
	key, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), s.RecoveryKeyFileName(".txt"))
	if err := s.SaveRecoveryKey(path, key); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "\n"+key+"\n") || !strings.Contains(string(b), "only other way in") {
		t.Errorf("key file:\n%s", b)
	}
	// Never over a file (a vault picked by mistake must survive).
	if err := s.SaveRecoveryKey(s.Path(), key); !errors.Is(err, vault.ErrExists) {
		t.Errorf("saving over the vault: %v, want ErrExists", err)
	}
	if next := app.FreePath(filepath.Dir(path), filepath.Base(path)); next == path || !strings.HasSuffix(next, " 2.txt") {
		t.Errorf("FreePath beside %s = %s", path, next)
	}
	s.Lock()
	s2, err := app.Open(s.Path(), app.IdentityFile(path), apptest.Options())
	if err != nil {
		t.Fatalf("the saved key file does not open the vault: %v", err)
	}
	s2.Lock()
}

func TestRecoverySheet_PrintsTheKey(t *testing.T) {
	s := newSession(t)
	key, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := s.RecoverySheet(key)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s.RecoverySheet(key)
	if !bytes.Equal(pdf, again) {
		t.Error("the sheet is not the same twice")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is needed to read the sheet back")
		}
		t.Skip("no pdftotext")
	}
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := s.SaveRecoverySheet(path, key); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Kinfolio recovery key", key, "only other way in", "Use your recovery key"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed sheet does not say %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "\f"); n > 1 {
		t.Errorf("the sheet has %d pages, want 1", n)
	}
}
