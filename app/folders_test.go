package app_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault"
)

func TestListFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "summary.xml"), make([]byte, 2400), 0o600)
	os.WriteFile(filepath.Join(dir, "Notes.docx"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, ".hidden"), nil, 0o600)
	os.Mkdir(filepath.Join(dir, "zeta"), 0o700)
	os.Mkdir(filepath.Join(dir, "Alpha"), 0o700)
	old := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "summary.xml"), old, old)
	items, err := app.ListFolder(dir, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Name)
	}
	if want := []string{"Alpha", "zeta", "Notes.docx", "summary.xml"}; !slices.Equal(names, want) {
		t.Fatalf("listed %q, want %q", names, want)
	}
	sum := items[3]
	if !sum.Record || sum.Size != "2 KB" || sum.Modified != "3 Mar 2025" || sum.Dir || items[2].Record || !items[0].Dir {
		t.Errorf("items %+v", items)
	}
	if _, err := app.ListFolder(filepath.Join(dir, "missing"), testNow); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing folder: %v", err)
	}
	for n, want := range map[int64]string{1: "1 byte", 812: "812 bytes", 14_200: "14 KB", 2_400_000: "2.4 MB", 1_100_000_000: "1.1 GB"} {
		if got := app.ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSaveOriginal: the copy is the imported file byte for byte, under its
// own name, and a second copy never replaces the first.
func TestSaveOriginal(t *testing.T) {
	s := imported(t, larsonMeditech)
	srcs, err := s.Sources("")
	if err != nil || len(srcs) != 1 {
		t.Fatal(srcs, err)
	}
	dir := t.TempDir()
	want, _ := os.ReadFile(larsonMeditech)
	first, err := s.SaveOriginal(srcs[0].ID, dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.SaveOriginal(srcs[0].ID, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(first) != "Test1_LarsonDSSample1.xml" || filepath.Base(second) != "Test1_LarsonDSSample1 2.xml" {
		t.Errorf("saved as %s and %s", first, second)
	}
	for _, p := range []string{first, second} {
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the imported file", p)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 2 {
		t.Errorf("%d files in the folder, want 2 and no temporary one", len(es))
	}
	if _, err := s.SaveOriginal("nope", dir); !errors.Is(err, vault.ErrNoSuchSource) {
		t.Errorf("no such source: %v", err)
	}
}
